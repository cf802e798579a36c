#include "audio_analysis.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdlib>
#include <memory>

namespace narrator::test {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* file) const noexcept { sf_close(file); }
};

}  // namespace

DecodedAudio decode_file(const std::string& path) {
  SF_INFO info{};
  const std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) {
    ADD_FAILURE() << "libsndfile cannot decode " << path << ": " << sf_strerror(nullptr);
    return {};
  }
  DecodedAudio audio{info.samplerate, info.channels, {}};
  std::vector<short> buffer(4096 * static_cast<std::size_t>(info.channels));
  sf_count_t frames = 0;
  while ((frames = sf_readf_short(file.get(), buffer.data(), 4096)) > 0) {
    audio.samples.insert(audio.samples.end(), buffer.begin(),
                         buffer.begin() + frames * info.channels);
  }
  return audio;
}

double rms(std::span<const std::int16_t> samples) {
  if (samples.empty()) return 0.0;
  double sum = 0.0;
  for (const std::int16_t sample : samples) sum += static_cast<double>(sample) * sample;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

std::vector<std::chrono::milliseconds> silent_runs(std::span<const std::int16_t> samples,
                                                   int sample_rate_hz,
                                                   std::chrono::milliseconds min_length,
                                                   int threshold) {
  std::vector<std::chrono::milliseconds> runs;
  std::size_t run = 0;
  const auto close_run = [&] {
    const auto length =
        std::chrono::milliseconds(static_cast<long long>(run) * 1000 / sample_rate_hz);
    if (length >= min_length) runs.push_back(length);
    run = 0;
  };
  for (const std::int16_t sample : samples) {
    if (std::abs(static_cast<int>(sample)) < threshold) {
      ++run;
    } else if (run > 0) {
      close_run();
    }
  }
  if (run > 0) close_run();
  return runs;
}

}  // namespace narrator::test
