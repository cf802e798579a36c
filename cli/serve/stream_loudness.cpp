// stream_loudness.cpp: per-voice gains for one-pass streamed loudness, calibrated on a passage.
#include "stream_loudness.hpp"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/audio/memory_sink.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/error.hpp"

namespace narrator::cli::serve {
namespace {

// Plain news prose: statements, a quotation, a number, a question, sentences of several lengths,
// so that the voice's level on it is its level on an ordinary article.
constexpr std::string_view kCalibrationPassage =
    "The city council voted on Tuesday to rebuild the old river bridge, closing it to cars for "
    "most of next year. Engineers found cracks in two of its supports during a spring "
    "inspection, and the repairs are expected to cost about forty million dollars.\n\n"
    "\"We cannot keep patching a bridge that carries twenty thousand people a day,\" the mayor "
    "told reporters after the meeting. Shop owners near the crossing worry that the detour will "
    "keep customers away. Will the work finish on time? The contractor says it will, if the "
    "winter is mild.\n";

// The stream_gain_db range OutputProcessing accepts.
constexpr double kMaxGainDb = 40.0;
// Rounds of refinement through the one-pass path, and when to stop early.
constexpr int kRefineRounds = 6;
constexpr double kCloseEnoughLu = 0.05;
// A limiter working hard passes on less of each dB: at least this much is assumed, so that one
// step never overshoots wildly.
constexpr double kMinSlope = 0.2;

struct Ebur128Destroyer {
  void operator()(ebur128_state* state) const noexcept { ebur128_destroy(&state); }
};

// EBU R128 integrated loudness of interleaved samples; -infinity for silence.
double integrated_lufs(std::span<const std::int16_t> samples, StreamFormat format) {
  const std::unique_ptr<ebur128_state, Ebur128Destroyer> state(
      ebur128_init(static_cast<unsigned>(format.channels),
                   static_cast<unsigned long>(format.sample_rate_hz), EBUR128_MODE_I));
  if (!state) {
    throw Error(ErrorCategory::kInternal,
                "stream loudness: cannot set up loudness measurement (libebur128) for " +
                    std::to_string(format.channels) + " channels at " +
                    std::to_string(format.sample_rate_hz) + " Hz");
  }
  const std::size_t frame_count = samples.size() / static_cast<std::size_t>(format.channels);
  double lufs = 0.0;
  if (ebur128_add_frames_short(state.get(), samples.data(), frame_count) != EBUR128_SUCCESS ||
      ebur128_loudness_global(state.get(), &lufs) != EBUR128_SUCCESS) {
    throw Error(ErrorCategory::kInternal, "stream loudness: libebur128 failed to measure");
  }
  return lufs;
}

// The samples through the one-pass path with `processing` (all in memory).
std::vector<std::int16_t> one_pass(std::span<const std::int16_t> samples, StreamFormat format,
                                   const OutputProcessing& processing) {
  auto memory = std::make_unique<MemorySink>(processed_format(format, processing));
  const MemorySink& out = *memory;
  // The one-pass mode makes no spool: the folder is never used.
  const std::unique_ptr<AudioSink> sink = process_output(std::move(memory), format, processing, "");
  sink->write(samples);
  sink->finish();
  return out.samples();
}

}  // namespace

std::string_view calibration_passage() noexcept { return kCalibrationPassage; }

VoiceCalibration calibrate_voice(const Engine& engine, double target_lufs, double ceiling_dbtp,
                                 CancelToken cancel) {
  // Checks the target and the ceiling before any synthesis.
  const OutputProcessing check{.loudness_lufs = target_lufs,
                               .true_peak_ceiling_dbtp = ceiling_dbtp};
  processed_format(engine.format(), check);

  CollectingDiagnostics diagnostics;
  const Article article =
      read_article(std::string(kCalibrationPassage), "calibration passage", {}, diagnostics);
  MemorySink voice(engine.format());
  engine.narrate_to(article, voice, cancel);

  VoiceCalibration calibration;
  calibration.measured_lufs = integrated_lufs(voice.samples(), engine.format());
  if (!std::isfinite(calibration.measured_lufs)) {  // silence: nothing to bring up
    calibration.result_lufs = calibration.measured_lufs;
    return calibration;
  }
  // The limiter takes some loudness off the peaks, the more the higher the gain: measure what
  // the one-pass path leaves, and make it up, each step scaled by how much of the last step
  // came through (a secant step: a few rounds reach the target within 0.05 LU).
  double gain_db = std::clamp(target_lufs - calibration.measured_lufs, -kMaxGainDb, kMaxGainDb);
  std::optional<std::pair<double, double>> previous;  // (gain, result) of the last round
  for (int round = 0; round < kRefineRounds; ++round) {
    const OutputProcessing processing{.stream_gain_db = gain_db,
                                      .true_peak_ceiling_dbtp = ceiling_dbtp};
    calibration.gain_db = gain_db;
    calibration.result_lufs =
        integrated_lufs(one_pass(voice.samples(), engine.format(), processing), engine.format());
    const double missing = target_lufs - calibration.result_lufs;
    if (std::abs(missing) < kCloseEnoughLu) break;
    double slope = 1.0;  // LU of result per dB of gain: 1 where the limiter does nothing
    if (previous && gain_db != previous->first) {
      slope = (calibration.result_lufs - previous->second) / (gain_db - previous->first);
      slope = std::clamp(slope, kMinSlope, 1.0);
    }
    previous = std::pair(gain_db, calibration.result_lufs);
    gain_db = std::clamp(gain_db + missing / slope, -kMaxGainDb, kMaxGainDb);
  }
  return calibration;
}

StreamLoudness::StreamLoudness(double target_lufs, double ceiling_dbtp)
    : target_lufs_(target_lufs), ceiling_dbtp_(ceiling_dbtp) {}

StreamLoudness::VoiceKey StreamLoudness::key_of(const VoiceOptions& voice) {
  return {voice.name, voice.rate_wpm, voice.pitch, voice.volume};
}

VoiceCalibration StreamLoudness::calibrate(const Engine& engine, const VoiceOptions& voice,
                                           CancelToken cancel) {
  if (const std::optional<VoiceCalibration> known = cached(voice)) return *known;
  // Calibrated outside the lock: a Flite voice takes half a second, and other voices' requests
  // must not wait for it.
  const VoiceCalibration made =
      calibrate_voice(engine, target_lufs_, ceiling_dbtp_, std::move(cancel));
  const std::lock_guard lock(mutex_);
  return calibrations_.try_emplace(key_of(voice), made).first->second;
}

std::optional<VoiceCalibration> StreamLoudness::cached(const VoiceOptions& voice) const {
  const std::lock_guard lock(mutex_);
  const auto found = calibrations_.find(key_of(voice));
  if (found == calibrations_.end()) return std::nullopt;
  return found->second;
}

void StreamLoudness::remember(const VoiceOptions& voice, const VoiceCalibration& calibration) {
  const std::lock_guard lock(mutex_);
  calibrations_.try_emplace(key_of(voice), calibration);
}

OutputProcessing StreamLoudness::processing(const Engine& engine, const VoiceOptions& voice,
                                            OutputProcessing base, CancelToken cancel) {
  base.loudness_lufs = std::nullopt;
  base.keep_level = false;
  base.stream_gain_db = calibrate(engine, voice, std::move(cancel)).gain_db;
  base.true_peak_ceiling_dbtp = ceiling_dbtp_;
  return base;
}

}  // namespace narrator::cli::serve
