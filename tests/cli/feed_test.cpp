// The podcast feed of real narrations: a batch run as two shards (their union is every article,
// each once), a third article spoken with subtitles, then `narrate feed`. The feed is read back
// with libxml2 (XPath) and with the real rss-parser from npm, and each item checked against its
// file: the enclosure's length is the file's size, its duration the decoded audio's within a
// second, and the GUIDs are the same when the articles are narrated again into another folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "audio_analysis.hpp"
#include "feed_xpath.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBaseUrl = "https://example.org/audio/";
// budget.txt falls in shard 0 of 2 and bridge.txt in shard 1 (SHA-256 of the names).
const std::vector<std::string> kBatched{"bridge", "budget"};

// in/budget.txt and in/bridge.txt for batch, extra/harvest.txt for speak with subtitles.
void write_articles(const test::TempDir& dir) {
  fs::create_directories(dir.path() / "in");
  fs::create_directories(dir.path() / "extra");
  test::write_file(dir.path() / "in" / "budget.txt", "The council passed the budget.\n");
  test::write_file(dir.path() / "in" / "bridge.txt", "The old bridge reopens today.\n");
  test::write_file(dir.path() / "extra" / "harvest.txt", "Farmers expect a good harvest.\n");
}

void expect_ok(const test::ProcessResult& result, const std::string& what) {
  ASSERT_EQ(result.exit_code, 0) << what << ": " << result.err << result.out;
}

// The third narration: dated, with a byline and WebVTT subtitles, into `out`.
void speak_harvest(const test::TempDir& dir, const std::string& out) {
  expect_ok(test::run_narrate({dir.file("extra/harvest.txt"), "-o", dir.file(out + "/harvest.mp3"),
                               "--manifest", dir.file(out + "/harvest.json"), "--subtitles",
                               dir.file(out + "/harvest.vtt"), "--voice", "en-us", "--date",
                               "2024-03-05T12:00:00+03:00", "--byline", "Jane Smith", "-q"}),
            "speak");
}

// "1:02" or "1:02:03" in seconds.
double duration_s(const std::string& text) {
  double seconds = 0;
  std::stringstream parts(text);
  for (std::string part; std::getline(parts, part, ':');) seconds = seconds * 60 + std::stod(part);
  return seconds;
}

std::vector<std::string> item_guids(const std::string& feed_path) {
  return test::ParsedFeed(test::read_file(feed_path)).all("//item/guid");
}

TEST(FeedCli, ShardedBatchThenAFeedThatDescribesEveryFile) {
  const test::TempDir dir;
  write_articles(dir);
  // Two shards into one folder: each narrates only its own article.
  for (const auto& [shard, article] : {std::pair{"0/2", "budget"}, std::pair{"1/2", "bridge"}}) {
    const test::ProcessResult result =
        test::run_narrate({"batch", dir.file("in"), "--out-dir", dir.file("out"), "--voice",
                           "en-us", "--shard", shard});
    expect_ok(result, std::string("batch --shard ") + shard);
    for (const std::string& name : kBatched) {
      EXPECT_EQ(result.out.find(name + ".txt") != std::string::npos, name == article)
          << "shard " << shard << ":\n"
          << result.out;
    }
  }
  for (const std::string& name : kBatched) {
    EXPECT_TRUE(fs::exists(dir.path() / "out" / (name + ".mp3"))) << name;
    EXPECT_TRUE(fs::exists(dir.path() / "out" / (name + ".json"))) << name;
  }
  speak_harvest(dir, "out");
  const std::string feed_path = dir.file("out/feed.xml");
  expect_ok(test::run_narrate({"feed", dir.file("out"), "-o", feed_path, "--base-url", kBaseUrl,
                               "--title", "Example & Co"}),
            "feed");

  const test::ParsedFeed feed(test::read_file(feed_path));
  EXPECT_EQ(feed.one("/rss/channel/title"), "Example & Co");
  EXPECT_EQ(feed.one("/rss/channel/atom:link/@href"), std::string(kBaseUrl) + "feed.xml");
  const std::vector<std::string> urls = feed.all("//item/enclosure/@url");
  ASSERT_EQ(urls.size(), 3u);
  // Newest first: the undated two carry their manifests' time (now), the third its 2024 date.
  EXPECT_EQ(urls[2], std::string(kBaseUrl) + "harvest.mp3");
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const std::string item = "//item[" + std::to_string(i + 1) + "]";
    const fs::path file = dir.path() / "out" / urls[i].substr(std::string(kBaseUrl).size());
    SCOPED_TRACE(file.string());
    EXPECT_EQ(feed.one(item + "/enclosure/@length"), std::to_string(fs::file_size(file)));
    EXPECT_EQ(feed.one(item + "/enclosure/@type"), "audio/mpeg");
    const double decoded_s = test::decode_file(file.string()).duration_s();
    EXPECT_GT(decoded_s, 0.5);
    EXPECT_NEAR(duration_s(feed.one(item + "/itunes:duration")), decoded_s, 1.0);
  }
  EXPECT_EQ(feed.one("//item[3]/pubDate"), "Tue, 05 Mar 2024 09:00:00 +0000");
  EXPECT_EQ(feed.one("//item[3]/itunes:author"), "Jane Smith");
  EXPECT_EQ(feed.one("//item[3]/dc:creator"), "Jane Smith");
  EXPECT_EQ(feed.one("//item[3]/podcast:transcript/@url"), std::string(kBaseUrl) + "harvest.vtt");
  EXPECT_EQ(feed.one("//item[3]/podcast:transcript/@type"), "text/vtt");
  EXPECT_EQ(feed.all("//podcast:transcript").size(), 1u) << "only the article with subtitles";

  // Narrated again, named by itself rather than found in a folder, into another folder, by
  // batch --feed: the same GUID.
  expect_ok(test::run_narrate({"batch", dir.file("in/budget.txt"), "--out-dir", dir.file("again"),
                               "--voice", "en-us", "--feed", dir.file("again/feed.xml"),
                               "--base-url", kBaseUrl}),
            "batch --feed");
  const std::vector<std::string> first = item_guids(feed_path);
  const std::vector<std::string> second = item_guids(dir.file("again/feed.xml"));
  ASSERT_EQ(second.size(), 1u);
  const std::vector<std::string> urls_again =
      test::ParsedFeed(test::read_file(dir.file("again/feed.xml"))).all("//item/enclosure/@url");
  const auto budget = std::find(urls.begin(), urls.end(), std::string(kBaseUrl) + "budget.mp3");
  ASSERT_NE(budget, urls.end());
  EXPECT_EQ(urls_again, std::vector<std::string>{std::string(kBaseUrl) + "budget.mp3"});
  EXPECT_EQ(second[0], first[static_cast<std::size_t>(budget - urls.begin())]);
  EXPECT_EQ(std::set<std::string>(first.begin(), first.end()).size(), 3u) << "GUIDs are distinct";
}

