// The manifest a pipeline keeps, and `narrate batch`: parallel workers, a bad article reported
// while the others are narrated, unchanged articles skipped on the next run, and an article redone
// when anything it was made from changed: its settings, a lexicon's content, or audio that is not
// the one its manifest describes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

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

// --- the manifest tied to its input and audio, and what batch redoes (tiny inputs, en-us) ---

constexpr std::string_view kShortStory =
    "Council votes\n\nThe council met on Monday. It voted to repair the bridge.\n";

nlohmann::json read_json(const std::string& path) {
  return nlohmann::json::parse(test::read_file(path));
}

// The manifest records the size and SHA-256 of the audio file beside it.
void expect_describes_audio(const nlohmann::json& manifest, const std::string& audio) {
  const std::string bytes = test::read_file(audio);
  ASSERT_TRUE(manifest.at("audio").is_object()) << manifest.dump();
  EXPECT_EQ(manifest.at("audio").at("bytes").get<std::size_t>(), bytes.size()) << audio;
  EXPECT_EQ(manifest.at("audio").at("sha256"), sha256(bytes)) << audio;
}

TEST(Manifest, HashesTheBytesReadTheSameByFileAndByStdin) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), std::string(kShortStory));
  // The intro and disclaimer are added to what is spoken, not to what was read.
  const std::vector<std::string> common{"--voice", "en-us", "--intro", "--disclaimer", "-q"};
  std::vector<std::string> by_file{dir.file("story.txt"), "-o", dir.file("file.wav"), "--manifest",
                                   dir.file("file.json")};
  by_file.insert(by_file.end(), common.begin(), common.end());
  std::vector<std::string> by_stdin{"-", "-o", dir.file("stdin.wav"), "--manifest",
                                    dir.file("stdin.json")};
  by_stdin.insert(by_stdin.end(), common.begin(), common.end());
  test::ProcessOptions piped;
  piped.stdin_data = std::string(kShortStory);

  const test::ProcessResult file = test::run_narrate(by_file);
  ASSERT_EQ(file.exit_code, 0) << file.err;
  const test::ProcessResult stdin_run = test::run_narrate(by_stdin, piped);
  ASSERT_EQ(stdin_run.exit_code, 0) << stdin_run.err;
  const nlohmann::json from_file = read_json(dir.file("file.json"));
  const nlohmann::json from_stdin = read_json(dir.file("stdin.json"));
  EXPECT_EQ(from_file.at("input").at("sha256"), sha256(std::string(kShortStory)));
  EXPECT_EQ(from_stdin.at("input").at("sha256"), sha256(std::string(kShortStory)));
  expect_describes_audio(from_file, dir.file("file.wav"));
  expect_describes_audio(from_stdin, dir.file("stdin.wav"));
}

// A FIFO can be read only once: a manifest hashed by reading the article again would wait for a
// writer that never comes. The hash is of the bytes the narration read.
TEST(Manifest, HashesTheInputAsReadOnceNotReadAgain) {
  const test::TempDir dir;
  const std::string fifo = dir.file("story.txt");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  test::ChildProcess narrate({test::narrate_path(), fifo, "-o", dir.file("out.wav"), "--manifest",
                              dir.file("out.json"), "--voice", "en-us", "-q"});
  // Wait (bounded) for narrate to open the FIFO, then write the article once and close it.
  int writer = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (writer < 0 && std::chrono::steady_clock::now() < deadline) {
    writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (writer < 0 && errno != ENXIO) break;
    if (writer < 0) std::this_thread::yield();  // ENXIO: no reader yet
  }
  ASSERT_GE(writer, 0) << "narrate never opened its input: " << std::strerror(errno);
  ASSERT_EQ(::write(writer, kShortStory.data(), kShortStory.size()),
            static_cast<ssize_t>(kShortStory.size()));
  ::close(writer);
  const test::ProcessResult result = narrate.wait(std::chrono::seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json manifest = read_json(dir.file("out.json"));
  EXPECT_EQ(manifest.at("input").at("sha256"), sha256(std::string(kShortStory)));
  expect_describes_audio(manifest, dir.file("out.wav"));
}

test::ProcessResult batch_en_us(const test::TempDir& dir, const std::vector<std::string>& extra,
                                const test::ProcessOptions& options = {}) {
  std::vector<std::string> args{"batch",    dir.file("in"), "--out-dir", dir.file("out"),
                                "--format", "wav",          "--voice",   "en-us"};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::run_narrate(args, options);
}

// The status batch's table gives the article in/NAME.
std::string status_of(const test::ProcessResult& result, const std::string& name) {
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.ends_with("/in/" + name) || line.find("/in/" + name + ":") != std::string::npos) {
      return line.substr(0, line.find(' '));
    }
  }
  return "(not in the table)";
}

