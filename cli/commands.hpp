// commands.hpp: one function per subcommand. Each throws narrator::Error; main() maps it to an
// exit status.
#pragma once

#include "cli_options.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/diagnostics.hpp"

namespace narrator::cli {

void run_speak(const CliOptions& options, const CancelToken& cancel, Diagnostics& diagnostics);
void run_script(const CliOptions& options, Diagnostics& diagnostics);
void run_normalize(const CliOptions& options, Diagnostics& diagnostics);
void run_pronounce(const CliOptions& options, Diagnostics& diagnostics);
void run_lexicon_check(const CliOptions& options, Diagnostics& diagnostics);
void run_voices(const CliOptions& options, Diagnostics& diagnostics);
void run_devices(const CliOptions& options, Diagnostics& diagnostics);
void run_estimate(const CliOptions& options, Diagnostics& diagnostics);

}  // namespace narrator::cli
