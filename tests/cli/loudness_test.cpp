// Loudness and output format as a listener gets them: measured in the decoded file with
// libebur128, and the sample rate, channels and duration read back.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "audio_analysis.hpp"
#include "loudness_measure.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

const std::string kArticle = (fs::path(NARRATOR_TEST_DATA_DIR) / "pages/newspaper.txt").string();

TEST(Loudness, Mp3IsNormalizedToMinus16ByDefault) {
  const test::TempDir dir;
  const test::ProcessResult result = test::run_narrate({kArticle, "-o", dir.file("out.mp3"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const test::Loudness loudness = test::measure(test::decode_file(dir.file("out.mp3")));
  EXPECT_NEAR(loudness.lufs, -16.0, 0.5);
  EXPECT_LE(loudness.true_peak_dbtp, -1.0 + 0.5) << "MP3 coding may overshoot a little";
}

TEST(Loudness, TargetIsMetAndCanBeTurnedOff) {
  const test::TempDir dir;
  ASSERT_EQ(
      test::run_narrate({kArticle, "-o", dir.file("a.wav"), "--loudness", "-23", "-q"}).exit_code,
      0);
  ASSERT_EQ(test::run_narrate({kArticle, "-o", dir.file("b.wav"), "-q"}).exit_code, 0);
  const test::Loudness normalized = test::measure(test::decode_file(dir.file("a.wav")));
  EXPECT_NEAR(normalized.lufs, -23.0, 0.5);
  EXPECT_LE(normalized.true_peak_dbtp, -1.0 + 0.1);
  const test::Loudness plain = test::measure(test::decode_file(dir.file("b.wav")));
  EXPECT_GT(std::abs(plain.lufs - (-23.0)), 1.0) << "WAV is left as the voice made it";
}

TEST(OutputFormat, SampleRateAndChannels) {
  const test::TempDir dir;
  ASSERT_EQ(test::run_narrate({kArticle, "-o", dir.file("voice.wav"), "-q"}).exit_code, 0);
  const test::ProcessResult result = test::run_narrate(
      {kArticle, "-o", dir.file("cd.flac"), "--sample-rate", "44100", "--channels", "2", "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const test::DecodedAudio voice = test::decode_file(dir.file("voice.wav"));
  const test::DecodedAudio cd = test::decode_file(dir.file("cd.flac"));
  EXPECT_EQ(cd.sample_rate_hz, 44100);
  EXPECT_EQ(cd.channels, 2);
  EXPECT_NEAR(cd.duration_s(), voice.duration_s(), 0.01);
  for (std::size_t i = 0; i + 1 < cd.samples.size(); i += 2) {
    ASSERT_EQ(cd.samples[i], cd.samples[i + 1]) << "the voice is the same in both channels";
  }
}

TEST(Loudness, BadValueIsAUsageError) {
  const test::TempDir dir;
  const test::ProcessResult result =
      test::run_narrate({kArticle, "-o", dir.file("out.mp3"), "--loudness", "loud"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--loudness 'loud'"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir.file("out.mp3")));
}

}  // namespace
}  // namespace narrator