TEST(Batch, RedoesAnArticleWhoseAudioDoesNotMatchItsManifest) {
  const test::TempDir dir;
  fs::create_directories(dir.path() / "in");
  test::write_file(dir.file("in/story.txt"), std::string(kShortStory));
  const test::ProcessResult first = batch_en_us(dir, {});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(status_of(first, "story.txt"), "done") << first.out;
  const std::string first_audio = test::read_file(dir.file("out/story.wav"));
  const std::string first_manifest = test::read_file(dir.file("out/story.json"));
  expect_describes_audio(nlohmann::json::parse(first_manifest), dir.file("out/story.wav"));

  // Other settings, and the worker dies between the audio's rename and the manifest's (the test
  // hook in cli/side_files.cpp): new audio beside the old manifest.
  test::ProcessOptions crash;
  crash.env["NARRATE_TEST_EXIT_BEFORE_MANIFEST"] = "1";
  const test::ProcessResult crashed = batch_en_us(dir, {"--rate", "240"}, crash);
  EXPECT_EQ(crashed.exit_code, 3) << crashed.err;
  EXPECT_EQ(status_of(crashed, "story.txt"), "failed") << crashed.out;
  EXPECT_EQ(test::read_file(dir.file("out/story.json")), first_manifest);
  ASSERT_NE(test::read_file(dir.file("out/story.wav")), first_audio)
      << "the worker did not get as far as the audio's rename";

  // The first settings again: the manifest records them, but not this audio; redone.
  const test::ProcessResult again = batch_en_us(dir, {});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(status_of(again, "story.txt"), "done") << again.out;
  expect_describes_audio(read_json(dir.file("out/story.json")), dir.file("out/story.wav"));
  EXPECT_EQ(test::read_file(dir.file("out/story.wav")), first_audio);

  // Now audio and manifest agree: skipped.
  const test::ProcessResult settled = batch_en_us(dir, {});
  EXPECT_EQ(status_of(settled, "story.txt"), "skipped") << settled.out;
}

TEST(Batch, RedoesAnArticleWhenALexiconFileIsEdited) {
  const test::TempDir dir;
  fs::create_directories(dir.path() / "in");
  test::write_file(dir.file("in/story.txt"), "Hrodna council met on Monday.\n");
  const std::string lexicon = dir.file("house.tsv");
  test::write_file(lexicon, "Hrodna\tˈhrɒdnə\thouse style guide\n");
  const std::vector<std::string> with_lexicon{"--lexicon", lexicon};

  const test::ProcessResult first = batch_en_us(dir, with_lexicon);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(status_of(first, "story.txt"), "done") << first.out;
  const test::ProcessResult unchanged = batch_en_us(dir, with_lexicon);
  EXPECT_EQ(status_of(unchanged, "story.txt"), "skipped") << unchanged.out;

  // Same file name, another pronunciation.
  const std::string edited = "Hrodna\tˈhrɔdnɑː\thouse style guide\n";
  test::write_file(lexicon, edited);
  const test::ProcessResult after_edit = batch_en_us(dir, with_lexicon);
  ASSERT_EQ(after_edit.exit_code, 0) << after_edit.err;
  EXPECT_EQ(status_of(after_edit, "story.txt"), "done") << after_edit.out;
  const nlohmann::json lexicons =
      read_json(dir.file("out/story.json")).at("settings").at("lexicons");
  ASSERT_EQ(lexicons.size(), 1u) << lexicons.dump();
  EXPECT_EQ(lexicons[0].at("sha256"), sha256(edited));
}

