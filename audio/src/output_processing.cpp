// output_processing.cpp: channel mapping and resampling (streaming), then EBU R128 loudness
// normalization over an unnamed spool file (two passes, flat memory), or a fixed gain and a
// true-peak limiter in one pass (streaming).
#include "narrator/audio/output_processing.hpp"

#include <ebur128.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <numbers>
#include <span>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "narrator/audio/pending_file.hpp"
#include "narrator/audio/resampler.hpp"
#include "narrator/error.hpp"
#include "sndfile_sink.hpp"

namespace narrator {
namespace {

constexpr double kMinStreamGainDb = -40.0;
constexpr double kMaxStreamGainDb = 40.0;
constexpr double kMinCeilingDbtp = -20.0;
constexpr double kMaxCeilingDbtp = 0.0;
constexpr int kMinRateHz = 8000;
constexpr int kMaxRateHz = 192000;
// The MP3 default: what podcast platforms ask for.
constexpr double kMp3LoudnessLufs = -16.0;
// The rate a format with a fixed set of rates (Opus) gets when the input's is not among them:
// Opus's own rate, which every decoder plays without resampling again.
constexpr int kRestrictedFormatRateHz = 48000;
// Where the loudness spool goes when the output is a stream, not a file with a folder.
constexpr std::string_view kStreamSpoolFolder = "/tmp";
// Samples read back from the spool per write to the inner sink.
constexpr std::size_t kReplayBlockSamples = 16384;

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

[[noreturn]] void out_of_range(const std::string& field, double value, const std::string& range) {
  throw Error(ErrorCategory::kUsage, "output processing: " + field + " " + number(value) +
                                         " is out of range; use " + range);
}

void validate(StreamFormat input, const OutputProcessing& processing) {
  if (processing.loudness_lufs && processing.keep_level) {
    throw Error(
        ErrorCategory::kUsage,
        "output processing: loudness_lufs and keep_level are both set; use one or the other");
  }
  if (processing.stream_gain_db && (processing.loudness_lufs || processing.keep_level)) {
    throw Error(ErrorCategory::kUsage,
                std::string("output processing: stream_gain_db and ") +
                    (processing.keep_level ? "keep_level" : "loudness_lufs") +
                    " are both set; use one-pass loudness (stream_gain_db) or the other");
  }
  if (processing.stream_gain_db) {
    const double gain_db = *processing.stream_gain_db;
    if (!(gain_db >= kMinStreamGainDb && gain_db <= kMaxStreamGainDb)) {
      out_of_range("stream_gain_db", gain_db, "-40 to 40 dB");
    }
  }
  if (processing.loudness_lufs) {
    const double target = *processing.loudness_lufs;
    if (!(target >= limits::kMinLoudnessLufs && target <= limits::kMaxLoudnessLufs)) {
      out_of_range("loudness_lufs", target, "-70 to -5 LUFS");
    }
  }
  const double ceiling = processing.true_peak_ceiling_dbtp;
  if (!(ceiling >= kMinCeilingDbtp && ceiling <= kMaxCeilingDbtp)) {
    out_of_range("true_peak_ceiling_dbtp", ceiling, "-20 to 0 dBTP");
  }
  const int rate_hz = processing.sample_rate_hz;
  if (rate_hz != 0 && (rate_hz < kMinRateHz || rate_hz > kMaxRateHz)) {
    out_of_range("sample_rate_hz", rate_hz, "0 (keep the input rate) or 8000 to 192000 Hz");
  }
  if (processing.channels < 0 || processing.channels > 2) {
    out_of_range("channels", processing.channels, "0 (keep the input channels), 1 or 2");
  }
  if (input.sample_rate_hz <= 0 || input.channels < 1) {
    throw Error(ErrorCategory::kUsage, "output processing: the input format (" +
                                           std::to_string(input.sample_rate_hz) + " Hz, " +
                                           std::to_string(input.channels) +
                                           " channels) has no samples to process");
  }
  const bool maps = processing.channels != 0 && processing.channels != input.channels;
  if (maps && input.channels > 2) {
    throw Error(ErrorCategory::kUsage, "output processing: channels " +
                                           std::to_string(processing.channels) + " cannot map " +
                                           std::to_string(input.channels) +
                                           " input channels; only mono and stereo input map");
  }
}

// Mono to stereo (each sample twice) or stereo to mono (the mean of each frame). `out` is reused.
void map_channels(std::span<const std::int16_t> in, int in_channels, int out_channels,
                  std::vector<std::int16_t>& out) {
  out.clear();
  if (out_channels > in_channels) {
    out.reserve(in.size() * 2);
    for (const std::int16_t sample : in) out.insert(out.end(), 2, sample);
    return;
  }
  out.reserve(in.size() / 2);
  for (std::size_t i = 0; i + 1 < in.size(); i += 2) {
    out.push_back(static_cast<std::int16_t>((int{in[i]} + int{in[i + 1]}) / 2));
  }
}

// Converts the input stream to the processed format. Mono is resampled before it is spread to
// two channels and after two are mixed down, so the resampler always runs on the fewer channels
// and both output channels stay identical.
class FormatConverter {
 public:
  FormatConverter(StreamFormat input, StreamFormat output) : input_(input), output_(output) {
    if (input.sample_rate_hz != output.sample_rate_hz) {
      resampler_.emplace(input.sample_rate_hz, output.sample_rate_hz,
                         std::min(input.channels, output.channels));
    }
  }

