// Resampling keeps the duration, the pitch and the level of the audio.
#include "narrator/audio/resampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "narrator/error.hpp"

namespace narrator {
namespace {

std::vector<std::int16_t> sine(double frequency_hz, int rate_hz, std::size_t frames) {
  std::vector<std::int16_t> samples(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    samples[i] =
        static_cast<std::int16_t>(10000.0 * std::sin(2.0 * std::numbers::pi * frequency_hz *
                                                     static_cast<double>(i) / rate_hz));
  }
  return samples;
}

// Zero crossings per second: twice the frequency of a pure tone.
double crossings_per_second(const std::vector<std::int16_t>& samples, int rate_hz) {
  std::size_t crossings = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    if ((samples[i - 1] < 0) != (samples[i] < 0)) ++crossings;
  }
  return static_cast<double>(crossings) * rate_hz / static_cast<double>(samples.size());
}

double rms(const std::vector<std::int16_t>& samples, std::size_t skip) {
  double sum = 0;
  for (std::size_t i = skip; i + skip < samples.size(); ++i) sum += double(samples[i]) * samples[i];
  return std::sqrt(sum / static_cast<double>(samples.size() - 2 * skip));
}

TEST(Resampler, ChunkedStreamKeepsDurationPitchAndLevel) {
  constexpr int kIn = 22050;
  constexpr int kOut = 48000;
  const std::vector<std::int16_t> input = sine(440.0, kIn, kIn * 2);  // 2 s
  Resampler resampler(kIn, kOut, 1);
  std::vector<std::int16_t> output;
  for (std::size_t at = 0; at < input.size(); at += 1000) {  // uneven pieces, as sentences come
    const std::size_t n = std::min<std::size_t>(1000, input.size() - at);
    const std::vector<std::int16_t> part = resampler.process(std::span(input).subspan(at, n));
    output.insert(output.end(), part.begin(), part.end());
  }
  const std::vector<std::int16_t> tail = resampler.flush();
  output.insert(output.end(), tail.begin(), tail.end());

  EXPECT_NEAR(static_cast<double>(output.size()), kOut * 2.0, 2.0);
  EXPECT_NEAR(crossings_per_second(output, kOut), 880.0, 2.0);
  EXPECT_NEAR(rms(output, kOut / 10), rms(input, kIn / 10), rms(input, kIn / 10) * 0.02);
}

TEST(Resampler, ResetStartsAFreshStream) {
  Resampler resampler(22050, 44100, 1);
  resampler.process(sine(300.0, 22050, 5000));
  resampler.reset();
  const std::vector<std::int16_t> silence(4410, 0);
  std::vector<std::int16_t> out = resampler.process(silence);
  const std::vector<std::int16_t> tail = resampler.flush();
  out.insert(out.end(), tail.begin(), tail.end());
  EXPECT_NEAR(static_cast<double>(out.size()), 8820.0, 2.0);
  for (const std::int16_t sample : out) ASSERT_EQ(sample, 0) << "audio from before reset() leaked";
}

TEST(Resampler, RejectsRatesOutOfRange) {
  EXPECT_THROW(Resampler(0, 48000, 1), Error);
  EXPECT_THROW(Resampler(22050, 10000000, 1), Error);
  EXPECT_THROW(Resampler(22050, 48000, 0), Error);
}

}  // namespace
}  // namespace narrator