TEST(FeedNpm, RssParserReadsEachItemAsTheFilesAre) {
  const std::string node = test::find_on_path("node");
  if (node.empty()) GTEST_SKIP() << "node is not on the PATH (setup.sh test installs it)";
  const fs::path clients = NARRATOR_SERVICE_CLIENTS_DIR;
  if (!fs::exists(clients / "node_modules" / "rss-parser")) {
    GTEST_SKIP() << "rss-parser is not installed in " << clients.string()
                 << " (setup.sh test installs it with npm ci from tests/service)";
  }
  const test::TempDir dir;
  write_articles(dir);
  fs::create_directories(dir.path() / "out");
  speak_harvest(dir, "out");
  const std::string feed_path = dir.file("out/feed.xml");
  expect_ok(test::run_narrate({"batch", dir.file("in"), "--out-dir", dir.file("out"), "--voice",
                               "en-us", "--feed", feed_path, "--base-url", kBaseUrl}),
            "batch --feed");
  test::ChildProcess parser(
      {node, (fs::path(NARRATOR_SOURCE_DIR) / "tests/service/feed_check.mjs").string(),
       clients.string(), feed_path});
  const test::ProcessResult parsed = parser.wait(std::chrono::seconds(60));
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  const nlohmann::json feed = nlohmann::json::parse(parsed.out);
  EXPECT_EQ(feed.at("title"), "out");
  EXPECT_EQ(feed.at("podcastGuid"),
            test::ParsedFeed(test::read_file(feed_path)).one("/rss/channel/podcast:guid"));
  const nlohmann::json& items = feed.at("items");
  ASSERT_EQ(items.size(), 3u);
  const std::vector<std::string> guids = item_guids(feed_path);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const nlohmann::json& item = items[i];
    const std::string url = item.at("enclosure").at("url");
    const fs::path file = dir.path() / "out" / url.substr(std::string(kBaseUrl).size());
    SCOPED_TRACE(file.string());
    EXPECT_EQ(item.at("enclosure").at("length"), std::to_string(fs::file_size(file)));
    EXPECT_EQ(item.at("enclosure").at("type"), "audio/mpeg");
    EXPECT_NEAR(duration_s(item.at("duration")), test::decode_file(file.string()).duration_s(),
                1.0);
    EXPECT_EQ(item.at("guid"), guids[i]);
    const bool harvest = file.stem() == "harvest";
    EXPECT_EQ(item.at("transcript").is_null(), !harvest);
    if (harvest) {
      EXPECT_EQ(item.at("title"), "harvest");
      EXPECT_EQ(item.at("isoDate"), "2024-03-05T09:00:00.000Z");
      EXPECT_EQ(item.at("creator"), "Jane Smith");
      EXPECT_EQ(item.at("author"), "Jane Smith");
      EXPECT_EQ(item.at("transcript").at("url"), std::string(kBaseUrl) + "harvest.vtt");
      EXPECT_EQ(item.at("transcript").at("type"), "text/vtt");
    }
  }
}

}  // namespace
}  // namespace narrator