  // Returns the converted samples: a view of `samples` itself, or of this converter's buffers,
  // valid until the next call.
  std::span<const std::int16_t> convert(std::span<const std::int16_t> samples) {
    std::span<const std::int16_t> at = samples;
    if (output_.channels < input_.channels) {
      map_channels(at, input_.channels, output_.channels, mixed_);
      at = mixed_;
    }
    if (resampler_) {
      resampled_ = resampler_->process(at);
      at = resampled_;
    }
    return spread(at);
  }

  // Ends the stream: the resampler's held-back tail, converted (a view as convert() gives).
  std::span<const std::int16_t> flush() {
    if (!resampler_) return {};
    resampled_ = resampler_->flush();
    return spread(resampled_);
  }

 private:
  std::span<const std::int16_t> spread(std::span<const std::int16_t> samples) {
    if (output_.channels <= input_.channels) return samples;
    map_channels(samples, input_.channels, output_.channels, spread_);
    return spread_;
  }

  StreamFormat input_;
  StreamFormat output_;
  std::optional<Resampler> resampler_;
  std::vector<std::int16_t> mixed_;
  std::vector<std::int16_t> resampled_;
  std::vector<std::int16_t> spread_;
};

struct Ebur128Destroyer {
  void operator()(ebur128_state* state) const noexcept { ebur128_destroy(&state); }
};
using Ebur128Ptr = std::unique_ptr<ebur128_state, Ebur128Destroyer>;

std::string ebur128_status_text(int status) {
  switch (status) {
    case EBUR128_ERROR_NOMEM:
      return "out of memory";
    case EBUR128_ERROR_INVALID_MODE:
      return "mode not enabled";
    case EBUR128_ERROR_INVALID_CHANNEL_INDEX:
      return "invalid channel index";
    case EBUR128_ERROR_NO_CHANGE:
      return "no change";
    default:
      return "error " + std::to_string(status);
  }
}

void check_ebur128(int status, const char* call) {
  if (status == EBUR128_SUCCESS) return;
  throw Error(ErrorCategory::kInternal, std::string("loudness measurement failed: ") + call +
                                            " returned " + ebur128_status_text(status));
}

// EBU R128 integrated loudness of one stream (libebur128). The true peak is not measured: the
// limiter keeps it under the ceiling.
class LoudnessMeter {
 public:
  explicit LoudnessMeter(StreamFormat format) : channels_(format.channels) {
    // The histogram keeps the gated integration in constant memory, whatever the length, at a
    // resolution of 0.1 LU.
    state_.reset(ebur128_init(static_cast<unsigned>(format.channels),
                              static_cast<unsigned long>(format.sample_rate_hz),
                              EBUR128_MODE_I | EBUR128_MODE_HISTOGRAM));
    if (!state_) {
      throw Error(ErrorCategory::kInternal, "cannot set up loudness measurement (libebur128) for " +
                                                std::to_string(format.channels) + " channels at " +
                                                std::to_string(format.sample_rate_hz) + " Hz");
    }
  }

  void add(std::span<const std::int16_t> samples) {
    const std::size_t frame_count = samples.size() / static_cast<std::size_t>(channels_);
    check_ebur128(ebur128_add_frames_short(state_.get(), samples.data(), frame_count),
                  "ebur128_add_frames_short");
  }

