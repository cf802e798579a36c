// audio_media_type(): the one table of audio media types behind the feed's enclosures and the
// listening page's data: URIs.
#include "media_type.hpp"

#include <gtest/gtest.h>

namespace narrator::cli {
namespace {

TEST(AudioMediaType, NamesEveryFormatAPlayerKnows) {
  EXPECT_EQ(audio_media_type(AudioFormat::kMp3), "audio/mpeg");
  EXPECT_EQ(audio_media_type(AudioFormat::kWav), "audio/wav");
  EXPECT_EQ(audio_media_type(AudioFormat::kFlac), "audio/flac");
  EXPECT_EQ(audio_media_type(AudioFormat::kOgg), "audio/ogg");
  EXPECT_EQ(audio_media_type(AudioFormat::kOpus), "audio/ogg; codecs=opus");  // not Vorbis
  EXPECT_EQ(audio_media_type(AudioFormat::kRaw), std::nullopt);
}

}  // namespace
}  // namespace narrator::cli
