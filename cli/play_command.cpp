// narrate speak without -o: the article played on a sound device, with keys on a terminal.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "command_support.hpp"
#include "commands.hpp"
#include "narrator/audio/playback.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "player.hpp"
#include "progress_line.hpp"
#include "stderr_filter.hpp"
#include "terminal_keys.hpp"

namespace narrator::cli {

void play_article(const CliOptions& options, const PlaybackPlan& plan, const CancelToken& cancel,
                  Diagnostics& diagnostics) {
  const auto started = std::chrono::steady_clock::now();
  const Article article = load_article(options, diagnostics);
  const Engine engine(options.engine, diagnostics);
  try {
    const StderrFilter quiet_sound_libraries;
    const SoundSystem sound;
    const std::unique_ptr<PlaybackStream> stream =
        sound.open(engine.format(),
                   PlaybackOptions{.device = plan.device, .device_rate_hz = plan.device_rate_hz});
    RawTerminal keys(plan.keys ? STDIN_FILENO : -1);
    // `narrate estimate`'s figures: the first total on the status line and the word count of
    // the summary are the ones the estimate and a narration to a file give.
    const DurationEstimate estimate = engine.estimate(article);
    const PlayerSettings settings{.status_line = plan.status_line,
                                  .estimated_duration = estimate.duration,
                                  .started = started};
    const PlaybackReport report =
        play(engine.start(article, cancel), *stream, keys, settings, cancel);
    if (plan.summary) {
      std::fprintf(stderr, "%s\n", played_summary(report, estimate.word_count).c_str());
    }
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::kDevice) throw;
    throw Error(ErrorCategory::kDevice, error.what() + std::string(kWriteToFileAdvice));
  }
}

}  // namespace narrator::cli