  // LUFS; -HUGE_VAL when everything was silent or below the absolute gate.
  double integrated_lufs() {
    double lufs = 0.0;
    check_ebur128(ebur128_loudness_global(state_.get(), &lufs), "ebur128_loudness_global");
    return lufs;
  }

 private:
  Ebur128Ptr state_;
  int channels_;
};

// Where the loudness spool goes, and the output it is for (for messages).
struct SpoolPlace {
  std::string folder;
  std::string output_name;  // "" when process_output() is called without one
};

// An unnamed read-write file in a folder: it disappears when closed, even after a crash.
// `output_name` (a path, "standard output", or "" when unknown) is what its messages name first:
// the file the user asked for, not only the folder the spool happens to sit in.
class SpoolFile {
 public:
  SpoolFile(std::string folder, std::string output_name)
      : folder_(std::move(folder)), output_name_(std::move(output_name)) {
#ifdef O_TMPFILE
    fd_ = ::open(folder_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
    if (fd_ < 0) open_named_then_unlink();
  }
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  ~SpoolFile() { ::close(fd_); }

  void append(std::span<const std::int16_t> samples) {
    const auto* data = reinterpret_cast<const char*>(samples.data());
    std::size_t left = samples.size_bytes();
    while (left > 0) {
      const ssize_t written = ::write(fd_, data, left);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        const int error_number = written < 0 ? errno : ENOSPC;
        fail(error_number, "cannot write the loudness pass's temporary file",
             detail::write_advice(error_number).c_str());
      }
      data += written;
      left -= static_cast<std::size_t>(written);
    }
  }

  void rewind() {
    if (::lseek(fd_, 0, SEEK_SET) != 0) fail(errno, "cannot rewind the loudness spool", "");
  }

  // Fills `block` from the current position; returns the samples read, fewer only at the end.
  std::size_t read(std::span<std::int16_t> block) {
    auto* data = reinterpret_cast<char*>(block.data());
    std::size_t filled = 0;
    while (filled < block.size_bytes()) {
      const ssize_t got = ::read(fd_, data + filled, block.size_bytes() - filled);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) fail(errno, "cannot read the loudness spool back", "");
      if (got == 0) break;
      filled += static_cast<std::size_t>(got);
    }
    return filled / sizeof(std::int16_t);
  }

 private:
  void open_named_then_unlink() {
    std::string pattern = folder_ + "/.narrator-spool-XXXXXX";
    fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd_ < 0) {
      fail(errno, "cannot create a temporary file",
           "make the folder writable or choose another temporary folder");
    }
    ::unlink(pattern.c_str());  // the descriptor keeps the data; the name must not linger
  }

  [[noreturn]] void fail(int error_number, const char* what, const char* advice) const {
    std::string message =
        output_name_.empty()
            ? "'" + folder_ + "': " + what
            : output_name_ + ": " + what + " in " +
                  (folder_ == "." ? std::string("the current folder") : "'" + folder_ + "'");
    message += std::string(": ") + std::strerror(error_number);
    if (*advice != '\0') message += std::string("; ") + advice;
    throw Error(ErrorCategory::kOutput, message);
  }

  std::string folder_;
  std::string output_name_;
  int fd_ = -1;
};

// A look-ahead peak limiter: the signal is delayed by the look-ahead, and the gain for each frame
// is the smallest any frame in the window needs to stay under the ceiling, so the gain is already
// down when a peak arrives; it recovers with an exponential release. Speech has sparse peaks, so a
// loudness target that one gain would push past the ceiling is met with a few peaks held down
// instead of the whole narration left quieter.
class PeakLimiter {
 public:
  PeakLimiter(StreamFormat format, double ceiling_dbtp)
      : channels_(static_cast<std::size_t>(format.channels)),
        // Sample peaks a little under the true-peak ceiling leave room for inter-sample overshoot.
        ceiling_(32767.0 * std::pow(10.0, (ceiling_dbtp - kTruePeakMarginDb) / 20.0)),
        lookahead_(std::max<std::size_t>(
            1, static_cast<std::size_t>(format.sample_rate_hz) * kLookaheadMs / 1000)),
        release_(1.0 - std::exp(-1000.0 / (kReleaseMs * format.sample_rate_hz))) {}

