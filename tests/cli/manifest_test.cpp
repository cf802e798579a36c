// The manifest's pieces: file digests read in pieces, a settings key that covers every option that
// changes the narration (lexicon contents and metadata overrides included), and the audio record
// that ties a manifest to the audio beside it.
#include "manifest.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "temp_dir.hpp"

namespace narrator::cli {
namespace {

// FIPS 180-2's "abc" example.
constexpr std::string_view kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(FileDigest, SizeAndSha256OfTheFile) {
  const test::TempDir dir;
  test::write_file(dir.file("abc"), "abc");
  const FileDigest digest = file_digest(dir.file("abc"), "test file");
  EXPECT_EQ(digest.bytes, 3u);
  EXPECT_EQ(digest.sha256, kAbcSha256);
  EXPECT_EQ(sha256_hex("abc"), kAbcSha256);
}

TEST(FileDigest, ReadsALongFileInPieces) {
  const test::TempDir dir;
  std::string content;
  for (int i = 0; content.size() < 200'000; ++i) content += std::to_string(i) + ' ';
  test::write_file(dir.file("long"), content);
  const FileDigest digest = file_digest(dir.file("long"), "test file");
  EXPECT_EQ(digest.bytes, content.size());
  EXPECT_EQ(digest.sha256, sha256_hex(content));
}

TEST(FileDigest, AMissingFileIsAnErrorNamingIt) {
  const test::TempDir dir;
  try {
    file_digest(dir.file("gone.wav"), "narration", ErrorCategory::kOutput);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kOutput);
    EXPECT_NE(std::string(error.what()).find("gone.wav: cannot open the narration"),
              std::string::npos)
        << error.what();
  }
}

TEST(SettingsKey, ALexiconIsKnownByItsContent) {
  const test::TempDir dir;
  CliOptions options;
  options.engine.lexicon_files = {dir.file("house.tsv")};
  test::write_file(dir.file("house.tsv"), "Hrodna\tˈhrɒdnə\n");
  const std::string before = settings_key(options, "mp3");
  EXPECT_EQ(settings_key(options, "mp3"), before) << "the same content, the same key";
  test::write_file(dir.file("house.tsv"), "Hrodna\tˈhrɔdnɑː\n");
  const std::string after = settings_key(options, "mp3");
  EXPECT_NE(after, before);
  EXPECT_EQ(nlohmann::json::parse(after).at("lexicons")[0].at("sha256"),
            sha256_hex("Hrodna\tˈhrɔdnɑː\n"));
}

TEST(SettingsKey, CoversTheMetadataOverridesAndTheEncoding) {
  const CliOptions plain;
  const std::string base = settings_key(plain, "mp3");
  const auto changed = [&](auto&& change) {
    CliOptions options;
    change(options);
    return settings_key(options, "mp3") != base;
  };
  EXPECT_TRUE(changed([](CliOptions& o) { o.metadata.title = "Another headline"; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.metadata.byline = "A. Writer"; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.metadata.publication = "Northern Ledger"; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.metadata.date = "2025-09-13"; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.framing.intro = true; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.engine.voice.rate_wpm = 200; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.loudness = "-20"; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.output_rate_hz = 44100; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.lossy = true; }));
  EXPECT_TRUE(changed([](CliOptions& o) { o.input_format = InputFormat::kHtml; }));
  EXPECT_FALSE(changed([](CliOptions& o) { o.quiet = true; })) << "quiet changes no output";
  EXPECT_NE(settings_key(plain, "wav"), base);
  EXPECT_EQ(canonical_settings(base), canonical_settings(settings_key(plain, "mp3")));
}

TEST(ManifestKey, ReadsBackTheAudioRecord) {
  const Article article;
  const NarrationSummary summary;
  const TimingCollector timing(article, 22050);
  const std::vector<Diagnostic> diagnostics;
  const CliOptions options;
  const std::string settings = settings_key(options, "wav");
  const std::string json = manifest_json(
      ManifestInput{"story.txt", std::string(kAbcSha256), settings, "story.wav",
                    FileDigest{1234, "00ff"}, &article, &summary, &timing, &diagnostics});
  const ManifestKey key = read_manifest_key(json);
  EXPECT_EQ(key.input_sha256, kAbcSha256);
  EXPECT_EQ(key.settings, canonical_settings(settings));
  ASSERT_TRUE(key.audio.has_value());
  EXPECT_EQ(key.audio->bytes, 1234u);
  EXPECT_EQ(key.audio->sha256, "00ff");

  // A manifest of stdout's audio (or an older manifest) has no record: nothing to match.
  const std::string none =
      manifest_json(ManifestInput{"story.txt", std::string(kAbcSha256), settings, "-", std::nullopt,
                                  &article, &summary, &timing, &diagnostics});
  EXPECT_TRUE(nlohmann::json::parse(none).at("audio").is_null());
  EXPECT_FALSE(read_manifest_key(none).audio.has_value());
}

}  // namespace
}  // namespace narrator::cli
