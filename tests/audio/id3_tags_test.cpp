// ID3v2 tags for MP3 and WAV: the date as an ID3v2.4 timestamp, and where the tag lands in a file.
#include "id3_tags.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "audio_analysis.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

struct TimestampCase {
  std::string date;
  std::string timestamp;
};

class Id3Timestamp : public ::testing::TestWithParam<TimestampCase> {};

TEST_P(Id3Timestamp, KeepsTheExactIsoPrefixElseTheYear) {
  EXPECT_EQ(detail::id3_timestamp(GetParam().date), GetParam().timestamp) << GetParam().date;
}

INSTANTIATE_TEST_SUITE_P(
    Dates, Id3Timestamp,
    ::testing::Values(TimestampCase{"2024-03-05T09:00:00Z", "2024-03-05T09:00:00"},
                      TimestampCase{"2024-03-05T09:00:00+00:00", "2024-03-05T09:00:00"},
                      TimestampCase{"2024-03-05T09:00:00.250Z", "2024-03-05T09:00:00"},
                      TimestampCase{"2024-03-05T09:00", "2024-03-05T09:00"},
                      // Another zone: the date alone, rather than a wrong UTC time.
                      TimestampCase{"2024-03-05T09:00:00+02:00", "2024-03-05"},
                      TimestampCase{"2024-03-05", "2024-03-05"},
                      TimestampCase{"2024-03", "2024-03"}, TimestampCase{"2024", "2024"},
                      TimestampCase{"2024-03-05 and more", "2024-03-05"},
                      TimestampCase{"April 14, 2025", "2025"}, TimestampCase{"14.04.2025", "2025"},
                      TimestampCase{"20240305", ""}, TimestampCase{"yesterday", ""},
                      TimestampCase{"", ""}));

TEST(Id3Tag, RendersVersion4WithUtf8FramesAndNothingWhenEmpty) {
  EXPECT_EQ(detail::render_id3v2_tag({}), "");
  AudioTags tags;
  tags.title = "Кава";
  const std::string tag = detail::render_id3v2_tag(tags);
  ASSERT_GT(tag.size(), 10u);
  EXPECT_EQ(tag.substr(0, 4), std::string("ID3\x04", 4));
  const std::size_t frame = tag.find("TIT2");
  ASSERT_NE(frame, std::string::npos);
  EXPECT_EQ(tag[frame + 10], '\x03') << "the encoding byte: UTF-8";
  EXPECT_EQ(tag.substr(frame + 11, 8), "Кава");
}

const AudioTags kTags{"Café", "Ціханоўская", "", "", ""};

std::vector<std::int16_t> tone(int sample_rate_hz, double seconds) {
  std::vector<std::int16_t> samples(static_cast<std::size_t>(seconds * sample_rate_hz));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] =
        static_cast<std::int16_t>(8000.0 * std::sin(2.0 * std::numbers::pi * 440.0 *
                                                    static_cast<double>(i) / sample_rate_hz));
  }
  return samples;
}

// The tag sits before the MPEG stream, whose LAME header libsndfile rewrites at the end: the
// file still decodes to its full length.
TEST(Id3Tag, Mp3FileStartsWithTheTagAndDecodesWhole) {
  constexpr StreamFormat kFormat{22050, 1};
  const test::TempDir dir;
  for (const bool tagged : {true, false}) {
    const std::string path = dir.file(tagged ? "tagged.mp3" : "bare.mp3");
    EncoderOptions options;
    if (tagged) options.tags = kTags;
    const std::unique_ptr<AudioSink> sink =
        open_file_sink(path, AudioFormat::kMp3, kFormat, options);
    sink->write(tone(kFormat.sample_rate_hz, 1.0));
    sink->finish();
    const std::string bytes = test::read_file(path);
    ASSERT_GT(bytes.size(), 4u);
    EXPECT_EQ(bytes.substr(0, 3) == "ID3", tagged) << path;
    EXPECT_EQ(bytes.find("TAG", bytes.size() - 128), std::string::npos) << "no ID3v1 trailer";
    EXPECT_NEAR(test::decode_file(path).duration_s(), 1.0, 0.05) << path;
  }
}

TEST(Id3Tag, WavGetsAnId3ChunkAndKeepsItsSamples) {
  constexpr StreamFormat kFormat{22050, 1};
  const test::TempDir dir;
  const std::string path = dir.file("tagged.wav");
  EncoderOptions options;
  options.tags = kTags;
  const std::vector<std::int16_t> samples = tone(kFormat.sample_rate_hz, 0.5);
  const std::unique_ptr<AudioSink> sink = open_file_sink(path, AudioFormat::kWav, kFormat, options);
  sink->write(samples);
  sink->finish();
  const std::string bytes = test::read_file(path);
  const std::size_t chunk = bytes.find("ID3 ");
  ASSERT_NE(chunk, std::string::npos);
  EXPECT_EQ(bytes.substr(chunk + 8, 4), std::string("ID3\x04", 4));
  EXPECT_NE(bytes.find("INAM"), std::string::npos) << "the INFO chunk stays";
  EXPECT_EQ(test::decode_file(path).samples, samples);
}

}  // namespace
}  // namespace narrator