  // Takes gained frames (interleaved doubles) and returns the limited frames that are ready
  // (delayed by the look-ahead); flush() returns the rest.
  void process(const std::vector<double>& frames, std::vector<std::int16_t>& out) {
    for (std::size_t at = 0; at < frames.size(); at += channels_) push_frame(&frames[at], out);
  }
  // Pushing one look-ahead of silence moves every delayed frame out, and nothing more.
  void flush(std::vector<std::int16_t>& out) {
    const std::vector<double> silence(channels_, 0.0);
    for (std::size_t i = 0; i < lookahead_; ++i) push_frame(silence.data(), out);
  }

 private:
  static constexpr double kTruePeakMarginDb = 1.0;
  static constexpr std::size_t kLookaheadMs = 5;
  static constexpr double kReleaseMs = 80.0;

  void push_frame(const double* frame, std::vector<std::int16_t>& out) {
    double peak = 0;
    for (std::size_t c = 0; c < channels_; ++c) peak = std::max(peak, std::abs(frame[c]));
    const double needed = peak > ceiling_ ? ceiling_ / peak : 1.0;
    window_.push_back({index_, needed});
    while (window_.size() > 1 && window_[window_.size() - 2].second >= needed) {
      window_.erase(window_.end() - 2);  // a later, smaller need makes it irrelevant
    }
    while (window_.front().first + lookahead_ < index_) window_.pop_front();
    delay_.insert(delay_.end(), frame, frame + channels_);
    ++index_;
    if (delay_.size() / channels_ <= lookahead_) return;  // still filling the look-ahead
    gain_ = std::min(window_.front().second, gain_ + (1.0 - gain_) * release_);
    for (std::size_t c = 0; c < channels_; ++c) {
      const double limited = std::clamp(delay_.front() * gain_, -32768.0, 32767.0);
      out.push_back(static_cast<std::int16_t>(std::lround(limited)));
      delay_.pop_front();
    }
  }

  std::size_t channels_;
  double ceiling_;
  std::size_t lookahead_;
  double release_;
  double gain_ = 1.0;
  std::size_t index_ = 0;
  std::deque<std::pair<std::size_t, double>> window_;  // (frame index, gain it needs), increasing
  std::deque<double> delay_;
};

// One-pass loudness for streams: a fixed gain, then a look-ahead limiter on the true peak.
//
// The true peak between two samples is estimated by 4x oversampling: each of the three points
// between samples i and i+1 is interpolated from the 12 samples around them (a Hann-windowed
// sinc), so interval i is known once sample i+6 has arrived. A frame needs the gain that keeps
// both intervals it bounds under the ceiling. That need is held over the look-ahead (a sliding
// minimum), recovers with an exponential release, and is averaged over the look-ahead again: the
// average of look-ahead+1 values that each lie under a frame's need is under it too, so the gain
// ramps down smoothly and is fully down when the peak passes. A frame leaves after the
// look-ahead plus the interpolator's 6 frames.
class TruePeakLimiter {
 public:
  TruePeakLimiter(StreamFormat format, double gain_db, double ceiling_dbtp)
      : channels_(static_cast<std::size_t>(format.channels)),
        factor_(std::pow(10.0, gain_db / 20.0)),
        ceiling_(32767.0 * std::pow(10.0, (ceiling_dbtp - kMarginDb) / 20.0)),
        lookahead_(std::max<std::size_t>(
            kMinLookaheadFrames,
            static_cast<std::size_t>(format.sample_rate_hz) * kLookaheadMs / 1000)),
        release_(1.0 - std::exp(-1000.0 / (kReleaseMs * format.sample_rate_hz))),
        needs_(lookahead_ + 1, 1.0),
        gains_(lookahead_ + 1, 1.0),
        gains_sum_(static_cast<double>(lookahead_ + 1)) {
    for (std::size_t phase = 0; phase < kPhases - 1; ++phase) {
      const double offset = static_cast<double>(phase + 1) / kPhases;  // between i and i+1
      for (std::size_t tap = 0; tap < kTaps; ++tap) {
        // Tap `tap` weighs sample i - kHalfTaps + 1 + tap; t is its distance from the point.
        const double t = offset - (static_cast<double>(tap) - kHalfTaps + 1);
        const double sinc = std::sin(std::numbers::pi * t) / (std::numbers::pi * t);
        const double window = 0.5 * (1.0 + std::cos(std::numbers::pi * t / kHalfTaps));
        kernel_[phase][tap] = sinc * window;
      }
    }
    // No interpolated point exceeds the largest sample around it times its kernel's absolute sum:
    // a window of samples all under this can skip the interpolation.
    double gain_bound = 1.0;
    for (const auto& phase : kernel_) {
      double sum = 0.0;
      for (const double weight : phase) sum += std::abs(weight);
      gain_bound = std::max(gain_bound, sum);
    }
    quiet_below_ = ceiling_ / gain_bound;
  }

