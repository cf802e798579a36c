// Stream sinks: WAV with a streaming header, raw samples, FLAC and Opus through a real pipe.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <span>
#include <thread>

#include "audio_analysis.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/audio/output_processing.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

constexpr StreamFormat kVoiceFormat{22050, 1};

std::vector<std::int16_t> ramp(std::size_t count) {
  std::vector<std::int16_t> samples(count);
  for (std::size_t i = 0; i < count; ++i) samples[i] = static_cast<std::int16_t>(i * 37 - 20000);
  return samples;
}

// Everything written to a pipe by `produce`, collected by a reader thread.
template <typename Produce>
std::string through_pipe(Produce produce) {
  int fds[2];
  EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
  std::string bytes;
  std::thread reader([&] {
    char buffer[4096];
    ssize_t got = 0;
    while ((got = read(fds[0], buffer, sizeof buffer)) > 0) bytes.append(buffer, got);
  });
  produce(fds[1]);
  close(fds[1]);
  reader.join();
  close(fds[0]);
  return bytes;
}

std::uint32_t le32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

TEST(StreamSink, WavHasAStreamingHeaderThenTheSamples) {
  const std::vector<std::int16_t> samples = ramp(5000);
  const std::string bytes = through_pipe([&](int fd) {
    const std::unique_ptr<AudioSink> sink = open_stream_sink(fd, AudioFormat::kWav, kVoiceFormat);
    sink->write(samples);
    sink->finish();
  });
  ASSERT_EQ(bytes.size(), 44 + samples.size() * 2);
  EXPECT_EQ(bytes.substr(0, 4), "RIFF");
  EXPECT_EQ(bytes.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(le32(bytes, 16), 16u);
  EXPECT_EQ(le32(bytes, 20) & 0xFFFF, 1u);  // PCM
  EXPECT_EQ(le32(bytes, 20) >> 16, 1u);     // channels
  EXPECT_EQ(le32(bytes, 24), 22050u);       // sample rate
  EXPECT_EQ(le32(bytes, 28), 44100u);       // byte rate
  EXPECT_EQ(le32(bytes, 32) >> 16, 16u);    // bits per sample
  EXPECT_EQ(bytes.substr(36, 4), "data");
  EXPECT_EQ(std::memcmp(bytes.data() + 44, samples.data(), samples.size() * 2), 0);
}

TEST(StreamSink, RawIsBareLittleEndianSamples) {
  const std::vector<std::int16_t> samples = ramp(3000);
  const std::string bytes = through_pipe([&](int fd) {
    const std::unique_ptr<AudioSink> sink = open_stream_sink(fd, AudioFormat::kRaw, kVoiceFormat);
    sink->write(samples);
    sink->finish();
  });
  ASSERT_EQ(bytes.size(), samples.size() * 2);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), static_cast<std::uint16_t>(samples[0]) & 0xFF);
  EXPECT_EQ(std::memcmp(bytes.data(), samples.data(), bytes.size()), 0);
}

TEST(StreamSink, FlacThroughAPipeDecodes) {
  const std::vector<std::int16_t> samples = ramp(20000);
  const std::string bytes = through_pipe([&](int fd) {
    const std::unique_ptr<AudioSink> sink = open_stream_sink(fd, AudioFormat::kFlac, kVoiceFormat);
    sink->write(samples);
    sink->finish();
  });
  const test::TempDir dir;
  test::write_file(dir.file("piped.flac"), bytes);
  const test::DecodedAudio audio = test::decode_file(dir.file("piped.flac"));
  EXPECT_EQ(audio.sample_rate_hz, 22050);
  EXPECT_EQ(audio.samples, samples);
}

// The path narrate serve takes: open_output_stream() into a pipe, the voice's 22050 Hz resampled
// to a rate Opus takes.
TEST(StreamSink, OpusThroughAPipeDecodesAt48000) {
  std::vector<std::int16_t> tone(kVoiceFormat.sample_rate_hz);  // one second
  for (std::size_t i = 0; i < tone.size(); ++i) {
    tone[i] = static_cast<std::int16_t>(
        8000.0 * std::sin(2.0 * std::numbers::pi * 440.0 * i / kVoiceFormat.sample_rate_hz));
  }
  const std::string bytes = through_pipe([&](int fd) {
    const std::unique_ptr<AudioSink> sink =
        open_output_stream(fd, AudioFormat::kOpus, kVoiceFormat);
    EXPECT_EQ(sink->format(), kVoiceFormat);
    sink->write(std::span(tone).first(7000));
    sink->write(std::span(tone).subspan(7000));
    sink->finish();
  });
  ASSERT_GE(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 4), "OggS");
  const test::TempDir dir;
  test::write_file(dir.file("piped.opus"), bytes);
  const test::DecodedAudio audio = test::decode_file(dir.file("piped.opus"));
  EXPECT_EQ(audio.sample_rate_hz, 48000);
  EXPECT_EQ(audio.channels, 1);
  EXPECT_NEAR(audio.duration_s(), 1.0, 0.05);
  EXPECT_GT(test::rms(audio.samples), 3000.0);
}

TEST(StreamSink, ClosedPipeIsAnOutputError) {
  signal(SIGPIPE, SIG_IGN);
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  close(fds[0]);
  const std::unique_ptr<AudioSink> sink = open_stream_sink(fds[1], AudioFormat::kRaw, kVoiceFormat);
  try {
    sink->write(ramp(100));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kOutput);
    EXPECT_NE(std::string(error.what()).find("Broken pipe"), std::string::npos) << error.what();
  }
  close(fds[1]);
}

TEST(StreamSink, FullDeviceIsAnOutputError) {
  // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
  const int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "/dev/full is not available here";
  const std::unique_ptr<AudioSink> sink = open_stream_sink(fd, AudioFormat::kRaw, kVoiceFormat);
  try {
    sink->write(ramp(1000));
    ADD_FAILURE() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kOutput);
    EXPECT_NE(std::string(error.what()).find("No space left"), std::string::npos) << error.what();
  }
  close(fd);
}

}  // namespace
}  // namespace narrator
