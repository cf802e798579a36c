// `narrate script` shows exactly what will be heard: compared with golden files for the samples.
#include <gtest/gtest.h>

#include <filesystem>

#include "charset.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> golden_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(NARRATOR_TEST_DATA_DIR) / "script")) {
    if (entry.path().extension() == ".script") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class ScriptGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ScriptGolden, MatchesExactly) {
  const fs::path data = fs::path(NARRATOR_TEST_DATA_DIR) / "script";
  // The article beside its script, as text, SSML or HTML; else the sample of that name.
  fs::path article = fs::path(NARRATOR_SOURCE_DIR) / "samples" / (GetParam() + ".txt");
  for (const char* extension : {".txt", ".ssml", ".html"}) {
    if (fs::exists(data / (GetParam() + extension))) article = data / (GetParam() + extension);
  }
  const test::ProcessResult result = test::run_narrate({"script", article.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, test::read_file(data / (GetParam() + ".script")));
}

INSTANTIATE_TEST_SUITE_P(Samples, ScriptGolden, ::testing::ValuesIn(golden_names()));

TEST(Script, EverySampleHasAGolden) {
  for (const auto& entry : fs::directory_iterator(fs::path(NARRATOR_SOURCE_DIR) / "samples")) {
    if (entry.path().extension() != ".txt") continue;
    EXPECT_TRUE(fs::exists(fs::path(NARRATOR_TEST_DATA_DIR) / "script" /
                           (entry.path().stem().string() + ".script")))
        << entry.path();
  }
}

}  // namespace
}  // namespace narrator

namespace narrator {
namespace {

TEST(Normalize, PrintsOneLineOutForEveryLineIn) {
  test::ProcessOptions options;
  options.stdin_data =
      "The U.S. sent $1.2 billion on July 13, 2021.\n"
      "\n"
      "Bad byte \xFF here.\n"
      "Rates fell 0.5% at 3:30 p.m.";  // no final newline
  const test::ProcessResult result = test::run_narrate({"normalize"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "The U-S sent one point two billion dollars on July thirteenth, twenty twenty-one.\n"
            "\n"
            "Bad byte here.\n"
            "Rates fell zero point five percent at three thirty P-M.\n");
  EXPECT_NE(result.err.find("warning"), std::string::npos) << "the bad byte is reported";
}

TEST(Normalize, LineOfInvisibleSpacesIsABlankLine) {
  // U+200B, U+FEFF and U+00A0 alone on a line (and mixed) are blank, not an empty article.
  test::ProcessOptions options;
  options.stdin_data =
      "First 1.\n\xE2\x80\x8B\n\xEF\xBB\xBF\n\xC2\xA0\n \xE2\x80\x8B\xEF\xBB\xBF\xC2\xA0\nLast "
      "2.\n";
  const test::ProcessResult result = test::run_narrate({"normalize"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "First one.\n\n\n\n\nLast two.\n");
  EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST(Encoding, PlainTextInTheEncodingNamed) {
  const test::TempDir dir;
  const std::string article = dir.file("story.txt");
  // "Навіны з Мінска." in windows-1251.
  test::write_file(article, "\xCD\xE0\xE2\xB3\xED\xFB \xE7 \xCC\xB3\xED\xF1\xEA\xE0.");
  const test::ProcessResult named =
      test::run_narrate({"script", article, "--encoding", "windows-1251"});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_EQ(named.out, "Навіны з Мінска.\n");
  const test::ProcessResult unnamed = test::run_narrate({"script", article});
  EXPECT_EQ(unnamed.exit_code, 3);
  EXPECT_NE(unnamed.err.find("invalid UTF-8 (byte 0xCD) at byte offset 0: save the article as "
                             "UTF-8, name its encoding with --encoding"),
            std::string::npos)
      << unnamed.err;
}

TEST(ScriptExplain, ListsEveryWarningWithItsLineAndColumn) {
  const test::TempDir dir;
  const std::string article = dir.file("story.txt");
  test::write_file(article, "Headline here\n\nThe code 12:34:56:78 failed twice.\n");
  const test::ProcessResult plain = test::run_narrate({"script", article});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const test::ProcessResult explained = test::run_narrate({"script", "--explain", article});
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_EQ(explained.out, plain.out + "\n# 0 blocks not read (page furniture, markup)\n" +
                               "# encoding: " + article +
                               ": read as UTF-8 (the default for text)\n" +
                               "# metadata title: Headline here\n# 1 warning\n# " + article +
                               ":3:10: no reading rule fits '12:34:56:78'; it is spoken as "
                               "written [tn.verbatim_fallback]\n");
  EXPECT_TRUE(explained.err.empty()) << explained.err;
}

}  // namespace
}  // namespace narrator

namespace narrator {
namespace {

// HTML: every block not read is listed with its line in the page, the rule and the evidence.
TEST(ScriptExplain, ListsEveryDroppedHtmlBlockWithItsLineRuleAndEvidence) {
  const std::string page =
      (fs::path(NARRATOR_TEST_DATA_DIR) / "html" / "boilerplate-inside.html").string();
  const test::ProcessResult result = test::run_narrate({"script", "--explain", page});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("# 6 blocks not read (page furniture, markup)\n"), std::string::npos)
      << result.out;
  for (const std::string_view line :
       {":11: dropped [html:link-density] (link density 1.00, name weight 0): Share on social "
        "media Send by email Print this page\n",
        ":17: dropped [html:gallery] (3 images over 0 paragraphs): 1 of 3 Close\n",
        ":25: dropped [html:boilerplate-name] (class, id or role weight -25, paragraph score "
        "1.0): Farmers market returns",
        ":37: dropped [html:boilerplate-name] (class, id or role weight -25, paragraph score "
        "1.0): Subscribe to read more stories like this.\n"}) {
    EXPECT_NE(result.out.find("# " + page + std::string(line)), std::string::npos)
        << line << result.out;
  }
  EXPECT_EQ(result.out.find("Share on social media\n"), std::string::npos) << "not in the script";
}

}  // namespace
}  // namespace narrator

namespace narrator {
namespace {

// The encoding read and what chose it: here, detection on a page that declares none, with the
// detector's confidence; and the encoding given.
TEST(ScriptExplain, SaysWhichEncodingWasReadAndWhatChoseIt) {
  const test::TempDir dir;
  const std::string page = dir.file("page.html");
  test::write_file(page, test::encode("<!DOCTYPE html><html><head><title>Навіны</title></head>"
                                      "<body><article><p>Гарадскі савет сабраўся ў аўторак, каб "
                                      "абмеркаваць новы бюджэт горада на наступны год. Дэпутаты "
                                      "доўга спрачаліся пра кошт рамонту моста праз раку.</p>"
                                      "</article></body></html>",
                                      "windows-1251"));
  const test::ProcessResult detected = test::run_narrate({"script", "--explain", page});
  ASSERT_EQ(detected.exit_code, 0) << detected.err;
  const std::string line =
      "# encoding: " + page + ": read as windows-1251 (from detection, confidence ";
  EXPECT_NE(detected.out.find(line), std::string::npos) << detected.out;
  const test::ProcessResult given =
      test::run_narrate({"script", "--explain", "--encoding", "windows-1251", page});
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_NE(
      given.out.find("# encoding: " + page + ": read as windows-1251 (from the encoding given)\n"),
      std::string::npos)
      << given.out;
}

}  // namespace
}  // namespace narrator