  // Frames the output lags the input by.
  std::size_t latency_frames() const noexcept { return lookahead_ + kHalfTaps; }

  // Gains and limits `samples` (whole frames), appending to `out` the frames that are ready.
  void process(std::span<const std::int16_t> samples, std::vector<std::int16_t>& out) {
    for (std::size_t at = 0; at + channels_ <= samples.size(); at += channels_) {
      for (std::size_t c = 0; c < channels_; ++c) frame_[c] = samples[at + c] * factor_;
      push(frame_.data(), out);
    }
  }

  // Ends the stream: the frames still held back. Pushing latency_frames() of silence moves every
  // one of them out, and nothing more.
  void flush(std::vector<std::int16_t>& out) {
    const std::vector<double> silence(channels_, 0.0);
    for (std::size_t i = 0; i < latency_frames(); ++i) push(silence.data(), out);
  }

 private:
  static constexpr std::size_t kPhases = 4;  // 4x oversampling, as BS.1770's true-peak meter
  static constexpr std::size_t kTaps = 12;   // per interpolated point
  static constexpr std::size_t kHalfTaps = kTaps / 2;
  static constexpr std::size_t kLookaheadMs = 5;
  static constexpr std::size_t kMinLookaheadFrames = 1;
  static constexpr double kReleaseMs = 80.0;
  // Room for what the estimate misses: the gain changing across an interpolator's span, and the
  // interpolator's own small error.
  static constexpr double kMarginDb = 0.3;

  // The highest absolute value on the interval between the middle two frames of the history
  // (frames i and i+1 for interval i), both samples included.
  double interval_peak() const {
    double peak = 0.0;
    for (std::size_t c = 0; c < channels_; ++c) {
      const double* taps = &history_[c * kTaps];
      peak = std::max({peak, std::abs(taps[kHalfTaps - 1]), std::abs(taps[kHalfTaps])});
      for (const auto& phase : kernel_) {
        double value = 0.0;
        for (std::size_t tap = 0; tap < kTaps; ++tap) value += phase[tap] * taps[tap];
        peak = std::max(peak, std::abs(value));
      }
    }
    return peak;
  }

  void push(const double* frame, std::vector<std::int16_t>& out) {
    for (std::size_t c = 0; c < channels_; ++c) {
      double* taps = &history_[c * kTaps];
      std::copy(taps + 1, taps + kTaps, taps);
      taps[kTaps - 1] = frame[c];
      if (std::abs(frame[c]) >= quiet_below_) last_loud_frame_ = pushed_;
      delay_[delay_back_ * channels_ + c] = frame[c];
    }
    delay_back_ = (delay_back_ + 1) % delay_frames_;
    const std::size_t newest = pushed_++;
    if (newest < kHalfTaps) return;  // interval newest-6 needs frames up to newest
    const std::size_t interval = newest - kHalfTaps;
    // The interval's taps are the frames newest-11 to newest: when none was loud, the interval
    // is under the ceiling without computing it.
    const bool loud = last_loud_frame_ && *last_loud_frame_ + kTaps > newest;
    const double peak = loud ? interval_peak() : 0.0;
    const double interval_need = peak > ceiling_ ? ceiling_ / peak : 1.0;
    // Frame `interval` bounds this interval and the one before it.
    add_need(interval, std::min(interval_need, previous_interval_need_));
    previous_interval_need_ = interval_need;
    if (interval < lookahead_) return;  // the first frame's look-ahead is not yet full
    emit(interval - lookahead_, smoothed_gain(interval), out);
  }

  // Feeds frame j's need into the sliding minimum and the release.
  void add_need(std::size_t j, double need) {
    needs_[j % needs_.size()] = need;
    while (!minimum_.empty() && minimum_.back().second >= need) minimum_.pop_back();
    minimum_.emplace_back(j, need);
    while (minimum_.front().first + lookahead_ < j) minimum_.pop_front();
    held_ = std::min(minimum_.front().second, held_ + (1.0 - held_) * release_);
    gains_sum_ += held_ - gains_[j % gains_.size()];
    gains_[j % gains_.size()] = held_;
  }

