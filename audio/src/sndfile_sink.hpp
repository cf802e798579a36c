// sndfile_sink.hpp: an AudioSink that encodes through libsndfile into a file descriptor.
#pragma once

#include <sndfile.h>

#include <memory>
#include <optional>
#include <string>

#include "atomic_file.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/audio/audio_sink.hpp"
#include "narrator/audio/file_sinks.hpp"

namespace narrator::detail {

struct SndfileCloser {
  void operator()(SNDFILE* file) const noexcept { sf_close(file); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

// Encodes `format` into `fd`. When `file` is given the sink owns it: `fd` is its descriptor and
// finish() commits it; otherwise `fd` (a pipe, stdout) belongs to the caller and stays open.
// `name` is the path or "standard output", used in messages.
class SndfileSink final : public AudioSink {
 public:
  SndfileSink(int fd, std::string name, AudioFormat format, StreamFormat stream,
              const EncoderOptions& options, std::optional<AtomicFile> file);

  StreamFormat format() const noexcept override { return stream_; }
  void write(std::span<const std::int16_t> samples) override;
  void finish() override;

 private:
  void set_tags(const AudioTags& tags, AudioFormat format);
  [[noreturn]] void fail(const std::string& what) const;

  std::string name_;
  StreamFormat stream_;
  std::optional<AtomicFile> file_;  // declared before handle_: the encoder closes first
  SndfilePtr handle_;
};

}  // namespace narrator::detail
