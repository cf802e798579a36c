#include "player.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "narrator/error.hpp"
#include "progress_line.hpp"

namespace narrator::cli {
namespace {

constexpr std::chrono::milliseconds kTick{50};     // key poll and status refresh
constexpr std::chrono::milliseconds kRedraw{250};  // status line redraw
constexpr std::size_t kNoSeek = static_cast<std::size_t>(-1);
// How much text the estimate weighs as, against the sentences measured so far: a headline's
// long pause must not swing the total (one short sentence cost 20% of the total in the estimate's
// place), while after a few paragraphs the measured speed leads.
constexpr double kEstimateWeightBytes = 1500;

// Where a queued sentence begins in the stream (input frames), and how long it is.
struct QueuedSentence {
  std::uint64_t position = 0;
  std::size_t sentence = 0;
  std::uint64_t frames = 0;
};

// What the feeder thread tells the controlling thread.
struct FeedLog {
  std::mutex mutex;
  std::vector<QueuedSentence> queued;  // in stream order; cleared on a jump
  std::optional<std::chrono::steady_clock::time_point> first_audio;
};

// The article's timeline: measured lengths where a sentence was synthesized, estimates elsewhere.
class Timeline {
 public:
  Timeline(const std::vector<SentencePlace>& places, int sample_rate_hz)
      : places_(places), frames_(places.size(), 0), sample_rate_hz_(sample_rate_hz) {}

  // `estimate` (Engine::estimate()) spread over the sentences by their length in bytes: before
  // any sentence is measured, the total is the estimate itself.
  void estimated(std::chrono::milliseconds estimate) {
    double all_bytes = 0;
    for (std::size_t i = 0; i < places_.size(); ++i) all_bytes += bytes(i);
    const double estimated_frames =
        static_cast<double>(estimate.count()) * sample_rate_hz_ / 1000.0;
    frames_per_byte_ = all_bytes > 0 ? estimated_frames / all_bytes : 0;
  }

  void measured(std::size_t sentence, std::uint64_t frames) {
    if (frames_[sentence] != 0 || frames == 0) return;
    frames_[sentence] = frames;
    measured_frames_ += frames;
    measured_bytes_ += bytes(sentence);
  }

  std::chrono::milliseconds start_of(std::size_t sentence) const {
    double frames = 0;
    for (std::size_t i = 0; i < sentence; ++i) frames += length(i);
    return to_ms(frames);
  }
  std::chrono::milliseconds total() const { return start_of(places_.size()); }
  std::chrono::milliseconds to_ms(double frames) const {
    return std::chrono::milliseconds(static_cast<long long>(frames * 1000.0 / sample_rate_hz_));
  }

 private:
  double bytes(std::size_t i) const {
    return static_cast<double>(places_[i].span.end_byte - places_[i].span.begin_byte);
  }
  double length(std::size_t i) const {
    if (frames_[i] != 0) return static_cast<double>(frames_[i]);
    const double prior_bytes = frames_per_byte_ > 0 ? kEstimateWeightBytes : 0;
    const double weighed_bytes = measured_bytes_ + prior_bytes;
    const double per_byte =
        weighed_bytes > 0 ? (measured_frames_ + prior_bytes * frames_per_byte_) / weighed_bytes : 0;
    return bytes(i) * per_byte;
  }

  const std::vector<SentencePlace>& places_;
  std::vector<std::uint64_t> frames_;
  int sample_rate_hz_;
  double frames_per_byte_ = 0;
  double measured_frames_ = 0;
  double measured_bytes_ = 0;
};

class SteadyPlayerClock final : public PlayerClock {
 public:
  std::chrono::steady_clock::time_point now() const noexcept override {
    return std::chrono::steady_clock::now();
  }
};

class Controller {
 public:
  Controller(Narration narration, PlaybackStream& stream, const PlayerSettings& settings,
             const PlayerClock& clock)
      : narration_(std::move(narration)),
        places_(narration_.sentences()),
        stream_(stream),
        settings_(settings),
        clock_(clock),
        timeline_(places_, stream.format().sample_rate_hz),
        estimate_pending_(settings.estimate.valid()) {
    for (const SentencePlace& place : places_) {
      if (paragraph_of_block_.size() <= place.block_index) {
        paragraph_of_block_.resize(place.block_index + 1, kNoSeek);
      }
      if (paragraph_of_block_[place.block_index] == kNoSeek) {
        paragraph_of_block_[place.block_index] = paragraph_count_++;
      }
    }
  }