  // The gain for frame j - lookahead_: the mean of the last lookahead_+1 held gains, never above
  // that frame's own need (rounding in the running sum must not lift it).
  double smoothed_gain(std::size_t j) const {
    const double mean = gains_sum_ / static_cast<double>(gains_.size());
    return std::min(mean, needs_[(j - lookahead_) % needs_.size()]);
  }

  void emit(std::size_t frame, double gain, std::vector<std::int16_t>& out) {
    const double* delayed = &delay_[(frame % delay_frames_) * channels_];
    for (std::size_t c = 0; c < channels_; ++c) {
      const double limited = std::clamp(delayed[c] * gain, -32768.0, 32767.0);
      out.push_back(static_cast<std::int16_t>(std::lround(limited)));
    }
  }

  std::size_t channels_;
  double factor_;
  double ceiling_;
  std::size_t lookahead_;
  double release_;
  std::array<std::array<double, kTaps>, kPhases - 1> kernel_{};
  std::vector<double> frame_ = std::vector<double>(channels_);  // one input frame, gained
  // The last kTaps frames, per channel (channel c at [c * kTaps, (c + 1) * kTaps)), oldest first:
  // the interpolator's input. Zero before the stream.
  std::vector<double> history_ = std::vector<double>(channels_ * kTaps, 0.0);
  // The delay line: a ring of the last latency_frames() + 1 frames, interleaved, gained; frame n
  // is at slot n % delay_frames_.
  std::size_t delay_frames_ = latency_frames() + 1;
  std::vector<double> delay_ = std::vector<double>(delay_frames_ * channels_, 0.0);
  std::size_t delay_back_ = 0;  // the slot the next frame goes to
  std::size_t pushed_ = 0;
  double quiet_below_ = 0.0;                    // see the constructor
  std::optional<std::size_t> last_loud_frame_;  // the last frame with a sample >= quiet_below_
  double previous_interval_need_ = 1.0;
  std::deque<std::pair<std::size_t, double>> minimum_;  // (frame, need), needs increasing
  double held_ = 1.0;
  std::vector<double> needs_;  // ring: the last lookahead_+1 frames' needs
  std::vector<double> gains_;  // ring: the last lookahead_+1 held gains
  double gains_sum_;
};

// The loudness pass: measures and spools everything, then replays it with one gain and the
// limiter.
class Normalizer {
 public:
  Normalizer(StreamFormat format, const OutputProcessing& processing, const SpoolPlace& spool,
             CancelToken cancel)
      : meter_(format),
        spool_(spool.folder, spool.output_name),
        format_(format),
        target_lufs_(*processing.loudness_lufs),
        ceiling_dbtp_(processing.true_peak_ceiling_dbtp),
        cancel_(std::move(cancel)) {}

  void add(std::span<const std::int16_t> samples) {
    meter_.add(samples);
    spool_.append(samples);
    spooled_samples_ += samples.size();
    spool_blocks_ = spooled_samples_ / kReplayBlockSamples;
  }

  // The limiter takes a little loudness off the peaks, so a dry run through it measures what is
  // left and the gain is raised by the difference before the real pass.
  void replay(AudioSink& inner) {
    const double integrated = meter_.integrated_lufs();
    if (!std::isfinite(integrated)) {  // silence: nothing to bring up
      pass(0.0, [&](std::span<const std::int16_t> samples) { inner.write(samples); });
      return;
    }
    double gain_db = target_lufs_ - integrated;
    const double first_gain_db = gain_db;
    // Long narrations are dry-run on a sample of their blocks; short ones whole.
    const std::size_t stride = spool_blocks_ >= kSampledDryRunBlocks ? kDryRunStride : 1;
    for (int round = 0; round < kMakeUpRounds; ++round) {
      LoudnessMeter dry(format_);
      pass(
          gain_db, [&](std::span<const std::int16_t> samples) { dry.add(samples); }, stride);
      const double missing = target_lufs_ - dry.integrated_lufs();
      if (!std::isfinite(missing) || std::abs(missing) < kCloseEnoughLu) break;
      gain_db = std::min(gain_db + missing, first_gain_db + kMaxMakeUpDb);
    }
    pass(gain_db, [&](std::span<const std::int16_t> samples) { inner.write(samples); });
  }

