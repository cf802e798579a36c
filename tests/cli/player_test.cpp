// The player's keys, pause, stop and status line, on a fake device, terminal and clock.
//
// FakeDevice stands behind all three of the player's interfaces: a PlaybackStream that plays only
// when the player waits for keys, a KeySource that presses scripted keys at set moments of device
// time, and the PlayerClock. Time moves only by the player's own tick (its read_keys timeout), and
// a tick plays only audio the feeder has queued (waiting for synthesis, with a guard against a
// hang), so every run is the same: no real time passes and nothing is asserted about wall-clock
// time. The real terminal, device and signals are tested end to end in playback_test.cpp.
#include "player.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio_analysis.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "player_articles.hpp"
#include "progress_line.hpp"

namespace narrator {
namespace {

using namespace std::chrono_literals;
using cli::Key;
using std::chrono::milliseconds;

// Only fails a hang: a tick that waits this long for the synthesis thread fails the test.
constexpr std::chrono::seconds kGuard{120};
constexpr milliseconds kDeviceQueue{2000};  // PlaybackOptions::queue's default

// A key at a moment of device time: `after` the previous press, the first one after the device
// began to sound. A press without a key cancels (as Ctrl-C does through the CancelToken).
struct Press {
  milliseconds after;
  std::optional<Key> key;
};

class FakeDevice final : public PlaybackStream, public cli::KeySource, public cli::PlayerClock {
 public:
  FakeDevice(StreamFormat format, std::vector<Press> presses, CancelSource* cancel = nullptr)
      : format_(format), presses_(std::move(presses)), cancel_(cancel) {
    device_.name = "fake";
  }

  // PlaybackStream.
  StreamFormat format() const noexcept override { return format_; }

  void write(std::span<const std::int16_t> samples) override {
    std::unique_lock lock(mutex_);
    wait(lock, "room in the queue",
         [&] { return aborted_ || interrupted_ || queue_.size() < frames(kDeviceQueue); });
    if (aborted_) throw Error(ErrorCategory::kCancelled, "fake device: aborted");
    if (interrupted_) return;
    queue_.insert(queue_.end(), samples.begin(), samples.end());
    written_.insert(written_.end(), samples.begin(), samples.end());
    queued_position_ += samples.size();
    drained_ = false;
    changed_.notify_all();
  }

  void finish() override {
    std::unique_lock lock(mutex_);
    finishing_ = true;
    changed_.notify_all();
    wait(lock, "the queue to play out", [&] { return aborted_ || interrupted_ || queue_.empty(); });
    finishing_ = false;
    if (aborted_) throw Error(ErrorCategory::kCancelled, "fake device: aborted");
    drained_ = queue_.empty();
    changed_.notify_all();
  }

  void set_paused(bool paused) noexcept override { paused_ = paused; }
  bool paused() const noexcept override { return paused_; }

  void interrupt() noexcept override {
    const std::lock_guard lock(mutex_);
    interrupted_ = true;
    discard_pending_ = true;  // the feeder answers every interrupt with discard_queued()
    changed_.notify_all();
  }
  void clear_interrupt() noexcept override {
    const std::lock_guard lock(mutex_);
    interrupted_ = false;
    changed_.notify_all();
  }
  void discard_queued() override {
    const std::lock_guard lock(mutex_);
    played_position_ += queue_.size();
    queue_.clear();
    discard_pending_ = false;
    changed_.notify_all();
  }
  void abort() noexcept override {
    const std::lock_guard lock(mutex_);
    aborted_ = true;
    changed_.notify_all();
  }

  std::uint64_t queued_position() const noexcept override { return queued_position_; }
  std::uint64_t played_position() const noexcept override { return played_position_; }
  std::uint64_t underrun_frames() const noexcept override { return 0; }
  const OutputDevice& device() const noexcept override { return device_; }
  int device_rate_hz() const noexcept override { return format_.sample_rate_hz; }

