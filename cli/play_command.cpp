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
namespace {

std::size_t article_word_count(const Article& article) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : article.text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

std::string played_summary(const PlaybackReport& report, std::size_t word_count) {
  std::string text = "narrate: " + std::string(report.quit ? "stopped after " : "played ") +
                     format_clock(report.played) + " (" + std::to_string(word_count) + " words, " +
                     std::to_string(report.paragraph_count) + " paragraphs)";
  if (report.first_audio.count() >= 0) {
    text += "; first audio " + std::to_string(report.first_audio.count()) + " ms after start";
  }
  if (report.underrun.count() > 0) {
    text += "; " + std::to_string(report.underrun.count()) +
            " ms of unplanned silence where synthesis fell behind the device";
  }
  return text;
}

}  // namespace

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
    const PlayerSettings settings{.status_line = plan.status_line,
                                  .rate_wpm = options.engine.voice.rate_wpm,
                                  .started = started};
    const PlaybackReport report =
        play(engine.start(article, cancel), *stream, keys, settings, cancel);
    if (plan.summary) {
      std::fprintf(stderr, "%s\n", played_summary(report, article_word_count(article)).c_str());
    }
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::kDevice) throw;
    throw Error(ErrorCategory::kDevice, error.what() + std::string(kWriteToFileAdvice));
  }
}

}  // namespace narrator::cli