TEST(Batch, PassesTheMetadataOverridesToTheWorkers) {
  const test::TempDir dir;
  fs::create_directories(dir.path() / "in");
  test::write_file(dir.file("in/story.txt"), std::string(kShortStory));
  const test::ProcessResult plain = batch_en_us(dir, {"--intro"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const nlohmann::json without = read_json(dir.file("out/story.json"));

  const test::ProcessResult given =
      batch_en_us(dir, {"--intro", "--publication", "Northern Ledger"});
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_EQ(status_of(given, "story.txt"), "done") << "the override changes the settings";
  const nlohmann::json with = read_json(dir.file("out/story.json"));
  EXPECT_EQ(with.at("metadata").at("publication"), "Northern Ledger");
  EXPECT_EQ(with.at("settings").at("metadata").at("publication"), "Northern Ledger");
  // The intro gains its second sentence, "From Northern Ledger.": three words.
  EXPECT_EQ(with.at("word_count").get<int>(), without.at("word_count").get<int>() + 3)
      << with.dump(2);
}

// "-story.txt" alone is refused as an option (the matrix has that row); after "--" it is a file,
// and its worker is not misled by the name either.
TEST(Batch, NarratesAFileNamedLikeAnOptionAfterDoubleDash) {
  const test::TempDir dir;
  test::write_file(dir.file("-story.txt"), std::string(kShortStory));
  test::ProcessOptions here;
  here.working_dir = dir.path().string();
  const test::ProcessResult result = test::run_narrate(
      {"batch", "--out-dir", "out", "--format", "wav", "--voice", "en-us", "--", "-story.txt"},
      here);
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  expect_describes_audio(read_json(dir.file("out/-story.json")), dir.file("out/-story.wav"));
}

TEST(Batch, BadJobCountIsAUsageError) {
  const test::TempDir dir;
  const test::ProcessResult result =
      test::run_narrate({"batch", kPages.string(), "--out-dir", dir.file("out"), "-j", "0"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("-j 0"), std::string::npos) << result.err;
}

// --- batch --encoding (issue 22): every article is read in the encoding named ---

TEST(Batch, EncodingOptionReachesEveryWorkerAndItsManifest) {
  const test::TempDir dir;
  fs::create_directories(dir.path() / "in");
  // "Café" in windows-1252: not UTF-8, so it cannot be read without the encoding.
  test::write_file(dir.file("in/cafe.txt"), "The caf\xE9 opens on Monday.\n");
  test::write_file(dir.file("in/plain.txt"), "The council met on Monday.\n");
  const test::ProcessResult without = batch_en_us(dir, {});
  EXPECT_EQ(without.exit_code, 3) << without.err;
  EXPECT_EQ(status_of(without, "cafe.txt"), "failed") << without.out;

  const test::ProcessResult with = batch_en_us(dir, {"--encoding", "windows-1252"});
  ASSERT_EQ(with.exit_code, 0) << with.err;
  EXPECT_EQ(status_of(with, "cafe.txt"), "done") << with.out;
  EXPECT_EQ(status_of(with, "plain.txt"), "done") << with.out << " (new settings: redone)";
  const nlohmann::json manifest = read_json(dir.file("out/cafe.json"));
  EXPECT_EQ(manifest.at("settings").at("encoding"), "windows-1252") << manifest.dump();
  EXPECT_EQ(manifest.at("word_count").get<int>(), 5) << manifest.dump();
  const test::ProcessResult again = batch_en_us(dir, {"--encoding", "windows-1252"});
  EXPECT_EQ(status_of(again, "cafe.txt"), "skipped") << again.out;
}

}  // namespace
}  // namespace narrator
