// narrate with the Flite voices: --voice picks the backend, the output takes the voice's rate,
// `narrate voices` lists both backends, and an unknown voice is a usage error with suggestions.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "audio_analysis.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

constexpr int kExitUsage = 2;
using test::kSilenceFloorRms;

class FliteVoiceCli : public ::testing::TestWithParam<std::string> {};

TEST_P(FliteVoiceCli, NarratesAtSixteenKilohertz) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "Sviatlana Tsikhanouskaya spoke in Vilnius today.\n");
  const test::ProcessResult result = test::run_narrate(
      {dir.file("story.txt"), "-o", dir.file("out.wav"), "--voice", GetParam(), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const test::DecodedAudio audio = test::decode_file(dir.file("out.wav"));
  EXPECT_EQ(audio.sample_rate_hz, 16000);
  EXPECT_EQ(audio.channels, 1);
  EXPECT_GT(audio.duration_s(), 1.5);
  EXPECT_LT(audio.duration_s(), 6.0);
  EXPECT_GT(test::rms(audio.samples), kSilenceFloorRms);
}

INSTANTIATE_TEST_SUITE_P(Voices, FliteVoiceCli, ::testing::Values("flite:slt", "rms"),
                         [](const auto& info) {
                           return info.param == "rms" ? std::string("rms") : std::string("slt");
                         });

TEST(FliteVoiceCli, TheEspeakVoiceStaysOneOptionAway) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "A short story.\n");
  const test::ProcessResult result = test::run_narrate(
      {dir.file("story.txt"), "-o", dir.file("out.wav"), "--voice", "espeak:en-us", "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::decode_file(dir.file("out.wav")).sample_rate_hz, 22050);
}

// The eSpeak NG voices `narrate voices` lists by a language that is not a voice file's name.
class ListedLanguageCli : public ::testing::TestWithParam<std::string> {};

TEST_P(ListedLanguageCli, NarratesWithTheEspeakVoice) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "Hello there, this is a test.\n");
  const test::ProcessResult result = test::run_narrate(
      {dir.file("story.txt"), "-o", dir.file("out.wav"), "--voice", GetParam(), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const test::DecodedAudio audio = test::decode_file(dir.file("out.wav"));
  EXPECT_EQ(audio.sample_rate_hz, 22050);
  EXPECT_GT(test::rms(audio.samples), kSilenceFloorRms);
}

INSTANTIATE_TEST_SUITE_P(Languages, ListedLanguageCli,
                         ::testing::Values("en-gb", "fr-fr", "chr-US-Qaaa-x-west"),
                         [](const auto& info) { return std::to_string(info.index); });

constexpr const char* kFrenchSpan =
    "<speak>\n<p>Good evening from the newsroom.\n"
    "<s xml:lang=\"fr-FR\">Bonjour \xC3\xA0 tous.</s>\n"
    "And that is all for tonight.</p>\n</speak>\n";

// A French span in a Flite narration is read by eSpeak NG inside it, with a warning that names
// the voice and the SSML line; the output stays one 16 kHz file.
TEST(FliteVoiceCli, AFrenchSpanIsReadByEspeakInsideTheNarration) {
  const test::TempDir dir;
  test::write_file(dir.file("story.ssml"), kFrenchSpan);
  const test::ProcessResult result = test::run_narrate(
      {dir.file("story.ssml"), "-o", dir.file("out.wav"), "--voice", "rms", "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("story.ssml:3: xml:lang 'fr-FR' is read with the eSpeak NG voice "
                            "fr-fr, French (France) [voice.language]"),
            std::string::npos)
      << result.err;
  const test::DecodedAudio audio = test::decode_file(dir.file("out.wav"));
  EXPECT_EQ(audio.sample_rate_hz, 16000);
  EXPECT_EQ(audio.channels, 1);
  EXPECT_GT(audio.duration_s(), 3.0);
  EXPECT_GT(test::rms(audio.samples), kSilenceFloorRms);
}

// The same with the default voice, whichever engine it is on.
TEST(FliteVoiceCli, AFrenchSpanWithTheDefaultVoiceIsReadWithAWarning) {
  const test::TempDir dir;
  test::write_file(dir.file("story.ssml"), kFrenchSpan);
  const test::ProcessResult result =
      test::run_narrate({dir.file("story.ssml"), "-o", dir.file("out.wav"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(
      result.err.find("story.ssml:3: xml:lang 'fr-FR' is read with the eSpeak NG voice fr-fr"),
      std::string::npos)
      << result.err;
  EXPECT_GT(test::rms(test::decode_file(dir.file("out.wav")).samples), kSilenceFloorRms);
}

TEST(FliteVoiceCli, AnUnknownVoiceExitsTwoWithCloseNames) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "A short story.\n");
  const test::ProcessResult result =
      test::run_narrate({dir.file("story.txt"), "-o", dir.file("out.wav"), "--voice", "rmz"});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_NE(result.err.find("unknown voice 'rmz'; did you mean rms"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("narrate voices"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.wav")));
}

TEST(FliteVoiceCli, VoicesListsBothBackendsWithTheirRates) {
  const test::ProcessResult result = test::run_narrate({"voices"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("BACKEND"), std::string::npos) << result.out;
  for (const char* name : {"rms ", "slt ", "awb ", "kal16 "}) {
    EXPECT_NE(result.out.find(name), std::string::npos) << name;
  }
  EXPECT_NE(result.out.find(" flite   16000 "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(" espeak  22050 "), std::string::npos) << result.out;
}

}  // namespace
}  // namespace narrator
