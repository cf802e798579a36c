// `narrate script` shows exactly what will be heard: compared with golden files for the samples.
#include <gtest/gtest.h>

#include <filesystem>

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
  fs::path article = data / (GetParam() + ".txt");
  if (!fs::exists(article))
    article = fs::path(NARRATOR_SOURCE_DIR) / "samples" / (GetParam() + ".txt");
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
