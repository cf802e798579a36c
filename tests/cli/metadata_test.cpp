// The article's metadata as a listener and a player see it: tags read back from the encoded file,
// the optional intro and disclaimer in the exact script, and the command line's overrides.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "audio_analysis.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

const std::string kPage = (fs::path(NARRATOR_TEST_DATA_DIR) / "pages" / "newspaper.txt").string();

struct Tags {
  std::string title, artist, album, date, comment;
};

Tags read_tags(const std::string& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) {
    ADD_FAILURE() << path << ": " << sf_strerror(nullptr);
    return {};
  }
  const auto get = [&](int field) {
    const char* value = sf_get_string(file, field);
    return std::string(value ? value : "");
  };
  Tags tags{get(SF_STR_TITLE), get(SF_STR_ARTIST), get(SF_STR_ALBUM), get(SF_STR_DATE),
            get(SF_STR_COMMENT)};
  sf_close(file);
  return tags;
}

class TagsReadBack : public ::testing::TestWithParam<std::string> {};

TEST_P(TagsReadBack, CarryTheArticlesMetadata) {
  const std::string extension = GetParam();
  const test::TempDir dir;
  const std::string out = dir.file("story." + extension);
  const test::ProcessResult result =
      test::run_narrate({kPage, "-o", out, "--date", "April 14, 2025", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Tags tags = read_tags(out);
  EXPECT_EQ(tags.title, "Minsk council approves new tram line to Uruchcha");
  EXPECT_EQ(tags.artist, "Maria Petrova");
  EXPECT_EQ(tags.album, "Northern Ledger");
  // ID3 (through LAME) stores the year only.
  EXPECT_EQ(tags.date, extension == "mp3" ? "2025" : "April 14, 2025");
  EXPECT_NE(tags.comment.find("computer voice"), std::string::npos) << tags.comment;
}

INSTANTIATE_TEST_SUITE_P(Formats, TagsReadBack,
                         ::testing::Values("mp3", "ogg", "flac", "wav", "opus"));

// The tags as another program reads them: mutagen (python3-mutagen), not libsndfile or TagLib. For
// ID3 (MP3, and WAV's "id3 " chunk) it also gives the tag's version, every text frame's encoding
// (3 is UTF-8) and whether an ID3v1 trailer is there.
constexpr const char* kMutagenScript = R"(
import json, sys
import mutagen
from mutagen.id3 import ID3
audio = mutagen.File(sys.argv[1])
tags = audio.tags
out = {"length_s": audio.info.length}
if isinstance(tags, ID3):
    def text(frame_id):
        frames = tags.getall(frame_id)
        return str(frames[0].text[0]) if frames else ""
    out.update(title=text("TIT2"), artist=text("TPE1"), album=text("TALB"), date=text("TDRC"),
               comment=text("COMM"), version="2.%d" % tags.version[1],
               encodings=sorted({int(f.encoding) for f in tags.values() if hasattr(f, "encoding")}))
    with open(sys.argv[1], "rb") as raw:
        raw.seek(-128, 2)
        out["id3v1"] = raw.read(3) == b"TAG"
else:
    def text(key):
        values = tags.get(key) if tags is not None else None
        return values[0] if values else ""
    out.update(title=text("title"), artist=text("artist"), album=text("album"), date=text("date"),
               comment=text("comment"))
print(json.dumps(out))
)";

// Debian's python3, where python3-mutagen installs; nullopt when mutagen is not there.
std::optional<std::string> python_with_mutagen() {
  static const std::optional<std::string> found = []() -> std::optional<std::string> {
    const std::string python = "/usr/bin/python3";
    if (!fs::exists(python)) return std::nullopt;
    test::ChildProcess probe({python, "-c", "import mutagen"});
    if (probe.wait().exit_code != 0) return std::nullopt;
    return python;
  }();
  return found;
}

nlohmann::json read_tags_with_mutagen(const std::string& python, const std::string& path) {
  test::ChildProcess reader({python, "-c", kMutagenScript, path});
  const test::ProcessResult result = reader.wait();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? nlohmann::json::parse(result.out) : nlohmann::json::object();
}

// Latin letters outside ASCII, a typographic apostrophe, and Cyrillic: what LAME's ID3 frames,
// declared Latin-1 but holding UTF-8, used to garble.
const std::string kTitle = "Cichanoŭskaja’s café";
const std::string kByline = "Святлана Ціханоўская";
const std::string kPublication = "Наша Ніва";
const std::string kIsoDate = "2024-03-05T09:00:00Z";
const std::vector<std::string> kNonAsciiMetadata{
    "--title", kTitle,   "--byline", kByline, "--publication", kPublication,
    "--date",  kIsoDate, "--voice",  "en-us", "--quiet"};

void expect_exact_tags(const nlohmann::json& tags, bool id3) {
  EXPECT_EQ(tags.value("title", ""), kTitle);
  EXPECT_EQ(tags.value("artist", ""), kByline);
  EXPECT_EQ(tags.value("album", ""), kPublication);
  EXPECT_EQ(tags.value("comment", ""),
            "Read by a computer voice (eSpeak NG en-us); mispronunciations can occur.");
  if (!id3) {
    EXPECT_EQ(tags.value("date", ""), kIsoDate);
    return;
  }
  // An ID3v2.4 timestamp is UTC without the "Z"; mutagen prints its "T" as a space.
  EXPECT_EQ(tags.value("date", ""), "2024-03-05 09:00:00");
  EXPECT_EQ(tags.value("version", ""), "2.4");
  EXPECT_EQ(tags.value("encodings", nlohmann::json::array()), nlohmann::json::array({3}))
      << "every text frame in UTF-8";
  EXPECT_FALSE(tags.value("id3v1", true)) << "no Latin-1 ID3v1 trailer to contradict the tag";
}

struct ReaderCase {
  std::string extension;
  bool id3;       // MP3, WAV (its "id3 " chunk); else Vorbis comments
  bool lossless;  // decodes to the very samples
};

class NonAsciiTags : public ::testing::TestWithParam<ReaderCase> {};

TEST_P(NonAsciiTags, ReadBackExactlyByAnotherReaderAndTheAudioIsIntact) {
  const std::optional<std::string> python = python_with_mutagen();
  if (!python) {
    GTEST_SKIP() << "no mutagen for /usr/bin/python3; install Debian's python3-mutagen "
                    "(setup.sh test does)";
  }
  const ReaderCase& c = GetParam();
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "The council met on Monday. It voted.\n");
  const std::string out = dir.file("story." + c.extension);
  std::vector<std::string> args{dir.file("story.txt"), "-o", out};
  args.insert(args.end(), kNonAsciiMetadata.begin(), kNonAsciiMetadata.end());
  const test::ProcessResult result = test::run_narrate(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json tags = read_tags_with_mutagen(*python, out);
  expect_exact_tags(tags, c.id3);

  // The tags cost the audio nothing: libsndfile decodes it to the samples narrate gives on
  // stdout (or, lossy, to their duration), and mutagen agrees on the length.
  std::vector<std::string> raw_args{dir.file("story.txt"), "-o", "-", "--format", "raw"};
  raw_args.insert(raw_args.end(), kNonAsciiMetadata.begin(), kNonAsciiMetadata.end());
  const test::ProcessResult raw = test::run_narrate(raw_args);
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  std::vector<std::int16_t> samples(raw.out.size() / 2);
  std::memcpy(samples.data(), raw.out.data(), samples.size() * 2);
  const test::DecodedAudio audio = test::decode_file(out);
  ASSERT_GT(audio.sample_rate_hz, 0);
  const double expected_s = static_cast<double>(samples.size()) / audio.sample_rate_hz;
  if (c.lossless) {
    EXPECT_EQ(audio.samples, samples);
  } else {
    EXPECT_NEAR(audio.duration_s(), expected_s, expected_s * 0.02);
  }
  EXPECT_NEAR(tags.value("length_s", 0.0), expected_s, expected_s * 0.02);
}

INSTANTIATE_TEST_SUITE_P(Formats, NonAsciiTags,
                         ::testing::Values(ReaderCase{"mp3", true, false},
                                           ReaderCase{"ogg", false, false},
                                           ReaderCase{"flac", false, true},
                                           ReaderCase{"wav", true, true}),
                         [](const auto& info) { return info.param.extension; });

TEST(NonAsciiTags, Mp3OnStdoutCarriesTheSameTag) {
  const std::optional<std::string> python = python_with_mutagen();
  if (!python) GTEST_SKIP() << "no mutagen for /usr/bin/python3; install python3-mutagen";
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "The council met on Monday.\n");
  std::vector<std::string> args{dir.file("story.txt"), "-o", "-", "--format", "mp3"};
  args.insert(args.end(), kNonAsciiMetadata.begin(), kNonAsciiMetadata.end());
  const test::ProcessResult result = test::run_narrate(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, 4), std::string("ID3\x04", 4));
  test::write_file(dir.file("piped.mp3"), result.out);
  expect_exact_tags(read_tags_with_mutagen(*python, dir.file("piped.mp3")), true);
}

