// sndfile_sink.hpp: an AudioSink that encodes through libsndfile into a file descriptor.
#pragma once

#include <sndfile.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "atomic_file.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/audio/audio_sink.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/error.hpp"

namespace narrator::detail {

struct SndfileCloser {
  void operator()(SNDFILE* file) const noexcept { sf_close(file); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

// The descriptor libsndfile writes a file or device through (its virtual I/O), so that a failed
// write is seen: libsndfile's MP3, FLAC and Ogg writers drop write errors of their final flush.
struct CheckedFd {
  int fd = -1;
  int first_error = 0;    // the errno of the first failed write, or 0
  off_t base_offset = 0;  // where libsndfile's file begins in `fd` (after an ID3 tag)
};

// What to do about a failed write with this errno: free space for ENOSPC, the reader for EPIPE,
// the file-size limit for EFBIG.
std::string write_advice(int error_number);

// The error for a failed write to `name` (a path, or "standard output"), with advice that fits
// the errno: free space for ENOSPC, the reader for EPIPE.
Error write_failure(const std::string& name, int error_number);

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
  void write_pending_tag();  // writes pending_tag_, once, at the descriptor's position
  [[noreturn]] void fail(const std::string& what) const;
  void check_io() const;  // throws when a write through io_ failed

  std::string name_;
  AudioFormat format_;
  StreamFormat stream_;
  AudioTags tags_;                  // for WAV's ID3 chunk, added at finish()
  std::string pending_tag_;         // MP3's ID3 tag, until it is written
  std::optional<AtomicFile> file_;  // declared before handle_: the encoder closes first
  CheckedFd io_;                    // every write to a file or device goes through it
  SndfilePtr handle_;
};

}  // namespace narrator::detail
