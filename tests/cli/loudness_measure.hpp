// loudness_measure.hpp: EBU R128 integrated loudness and true peak of decoded audio, measured
// with libebur128 apart from the code under test.
#pragma once

#include <ebur128.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "audio_analysis.hpp"

namespace narrator::test {

struct Loudness {
  double lufs = 0;
  double true_peak_dbtp = 0;
};

inline Loudness measure(const DecodedAudio& audio) {
  struct Free {
    void operator()(ebur128_state* state) const { ebur128_destroy(&state); }
  };
  std::unique_ptr<ebur128_state, Free> state(ebur128_init(
      static_cast<unsigned>(audio.channels), static_cast<unsigned long>(audio.sample_rate_hz),
      EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
  EXPECT_TRUE(state);
  EXPECT_EQ(ebur128_add_frames_short(state.get(), audio.samples.data(), audio.frame_count()),
            EBUR128_SUCCESS);
  Loudness result;
  EXPECT_EQ(ebur128_loudness_global(state.get(), &result.lufs), EBUR128_SUCCESS);
  double peak = 0;
  for (int channel = 0; channel < audio.channels; ++channel) {
    double one = 0;
    ebur128_true_peak(state.get(), static_cast<unsigned>(channel), &one);
    peak = std::max(peak, one);
  }
  result.true_peak_dbtp = 20 * std::log10(peak);
  return result;
}

}  // namespace narrator::test
