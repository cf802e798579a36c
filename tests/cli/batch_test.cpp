// The manifest a pipeline keeps, and `narrate batch`: parallel workers, a bad article reported
// while the others are narrated, unchanged articles skipped on the next run.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "audio_analysis.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

const fs::path kPages = fs::path(NARRATOR_TEST_DATA_DIR) / "pages";

std::string sha256(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char two[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

TEST(Manifest, RecordsWhatAPipelineNeeds) {
  const test::TempDir dir;
  const std::string article =
      (fs::path(NARRATOR_SOURCE_DIR) / "samples/prisoner-release.txt").string();
  const test::ProcessResult result = test::run_narrate(
      {article, "-o", dir.file("out.wav"), "--manifest", dir.file("out.json"), "-r", "190", "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json manifest = nlohmann::json::parse(test::read_file(dir.file("out.json")));
  EXPECT_EQ(manifest.at("input").at("sha256"), sha256(test::read_file(article)));
  EXPECT_EQ(manifest.at("settings").at("voice"), "rms");
  EXPECT_EQ(manifest.at("settings").at("rate_wpm"), 190);
  const double real_ms = test::decode_file(dir.file("out.wav")).duration_s() * 1000;
  EXPECT_NEAR(manifest.at("duration_ms").get<double>(), real_ms, 2.0);
  EXPECT_GT(manifest.at("word_count").get<int>(), 100);
  const nlohmann::json& paragraphs = manifest.at("paragraphs");
  ASSERT_GT(paragraphs.size(), 3u);
  EXPECT_EQ(paragraphs[0].at("time_ms"), 0);
  for (std::size_t i = 1; i < paragraphs.size(); ++i) {
    EXPECT_GT(paragraphs[i].at("time_ms").get<long long>(),
              paragraphs[i - 1].at("time_ms").get<long long>());
    EXPECT_LT(paragraphs[i].at("time_ms").get<double>(), real_ms);
  }
  EXPECT_FALSE(manifest.at("lexicon_hits").empty()) << "the sample names Belarusians";
  EXPECT_TRUE(manifest.at("warnings").is_array());
}

test::ProcessResult batch(const test::TempDir& dir) {
  return test::run_narrate(
      {"batch", dir.file("in"), "--out-dir", dir.file("out"), "-j", "2", "--format", "wav"});
}

TEST(Batch, GoesOnPastABadArticleAndSkipsUnchangedOnes) {
  const test::TempDir dir;
  fs::create_directories(dir.path() / "in");
  for (const char* name : {"wire.txt", "newspaper.txt", "blog.txt"}) {
    fs::copy_file(kPages / name, dir.path() / "in" / name);
  }
  test::write_file(dir.file("in/broken.txt"), "\xff\xfe not text");

  const test::ProcessResult first = batch(dir);
  EXPECT_EQ(first.exit_code, 3) << first.err;
  EXPECT_NE(first.err.find("1 of 4 articles failed"), std::string::npos) << first.err;
  EXPECT_NE(first.out.find("failed"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("invalid UTF-8"), std::string::npos)
      << "the failure's reason: " << first.out;
  for (const char* stem : {"wire", "newspaper", "blog"}) {
    const test::DecodedAudio audio =
        test::decode_file(dir.file(std::string("out/") + stem + ".wav"));
    EXPECT_GT(audio.duration_s(), 5.0) << stem;
    EXPECT_GT(test::rms(audio.samples), 100.0) << stem;
    EXPECT_TRUE(fs::exists(dir.file(std::string("out/") + stem + ".json"))) << stem;
  }
  EXPECT_FALSE(fs::exists(dir.file("out/broken.wav")));

  // Fix nothing, change one article: only that one is narrated again.
  test::write_file(dir.file("in/blog.txt"),
                   test::read_file(dir.file("in/blog.txt")) + "\nOne more paragraph was added.\n");
  const test::ProcessResult second = batch(dir);
  EXPECT_EQ(second.exit_code, 3) << second.err;
  const auto line_of = [&](const std::string& stem) {
    const std::size_t at = second.out.find("/in/" + stem);
    const std::size_t begin = second.out.rfind('\n', at) + 1;
    return second.out.substr(begin, at - begin);
  };
  EXPECT_NE(line_of("wire.txt").find("skipped"), std::string::npos) << second.out;
  EXPECT_NE(line_of("newspaper.txt").find("skipped"), std::string::npos) << second.out;
  EXPECT_NE(line_of("blog.txt").find("done"), std::string::npos) << second.out;
}

TEST(Batch, BadJobCountIsAUsageError) {
  const test::TempDir dir;
  const test::ProcessResult result =
      test::run_narrate({"batch", kPages.string(), "--out-dir", dir.file("out"), "-j", "0"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("-j 0"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace narrator