  // KeySource: one tick of device time, then the keys due by its end.
  bool active() const noexcept override { return true; }
  std::vector<Key> read_keys(milliseconds timeout) override {
    play_for(timeout);
    std::vector<Key> keys;
    while (next_press_ < presses_.size() && due_ && now_frames_ >= *due_) {
      const Press& press = presses_[next_press_++];
      if (press.key) {
        keys.push_back(*press.key);
      } else if (cancel_ != nullptr) {
        cancel_->cancel();
        output_at_cancel_ = output().size();
      }
      if (next_press_ < presses_.size()) *due_ += frames(presses_[next_press_].after);
    }
    return keys;
  }

  // PlayerClock: device time, from an epoch of zero.
  std::chrono::steady_clock::time_point now() const noexcept override {
    return std::chrono::steady_clock::time_point(
        milliseconds(static_cast<long long>(now_frames_.load() * 1000 / format_.sample_rate_hz)));
  }

  // What the device sounded, silence included; what the feeder wrote.
  std::vector<std::int16_t> output() const {
    const std::lock_guard lock(mutex_);
    return output_;
  }
  std::vector<std::int16_t> written() const {
    const std::lock_guard lock(mutex_);
    return written_;
  }
  std::size_t presses_left() const { return presses_.size() - next_press_; }
  std::optional<std::size_t> output_at_cancel() const { return output_at_cancel_; }
  bool aborted() const {
    const std::lock_guard lock(mutex_);
    return aborted_;
  }

 private:
  std::uint64_t frames(milliseconds duration) const {
    return static_cast<std::uint64_t>(duration.count()) *
           static_cast<std::uint64_t>(format_.sample_rate_hz) / 1000;
  }

  template <typename Ready>
  void wait(std::unique_lock<std::mutex>& lock, const char* what, Ready ready) {
    if (!changed_.wait_for(lock, kGuard, ready)) {
      throw std::runtime_error(std::string("fake device: no ") + what + " within the guard");
    }
  }

  // Plays one tick: queued audio unless paused, silence for what is missing. A tick waits until
  // the feeder has queued a tick's worth (or is finishing, or a jump's discard has happened), so
  // how fast the synthesis thread runs never shows in what the device plays.
  void play_for(milliseconds duration) {
    const std::uint64_t tick = frames(duration);
    std::unique_lock lock(mutex_);
    if (!paused_) {
      wait(lock, "audio to play", [&] {
        return aborted_ || drained_ || (!discard_pending_ && (queue_.size() >= tick || finishing_));
      });
    }
    const std::size_t sounding =
        paused_ || aborted_
            ? 0
            : static_cast<std::size_t>(std::min<std::uint64_t>(tick, queue_.size()));
    output_.insert(output_.end(), queue_.begin(), queue_.begin() + sounding);
    output_.insert(output_.end(), tick - sounding, 0);
    queue_.erase(queue_.begin(), queue_.begin() + sounding);
    played_position_ += sounding;
    if (!due_ && sounding > 0 && !presses_.empty()) due_ = now_frames_ + frames(presses_[0].after);
    now_frames_ += tick;
    changed_.notify_all();
  }

  StreamFormat format_;
  OutputDevice device_;
  std::vector<Press> presses_;
  CancelSource* cancel_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::int16_t> queue_;
  std::vector<std::int16_t> written_;
  std::vector<std::int16_t> output_;
  std::atomic<std::uint64_t> queued_position_{0};
  std::atomic<std::uint64_t> played_position_{0};
  std::atomic<std::uint64_t> now_frames_{0};
  std::atomic<bool> paused_{false};
  bool interrupted_ = false;
  bool discard_pending_ = false;
  bool finishing_ = false;
  bool drained_ = false;
  bool aborted_ = false;

