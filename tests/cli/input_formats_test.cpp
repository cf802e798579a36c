// SSML and HTML as a user gives them to narrate: <break> timing measured in the audio, and every
// bad document refused with its line and column, a non-zero exit and no output file.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "audio_analysis.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kInputError = 3;
constexpr std::string_view kOld = "an older narration";

std::chrono::milliseconds longest_pause(const std::string& ssml, const test::TempDir& dir) {
  test::write_file(dir.file("doc.ssml"), ssml);
  const test::ProcessResult result =
      test::run_narrate({dir.file("doc.ssml"), "-o", dir.file("doc.wav"), "--quiet"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const test::DecodedAudio audio = test::decode_file(dir.file("doc.wav"));
  EXPECT_GT(test::rms(audio.samples), 100.0) << "no speech";
  // Pauses inside the audio only: the last run is the trailing pause, not a break.
  std::vector<std::chrono::milliseconds> runs =
      test::silent_runs(audio.samples, audio.sample_rate_hz, 100ms);
  if (!runs.empty()) runs.pop_back();
  return runs.empty() ? 0ms : *std::max_element(runs.begin(), runs.end());
}

TEST(Ssml, BreakTimeIsThePauseHeard) {
  const test::TempDir dir;
  const auto doc = [](const std::string& time) {
    return "<speak><s>The river rose again</s><break time=\"" + time +
           "\"/><s>Schools are closed</s></speak>";
  };
  const std::chrono::milliseconds long_pause = longest_pause(doc("1800ms"), dir);
  const std::chrono::milliseconds short_pause = longest_pause(doc("300ms"), dir);
  // The break plus the little silence the voice leaves at the end of a sentence.
  EXPECT_GE(long_pause, 1800ms);
  EXPECT_LE(long_pause, 2300ms);
  EXPECT_GE(short_pause, 300ms);
  EXPECT_LE(short_pause, 800ms);
}

double seconds_of(const std::string& ssml, const test::TempDir& dir) {
  test::write_file(dir.file("prosody.ssml"), ssml);
  const test::ProcessResult result =
      test::run_narrate({dir.file("prosody.ssml"), "-o", dir.file("prosody.wav"), "--quiet"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return test::decode_file(dir.file("prosody.wav")).duration_s();
}

TEST(Ssml, ProsodyRateChangesTheSpeakingTime) {
  const test::TempDir dir;
  const std::string words = "The council will meet again next week to discuss the new budget";
  const double slow =
      seconds_of("<speak><prosody rate=\"x-slow\">" + words + "</prosody></speak>", dir);
  const double normal = seconds_of("<speak>" + words + "</speak>", dir);
  const double fast =
      seconds_of("<speak><prosody rate=\"x-fast\">" + words + "</prosody></speak>", dir);
  // x-slow is half the rate, x-fast one and a half times: speech takes about 2x and 2/3 as long.
  EXPECT_GT(slow, normal * 1.6);
  EXPECT_LT(fast, normal * 0.8);
}

struct BadDocument {
  std::string name;
  std::string file_name;
  std::string content;
  std::vector<std::string> message_parts;
};

void PrintTo(const BadDocument& c, std::ostream* out) { *out << c.name; }

class BadDocuments : public ::testing::TestWithParam<BadDocument> {};

TEST_P(BadDocuments, AreRefusedWithNoOutput) {
  const BadDocument& c = GetParam();
  const test::TempDir dir;
  test::write_file(dir.file(c.file_name), c.content);
  test::write_file(dir.file("out.mp3"), std::string(kOld));
  const auto started = std::chrono::steady_clock::now();
  const test::ProcessResult result =
      test::run_narrate({dir.file(c.file_name), "-o", dir.file("out.mp3")});
  EXPECT_EQ(result.exit_code, kInputError) << result.err;
  for (const std::string& part : c.message_parts) {
    EXPECT_NE(result.err.find(part), std::string::npos) << "no '" << part << "' in: " << result.err;
  }
  EXPECT_EQ(test::read_file(dir.file("out.mp3")), kOld) << "the older file was touched";
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().string().find(".part"), std::string::npos) << entry.path();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s) << "generous guard";
}

std::string billion_laughs() {
  std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE speak [\n <!ENTITY a \"ha\">\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    const std::string previous(1, static_cast<char>(c - 1));
    doc += " <!ENTITY " + std::string(1, c) + " \"";
    for (int i = 0; i < 10; ++i) doc += "&" + previous + ";";
    doc += "\">\n";
  }
  return doc + "]>\n<speak>&k;</speak>\n";
}

INSTANTIATE_TEST_SUITE_P(
    Ssml, BadDocuments,
    ::testing::Values(
        BadDocument{"Malformed",
                    "story.ssml",
                    "<speak>\n  <p>Rain in Minsk.\n  </s>\n</speak>\n",
                    {"story.ssml:3:", "SSML"}},
        BadDocument{"EntityBomb", "bomb.ssml", billion_laughs(), {"bomb.ssml:", "entit"}},
        BadDocument{"ExternalEntity",
                    "external.ssml",
                    "<?xml version=\"1.0\"?>\n<!DOCTYPE speak [<!ENTITY x SYSTEM "
                    "\"file:///etc/passwd\">]>\n<speak>&x;</speak>\n",
                    {"external.ssml:", "entit"}},
        BadDocument{"UnknownIpa",
                    "ipa.ssml",
                    "<speak>\n<p>The mayor of <phoneme alphabet=\"ipa\" ph=\"ʘaˈla\">Hala</phoneme>"
                    " spoke.</p>\n</speak>\n",
                    {"ipa.ssml:2:", "'ʘ'", "ipa_to_flite_us.tsv"}},
        BadDocument{"BadBreak",
                    "break.ssml",
                    "<speak>\n<p>A<break time=\"soon\"/>B</p></speak>\n",
                    {"break.ssml:2:", "time"}}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(Html, BadDocuments,
                         ::testing::Values(BadDocument{
                             "NoArticleBody",
                             "empty.html",
                             "<!DOCTYPE html><html><head><title>Empty</title></head><body>"
                             "<nav><a href=\"/\">Home</a></nav><footer>About us</footer>"
                             "</body></html>",
                             {"empty.html", "no article text found in the HTML"}}),
                         [](const auto& info) { return info.param.name; });

TEST(Html, PageFurnitureInsideTheArticleIsRemovedAtItsLine) {
  const test::TempDir dir;
  test::write_file(dir.file("page.html"),
                   "<!DOCTYPE html>\n<html><body><article>\n<h1>Ice on the Dnieper</h1>\n"
                   "<p>Listen to this article</p>\n<p>Estimated 2 minutes</p>\n"
                   "<p>Boats stayed in port on Monday.</p>\n<p>Share this article</p>\n"
                   "</article></body></html>\n");
  const test::ProcessResult result =
      test::run_narrate({"script", "--explain", dir.file("page.html")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, result.out.find("\n# ")),
            "Ice on the Dnieper\n\nBoats stayed in port on Monday.\n");
  EXPECT_NE(result.out.find("page.html:4: dropped [listen-prompt]"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("page.html:5: dropped [listen-estimate]"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("page.html:7: dropped [share-bar]"), std::string::npos) << result.out;
}

TEST(Html, MalformedMarkupIsStillRead) {
  const test::TempDir dir;
  test::write_file(dir.file("page.htm"),
                   "<html><body><article><h1>Ice on the Dnieper<p>Boats stayed in port on "
                   "Monday.<div><p>The river froze early this year.</article></span>");
  const test::ProcessResult result = test::run_narrate({"script", dir.file("page.htm")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "Ice on the Dnieper\n\nBoats stayed in port on Monday.\n\nThe river froze early "
            "this year.\n");
}

}  // namespace
}  // namespace narrator