 private:
  LoudnessMeter meter_;
  SpoolFile spool_;
  // Reads the spool once, applies the gain and a fresh limiter, and hands the result on.
  // With a stride of n only every n-th block goes through: a dry run estimates the loudness the
  // limiter leaves from a quarter of the audio, which is plenty for a gated integrated measure.
  void pass(double gain_db, const std::function<void(std::span<const std::int16_t>)>& take,
            std::size_t stride = 1) {
    const double factor = std::pow(10.0, gain_db / 20.0);
    PeakLimiter limiter(format_, ceiling_dbtp_);
    spool_.rewind();
    std::vector<std::int16_t> block(kReplayBlockSamples);
    std::vector<double> gained;
    std::vector<std::int16_t> limited;
    for (std::size_t index = 0; const std::size_t count = spool_.read(block); ++index) {
      if (cancel_.cancelled()) throw Error(ErrorCategory::kCancelled, "narration cancelled");
      if (index % stride != 0) continue;
      gained.assign(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(count));
      for (double& sample : gained) sample *= factor;
      limited.clear();
      limiter.process(gained, limited);
      if (!limited.empty()) take(limited);
    }
    limited.clear();
    limiter.flush(limited);
    if (!limited.empty()) take(limited);
  }

  static constexpr double kMaxMakeUpDb = 12.0;  // the limiter's loss is made up to this much
  static constexpr int kMakeUpRounds = 3;
  static constexpr std::size_t kDryRunStride = 4;
  static constexpr std::size_t kSampledDryRunBlocks = 256;  // about 3 minutes of the voice
  static constexpr double kCloseEnoughLu = 0.1;

  StreamFormat format_;
  std::size_t spooled_samples_ = 0;
  std::size_t spool_blocks_ = 0;
  double target_lufs_;
  double ceiling_dbtp_;
  CancelToken cancel_;
};

class ProcessingSink final : public AudioSink {
 public:
  ProcessingSink(std::unique_ptr<AudioSink> inner, StreamFormat input, StreamFormat output,
                 const OutputProcessing& processing, const SpoolPlace& spool, CancelToken cancel)
      : inner_(std::move(inner)), input_(input), converter_(input, output) {
    if (processing.loudness_lufs) normalizer_.emplace(output, processing, spool, cancel);
    if (processing.stream_gain_db) {
      limiter_.emplace(output, *processing.stream_gain_db, processing.true_peak_ceiling_dbtp);
    }
  }

  StreamFormat format() const noexcept override { return input_; }

  void write(std::span<const std::int16_t> samples) override {
    check_open("write()");
    deliver(converter_.convert(samples));
  }

  void finish() override {
    check_open("finish()");
    finished_ = true;  // even if what follows throws: the sink is unusable then
    deliver(converter_.flush());
    if (normalizer_) normalizer_->replay(*inner_);
    if (limiter_) {
      limited_.clear();
      limiter_->flush(limited_);
      if (!limited_.empty()) inner_->write(limited_);
    }
    inner_->finish();
  }

 private:
  void check_open(const char* call) const {
    if (finished_) {
      throw Error(ErrorCategory::kInternal,
                  std::string("output processing: ") + call + " called after finish()");
    }
  }

  void deliver(std::span<const std::int16_t> samples) {
    if (samples.empty()) return;
    if (normalizer_) {
      normalizer_->add(samples);
    } else if (limiter_) {
      limited_.clear();
      limiter_->process(samples, limited_);
      if (!limited_.empty()) inner_->write(limited_);
    } else {
      inner_->write(samples);
    }
  }

  std::unique_ptr<AudioSink> inner_;
  StreamFormat input_;
  FormatConverter converter_;
  std::optional<Normalizer> normalizer_;
  std::optional<TruePeakLimiter> limiter_;  // one-pass loudness (stream_gain_db)
  std::vector<std::int16_t> limited_;       // what the limiter passes on, reused
  bool finished_ = false;
};

std::string describe(StreamFormat format) {
  return std::to_string(format.sample_rate_hz) + " Hz, " + std::to_string(format.channels) +
         (format.channels == 1 ? " channel" : " channels");
}

