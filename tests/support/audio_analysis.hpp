// audio_analysis.hpp: decode audio back with libsndfile and measure it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace narrator::test {

struct DecodedAudio {
  int sample_rate_hz = 0;
  int channels = 0;
  std::vector<std::int16_t> samples;  // interleaved
  std::size_t frame_count() const { return channels > 0 ? samples.size() / channels : 0; }
  double duration_s() const {
    return sample_rate_hz > 0 ? static_cast<double>(frame_count()) / sample_rate_hz : 0.0;
  }
};

// Decodes any format libsndfile reads; fails the current test (ADD_FAILURE) and returns an empty
// result when it cannot.
DecodedAudio decode_file(const std::string& path);

// Root mean square of the samples, in 16-bit units.
double rms(std::span<const std::int16_t> samples);

// The RMS (16-bit units) that speech is far above and a silent or near-silent result is below.
inline constexpr double kSilenceFloorRms = 300.0;

// Lengths of every run of near-silence (|sample| < threshold) at least `min_length` long.
std::vector<std::chrono::milliseconds> silent_runs(std::span<const std::int16_t> samples,
                                                   int sample_rate_hz,
                                                   std::chrono::milliseconds min_length,
                                                   int threshold = 64);

}  // namespace narrator::test
