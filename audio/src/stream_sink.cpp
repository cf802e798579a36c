// stream_sink.cpp: sinks for file descriptors (stdout, pipes), and the two open_* factories.
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <string>

#include "narrator/audio/file_sinks.hpp"
#include "narrator/audio/pending_file.hpp"
#include "narrator/error.hpp"
#include "sndfile_sink.hpp"

namespace narrator {
namespace {

constexpr std::size_t kWavHeaderBytes = 44;
// Sizes in a streaming WAV header, where the real length is unknown: the values espeak-ng --stdout
// uses, which players read as "until end of stream".
constexpr std::uint32_t kStreamingDataBytes = 0x7FFFF000;
constexpr std::uint16_t kPcmFormatTag = 1;
constexpr std::uint16_t kBitsPerSample = 16;
constexpr std::string_view kStdoutName = "standard output";

// A streaming sink for `fd`, which stays open: WAV with a streaming header or raw samples written
// directly, the other formats through libsndfile.
std::unique_ptr<AudioSink> open_fd_sink(int fd, const std::string& name, AudioFormat format,
                                        StreamFormat stream, const EncoderOptions& options);

void put_le(std::array<char, kWavHeaderBytes>& out, std::size_t at, std::uint32_t value,
            std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i)
    out[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::array<char, kWavHeaderBytes> streaming_wav_header(StreamFormat stream) {
  std::array<char, kWavHeaderBytes> header{};
  const auto channels = static_cast<std::uint32_t>(stream.channels);
  const auto rate = static_cast<std::uint32_t>(stream.sample_rate_hz);
  const std::uint32_t block_align = channels * kBitsPerSample / 8;
  std::memcpy(header.data(), "RIFF", 4);
  put_le(header, 4, kStreamingDataBytes + 36, 4);
  std::memcpy(header.data() + 8, "WAVEfmt ", 8);
  put_le(header, 16, 16, 4);  // fmt chunk size
  put_le(header, 20, kPcmFormatTag, 2);
  put_le(header, 22, channels, 2);
  put_le(header, 24, rate, 4);
  put_le(header, 28, rate * block_align, 4);  // byte rate
  put_le(header, 32, block_align, 2);
  put_le(header, 34, kBitsPerSample, 2);
  std::memcpy(header.data() + 36, "data", 4);
  put_le(header, 40, kStreamingDataBytes, 4);
  return header;
}

// WAV (with a streaming header) or bare s16le samples, written straight to a descriptor.
class PcmStreamSink final : public AudioSink {
 public:
  PcmStreamSink(int fd, std::string name, AudioFormat format, StreamFormat stream)
      : fd_(fd), name_(std::move(name)), stream_(stream) {
    static_assert(std::endian::native == std::endian::little, "samples are written as s16le");
    if (format == AudioFormat::kWav) {
      const std::array<char, kWavHeaderBytes> header = streaming_wav_header(stream);
      write_bytes(header.data(), header.size());
    }
  }

  StreamFormat format() const noexcept override { return stream_; }

  void write(std::span<const std::int16_t> samples) override {
    write_bytes(reinterpret_cast<const char*>(samples.data()), samples.size_bytes());
  }

  void finish() override {}

 private:
  void write_bytes(const char* data, std::size_t size) {
    while (size > 0) {
      const ssize_t written = ::write(fd_, data, size);
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) throw detail::write_failure(name_, errno);
      data += written;
      size -= static_cast<std::size_t>(written);
    }
  }

  int fd_;
  std::string name_;
  StreamFormat stream_;
};

// An output path that names a device or a pipe (/dev/null, /dev/full, a FIFO) rather than a
// regular file: there is nothing to replace atomically and renaming onto it would replace the
// device itself, so the sink streams into it as into stdout. Owns the descriptor.
class DeviceFileSink final : public AudioSink {
 public:
  DeviceFileSink(const std::string& path, AudioFormat format, StreamFormat stream,
                 const EncoderOptions& options)
      : fd_(::open(path.c_str(), O_WRONLY | O_CLOEXEC)) {
    if (fd_ < 0) {
      throw Error(ErrorCategory::kOutput, path + ": cannot open for writing: " +
                                              std::strerror(errno) + "; choose another -o path");
    }
    try {
      inner_ = open_fd_sink(fd_, path, format, stream, options);
    } catch (...) {
      ::close(fd_);
      throw;
    }
  }
  DeviceFileSink(const DeviceFileSink&) = delete;
  DeviceFileSink& operator=(const DeviceFileSink&) = delete;
  ~DeviceFileSink() override {
    inner_.reset();
    ::close(fd_);
  }

  StreamFormat format() const noexcept override { return inner_->format(); }
  void write(std::span<const std::int16_t> samples) override { inner_->write(samples); }
  void finish() override { inner_->finish(); }

 private:
  int fd_;
  std::unique_ptr<AudioSink> inner_;
};

std::unique_ptr<AudioSink> open_fd_sink(int fd, const std::string& name, AudioFormat format,
                                        StreamFormat stream, const EncoderOptions& options) {
  if (format == AudioFormat::kWav || format == AudioFormat::kRaw) {
    return std::make_unique<PcmStreamSink>(fd, name, format, stream);
  }
  return std::make_unique<detail::SndfileSink>(fd, name, format, stream, options, std::nullopt);
}

}  // namespace

std::unique_ptr<AudioSink> open_file_sink(const std::string& path, AudioFormat format,
                                          StreamFormat stream, const EncoderOptions& options) {
  if (output_path_kind(path) == OutputPathKind::kStream) {
    return std::make_unique<DeviceFileSink>(path, format, stream, options);
  }
  detail::AtomicFile file(path);
  const int fd = file.fd();
  return std::make_unique<detail::SndfileSink>(fd, path, format, stream, options, std::move(file));
}

std::unique_ptr<AudioSink> open_stream_sink(int fd, AudioFormat format, StreamFormat stream,
                                            const EncoderOptions& options) {
  return open_fd_sink(fd, std::string(kStdoutName), format, stream, options);
}

}  // namespace narrator
