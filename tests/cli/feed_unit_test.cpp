// The podcast feed's pieces without a narration: UUIDs (RFC 4122's and the Podcasting 2.0
// namespace's examples), dates, enclosure URLs, a folder of hand-made manifests read into items,
// its errors, and the XML parsed back (escaping, namespaces, the tags each item carries).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "feed.hpp"
#include "feed_xpath.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator::cli {
namespace {

namespace fs = std::filesystem;

TEST(FeedIds, UuidV5MatchesTheStandardsExamples) {
  // Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"), from its documentation.
  EXPECT_EQ(uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  // The podcast:guid example of the Podcasting 2.0 namespace's documentation.
  EXPECT_EQ(channel_guid("https://mp3s.nashownotes.com/pc20rss.xml"),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810");
  EXPECT_EQ(channel_guid("http://mp3s.nashownotes.com/pc20rss.xml/"),
            channel_guid("mp3s.nashownotes.com/pc20rss.xml"));
  EXPECT_THROW(uuid_v5("not-a-uuid", "x"), Error);
}

TEST(FeedIds, AnArticlesGuidDependsOnItsIdentityOnly) {
  EXPECT_EQ(article_guid("budget.txt"), article_guid("budget.txt"));
  EXPECT_NE(article_guid("budget.txt"), article_guid("bridge.txt"));
  EXPECT_EQ(article_guid("budget.txt").size(), 36u);
}

TEST(FeedDates, Iso8601DatesAndTimesInAnyZone) {
  EXPECT_EQ(iso8601_seconds("1970-01-01"), 0);
  EXPECT_EQ(iso8601_seconds("2024-03-05T09:00:00Z"), 1709629200);
  EXPECT_EQ(iso8601_seconds("2024-03-05T09:00:00"), 1709629200);
  EXPECT_EQ(iso8601_seconds("2024-03-05 09:00"), 1709629200);
  EXPECT_EQ(iso8601_seconds("2024-03-05T12:00:00.250+03:00"), 1709629200);
  EXPECT_EQ(iso8601_seconds("2024-03-05T04:00:00-0500"), 1709629200);
  EXPECT_EQ(iso8601_seconds("2024-02-29"), 1709164800);
  for (const char* bad : {"", "March 5, 2024", "2023-02-29", "2024-13-01", "2024-03-05T25:00",
                          "2024-03-05T09:00:00+3", "2024-03-05x", "2024"}) {
    EXPECT_FALSE(iso8601_seconds(bad)) << bad;
  }
}

TEST(FeedDates, Rfc822InUtc) {
  EXPECT_EQ(rfc822_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc822_date(1709629200), "Tue, 05 Mar 2024 09:00:00 +0000");
  EXPECT_EQ(rfc822_date(1709164800 + 86399), "Thu, 29 Feb 2024 23:59:59 +0000");
  EXPECT_EQ(rfc822_date(-1), "Wed, 31 Dec 1969 23:59:59 +0000");
}

TEST(FeedUrls, FileNamesArePercentEncoded) {
  EXPECT_EQ(enclosure_url("https://example.org/pod", "a b/\xc3\xa9&?.mp3"),
            "https://example.org/pod/a%20b%2F%C3%A9%26%3F.mp3");
  EXPECT_EQ(enclosure_url("https://example.org/pod/", "Story_1-2~.mp3"),
            "https://example.org/pod/Story_1-2~.mp3");
}

// A narration made by hand: NAME.json beside NAME.EXT of `bytes` bytes.
void add_narration(const fs::path& dir, const std::string& name, const std::string& extension,
                   std::size_t bytes, const nlohmann::json& metadata,
                   std::int64_t duration_ms = 61'400) {
  test::write_file(dir / (name + extension), std::string(bytes, 'x'));
  nlohmann::json manifest = {{"manifest_version", 2},
                             {"input", {{"path", "/srv/articles/" + name + ".txt"}}},
                             {"output", "out/" + name + extension},
                             {"audio", {{"bytes", bytes}, {"sha256", "0"}}},
                             {"metadata", metadata},
                             {"duration_ms", duration_ms}};
  test::write_file(dir / (name + ".json"), manifest.dump());
}

FeedOptions options_for(const fs::path& dir) {
  FeedOptions options;
  options.dir = dir.string();
  options.output = (dir / "feed.xml").string();
  options.base_url = "https://example.org/audio/";
  return options;
}

TEST(FeedItems, ComeFromTheManifestsAndTheFiles) {
  const test::TempDir dir;
  add_narration(dir.path(), "older", ".ogg", 1234,
                {{"title", "Older"}, {"byline", ""}, {"date", "2024-03-04"}});
  add_narration(dir.path(), "newer", ".mp3", 4321,
                {{"title", "Newer"}, {"byline", "Jane Smith"}, {"date", "2024-03-05T09:00Z"}});
  test::write_file(dir.path() / "newer.vtt", "WEBVTT\n");
  add_narration(dir.path(), "undated", ".flac", 10, {{"title", ""}, {"date", "last Tuesday"}});
  const fs::path undated_manifest = dir.path() / "undated.json";
  const utimbuf times{1600000000, 1600000000};
  ASSERT_EQ(::utime(undated_manifest.c_str(), &times), 0);
  test::write_file(dir.path() / "settings.json", "{\"not\": \"a manifest\"}");

  const FeedContents contents = read_feed_items(dir.path().string());
  ASSERT_EQ(contents.items.size(), 3u);
  ASSERT_EQ(contents.warnings.size(), 1u);
  EXPECT_NE(contents.warnings[0].find("settings.json: not a narrate manifest"), std::string::npos);
  const FeedItem& newer = contents.items[0];
  EXPECT_EQ(newer.title, "Newer");
  EXPECT_EQ(newer.byline, "Jane Smith");
  EXPECT_EQ(newer.published_s, 1709629200);
  EXPECT_EQ(newer.audio_file, "newer.mp3");
  EXPECT_EQ(newer.audio_bytes, 4321u);
  EXPECT_EQ(newer.mime_type, "audio/mpeg");
  EXPECT_EQ(newer.transcript_file, "newer.vtt");
  EXPECT_EQ(newer.guid, article_guid("newer.txt"));
  EXPECT_EQ(contents.items[1].title, "Older");
  EXPECT_EQ(contents.items[1].mime_type, "audio/ogg");
  EXPECT_TRUE(contents.items[1].transcript_file.empty());
  const FeedItem& undated = contents.items[2];
  EXPECT_EQ(undated.title, "undated") << "no title: the file's name";
  EXPECT_EQ(undated.published_s, 1600000000) << "no ISO date: the manifest's time";
  EXPECT_EQ(undated.mime_type, "audio/flac");
}

TEST(FeedXml, CarriesEveryTagEscaped) {
  const test::TempDir dir;
  add_narration(dir.path(), "caf\xc3\xa9 story", ".mp3", 4321,
                {{"title", "Tom & Jerry <live> \"now\"\x01"},
                 {"byline", "Jane Smith"},
                 {"date", "2024-03-05T09:00:00Z"}},
                3'725'600);
  test::write_file(dir.path() / "caf\xc3\xa9 story.vtt", "WEBVTT\n");
  FeedOptions options = options_for(dir.path());
  options.title = "News & Views";
  options.author = "The <Daily> Example";
  options.image = "https://example.org/cover.png";
  const std::string xml = feed_xml(options, read_feed_items(options.dir).items);
  const test::ParsedFeed feed(xml);
  EXPECT_EQ(feed.one("/rss/@version"), "2.0");
  EXPECT_EQ(feed.one("/rss/channel/title"), "News & Views");
  EXPECT_EQ(feed.one("/rss/channel/itunes:author"), "The <Daily> Example");
  EXPECT_EQ(feed.one("/rss/channel/itunes:image/@href"), "https://example.org/cover.png");
  EXPECT_EQ(feed.one("/rss/channel/atom:link/@href"), "https://example.org/audio/feed.xml");
  EXPECT_EQ(feed.one("/rss/channel/podcast:guid"),
            channel_guid("https://example.org/audio/feed.xml"));
  EXPECT_EQ(feed.one("//item/title"), "Tom & Jerry <live> \"now\"");
  EXPECT_EQ(feed.one("//item/itunes:author"), "Jane Smith");
  EXPECT_EQ(feed.one("//item/dc:creator"), "Jane Smith");
  EXPECT_EQ(feed.one("//item/pubDate"), "Tue, 05 Mar 2024 09:00:00 +0000");
  EXPECT_EQ(feed.one("//item/guid/@isPermaLink"), "false");
  EXPECT_EQ(feed.one("//item/guid"), article_guid("caf\xc3\xa9 story.txt"));
  EXPECT_EQ(feed.one("//item/enclosure/@url"), "https://example.org/audio/caf%C3%A9%20story.mp3");
  EXPECT_EQ(feed.one("//item/enclosure/@length"), "4321");
  EXPECT_EQ(feed.one("//item/enclosure/@type"), "audio/mpeg");
  EXPECT_EQ(feed.one("//item/itunes:duration"), "1:02:06");
  EXPECT_EQ(feed.one("//item/podcast:transcript/@url"),
            "https://example.org/audio/caf%C3%A9%20story.vtt");
  EXPECT_EQ(feed.one("//item/podcast:transcript/@type"), "text/vtt");
  EXPECT_EQ(feed.one("//item/podcast:transcript/@rel"), "captions");
}

void expect_feed_error(const FeedOptions& options, ErrorCategory category,
                       const std::string& part) {
  try {
    write_feed(options);
    ADD_FAILURE() << "no error; wanted " << part;
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), category) << error.what();
    EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
  EXPECT_FALSE(fs::exists(options.output)) << "a failed feed leaves no file";
}

TEST(FeedErrors, NameTheFileAndWhatToDo) {
  const test::TempDir dir;
  FeedOptions options = options_for(dir.path());
  expect_feed_error(options, ErrorCategory::kInput, "holds no narrations");
  expect_feed_error(options, ErrorCategory::kInput, "narrate batch ARTICLES --out-dir");

  add_narration(dir.path(), "good", ".mp3", 100, {{"title", "Good"}});
  test::write_file(dir.path() / "broken.json", "{\"manifest_version\": 2,");
  expect_feed_error(options, ErrorCategory::kInput, "broken.json: the manifest is not valid JSON");
  fs::remove(dir.path() / "broken.json");

  add_narration(dir.path(), "resized", ".mp3", 100, {{"title", "Resized"}});
  test::write_file(dir.path() / "resized.mp3", std::string(99, 'x'));
  expect_feed_error(options, ErrorCategory::kInput, "is 99 bytes, not the 100 it records");
  fs::remove(dir.path() / "resized.mp3");
  expect_feed_error(options, ErrorCategory::kInput, "resized.json: its audio");
  fs::remove(dir.path() / "resized.json");

  options.base_url = "ftp://example.org/";
  expect_feed_error(options, ErrorCategory::kUsage, "--base-url 'ftp://example.org/' is not a web");
  options.base_url = "https://example.org/";
  options.image = "cover.png";
  expect_feed_error(options, ErrorCategory::kUsage, "--image 'cover.png'");
  options.image.clear();
  options.output = (dir.path() / "missing" / "feed.xml").string();
  expect_feed_error(options, ErrorCategory::kOutput, "missing");

  options.output = (dir.path() / "feed.xml").string();
  EXPECT_TRUE(write_feed(options).empty());
  EXPECT_EQ(test::ParsedFeed(test::read_file(options.output)).one("//item/title"), "Good");
}

}  // namespace
}  // namespace narrator::cli
