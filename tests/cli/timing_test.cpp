// Speech marks and subtitles as a player reads them: the marks' byte offsets slice the original
// input to exactly the word, their times match the audio, and the subtitle files parse with cues
// of at most two lines of 42 characters.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>

#include "audio_analysis.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kData = fs::path(NARRATOR_TEST_DATA_DIR);

std::vector<nlohmann::json> narrate_marks(const std::string& article, const test::TempDir& dir) {
  const test::ProcessResult result = test::run_narrate(
      {article, "-o", dir.file("out.wav"), "--marks", dir.file("marks.jsonl"), "--quiet"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<nlohmann::json> marks;
  std::istringstream lines(test::read_file(dir.file("marks.jsonl")));
  for (std::string line; std::getline(lines, line);) marks.push_back(nlohmann::json::parse(line));
  return marks;
}

class MarkOffsets : public ::testing::TestWithParam<std::string> {};

TEST_P(MarkOffsets, SliceTheOriginalInputToTheWord) {
  const test::TempDir dir;
  const std::string article = (kData / GetParam()).string();
  const std::string input = test::read_file(article);
  const std::vector<nlohmann::json> marks = narrate_marks(article, dir);
  ASSERT_FALSE(marks.empty());
  long long previous = 0;
  std::size_t words = 0;
  std::optional<std::size_t> previous_start;
  for (const nlohmann::json& mark : marks) {
    const long long time = mark.at("time");
    EXPECT_GE(time, previous) << mark.dump();
    previous = time;
    const std::string type = mark.at("type");
    ASSERT_TRUE(type == "sentence" || type == "word" || type == "ssml") << type;
    if (type != "word") continue;
    ++words;
    const std::size_t start = mark.at("start"), end = mark.at("end");
    ASSERT_LE(end, input.size());
    // Each word once, in reading order: eSpeak NG may report a word again at a clause's end.
    if (previous_start) {
      EXPECT_GT(start, *previous_start) << "marked again: " << mark.dump();
    }
    previous_start = start;
    EXPECT_EQ(input.substr(start, end - start), mark.at("value").get<std::string>()) << mark.dump();
  }
  EXPECT_GT(words, 10u);
}

INSTANTIATE_TEST_SUITE_P(Inputs, MarkOffsets,
                         ::testing::Values("pages/newspaper.txt", "pages/wire.txt",
                                           "script/evening-briefing.ssml",
                                           // words that end in a multi-byte character
                                           "marks/non-ascii.txt"),
                         [](const auto& info) {
                           std::string name = fs::path(info.param).stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(MarkTimes, MatchTheAudio) {
  // Each sentence after the first follows a pause: silence before its first word's time, speech
  // right after it.
  const test::TempDir dir;
  const std::vector<nlohmann::json> marks = narrate_marks((kData / "pages/wire.txt").string(), dir);
  const test::DecodedAudio audio = test::decode_file(dir.file("out.wav"));
  const auto window = [&](std::chrono::milliseconds from, std::chrono::milliseconds to) {
    const auto at = [&](std::chrono::milliseconds t) {
      return std::clamp<std::size_t>(
          static_cast<std::size_t>(t.count() * audio.sample_rate_hz / 1000), 0,
          audio.samples.size());
    };
    return test::rms(std::span(audio.samples).subspan(at(from), at(to) - at(from)));
  };
  std::size_t checked = 0;
  for (std::size_t i = 1; i < marks.size(); ++i) {
    if (marks[i - 1].at("type") != "sentence" || marks[i].at("type") != "word") continue;
    const std::chrono::milliseconds t(marks[i].at("time").get<long long>());
    if (t < 400ms) continue;
    EXPECT_LT(window(t - 250ms, t - 30ms), 50.0) << "sound before the word at " << t.count();
    EXPECT_GT(window(t, t + 120ms), 300.0) << "no speech after the word at " << t.count();
    ++checked;
  }
  EXPECT_GE(checked, 3u);
}

TEST(Subtitles, ParseWithShortCuesInOrder) {
  const test::TempDir dir;
  const std::string article = (kData / "pages/newspaper.txt").string();
  const test::ProcessResult result = test::run_narrate(
      {article, "-o", dir.file("out.mp3"), "--subtitles", dir.file("out.vtt"), "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const test::ProcessResult srt = test::run_narrate(
      {article, "-o", dir.file("out2.mp3"), "--subtitles", dir.file("out.srt"), "--quiet"});
  ASSERT_EQ(srt.exit_code, 0) << srt.err;
  const double duration_s = test::decode_file(dir.file("out.mp3")).duration_s();

  for (const std::string name : {"out.vtt", "out.srt"}) {
    const bool vtt = name == "out.vtt";
    std::istringstream in(test::read_file(dir.file(name)));
    std::string line;
    if (vtt) {
      ASSERT_TRUE(std::getline(in, line));
      EXPECT_EQ(line, "WEBVTT");
      std::getline(in, line);
    }
    const std::regex timing(
        vtt ? R"((\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d))"
            : R"((\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d))");
    const auto ms = [](const std::smatch& m, int at) {
      return std::stoll(m[at]) * 3600000 + std::stoll(m[at + 1]) * 60000 +
             std::stoll(m[at + 2]) * 1000 + std::stoll(m[at + 3]);
    };
    long long previous_end = 0;
    std::size_t cues = 0;
    while (std::getline(in, line)) {
      if (!vtt) {  // the cue number
        EXPECT_EQ(line, std::to_string(cues + 1));
        ASSERT_TRUE(std::getline(in, line));
      }
      std::smatch m;
      ASSERT_TRUE(std::regex_match(line, m, timing)) << name << ": " << line;
      EXPECT_GE(ms(m, 1), previous_end) << line;
      EXPECT_GT(ms(m, 5), ms(m, 1)) << line;
      previous_end = ms(m, 5);
      std::size_t lines = 0;
      while (std::getline(in, line) && !line.empty()) {
        ++lines;
        EXPECT_LE(line.size(), 42u + 4u) << line;  // 42 characters; a few bytes of UTF-8 slack
      }
      EXPECT_GE(lines, 1u);
      EXPECT_LE(lines, 2u);
      ++cues;
    }
    EXPECT_GT(cues, 5u) << name;
    EXPECT_LE(previous_end, static_cast<long long>(duration_s * 1000) + 100) << name;
  }
}

TEST(Subtitles, UnknownExtensionIsAUsageError) {
  const test::TempDir dir;
  const test::ProcessResult result =
      test::run_narrate({(kData / "pages/wire.txt").string(), "-o", dir.file("out.wav"),
                         "--subtitles", dir.file("out.txt")});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(".vtt"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir.file("out.wav")));
}

TEST(Determinism, RepeatedRunsGiveByteIdenticalWav) {
  const test::TempDir dir;
  const std::string article = (kData / "pages/wire.txt").string();
  for (const char* name : {"a.wav", "b.wav"}) {
    const test::ProcessResult result = test::run_narrate({article, "-o", dir.file(name), "-q"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  EXPECT_EQ(test::read_file(dir.file("a.wav")), test::read_file(dir.file("b.wav")));
}

}  // namespace
}  // namespace narrator
