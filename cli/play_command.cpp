// narrate speak without -o: the article played on a sound device, with keys on a terminal.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <tuple>

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

// The words the listener hears, counted as `narrate estimate` and a narration to a file count them.
std::size_t spoken_words(const Engine& engine, const Article& article) {
  std::size_t words = 0;
  for (const ScriptSentence& sentence : engine.script(article)) words += sentence.word_count;
  return words;
}

// `narrate estimate`'s figures, for the first total on the status line. Computed on a thread of
// its own: its calibration (a second or more with Flite) must not delay the first sentence. A
// language without calibration data has no duration estimate, only the words.
std::shared_future<DurationEstimate> estimate_beside(const Engine& engine, const Article& article,
                                                     const CancelToken& cancel) {
  return std::async(std::launch::async,
                    [&engine, &article, cancel] {
                      try {
                        return engine.estimate(article, cancel);
                      } catch (const Error& error) {
                        if (error.category() != ErrorCategory::kUsage) throw;
                        return DurationEstimate{.word_count = spoken_words(engine, article)};
                      }
                    })
      .share();
}

// The words of a finished estimate; nullopt when there is none or it was stopped.
std::optional<std::size_t> estimated_words(const std::shared_future<DurationEstimate>& estimate) {
  if (!estimate.valid()) return std::nullopt;
  try {
    return estimate.get().word_count;
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::kCancelled) throw;
    return std::nullopt;
  }
}

// Cancels `source` when it goes out of scope, however the scope is left.
class CancelOnExit {
 public:
  explicit CancelOnExit(CancelSource& source) : source_(source) {}
  CancelOnExit(const CancelOnExit&) = delete;
  CancelOnExit& operator=(const CancelOnExit&) = delete;
  ~CancelOnExit() { source_.cancel(); }

 private:
  CancelSource& source_;
};

// The estimate runs the text stages a second time, beside the narration: each of their warnings
// (same code, place and message) reaches `sink` once. Thread-safe, as a sink must be.
class OnceDiagnostics final : public Diagnostics {
 public:
  explicit OnceDiagnostics(Diagnostics& sink) : sink_(sink) {}
  void report(Diagnostic diagnostic) override {
    {
      const std::lock_guard lock(mutex_);
      const auto key = std::make_tuple(diagnostic.code, diagnostic.span.begin_byte,
                                       diagnostic.span.end_byte, diagnostic.message);
      if (!seen_.insert(key).second) return;
    }
    sink_.report(std::move(diagnostic));
  }

 private:
  Diagnostics& sink_;
  std::mutex mutex_;
  std::set<std::tuple<std::string, std::size_t, std::size_t, std::string>> seen_;
};

}  // namespace

void play_article(const CliOptions& options, const PlaybackPlan& plan, const CancelToken& cancel,
                  Diagnostics& diagnostics) {
  const auto started = std::chrono::steady_clock::now();
  const Article article = load_article(options, diagnostics);
  OnceDiagnostics once(diagnostics);
  const Engine engine(options.engine, once);
  try {
    const StderrFilter quiet_sound_libraries;
    const SoundSystem sound;
    const std::unique_ptr<PlaybackStream> stream =
        sound.open(engine.format(),
                   PlaybackOptions{.device = plan.device, .device_rate_hz = plan.device_rate_hz});
    // Only a status line shows the estimate. It stops with the narration (Ctrl-C) and when
    // playback ends, however it ends, so that nothing waits for it.
    CancelSource estimate_stop;
    const std::stop_callback stop_with_narration(cancel.stop_token(),
                                                 [&estimate_stop] { estimate_stop.cancel(); });
    std::shared_future<DurationEstimate> estimate;
    if (plan.status_line) estimate = estimate_beside(engine, article, estimate_stop.token());
    const CancelOnExit stop_estimate(estimate_stop);
    RawTerminal keys(plan.keys ? STDIN_FILENO : -1);
    const PlayerSettings settings{
        .status_line = plan.status_line, .estimate = estimate, .started = started};
    const PlaybackReport report =
        play(engine.start(article, cancel), *stream, keys, settings, cancel);
    estimate_stop.cancel();
    if (plan.summary) {
      const std::optional<std::size_t> estimated = estimated_words(estimate);
      const std::size_t words = estimated ? *estimated : spoken_words(engine, article);
      std::fprintf(stderr, "%s\n", played_summary(report, words).c_str());
    }
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::kDevice) throw;
    throw Error(ErrorCategory::kDevice, error.what() + std::string(kWriteToFileAdvice));
  }
}

}  // namespace narrator::cli
