// stream_sink.cpp: sinks for file descriptors (stdout, pipes), and the two open_* factories.
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <string>

#include "narrator/audio/file_sinks.hpp"
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
  PcmStreamSink(int fd, AudioFormat format, StreamFormat stream) : fd_(fd), stream_(stream) {
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
      if (written < 0) {
        throw Error(ErrorCategory::kOutput,
                    std::string("cannot write to ") + std::string(kStdoutName) + ": " +
                        std::strerror(errno) + "; the reading program may have stopped");
      }
      data += written;
      size -= static_cast<std::size_t>(written);
    }
  }

  int fd_;
  StreamFormat stream_;
};

}  // namespace

std::unique_ptr<AudioSink> open_file_sink(const std::string& path, AudioFormat format,
                                          StreamFormat stream, const EncoderOptions& options) {
  detail::AtomicFile file(path);
  const int fd = file.fd();
  return std::make_unique<detail::SndfileSink>(fd, path, format, stream, options, std::move(file));
}

std::unique_ptr<AudioSink> open_stream_sink(int fd, AudioFormat format, StreamFormat stream,
                                            const EncoderOptions& options) {
  if (format == AudioFormat::kWav || format == AudioFormat::kRaw) {
    return std::make_unique<PcmStreamSink>(fd, format, stream);
  }
  return std::make_unique<detail::SndfileSink>(fd, std::string(kStdoutName), format, stream,
                                               options, std::nullopt);
}

}  // namespace narrator
