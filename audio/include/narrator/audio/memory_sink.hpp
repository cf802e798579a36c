// memory_sink.hpp: an AudioSink that keeps every sample in memory (tests, embedding).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "narrator/audio/audio_sink.hpp"

namespace narrator {

class MemorySink final : public AudioSink {
 public:
  explicit MemorySink(StreamFormat format) : format_(format) {}

  StreamFormat format() const noexcept override { return format_; }
  void write(std::span<const std::int16_t> samples) override {
    samples_.insert(samples_.end(), samples.begin(), samples.end());
  }
  void finish() override { finished_ = true; }

  const std::vector<std::int16_t>& samples() const noexcept { return samples_; }
  bool finished() const noexcept { return finished_; }

 private:
  StreamFormat format_;
  std::vector<std::int16_t> samples_;
  bool finished_ = false;
};

}  // namespace narrator
