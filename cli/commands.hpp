// commands.hpp: one function per subcommand, each in its own file (speak_command.cpp,
// play_command.cpp, script_commands.cpp, estimate_command.cpp, lexicon_command.cpp,
// list_commands.cpp; batch.hpp for batch; serve/server.hpp and serve/serve_cli.hpp for serve). Each
// throws narrator::Error; main() maps it to an exit status.
#pragma once

#include "cli_options.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/diagnostics.hpp"

namespace narrator::cli {

// speak: carries out options.speak, the plan resolved from the options.
void run_speak(const CliOptions& options, const CancelToken& cancel, Diagnostics& diagnostics);
// speak without -o: plays the article on a sound device.
void play_article(const CliOptions& options, const PlaybackPlan& plan, const CancelToken& cancel,
                  Diagnostics& diagnostics);
void run_script(const CliOptions& options, Diagnostics& diagnostics);
void run_normalize(const CliOptions& options, Diagnostics& diagnostics);
void run_pronounce(const CliOptions& options, Diagnostics& diagnostics);
void run_lexicon_check(const CliOptions& options, Diagnostics& diagnostics);
void run_voices(const CliOptions& options, Diagnostics& diagnostics);
void run_devices();
void run_estimate(const CliOptions& options, Diagnostics& diagnostics);
// feed: the podcast feed of a folder of narrations (feed_command.cpp); warnings go to stderr.
void run_feed(const CliOptions& options);

}  // namespace narrator::cli