std::vector<std::string> script_lines(const std::vector<std::string>& args) {
  const test::ProcessResult result = test::run_narrate(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines;
  std::istringstream in(result.out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST(Framing, IntroSpeaksTitleAndPublicationAndDisclaimerEnds) {
  const std::vector<std::string> lines = script_lines({"script", kPage, "--intro", "--disclaimer"});
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0], "Minsk council approves new tram line to Uruchcha.");
  EXPECT_EQ(lines[1], "From Northern Ledger.");
  EXPECT_EQ(lines[2], "Minsk council approves new tram line to Uruchcha");  // the headline itself
  EXPECT_EQ(lines.back(),
            "This audio was generated by a computer voice; mispronunciations can occur.");
}

TEST(Framing, TemplatesAndOverrides) {
  const std::vector<std::string> lines = script_lines(
      {"script", kPage, "--intro", "--intro-text", "{publication} presents. By {byline}.",
       "--byline", "Ivan Sokal", "--disclaimer", "--disclaimer-text", "Read by a machine."});
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "Northern Ledger presents.");
  EXPECT_EQ(lines[1], "By Ivan Sokal.");
  EXPECT_EQ(lines.back(), "Read by a machine.");
}

TEST(Framing, UnknownPartsAreLeftOutAndAnEmptyIntroIsAWarning) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "Rain returns\n\nIt rained all day.\n");
  const std::vector<std::string> lines = script_lines({"script", dir.file("story.txt"), "--intro"});
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "Rain returns.") << "the sentence naming the unknown publication is left out";

  const test::ProcessResult none = test::run_narrate(
      {"script", dir.file("story.txt"), "--intro", "--intro-text", "From {publication}."});
  EXPECT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(none.err.find("no intro"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace narrator
