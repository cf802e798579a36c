// resampler.hpp: streaming sample-rate conversion of signed 16-bit audio (libsoxr, high quality).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace narrator {

class Resampler {
 public:
  // Converts `channels` interleaved channels from input_rate_hz to output_rate_hz. Throws
  // Error(kUsage) for a rate or channel count out of range, Error(kInternal) with libsoxr's text
  // when it cannot be set up.
  Resampler(int input_rate_hz, int output_rate_hz, int channels);
  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;
  ~Resampler();

  // Feeds whole frames of input; returns the output frames ready so far (the converter holds back
  // a few milliseconds of delay until flush()).
  std::vector<std::int16_t> process(std::span<const std::int16_t> samples);
  // Ends the stream: returns the held-back tail. The resampler is ready for a new stream after.
  std::vector<std::int16_t> flush();
  // Drops the held-back samples (after a jump in the input) and starts a new stream.
  void reset();

  int input_rate_hz() const noexcept { return input_rate_hz_; }
  int output_rate_hz() const noexcept { return output_rate_hz_; }

 private:
  struct Soxr;
  std::vector<std::int16_t> run(std::span<const std::int16_t> samples, bool end_of_input);

  int input_rate_hz_;
  int output_rate_hz_;
  int channels_;
  std::unique_ptr<Soxr> soxr_;
};

}  // namespace narrator
