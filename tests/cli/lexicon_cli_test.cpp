// Pronunciation lexicons from the command line: pronounce, lexicon check, --lexicon, --explain.
#include <gtest/gtest.h>

#include <filesystem>

#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

const std::string kLexicons = std::string(NARRATOR_TEST_DATA_DIR) + "/lexicon";
const std::string kHouse = kLexicons + "/house.tsv";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos;
       begin = end + 1, end = text.find('\n', begin)) {
    lines.push_back(text.substr(begin, end - begin));
  }
  return lines;
}

TEST(Pronounce, PrintsWordIpaAndSourceForArgumentsAndStdin) {
  const test::ProcessResult args =
      test::run_narrate({"pronounce", "--lexicon", kHouse, "Dzemidovich", "station"});
  ASSERT_EQ(args.exit_code, 0) << args.err;
  const std::vector<std::string> lines = lines_of(args.out);
  ASSERT_EQ(lines.size(), 2u) << args.out;
  EXPECT_EQ(lines[0].rfind("Dzemidovich\t", 0), 0u) << lines[0];
  EXPECT_TRUE(lines[0].ends_with("\tlexicon:house")) << lines[0];
  EXPECT_NE(lines[0].find("ˈ"), std::string::npos) << "stress marks in the read-back IPA";
  EXPECT_TRUE(lines[1].ends_with("\tbackend")) << lines[1];

  test::ProcessOptions options;
  options.stdin_data = "Dzemidovich\n\n  station  \n";
  const test::ProcessResult piped = test::run_narrate({"pronounce", "--lexicon", kHouse}, options);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, args.out);
}

TEST(LexiconCheck, ListsEveryProblemWithFileAndLineAndFails) {
  const test::TempDir dir;
  const std::string path = dir.file("house.tsv");
  test::write_file(path, "# house\nMinsk\tmɪnsk\nParis\tpaˈʁi\nBrest\tˈbrɛst\nBrest\tˈbrɛst\n");
  const test::ProcessResult result = test::run_narrate({"lexicon", "check", path});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  const std::vector<std::string> lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u) << result.out;
  // In line order, each with what to do.
  EXPECT_EQ(lines[0].rfind(path + ":2: the IPA for 'Minsk' has no primary stress mark", 0), 0u);
  EXPECT_EQ(lines[1], path +
                          ":3: IPA symbol 'ʁ' in 'Paris' has no Flite mapping; write that sound "
                          "with another IPA symbol");
  EXPECT_EQ(lines[2], path + ":5: 'Brest' duplicates line 4; remove one");
  EXPECT_NE(result.err.find("3 problems"), std::string::npos) << result.err;

  const test::ProcessResult clean = test::run_narrate({"lexicon", "check", kHouse});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_TRUE(clean.out.empty()) << clean.out;
  const test::ProcessResult pls =
      test::run_narrate({"lexicon", "check", kLexicons + "/newsroom.pls"});
  EXPECT_EQ(pls.exit_code, 0) << pls.err;
}

// Five different problems, malformed rows among them: all five are listed, then the check fails
// with the exit status of a bad lexicon.
TEST(LexiconCheck, ListsAllFiveProblemsOfAFile) {
  const test::TempDir dir;
  const std::string path = dir.file("five.tsv");
  test::write_file(path,
                   "# five problems\nGomel\nMinsk\tmɪnsk\nVitebsk\t\nParis\tpaˈʁi\n"
                   "Brest\tˈbrɛst\nBrest\tˈbrɛsət\nLida\tˈlidə\n");
  const test::ProcessResult result = test::run_narrate({"lexicon", "check", path});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  const std::vector<std::string> lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 5u) << result.out;
  EXPECT_EQ(lines[0].rfind(path + ":2: expected 2-4 tab-separated columns, found 1;", 0), 0u);
  EXPECT_EQ(lines[1].rfind(path + ":3: the IPA for 'Minsk' has no primary stress mark;", 0), 0u);
  EXPECT_EQ(lines[2].rfind(path + ":4: the IPA column of 'Vitebsk' is empty;", 0), 0u);
  EXPECT_EQ(lines[3].rfind(path + ":5: IPA symbol 'ʁ' in 'Paris' has no Flite mapping;", 0), 0u);
  EXPECT_EQ(
      lines[4].rfind(path + ":7: 'Brest' is already on line 6 with another pronunciation;", 0), 0u);
  EXPECT_NE(result.err.find(path + ": 5 problems; fix the lines listed above"), std::string::npos)
      << result.err;
}

TEST(LexiconOption, ABadHouseLexiconStopsTheNarrationBeforeAnyOutput) {
  const test::TempDir dir;
  const std::string lexicon = dir.file("bad.tsv");
  test::write_file(lexicon, "Paris\tpaˈʁi\n");
  const std::string article = dir.file("a.txt");
  test::write_file(article, "Paris is far.\n");
  const std::string out = dir.file("a.wav");
  const test::ProcessResult result =
      test::run_narrate({article, "-o", out, "--lexicon", lexicon, "-q"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find(lexicon + ":1: IPA symbol 'ʁ'"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(ScriptExplain, MarksWhichLexiconSaidEachWord) {
  const test::TempDir dir;
  const std::string article = dir.file("a.txt");
  test::write_file(article, "Dr. Lysenka met Dzemidovich in Hrodna.\n");
  const test::ProcessResult result =
      test::run_narrate({"script", "--explain", "--lexicon", kHouse, article});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("# pronunciations\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(article + ":1:5: 'Lysenka' /lɪˈsɛŋkə/ from lexicon:house "
                                      "[lex.lexicon]"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(article + ":1:17: 'Dzemidovich'"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(article + ":1:32: 'Hrodna' /ˈhrɒdnə/ from lexicon:house"),
            std::string::npos)
      << result.out;
}

TEST(ArticlePronunciations, PronounceLinesAreNotReadAndWinOverEveryLexicon) {
  const test::TempDir dir;
  const std::string article = dir.file("a.txt");
  test::write_file(
      article,
      "Flood in Hrodna\n\n@pronounce Hrodna ˈhrɔdnɑː\n"
      "Rescuers reached Hrodna at dawn.\n@pronounce Ivanou ɪˈvɑːnoʊ\nIvanou led them.\n");
  const test::ProcessResult result =
      test::run_narrate({"script", "--explain", "--lexicon", kHouse, article});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, result.out.find("\n# ")),
            "Flood in Hrodna\n\nRescuers reached Hrodna at dawn.\n\nIvanou led them.\n");
  EXPECT_NE(result.out.find(article + ":1:10: 'Hrodna' /ˈhrɔdnɑː/ from lexicon:article"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(article + ":6:1: 'Ivanou' /ɪˈvɑːnoʊ/ from lexicon:article"),
            std::string::npos)
      << result.out;
}

TEST(ArticlePronunciations, ABadPronounceLineFailsWithTheArticleLine) {
  const test::TempDir dir;
  const std::string article = dir.file("a.txt");
  test::write_file(article, "Paris is far.\n@pronounce Paris paˈʁi\n");
  const test::ProcessResult result = test::run_narrate({"script", article});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find(article + ":2: IPA symbol 'ʁ' in 'Paris'"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace narrator
