#include "narrator/audio/audio_format.hpp"

#include <gtest/gtest.h>

namespace narrator {
namespace {

TEST(AudioFormat, NamesAndExtensionsParseCaseInsensitively) {
  EXPECT_EQ(parse_audio_format("MP3"), AudioFormat::kMp3);
  EXPECT_EQ(parse_audio_format("raw"), AudioFormat::kRaw);
  EXPECT_EQ(parse_audio_format("aiff"), std::nullopt);
  EXPECT_EQ(audio_format_from_path("out/story.FLAC"), AudioFormat::kFlac);
  EXPECT_EQ(audio_format_from_path("a.b/story.oga"), AudioFormat::kOgg);
  EXPECT_EQ(audio_format_from_path("story.wav"), AudioFormat::kWav);
  EXPECT_EQ(audio_format_from_path("story.xyz"), std::nullopt);
  EXPECT_EQ(audio_format_from_path("dir.mp3/story"), std::nullopt);
  EXPECT_EQ(audio_format_from_path(".mp3"), std::nullopt);
  EXPECT_EQ(audio_format_name(AudioFormat::kOgg), "ogg");
  EXPECT_EQ(parse_audio_format("Opus"), AudioFormat::kOpus);
  EXPECT_EQ(audio_format_from_path("story.OPUS"), AudioFormat::kOpus);
  EXPECT_EQ(audio_format_name(AudioFormat::kOpus), "opus");
}

TEST(AudioFormat, OnlyOpusLimitsTheSampleRate) {
  EXPECT_TRUE(audio_format_sample_rates(AudioFormat::kOgg).empty());
  EXPECT_EQ(audio_format_sample_rates(AudioFormat::kOpus).size(), 5u);
  EXPECT_EQ(audio_format_sample_rates_text(AudioFormat::kOpus),
            "8000, 12000, 16000, 24000 or 48000");
}

}  // namespace
}  // namespace narrator