  // Controlling thread only.
  std::size_t next_press_ = 0;
  std::optional<std::uint64_t> due_;  // device time (frames) of the next press
  std::optional<std::size_t> output_at_cancel_;
};

// What the player drew on its status output.
class StatusCapture {
 public:
  StatusCapture() : file_(::open_memstream(&buffer_, &size_)) {}
  StatusCapture(const StatusCapture&) = delete;
  StatusCapture& operator=(const StatusCapture&) = delete;
  ~StatusCapture() {
    if (file_ != nullptr) std::fclose(file_);
    std::free(buffer_);
  }
  std::FILE* file() const { return file_; }
  std::string text() const {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
};

std::vector<std::int16_t> without_zeros(const std::vector<std::int16_t>& samples) {
  std::vector<std::int16_t> kept;
  std::copy_if(samples.begin(), samples.end(), std::back_inserter(kept),
               [](std::int16_t s) { return s != 0; });
  return kept;
}

// The last "paragraph K/N" the status line showed.
std::string last_paragraph_shown(const std::string& status) {
  constexpr std::string_view kLabel = "  paragraph ";
  const std::size_t at = status.rfind(kLabel);
  if (at == std::string::npos) return "";
  const std::size_t begin = at + kLabel.size();
  return status.substr(begin, status.find(' ', begin) - begin);
}

class Player : public ::testing::Test {
 protected:
  Player() : engine_(EngineConfig{}, diagnostics_) {}

  Narration start(const std::string& text) {
    return engine_.start(read_article(text, "test", {}, diagnostics_), cancel_.token());
  }

  cli::PlaybackReport play(const std::string& text, FakeDevice& device) {
    const cli::PlayerSettings settings{
        .status_line = true, .estimate = {}, .started = device.now(), .status_out = status_.file()};
    return cli::play(start(text), device, device, settings, cancel_.token(), device);
  }

  // Plays `text` with `presses`, the last of them a quit, on a status line of its own, and returns
  // what that line showed.
  std::string status_after_keys(const std::string& text, std::vector<Press> presses) {
    FakeDevice device(format(), std::move(presses));
    StatusCapture status;
    const cli::PlayerSettings settings{
        .status_line = true, .estimate = {}, .started = device.now(), .status_out = status.file()};
    const cli::PlaybackReport report =
        cli::play(start(text), device, device, settings, cancel_.token(), device);
    EXPECT_TRUE(report.quit);
    EXPECT_EQ(device.presses_left(), 0u);
    return status.text();
  }

  StreamFormat format() const { return engine_.format(); }
  int rate_hz() const { return engine_.format().sample_rate_hz; }

