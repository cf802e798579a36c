// audio_sink.hpp: where synthesized audio goes.
//
// A sink is opened with a StreamFormat, receives samples in order through write(), and is completed
// by finish(). A sink that is destroyed without finish() discards what it received where it can: a
// file sink removes its temporary file and leaves any older file at the target path untouched.
#pragma once

#include <cstdint>
#include <span>

#include "narrator/audio/audio_chunk.hpp"

namespace narrator {

class AudioSink {
 public:
  virtual ~AudioSink() = default;

  // The format every write() must match.
  virtual StreamFormat format() const noexcept = 0;

  // Appends interleaved samples (a whole number of frames). Throws Error(kOutput) when the data
  // cannot be written (disk full, closed pipe); the sink is unusable afterwards.
  virtual void write(std::span<const std::int16_t> samples) = 0;

  // Flushes and completes the output (for files: closes, then renames the temporary file into
  // place). Throws Error(kOutput) on failure. Call once; write() after finish() is an error.
  virtual void finish() = 0;
};

}  // namespace narrator
