// resampler.cpp: libsoxr behind narrator::Resampler.
#include "narrator/audio/resampler.hpp"

#include <soxr.h>

#include <string>
#include <utility>

#include "narrator/error.hpp"

namespace narrator {
namespace {

constexpr int kMinRateHz = 1000;
constexpr int kMaxRateHz = 384000;
constexpr int kMaxChannels = 8;
// Output room per call beyond the exact rate ratio, in frames: soxr releases its delay in steps.
constexpr std::size_t kSpareFrames = 1024;

void check_rate(const char* field, int rate_hz) {
  if (rate_hz < kMinRateHz || rate_hz > kMaxRateHz) {
    throw Error(ErrorCategory::kUsage,
                std::string(field) + " " + std::to_string(rate_hz) + " Hz is out of range; use " +
                    std::to_string(kMinRateHz) + " to " + std::to_string(kMaxRateHz) + " Hz");
  }
}

}  // namespace

struct Resampler::Soxr {
  soxr_t handle = nullptr;
  ~Soxr() { soxr_delete(handle); }
};

Resampler::Resampler(int input_rate_hz, int output_rate_hz, int channels)
    : input_rate_hz_(input_rate_hz), output_rate_hz_(output_rate_hz), channels_(channels) {
  check_rate("input rate", input_rate_hz);
  check_rate("output rate", output_rate_hz);
  if (channels < 1 || channels > kMaxChannels) {
    throw Error(ErrorCategory::kUsage, "channel count " + std::to_string(channels) +
                                           " is out of range; use 1 to " +
                                           std::to_string(kMaxChannels));
  }
  soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
  io.flags |= SOXR_NO_DITHER;  // the same input gives the same output, and silence stays silent
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  soxr_error_t error = nullptr;
  soxr_ = std::make_unique<Soxr>();
  soxr_->handle = soxr_create(input_rate_hz, output_rate_hz, static_cast<unsigned>(channels),
                              &error, &io, &quality, nullptr);
  if (error != nullptr || soxr_->handle == nullptr) {
    throw Error(ErrorCategory::kInternal,
                std::string("cannot set up resampling: ") + (error ? error : "libsoxr failed"));
  }
}

Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;
Resampler::~Resampler() = default;

std::vector<std::int16_t> Resampler::process(std::span<const std::int16_t> samples) {
  return run(samples, false);
}

std::vector<std::int16_t> Resampler::flush() {
  std::vector<std::int16_t> tail = run({}, true);
  reset();
  return tail;
}

void Resampler::reset() {
  if (const soxr_error_t error = soxr_clear(soxr_->handle)) {
    throw Error(ErrorCategory::kInternal, std::string("cannot reset resampling: ") + error);
  }
}

std::vector<std::int16_t> Resampler::run(std::span<const std::int16_t> samples, bool end_of_input) {
  const auto channels = static_cast<std::size_t>(channels_);
  const std::size_t input_frames = samples.size() / channels;
  const std::size_t room_frames = input_frames * static_cast<std::size_t>(output_rate_hz_) /
                                      static_cast<std::size_t>(input_rate_hz_) +
                                  kSpareFrames;
  std::vector<std::int16_t> out;
  // One soxr_process call: a null input tells soxr that the stream has ended (drain its delay).
  const auto step = [&](const std::int16_t* in, std::size_t in_frames) {
    const std::size_t at = out.size();
    out.resize(at + room_frames * channels);
    std::size_t used = 0;
    std::size_t made = 0;
    if (const soxr_error_t error = soxr_process(soxr_->handle, in, in_frames, &used,
                                                out.data() + at, room_frames, &made)) {
      throw Error(ErrorCategory::kInternal, std::string("resampling failed: ") + error);
    }
    out.resize(at + made * channels);
    return std::pair{used, made};
  };
  for (std::size_t consumed = 0; consumed < input_frames;) {
    const auto [used, made] = step(samples.data() + consumed * channels, input_frames - consumed);
    if (used == 0 && made == 0) throw Error(ErrorCategory::kInternal, "resampling stalled");
    consumed += used;
  }
  if (end_of_input) {
    while (step(nullptr, 0).second > 0) {
    }
  }
  return out;
}

}  // namespace narrator
