// narrate: reads news articles aloud. See README.md for commands and exit codes.
#include <cstdio>
#include <exception>
#include <variant>

#include "batch.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "narrator/error.hpp"
#include "serve/serve_cli.hpp"
#include "serve/server.hpp"
#include "signal_watcher.hpp"

namespace {

using narrator::cli::Command;

void print_diagnostics(const narrator::CollectingDiagnostics& diagnostics) {
  for (const narrator::Diagnostic& diagnostic : diagnostics.items()) {
    // Notes (which lexicon said a word) are for `narrate script --explain`, not every run.
    if (diagnostic.severity == narrator::Severity::kInfo) continue;
    std::fprintf(stderr, "narrate: %s: %s [%s]\n",
                 std::string(narrator::severity_name(diagnostic.severity)).c_str(),
                 diagnostic.message.c_str(), diagnostic.code.c_str());
  }
}

void dispatch(const narrator::cli::CliOptions& options, const narrator::CancelToken& cancel,
              narrator::Diagnostics& diagnostics) {
  switch (options.command) {
    case Command::kSpeak:
      narrator::cli::run_speak(options, cancel, diagnostics);
      return;
    case Command::kScript:
      narrator::cli::run_script(options, diagnostics);
      return;
    case Command::kNormalize:
      narrator::cli::run_normalize(options, diagnostics);
      return;
    case Command::kPronounce:
      narrator::cli::run_pronounce(options, diagnostics);
      return;
    case Command::kLexiconCheck:
      narrator::cli::run_lexicon_check(options, diagnostics);
      return;
    case Command::kVoices:
      narrator::cli::run_voices(options, diagnostics);
      return;
    case Command::kBatch:
      narrator::cli::run_batch(options, cancel);
      return;
    case Command::kEstimate:
      narrator::cli::run_estimate(options, diagnostics);
      return;
    case Command::kDevices:
      narrator::cli::run_devices();
      return;
    case Command::kFeed:
      narrator::cli::run_feed(options);
      return;
    case Command::kServe:
      narrator::cli::serve::run_serve(options.serve);
      return;
    case Command::kServeWorker:  // run by main() itself: it has its own exit status
      return;
  }
}

bool is_playing(const std::optional<narrator::cli::CliOptions>& options) {
  return options && options->command == Command::kSpeak &&
         std::holds_alternative<narrator::cli::PlaybackPlan>(options->speak);
}

}  // namespace

int main(int argc, char** argv) {
  narrator::CancelSource cancel;
  std::optional<narrator::cli::SignalWatcher> signals;
  narrator::CollectingDiagnostics diagnostics;
  std::optional<narrator::cli::CliOptions> options;
  try {
    int exit_code = narrator::cli::kExitSuccess;
    options = narrator::cli::parse_command_line(argc, argv, exit_code);
    if (!options) return exit_code;
    // The server waits for SIGTERM itself, to drain for --grace, and its workers leave the stop
    // signals to it; every other command stops on them at once.
    if (options->command == Command::kServeWorker) {
      return narrator::cli::serve::run_serve_worker_command(options->serve_worker);
    }
    if (options->command != Command::kServe) signals.emplace(cancel);
    dispatch(*options, cancel.token(), diagnostics);
  } catch (const narrator::Error& error) {
    print_diagnostics(diagnostics);
    const narrator::cli::ErrorOutcome outcome =
        narrator::cli::error_outcome(error, is_playing(options));
    std::fprintf(stderr, "%s\n", outcome.message.c_str());
    return outcome.exit_code;
  } catch (const std::exception& error) {
    print_diagnostics(diagnostics);
    std::fprintf(stderr, "narrate: internal error: %s\n", error.what());
    return narrator::cli::exit_code_for(narrator::ErrorCategory::kInternal);
  }
  print_diagnostics(diagnostics);
  return narrator::cli::kExitSuccess;  // the work completed, even if a signal came at the very end
}
