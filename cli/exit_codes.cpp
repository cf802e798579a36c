#include "exit_codes.hpp"

#include <array>
#include <utility>

namespace narrator::cli {
namespace {

constexpr std::array<std::pair<ErrorCategory, int>, 7> kExitCodes{{
    {ErrorCategory::kUsage, kExitUsage},  // bad option, unknown voice or format, -o = input
    {ErrorCategory::kInput, 3},           // article missing, unreadable, empty or not UTF-8
    {ErrorCategory::kOutput, 4},       // output folder missing or read-only, disk full, pipe closed
    {ErrorCategory::kDevice, 5},       // sound device failed
    {ErrorCategory::kBackend, 6},      // eSpeak NG failed or its data is missing
    {ErrorCategory::kInternal, 70},    // a bug (EX_SOFTWARE)
    {ErrorCategory::kCancelled, 130},  // a stop signal (signal_watcher.hpp); 128 + SIGINT
}};

}  // namespace

int exit_code_for(ErrorCategory category) noexcept {
  for (const auto& [entry, code] : kExitCodes) {
    if (entry == category) return code;
  }
  return 70;
}

ErrorOutcome error_outcome(const Error& error, bool playing) {
  if (error.category() == ErrorCategory::kCancelled) {
    return ErrorOutcome{std::string("narrate: interrupted; ") +
                            (playing ? "playback stopped" : "no output was written"),
                        exit_code_for(ErrorCategory::kCancelled)};
  }
  std::string message = std::string("narrate: error: ") + error.what();
  const bool names_a_command = message.find("'narrate ") != std::string::npos;
  if (error.category() == ErrorCategory::kUsage && !names_a_command) {
    message.append("\n").append(kUsageHint);
  }
  return ErrorOutcome{std::move(message), exit_code_for(error.category())};
}

}  // namespace narrator::cli