  PlaybackReport run(KeySource& keys, const CancelToken& cancel);

 private:
  void feed();
  bool take_seek();
  void request_seek(std::size_t sentence);
  void handle(Key key);
  void sync_from_feeder();
  void take_estimate();
  std::size_t current_sentence() const;
  std::size_t listener_sentence() const;
  std::uint64_t played_into(std::size_t sentence) const;
  std::chrono::milliseconds position() const;
  void count_listening(std::chrono::steady_clock::time_point tick_began, bool was_paused);
  std::size_t paragraph(std::size_t sentence) const {
    return paragraph_of_block_[places_[sentence].block_index];
  }
  std::optional<std::size_t> paragraph_start(std::size_t sentence, int step) const;
  void draw_status();
  void clear_status();
  void stop_feeder(std::jthread& feeder);

  Narration narration_;
  std::vector<SentencePlace> places_;
  PlaybackStream& stream_;
  const PlayerSettings& settings_;
  const PlayerClock& clock_;
  Timeline timeline_;
  std::vector<std::size_t> paragraph_of_block_;
  std::size_t paragraph_count_ = 0;

  FeedLog log_;
  std::atomic<std::size_t> seek_to_{kNoSeek};
  std::atomic<bool> feeder_done_{false};
  std::exception_ptr feeder_error_;