std::string folder_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// process_output(), with the output's name for the spool's messages.
std::unique_ptr<AudioSink> make_processing_sink(std::unique_ptr<AudioSink> inner,
                                                StreamFormat input,
                                                const OutputProcessing& processing,
                                                const SpoolPlace& spool, CancelToken cancel) {
  const StreamFormat output = processed_format(input, processing);
  if (!inner) throw Error(ErrorCategory::kInternal, "output processing: no sink to write to");
  if (inner->format() != output) {
    throw Error(ErrorCategory::kInternal, "output processing: the sink takes " +
                                              describe(inner->format()) + " but the processed " +
                                              "audio is " + describe(output));
  }
  return std::make_unique<ProcessingSink>(std::move(inner), input, output, processing, spool,
                                          std::move(cancel));
}

// `sink` (in the processed format) behind process_output() when there is anything to convert.
std::unique_ptr<AudioSink> wrap(std::unique_ptr<AudioSink> sink, StreamFormat input,
                                const OutputProcessing& processing, const SpoolPlace& spool,
                                CancelToken cancel) {
  if (sink->format() == input && !processing.loudness_lufs && !processing.stream_gain_db) {
    return sink;
  }
  return make_processing_sink(std::move(sink), input, processing, spool, std::move(cancel));
}

}  // namespace

std::optional<double> default_loudness_lufs(AudioFormat format) noexcept {
  if (format == AudioFormat::kMp3) return kMp3LoudnessLufs;
  return std::nullopt;
}

OutputProcessing with_format_defaults(OutputProcessing processing, AudioFormat format,
                                      StreamFormat input) {
  if (!processing.loudness_lufs && !processing.keep_level && !processing.stream_gain_db) {
    processing.loudness_lufs = default_loudness_lufs(format);
  }
  const std::span<const int> rates = audio_format_sample_rates(format);
  if (rates.empty()) return processing;
  const auto takes = [&](int rate_hz) {
    return std::find(rates.begin(), rates.end(), rate_hz) != rates.end();
  };
  if (processing.sample_rate_hz != 0 && !takes(processing.sample_rate_hz)) {
    throw Error(ErrorCategory::kUsage,
                "output processing: sample_rate_hz " + std::to_string(processing.sample_rate_hz) +
                    " cannot be written as " + std::string(audio_format_name(format)) + "; use " +
                    audio_format_sample_rates_text(format) + " Hz, or 0 for " +
                    std::to_string(kRestrictedFormatRateHz) + " Hz");
  }
  if (processing.sample_rate_hz == 0 && !takes(input.sample_rate_hz)) {
    processing.sample_rate_hz = kRestrictedFormatRateHz;
  }
  return processing;
}

StreamFormat processed_format(StreamFormat input, const OutputProcessing& processing) {
  validate(input, processing);
  return StreamFormat{
      .sample_rate_hz =
          processing.sample_rate_hz != 0 ? processing.sample_rate_hz : input.sample_rate_hz,
      .channels = processing.channels != 0 ? processing.channels : input.channels,
  };
}

std::unique_ptr<AudioSink> process_output(std::unique_ptr<AudioSink> inner, StreamFormat input,
                                          const OutputProcessing& processing,
                                          const std::string& temp_folder, CancelToken cancel) {
  return make_processing_sink(std::move(inner), input, processing, SpoolPlace{temp_folder, ""},
                              std::move(cancel));
}

std::unique_ptr<AudioSink> open_output_file(const std::string& path, AudioFormat format,
                                            StreamFormat input, const OutputProcessing& processing,
                                            const EncoderOptions& encoder, CancelToken cancel) {
  const OutputProcessing resolved = with_format_defaults(processing, format, input);
  const StreamFormat output = processed_format(input, resolved);
  const std::string spool_folder = output_path_kind(path) == OutputPathKind::kStream
                                       ? std::string(kStreamSpoolFolder)
                                       : folder_of(path);
  return wrap(open_file_sink(path, format, output, encoder), input, resolved,
              SpoolPlace{spool_folder, path}, std::move(cancel));
}

std::unique_ptr<AudioSink> open_output_stream(int fd, AudioFormat format, StreamFormat input,
                                              const OutputProcessing& processing,
                                              const EncoderOptions& encoder, CancelToken cancel) {
  const OutputProcessing resolved = with_format_defaults(processing, format, input);
  const StreamFormat output = processed_format(input, resolved);
  return wrap(open_stream_sink(fd, format, output, encoder), input, resolved,
              SpoolPlace{std::string(kStreamSpoolFolder), "standard output"}, std::move(cancel));
}

}  // namespace narrator
