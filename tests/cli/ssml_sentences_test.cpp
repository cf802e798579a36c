// SSML spans inside a sentence never cut it (tests/data/script/ssml-spans.ssml, whose script
// golden script_test.cpp compares): the summary's count, the speech marks and the subtitle cues
// all see the same eight sentences as `narrate script`, and each span still does its work.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> nonempty_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST(SsmlSentences, SpansInsideASentenceKeepItWhole) {
  const fs::path article = fs::path(NARRATOR_TEST_DATA_DIR) / "script" / "ssml-spans.ssml";
  const std::vector<std::string> script =
      nonempty_lines(test::read_file(article.parent_path() / "ssml-spans.script"));
  ASSERT_EQ(script.size(), 8u);

  const test::TempDir dir;
  const test::ProcessResult result =
      test::run_narrate({article.string(), "--voice", "en-us", "-o", dir.file("out.wav"), "--marks",
                         dir.file("marks.jsonl"), "--subtitles", dir.file("out.vtt")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find(" in 8 sentences"), std::string::npos) << result.err;
  // The <lang> span is read by the French voice, inside its English sentence.
  EXPECT_NE(result.err.find("xml:lang 'fr' is read with the eSpeak NG voice fr"), std::string::npos)
      << result.err;

  std::vector<std::string> sentence_marks;
  std::vector<nlohmann::json> words;
  std::vector<nlohmann::json> ssml_marks;
  for (const std::string& line : nonempty_lines(test::read_file(dir.file("marks.jsonl")))) {
    const nlohmann::json mark = nlohmann::json::parse(line);
    if (mark["type"] == "sentence") sentence_marks.push_back(mark["value"]);
    if (mark["type"] == "word") words.push_back(mark);
    if (mark["type"] == "ssml") ssml_marks.push_back(mark);
  }
  // The sentence marks hold the sentences as written; the script says them (sub, say-as).
  EXPECT_EQ(sentence_marks,
            (std::vector<std::string>{
                "She spoke loudly and left.", "The hall went very quiet at once.",
                "He said bonjour to us.", "It cost 42 dollars.", "We met the W3C team.",
                "Ask Nigel about it.", "Wait for me.", "Then pause and go."}));
  const auto word = [&](const std::string& value) {
    const auto found = std::find_if(words.begin(), words.end(),
                                    [&](const nlohmann::json& w) { return w["value"] == value; });
    EXPECT_NE(found, words.end()) << "no word mark for " << value;
    return found != words.end() ? found->at("time").get<long>() : -1L;
  };
  for (const char* each : {"loudly", "quiet", "bonjour", "42", "W3C", "Nigel", "for", "go"}) {
    word(each);
  }
  // <mark> sits at the next word's time; the <break> is a pause inside its sentence.
  ASSERT_EQ(ssml_marks.size(), 1u);
  EXPECT_EQ(ssml_marks[0]["value"], "here");
  EXPECT_EQ(ssml_marks[0]["time"].get<long>(), word("for"));
  const auto pause = std::find_if(words.begin(), words.end(),
                                  [](const nlohmann::json& w) { return w["value"] == "pause"; });
  ASSERT_NE(pause, words.end());
  ASSERT_NE(std::next(pause), words.end());
  EXPECT_GE(std::next(pause)->at("time").get<long>() - pause->at("time").get<long>(), 300);

  const std::string vtt = test::read_file(dir.file("out.vtt"));
  std::vector<std::string> cues;
  for (const std::string& line : nonempty_lines(vtt)) {
    if (line != "WEBVTT" && line.find("-->") == std::string::npos) cues.push_back(line);
  }
  EXPECT_EQ(cues, sentence_marks) << vtt;
}

}  // namespace
}  // namespace narrator
