// `narrate estimate` against the real narration: the predicted duration is within 10% of the
// decoded audio's, for articles of several kinds and rates, and "Estimated N minutes" is that
// duration in whole minutes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "audio_analysis.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

struct EstimateCase {
  std::string article;  // relative to the source tree
  int rate_wpm;
};

void PrintTo(const EstimateCase& c, std::ostream* out) { *out << c.article << " @" << c.rate_wpm; }

class Estimate : public ::testing::TestWithParam<EstimateCase> {};

TEST_P(Estimate, IsWithinTenPercentOfTheRealDuration) {
  const EstimateCase& c = GetParam();
  const std::string article = (fs::path(NARRATOR_SOURCE_DIR) / c.article).string();
  const std::string rate = std::to_string(c.rate_wpm);
  const test::ProcessResult estimate = test::run_narrate({"estimate", article, "-r", rate});
  ASSERT_EQ(estimate.exit_code, 0) << estimate.err;
  long long minutes = 0, words = 0, characters = 0;
  int clock_m = 0, clock_s = 0;
  ASSERT_EQ(std::sscanf(estimate.out.c_str(), "Estimated %lld minute", &minutes), 1)
      << estimate.out;
  const std::size_t details = estimate.out.find("\nduration ");
  ASSERT_NE(details, std::string::npos) << estimate.out;
  ASSERT_EQ(
      std::sscanf(estimate.out.c_str() + details, "\nduration %d:%d, %lld words, %lld characters",
                  &clock_m, &clock_s, &words, &characters),
      4)
      << estimate.out;
  EXPECT_GT(words, 0);
  EXPECT_GT(characters, words);

  const test::TempDir dir;
  const test::ProcessResult narrated =
      test::run_narrate({article, "-r", rate, "-o", dir.file("out.wav"), "--quiet"});
  ASSERT_EQ(narrated.exit_code, 0) << narrated.err;
  const double real_s = test::decode_file(dir.file("out.wav")).duration_s();
  const double predicted_s = clock_m * 60.0 + clock_s;
  EXPECT_NEAR(predicted_s, real_s, real_s * 0.10) << estimate.out;
  EXPECT_EQ(minutes, std::max(1LL, std::llround(predicted_s / 60.0)))
      << "minutes are the duration rounded";
}

INSTANTIATE_TEST_SUITE_P(Articles, Estimate,
                         ::testing::Values(EstimateCase{"samples/minsk-budget.txt", 175},
                                           EstimateCase{"samples/hrodna-flood.txt", 140},
                                           EstimateCase{"samples/prisoner-release.txt", 250},
                                           EstimateCase{"tests/data/pages/broadcaster.txt", 175},
                                           EstimateCase{"tests/data/pages/wire.txt", 175},
                                           EstimateCase{"tests/data/pages/plain-story.txt", 250}),
                         [](const auto& info) {
                           std::string name = fs::path(info.param.article).stem().string() + "_" +
                                              std::to_string(info.param.rate_wpm);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(EstimateCommand, MissingArticleIsAnInputError) {
  const test::ProcessResult result = test::run_narrate({"estimate", "/no/such/article.txt"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("/no/such/article.txt"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace narrator
