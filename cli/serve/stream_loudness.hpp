// stream_loudness.hpp: loudness for audio `narrate serve` streams as it is made.
//
// Two-pass normalization (measure everything, then apply one gain) cannot stream. A streamed
// output gets the one-pass mode of OutputProcessing instead (stream_gain_db): a fixed gain and a
// true-peak limiter. The gain comes from the voice: at start-up (or on a voice's first request)
// the voice reads a fixed calibration passage of news prose, its integrated loudness is measured
// (EBU R128, libebur128), and the gain is the target minus that measurement, refined by running
// the passage through the one-pass path itself, so that what the limiter takes off the peaks is
// made up. A voice speaks articles at much the same loudness as it speaks the passage, so an
// article streamed with that gain lands near the target (within 1 LU on the test articles).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "narrator/audio/output_processing.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/engine.hpp"
#include "narrator/options.hpp"

namespace narrator::cli::serve {

// What streamed MP3 is normalized to: the level `narrate` gives MP3 files.
inline constexpr double kStreamTargetLufs = -16.0;
inline constexpr double kStreamCeilingDbtp = -1.0;

// The passage every voice is calibrated on: a few sentences of English news prose.
std::string_view calibration_passage() noexcept;

struct VoiceCalibration {
  // The voice's own integrated loudness on the passage, in LUFS; -infinity for a voice that
  // is silent (volume 0), which then gets no gain.
  double measured_lufs = 0.0;
  // The one-pass gain in dB (OutputProcessing::stream_gain_db) for this voice, -40 to 40.
  double gain_db = 0.0;
  // The passage's integrated loudness through the one-pass path with that gain, in LUFS.
  double result_lufs = 0.0;
};

// Synthesizes the passage with `engine`'s voice into memory, measures it, and finds the gain that
// brings it to `target_lufs` through the one-pass path with the limiter at `ceiling_dbtp`. Takes
// about a twentieth of a second with an eSpeak NG voice, half a second with a Flite voice.
// Throws what Engine::narrate_to() throws (Error(kCancelled) when `cancel` fires), Error(kUsage)
// for a target or ceiling out of OutputProcessing's ranges, Error(kInternal) when libebur128
// cannot be set up.
VoiceCalibration calibrate_voice(const Engine& engine, double target_lufs = kStreamTargetLufs,
                                 double ceiling_dbtp = kStreamCeilingDbtp, CancelToken cancel = {});

// The per-voice gains of one server process, calibrated once per voice and kept. Thread-safe:
// two requests for a voice not yet calibrated may both calibrate it, and the first result is
// kept (they are equal: synthesis is deterministic).
class StreamLoudness {
 public:
  explicit StreamLoudness(double target_lufs = kStreamTargetLufs,
                          double ceiling_dbtp = kStreamCeilingDbtp);

  // The calibration for `voice`, which must be the voice `engine` speaks (its name, rate, pitch
  // and volume key the cache): cached, or made now with calibrate_voice(). Throws what
  // calibrate_voice() throws; nothing is cached then.
  VoiceCalibration calibrate(const Engine& engine, const VoiceOptions& voice,
                             CancelToken cancel = {});

  // The calibration for `voice` if it was made, else nullopt.
  std::optional<VoiceCalibration> cached(const VoiceOptions& voice) const;

  // Keeps `calibration`, made elsewhere with calibrate_voice() on this target and ceiling (a
  // worker calibrates in a process of its own: see worker.cpp), as `voice`'s, unless it has one.
  void remember(const VoiceOptions& voice, const VoiceCalibration& calibration);

  // The processing for a streamed output in `voice`: `base` (its rate and channels) with the
  // voice's stream_gain_db and this target's ceiling, and no two-pass loudness. Calibrates the
  // voice first if needed (see calibrate()).
  OutputProcessing processing(const Engine& engine, const VoiceOptions& voice,
                              OutputProcessing base = {}, CancelToken cancel = {});

  double target_lufs() const noexcept { return target_lufs_; }
  double ceiling_dbtp() const noexcept { return ceiling_dbtp_; }

 private:
  using VoiceKey = std::tuple<std::string, int, int, int>;  // name, rate, pitch, volume
  static VoiceKey key_of(const VoiceOptions& voice);

  double target_lufs_;
  double ceiling_dbtp_;
  mutable std::mutex mutex_;
  std::map<VoiceKey, VoiceCalibration> calibrations_;  // guarded by mutex_
};

}  // namespace narrator::cli::serve
