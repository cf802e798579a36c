// exit_codes.hpp: the one table from ErrorCategory to the process exit status (see README.md),
// and what narrate prints for the error that ended a command.
#pragma once

#include <string>
#include <string_view>

#include "narrator/error.hpp"

namespace narrator::cli {

constexpr int kExitSuccess = 0;
constexpr int kExitUsage = 2;

// The line after every usage error whose message does not already name a command to run.
constexpr std::string_view kUsageHint =
    "Run 'narrate --help' for usage, or 'narrate COMMAND --help' for a command's options.";

int exit_code_for(ErrorCategory category) noexcept;

// The line printed on stderr and the exit status for an error that ended a command.
struct ErrorOutcome {
  std::string message;  // without a trailing newline
  int exit_code = 0;
};

// A cancellation (Ctrl-C or another stop signal) is "narrate: interrupted; ..." with status 130,
// and `playing` says whether playback stopped or no output was written. Every other error is
// printed as "narrate: error: " and its own message, and exits with its category's status, even
// when a signal came as well; a usage error (status 2) gets kUsageHint on a second line unless
// its message already says which narrate command to run.
ErrorOutcome error_outcome(const Error& error, bool playing);

}  // namespace narrator::cli
