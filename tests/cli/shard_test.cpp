// `narrate batch --shard K/N` without processes: the hash is the same everywhere (SHA-256, checked
// against known digests), N shards of a folder of many articles take each exactly once for several
// N, a folder mounted at another path shards alike, and every bad value names --shard and the fix.
#include "shard.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "batch.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator::cli {
namespace {

namespace fs = std::filesystem;

TEST(ShardHash, IsTheFirstEightBytesOfSha256) {
  // sha256("") = e3b0c442 98fc1c14 ...; sha256("abc") = ba7816bf 8f01cfea ...
  EXPECT_EQ(shard_hash(""), 0xe3b0c44298fc1c14ULL);
  EXPECT_EQ(shard_hash("abc"), 0xba7816bf8f01cfeaULL);
  EXPECT_EQ(shard_of("abc", 7), 0xba7816bf8f01cfeaULL % 7);
  EXPECT_EQ(shard_of("anything.txt", 1), 0u);
}

TEST(ShardHash, SpreadsNamesThatDifferInOneCharacter) {
  constexpr int kNames = 1000;
  constexpr std::uint32_t kShards = 4;
  std::map<std::uint32_t, int> counts;
  for (int i = 0; i < kNames; ++i) {
    ++counts[shard_of("article-" + std::to_string(i) + ".txt", kShards)];
  }
  ASSERT_EQ(counts.size(), kShards);
  for (const auto& [shard, count] : counts) {
    EXPECT_GT(count, kNames / kShards / 2) << "shard " << shard;
  }
}

TEST(ParseShard, TakesKOfNOrTheJobsCompletionIndex) {
  Shard shard = parse_shard("1/4", nullptr);
  EXPECT_EQ(shard.index, 1u);
  EXPECT_EQ(shard.count, 4u);
  shard = parse_shard("0/1", nullptr);
  EXPECT_EQ(shard.count, 1u);
  shard = parse_shard("auto/4", "3");
  EXPECT_EQ(shard.index, 3u);
  EXPECT_EQ(shard.count, 4u);
}

void expect_refused(std::string_view text, const char* index, const std::string& advice) {
  try {
    parse_shard(text, index);
    ADD_FAILURE() << text << " was taken";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kUsage);
    const std::string message = error.what();
    EXPECT_NE(message.find("--shard '" + std::string(text) + "'"), std::string::npos) << message;
    EXPECT_NE(message.find(advice), std::string::npos) << message;
  }
}

TEST(ParseShard, RefusesBadValuesNamingTheOptionAndTheFix) {
  expect_refused("4/4", nullptr, "K must be a whole number from 0 to 3");
  expect_refused("-1/4", nullptr, "K must be");
  expect_refused("1/0", nullptr, "N must be a whole number of shards from 1");
  expect_refused("1/4/2", nullptr, "N must be");
  expect_refused("3", nullptr, "give K/N");
  expect_refused("auto/4", nullptr, "JOB_COMPLETION_INDEX is not set");
  expect_refused("auto/4", nullptr, "--shard K/4 with K from 0 to 3");
  expect_refused("auto/4", "4", "JOB_COMPLETION_INDEX '4' is not a shard of 4");
  expect_refused("auto/4", "x", "make the Job's completions equal to N");
}

// A folder of many empty article files (the names are all that sharding reads).
std::set<std::string> make_articles(const fs::path& folder, int count) {
  fs::create_directories(folder);
  std::set<std::string> names;
  for (int i = 0; i < count; ++i) {
    const std::string name = "story-" + std::to_string(i) + (i % 3 == 0 ? ".html" : ".txt");
    test::write_file(folder / name, "");
    names.insert(name);
  }
  test::write_file(folder / "notes.md", "not an article");
  return names;
}

std::vector<fs::path> shard_of_folder(const fs::path& folder, std::optional<Shard> shard) {
  CliOptions options;
  options.batch_inputs = {folder.string()};
  options.shard = shard;
  return select_articles(options, "mp3");
}

TEST(BatchShards, CoverEveryArticleOfAFolderExactlyOnce) {
  const test::TempDir dir;
  const std::set<std::string> names = make_articles(dir.path() / "articles", 150);
  for (const std::uint32_t count : {1u, 2u, 3u, 5u, 8u}) {
    std::multiset<std::string> taken;
    for (std::uint32_t index = 0; index < count; ++index) {
      for (const fs::path& path : shard_of_folder(dir.path() / "articles", Shard{index, count})) {
        taken.insert(path.filename().string());
      }
    }
    EXPECT_EQ(std::set<std::string>(taken.begin(), taken.end()), names) << count << " shards";
    EXPECT_EQ(taken.size(), names.size()) << count << " shards: an article taken twice";
  }
  EXPECT_EQ(shard_of_folder(dir.path() / "articles", std::nullopt).size(), names.size());
}

TEST(BatchShards, AFolderMountedElsewhereShardsAlike) {
  const test::TempDir dir;
  make_articles(dir.path() / "here", 40);
  fs::create_directory_symlink(dir.path() / "here", dir.path() / "there");
  for (std::uint32_t index = 0; index < 3; ++index) {
    std::set<std::string> here;
    std::set<std::string> there;
    for (const fs::path& path : shard_of_folder(dir.path() / "here", Shard{index, 3})) {
      here.insert(path.filename().string());
    }
    // The other mount, named relative to another working folder.
    for (const fs::path& path : shard_of_folder(dir.path() / "there" / ".", Shard{index, 3})) {
      there.insert(path.filename().string());
    }
    EXPECT_EQ(here, there) << "shard " << index;
  }
}

TEST(BatchShards, ANameClashIsRefusedByEveryShard) {
  const test::TempDir dir;
  fs::create_directories(dir.path() / "a");
  test::write_file(dir.path() / "a" / "story.txt", "");
  test::write_file(dir.path() / "a" / "story.html", "");
  for (std::uint32_t index = 0; index < 2; ++index) {
    CliOptions options;
    options.batch_inputs = {(dir.path() / "a").string()};
    options.shard = Shard{index, 2};
    EXPECT_THROW(select_articles(options, "mp3"), Error) << "shard " << index;
  }
}

}  // namespace
}  // namespace narrator::cli