  // Controlling thread only.
  std::vector<QueuedSentence> queued_;
  // The sentence of the last jump until the device plays it: a key pressed before then moves on
  // from there, not from the sentence still sounding (↓↓↑ is one paragraph down however slowly
  // the jumps are synthesized).
  std::optional<std::size_t> pending_jump_;
  bool quit_ = false;
  bool status_drawn_ = false;
  std::chrono::steady_clock::duration listened_{0};
  bool estimate_pending_;  // the status line waits for settings_.estimate
  std::chrono::steady_clock::time_point last_draw_{};
};

// Feeder thread: sentence after sentence into the stream, honouring jumps, then drain.
void Controller::feed() {
  try {
    for (;;) {
      take_seek();
      std::optional<AudioChunk> chunk = narration_.next();
      if (seek_to_.load() != kNoSeek) continue;  // a jump came while this one was synthesized
      if (!chunk) {
        stream_.finish();
        if (seek_to_.load() != kNoSeek) continue;  // a jump back from the very end
        break;
      }
      {
        const std::lock_guard lock(log_.mutex);
        log_.queued.push_back(
            QueuedSentence{stream_.queued_position(), chunk->sentence_index, chunk->frame_count()});
        if (!log_.first_audio) log_.first_audio = clock_.now();
      }
      stream_.write(chunk->samples);
    }
  } catch (...) {
    feeder_error_ = std::current_exception();
  }
  feeder_done_.store(true);
}

bool Controller::take_seek() {
  const std::size_t target = seek_to_.exchange(kNoSeek);
  if (target == kNoSeek) return false;
  // A jump requested from here on sets seek_to_ again; feed() checks it before every write.
  stream_.clear_interrupt();
  stream_.discard_queued();
  narration_.seek(target);
  const std::lock_guard lock(log_.mutex);
  log_.queued.clear();
  return true;
}

void Controller::request_seek(std::size_t sentence) {
  pending_jump_ = sentence;
  seek_to_.store(sentence);
  stream_.interrupt();
  if (stream_.paused()) stream_.set_paused(false);  // a jump while paused plays from there
}

PlaybackReport Controller::run(KeySource& keys, const CancelToken& cancel) {
  if (settings_.status_line && keys.active()) {
    std::fputs(
        "narrate: keys: space pause/resume, \u2190/\u2192 sentence, \u2191/\u2193 "
        "paragraph, q quit\n",
        settings_.status_out);
  }
  std::jthread feeder([this] { feed(); });
  try {
    while (!feeder_done_.load()) {
      if (cancel.cancelled()) throw Error(ErrorCategory::kCancelled, "playback stopped");
      const auto tick_began = clock_.now();
      const bool was_paused = stream_.paused();
      const std::vector<Key> pressed = keys.read_keys(kTick);
      count_listening(tick_began, was_paused);
      for (const Key key : pressed) handle(key);
      if (quit_) break;
      sync_from_feeder();
      take_estimate();
      draw_status();
    }
  } catch (...) {
    stop_feeder(feeder);
    throw;
  }
  if (quit_ || cancel.cancelled()) stop_feeder(feeder);
  if (feeder.joinable()) feeder.join();
  clear_status();
  if (cancel.cancelled()) throw Error(ErrorCategory::kCancelled, "playback stopped");
  if (feeder_error_ && !quit_) std::rethrow_exception(feeder_error_);
  sync_from_feeder();
  PlaybackReport report;
  report.quit = quit_;
  report.played = quit_ ? position() : timeline_.total();
  report.total = timeline_.total();
  report.listened = std::chrono::duration_cast<std::chrono::milliseconds>(listened_);
  if (log_.first_audio) {
    report.first_audio = std::chrono::duration_cast<std::chrono::milliseconds>(*log_.first_audio -
                                                                               settings_.started);
  }
  report.underrun = timeline_.to_ms(static_cast<double>(stream_.underrun_frames()));
  report.sentence_count = places_.size();
  report.paragraph_count = paragraph_count_;
  return report;
}

// Stops the sound at once and lets the feeder thread run out.
void Controller::stop_feeder(std::jthread& feeder) {
  stream_.abort();
  if (feeder.joinable()) feeder.join();
  clear_status();
}

void Controller::handle(Key key) {
  if (key == Key::kQuit) {
    quit_ = true;
    return;
  }
  if (places_.empty()) return;
  sync_from_feeder();
  const std::size_t now = listener_sentence();
  switch (key) {
    case Key::kQuit:
      return;
    case Key::kPauseResume:
      stream_.set_paused(!stream_.paused());
      return;
    case Key::kNextSentence:
      if (now + 1 < places_.size()) request_seek(now + 1);
      return;
    case Key::kPreviousSentence: {
      // One rule with the listening page: well into a sentence, ← restarts it; near its start
      // (or before a jump has landed), ← goes to the sentence before.
      const bool well_into =
          !pending_jump_ && timeline_.to_ms(static_cast<double>(played_into(now))) > kRestartWindow;
      request_seek(well_into || now == 0 ? now : now - 1);
      return;
    }
    case Key::kNextParagraph:
    case Key::kPreviousParagraph:
      if (const std::optional<std::size_t> target =
              paragraph_start(now, key == Key::kNextParagraph ? 1 : -1)) {
        request_seek(*target);
      }
      return;
  }
}

// The first sentence of the paragraph `step` paragraphs away from the one holding `sentence`.
std::optional<std::size_t> Controller::paragraph_start(std::size_t sentence, int step) const {
  const std::size_t here = paragraph(sentence);
  if (step < 0 && here == 0) return std::size_t{0};
  const std::size_t wanted = step > 0 ? here + 1 : here - 1;
  for (std::size_t i = 0; i < places_.size(); ++i) {
    if (paragraph(i) == wanted) return i;
  }
  return std::nullopt;
}

void Controller::sync_from_feeder() {
  const std::lock_guard lock(log_.mutex);
  queued_ = log_.queued;
  for (const QueuedSentence& entry : queued_) timeline_.measured(entry.sentence, entry.frames);
  // After a jump the feeder clears the log, so the jump has landed once its sentence is first.
  if (pending_jump_ && seek_to_.load() == kNoSeek && !queued_.empty() &&
      queued_.front().sentence == *pending_jump_) {
    pending_jump_.reset();
  }
}

// Where the listener is in the article: the sentence of a jump still on its way, else the one
// playing.
std::size_t Controller::listener_sentence() const {
  return pending_jump_ ? *pending_jump_ : current_sentence();
}

// The sentence the device is playing: the last queued one that starts at or before its position.
std::size_t Controller::current_sentence() const {
  const std::uint64_t played = stream_.played_position();
  std::size_t sentence = queued_.empty() ? 0 : queued_.front().sentence;
  for (const QueuedSentence& entry : queued_) {
    if (entry.position > played) break;
    sentence = entry.sentence;
  }
  return sentence;
}

// Frames of `sentence` the device has played, when it is the one playing; else 0.
std::uint64_t Controller::played_into(std::size_t sentence) const {
  const std::uint64_t played = stream_.played_position();
  std::uint64_t into = 0;
  for (const QueuedSentence& entry : queued_) {
    if (entry.sentence == sentence && entry.position <= played) {
      into = std::min(entry.frames, played - entry.position);
    }
  }
  return into;
}

// Where in the article the listener is: the start of the playing sentence plus the part of it
// already played.
std::chrono::milliseconds Controller::position() const {
  const std::size_t sentence = current_sentence();
  return timeline_.start_of(sentence) + timeline_.to_ms(static_cast<double>(played_into(sentence)));
}

// Adds the tick that began at `tick_began` to the time listened, from the first audio on, unless
// the sound was paused through it.
void Controller::count_listening(std::chrono::steady_clock::time_point tick_began,
                                 bool was_paused) {
  if (was_paused) return;
  std::optional<std::chrono::steady_clock::time_point> first_audio;
  {
    const std::lock_guard lock(log_.mutex);
    first_audio = log_.first_audio;
  }
  if (!first_audio) return;
  const auto tick_end = clock_.now();
  const auto from = std::max(tick_began, *first_audio);
  if (tick_end > from) listened_ += tick_end - from;
}

void Controller::take_estimate() {
  if (!estimate_pending_ ||
      settings_.estimate.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return;
  }
  estimate_pending_ = false;
  timeline_.estimated(settings_.estimate.get().duration);
}

void Controller::draw_status() {
  if (!settings_.status_line || places_.empty() || estimate_pending_) return;
  const auto now = clock_.now();
  if (status_drawn_ && now - last_draw_ < kRedraw) return;
  last_draw_ = now;
  const std::size_t sentence = listener_sentence();
  const std::chrono::milliseconds elapsed = position();
  // Short enough for an 80-column terminal: a wrapped line could not be redrawn in place.
  std::fprintf(settings_.status_out, "\r\033[K%s  paragraph %zu/%zu  %s / ~%s",
               stream_.paused() ? "paused " : "playing", paragraph(sentence) + 1, paragraph_count_,
               format_clock(elapsed).c_str(), format_clock(timeline_.total()).c_str());
  std::fflush(settings_.status_out);
  status_drawn_ = true;
}

void Controller::clear_status() {
  if (!status_drawn_) return;
  std::fputs("\r\033[K", settings_.status_out);
  std::fflush(settings_.status_out);
  status_drawn_ = false;
}

}  // namespace

const PlayerClock& steady_player_clock() noexcept {
  static const SteadyPlayerClock clock;  // stateless
  return clock;
}

std::string played_summary(const PlaybackReport& report, std::size_t word_count) {
  std::string text = "narrate: ";
  if (report.quit) {
    text += "stopped at " + format_clock(report.played) + " of " + format_clock(report.total) +
            ", listened " + format_clock(report.listened);
  } else {
    text += "played " + format_clock(report.played);
    const auto gap = report.listened - report.played;
    if (gap >= std::chrono::seconds(1) || gap <= -std::chrono::seconds(1)) {
      text += ", listened " + format_clock(report.listened);
    }
  }
  text += " (" + std::to_string(word_count) + " words, " + std::to_string(report.paragraph_count) +
          " paragraphs)";
  if (report.first_audio.count() >= 0) {
    text += "; first audio " + std::to_string(report.first_audio.count()) + " ms after start";
  }
  if (report.underrun.count() > 0) {
    text += "; " + std::to_string(report.underrun.count()) +
            " ms of unplanned silence where synthesis fell behind the device";
  }
  return text;
}

PlaybackReport play(Narration narration, PlaybackStream& stream, KeySource& keys,
                    const PlayerSettings& settings, const CancelToken& cancel,
                    const PlayerClock& clock) {
  Controller controller(std::move(narration), stream, settings, clock);
  return controller.run(keys, cancel);
}

}  // namespace narrator::cli