  NullDiagnostics diagnostics_;
  Engine engine_;
  CancelSource cancel_;
  StatusCapture status_;
};

TEST_F(Player, PlaysEverySampleInOrderWithoutKeys) {
  FakeDevice device(format(), {});
  const cli::PlaybackReport report = play(test::kPlayerArticle, device);
  EXPECT_FALSE(report.quit);
  EXPECT_EQ(report.sentence_count, 4u);
  EXPECT_EQ(report.paragraph_count, 3u);
  EXPECT_EQ(report.first_audio, 0ms) << "the device clock starts with the first audio";
  const std::vector<std::int16_t> written = device.written();
  const std::vector<std::int16_t> output = device.output();
  ASSERT_FALSE(written.empty());
  ASSERT_GE(output.size(), written.size());
  EXPECT_TRUE(std::equal(written.begin(), written.end(), output.begin()))
      << "the device did not play what was written, in order";
  EXPECT_NE(status_.text().find("playing  paragraph 3/3"), std::string::npos) << status_.text();
}

TEST_F(Player, QuitKeyStopsWherePlaybackWas) {
  const std::string article = test::long_player_article();
  FakeDevice device(format(), {{300ms, Key::kQuit}});
  const cli::PlaybackReport report = play(article, device);
  EXPECT_TRUE(report.quit);
  EXPECT_EQ(device.presses_left(), 0u);
  // q came at 300 ms of sound, on the player's 50 ms tick.
  EXPECT_GE(report.played, 300ms);
  EXPECT_LE(report.played, 400ms);
  EXPECT_GE(report.listened, 300ms);
  EXPECT_LE(report.listened, 400ms);
  EXPECT_GT(report.total, 20s) << "13 paragraphs of a few seconds each";
  EXPECT_LT(device.output().size(), static_cast<std::size_t>(rate_hz())) << "kept playing after q";
  EXPECT_TRUE(device.aborted()) << "q did not stop the sound at once";
}

TEST_F(Player, CancellationStopsTheSoundAtOnce) {
  const std::string article = test::long_player_article();
  FakeDevice device(format(), {{400ms, std::nullopt}}, &cancel_);
  try {
    play(article, device);
    ADD_FAILURE() << "play() returned after the cancellation";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kCancelled) << error.what();
  }
  ASSERT_TRUE(device.output_at_cancel().has_value()) << "the cancellation never came";
  EXPECT_TRUE(device.aborted()) << "the sound was not stopped";
  EXPECT_EQ(device.output().size(), *device.output_at_cancel())
      << "the device played on after the cancellation";
  EXPECT_EQ(status_.text().substr(status_.text().size() - 4), "\r\033[K")
      << "the status line was left on the terminal";
}

TEST_F(Player, SpacePausesWithSilenceAndResumesWhereItWas) {
  FakeDevice device(format(), {{200ms, Key::kPauseResume}, {2000ms, Key::kPauseResume}});
  const cli::PlaybackReport report = play(test::kPlayerArticle, device);
  EXPECT_FALSE(report.quit);
  EXPECT_EQ(device.presses_left(), 0u);
  EXPECT_NE(status_.text().find("paused "), std::string::npos)
      << "the status line never said paused";
  // A pause only inserts silence: without the zeros, the sound is exactly what was written.
  const std::vector<std::int16_t> output = device.output();
  EXPECT_TRUE(without_zeros(output) == without_zeros(device.written()))
      << "the audio around the pause differs from the narration";
  // The longest pause the article has is the headline's second; the key's is two: 40 ticks of
  // 50 ms, each a whole number of frames (1102 at 22,050 Hz), so a millisecond short at most.
  const std::vector<milliseconds> runs = test::silent_runs(output, rate_hz(), 1900ms, 1);
  ASSERT_FALSE(runs.empty()) << "no silence where the pause was";
  EXPECT_GE(*std::max_element(runs.begin(), runs.end()), 1990ms);
}

// Keys move between sentences and paragraphs: the status line shows where playback went.
TEST_F(Player, ArrowKeysJumpBetweenSentencesAndParagraphs) {
  const std::string article = test::long_player_article();
  const struct {
    std::vector<Key> keys;
    std::string paragraph;
  } cases[] = {
      {{Key::kNextParagraph, Key::kNextParagraph}, "3/13"},
      {{Key::kNextParagraph, Key::kNextParagraph, Key::kPreviousParagraph}, "2/13"},
      {{Key::kNextSentence}, "2/13"},  // the headline is one sentence: the next is paragraph 2
      {{Key::kNextParagraph, Key::kNextParagraph, Key::kPreviousSentence},
       "2/13"},  // back from paragraph 3's first sentence
      {{Key::kNextParagraph, Key::kNextSentence, Key::kNextSentence},
       "3/13"},  // paragraph 2 has two sentences
  };
  for (const auto& c : cases) {
    std::vector<Press> presses;
    for (const Key key : c.keys) presses.push_back({150ms, key});
    presses.push_back({700ms, Key::kQuit});  // after a status redraw, which shows a jump at once
    const std::string shown = status_after_keys(article, std::move(presses));
    EXPECT_EQ(last_paragraph_shown(shown), c.paragraph) << "after " << c.keys.size() << " keys:\n"
                                                        << shown;
  }
}

// Position and time listened are two figures: a pause adds to neither, a jump moves the first.
TEST_F(Player, QuitReportsThePositionAndTheTimeListenedApart) {
  const std::string article = test::long_player_article();
  FakeDevice device(format(), {{200ms, Key::kPauseResume},
                               {2000ms, Key::kPauseResume},
                               {300ms, Key::kNextParagraph},
                               {300ms, Key::kQuit}});
  const cli::PlaybackReport report = play(article, device);
  ASSERT_TRUE(report.quit);
  EXPECT_EQ(device.presses_left(), 0u);
  // 200 + 300 + 300 ms of sound (each key on a 50 ms tick), the 2 s pause left out.
  EXPECT_GE(report.listened, 800ms);
  EXPECT_LE(report.listened, 950ms);
  // ↓ went to paragraph 2, past the headline: the position is its start plus 300 ms or so.
  EXPECT_GT(report.played, report.listened + 500ms) << "the jump did not move the position";
  EXPECT_LT(report.played, report.total);
  const std::string line = cli::played_summary(report, 818);
  EXPECT_NE(line.find("narrate: stopped at " + cli::format_clock(report.played) + " of " +
                      cli::format_clock(report.total) +
                      ", listened 0:00 (818 words, 13 "
                      "paragraphs)"),
            std::string::npos)
      << line;
}

TEST(PlayedSummary, SaysThePositionTheTotalAndTheTimeListened) {
  cli::PlaybackReport report;
  report.quit = true;
  report.played = 8400ms;
  report.total = 310s;
  report.listened = 8200ms;
  report.paragraph_count = 29;
  EXPECT_EQ(cli::played_summary(report, 818),
            "narrate: stopped at 0:08 of 5:10, listened 0:08 (818 words, 29 paragraphs)");
  report.quit = false;
  report.played = 310s;
  report.listened = 250s;  // the listener skipped a minute
  EXPECT_EQ(cli::played_summary(report, 818),
            "narrate: played 5:10, listened 4:10 (818 words, 29 paragraphs)");
  report.listened = 310s;
  EXPECT_EQ(cli::played_summary(report, 818), "narrate: played 5:10 (818 words, 29 paragraphs)");
}

// The first total on the status line is the estimate the player was given (`narrate estimate`'s
// figure), not a guess from a words-per-minute rate.
TEST_F(Player, FirstTotalShownIsTheEstimateGiven) {
  FakeDevice device(format(), {{300ms, Key::kQuit}});
  // Far from the real length (under a minute), so only the estimate can give it.
  std::promise<DurationEstimate> estimate;
  estimate.set_value(DurationEstimate{.duration = 310s, .word_count = 818, .character_count = 0});
  const cli::PlayerSettings settings{.status_line = true,
                                     .estimate = estimate.get_future().share(),
                                     .started = device.now(),
                                     .status_out = status_.file()};
  cli::play(start(test::long_player_article()), device, device, settings, cancel_.token(), device);
  const std::string status = status_.text();
  const std::size_t at = status.find(" / ~");
  ASSERT_NE(at, std::string::npos) << status;
  int minutes = 0;
  int seconds = 0;
  ASSERT_EQ(std::sscanf(status.c_str() + at, " / ~%d:%d", &minutes, &seconds), 2) << status;
  // The headline, measured by then, moves it by a few seconds at most.
  EXPECT_NEAR(minutes * 60 + seconds, 310, 5) << status;
}

// ← well into a sentence (more than 1.5 s of it played) goes back to its start; within 1.5 s of
// its start, to the sentence before. Paragraph 2's first sentence is about four seconds long, and
// the sentence before it is the headline (paragraph 1).
TEST_F(Player, LeftArrowRestartsTheSentenceAfterOneAndAHalfSeconds) {
  const std::string article = test::long_player_article();
  const struct {
    milliseconds into;
    std::string paragraph;
  } cases[] = {{1200ms, "1/13"}, {2000ms, "2/13"}};  // (← at once: ArrowKeysJump...)
  for (const auto& c : cases) {
    const std::string shown = status_after_keys(
        article,
        {{150ms, Key::kNextParagraph}, {c.into, Key::kPreviousSentence}, {700ms, Key::kQuit}});
    EXPECT_EQ(last_paragraph_shown(shown), c.paragraph)
        << "\u2190 after " << c.into.count() << " ms of paragraph 2:\n"
        << shown;
  }
}

}  // namespace
}  // namespace narrator
