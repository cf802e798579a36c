// Every output format, decoded back and compared with the engine's own audio for the same article.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <sstream>

#include "audio_analysis.hpp"
#include "narrator/audio/memory_sink.hpp"
#include "narrator/engine.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

using test::kSilenceFloorRms;
// A short article: what these tests check is the files, and a whole sample takes seconds per
// format.
const std::string kSample =
    std::string(NARRATOR_SOURCE_DIR) + "/tests/data/articles/river-ferry.txt";

// The reference: the same article and default settings through the engine into memory.
const test::DecodedAudio& reference() {
  static const test::DecodedAudio audio = [] {
    NullDiagnostics diagnostics;
    const EngineConfig config;
    const Engine engine(config, diagnostics);
    MemorySink sink(engine.format());
    engine.narrate_to(read_article_file(kSample, {}, diagnostics), sink);
    return test::DecodedAudio{engine.format().sample_rate_hz, 1, sink.samples()};
  }();
  return audio;
}
const std::vector<std::int16_t>& reference_samples() { return reference().samples; }

struct FormatCase {
  std::string extension;
  bool lossless;
};

class OutputFormat : public ::testing::TestWithParam<FormatCase> {};

TEST_P(OutputFormat, DecodesToTheEngineAudio) {
  const FormatCase& c = GetParam();
  const test::TempDir dir;
  const std::string out = dir.file("story." + c.extension);
  const test::ProcessResult result = test::run_narrate({kSample, "-o", out});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("narrate: " + out + ": "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("real-time factor"), std::string::npos) << result.err;

  const test::DecodedAudio audio = test::decode_file(out);
  const test::DecodedAudio& engine_audio = reference();
  EXPECT_EQ(audio.sample_rate_hz, engine_audio.sample_rate_hz);
  EXPECT_EQ(audio.channels, 1);
  if (c.lossless) {
    EXPECT_EQ(audio.samples, engine_audio.samples);
  } else {
    const double expected_s = engine_audio.duration_s();
    EXPECT_NEAR(audio.duration_s(), expected_s, expected_s * 0.02);
  }
  EXPECT_GT(test::rms(audio.samples), kSilenceFloorRms);
}

INSTANTIATE_TEST_SUITE_P(Cli, OutputFormat,
                         ::testing::Values(FormatCase{"wav", true}, FormatCase{"flac", true},
                                           FormatCase{"mp3", false}, FormatCase{"ogg", false}),
                         [](const auto& info) { return info.param.extension; });

// Opus: two sentences with eSpeak NG's en-us, whose 22050 Hz Opus cannot take.
constexpr std::string_view kOpusText =
    "The ferry crossed the river at dawn. It carried forty cars.\n";

// The text's duration through the engine into memory.
double opus_text_duration_s() {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.name = "en-us";
  const Engine engine(config, diagnostics);
  MemorySink sink(engine.format());
  engine.narrate_to(read_article(std::string(kOpusText), "story.txt", {}, diagnostics), sink);
  return static_cast<double>(sink.samples().size()) / engine.format().sample_rate_hz;
}

// Resampled to 48000 Hz, as long as before and not silent.
void expect_opus_of_the_text(const test::DecodedAudio& audio) {
  EXPECT_EQ(audio.sample_rate_hz, 48000);
  EXPECT_EQ(audio.channels, 1);
  const double expected_s = opus_text_duration_s();
  EXPECT_NEAR(audio.duration_s(), expected_s, expected_s * 0.05);
  EXPECT_GT(test::rms(audio.samples), kSilenceFloorRms);
}

TEST(OutputFormat, OpusFileIsResampledTo48000) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), std::string(kOpusText));
  const std::string out = dir.file("story.opus");
  const test::ProcessResult result =
      test::run_narrate({dir.file("story.txt"), "-o", out, "--voice", "en-us", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_opus_of_the_text(test::decode_file(out));
}

TEST(OutputStream, OpusOnStdoutDecodes) {
  test::ProcessOptions options;
  options.stdin_data = std::string(kOpusText);
  const test::ProcessResult result = test::run_narrate(
      {"-", "-o", "-", "--format", "opus", "--voice", "en-us", "--quiet"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_GT(result.out.size(), 4u);
  EXPECT_EQ(result.out.substr(0, 4), "OggS");
  const test::TempDir dir;
  test::write_file(dir.file("piped.opus"), result.out);
  expect_opus_of_the_text(test::decode_file(dir.file("piped.opus")));
}

TEST(OutputStream, WavOnStdoutHasAStreamingHeaderAndTheSamples) {
  const test::ProcessResult result = test::run_narrate({kSample, "-o", "-", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.err.empty()) << result.err;
  ASSERT_GT(result.out.size(), 44u);
  EXPECT_EQ(result.out.substr(0, 4), "RIFF");
  EXPECT_EQ(result.out.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(result.out.substr(36, 4), "data");
  std::vector<std::int16_t> samples((result.out.size() - 44) / 2);
  std::memcpy(samples.data(), result.out.data() + 44, samples.size() * 2);
  EXPECT_EQ(samples, reference_samples());
}

TEST(OutputStream, RawOnStdoutIsBareSamplesAndStdinWorksAsInput) {
  test::ProcessOptions options;
  options.stdin_data = test::read_file(kSample);
  const test::ProcessResult result =
      test::run_narrate({"-", "-o", "-", "--format", "raw", "--quiet"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(result.out.size(), reference_samples().size() * 2);
  EXPECT_EQ(std::memcmp(result.out.data(), reference_samples().data(), result.out.size()), 0);
}

TEST(OutputStream, SpeakSubcommandEqualsTheShortForm) {
  const test::TempDir dir;
  ASSERT_EQ(test::run_narrate({"speak", kSample, "-o", dir.file("a.wav"), "-q"}).exit_code, 0);
  EXPECT_EQ(test::decode_file(dir.file("a.wav")).samples, reference_samples());
}

TEST(OutputStream, QuietPrintsNothingOnAPipe) {
  const test::TempDir dir;
  const test::ProcessResult result = test::run_narrate({kSample, "-o", dir.file("a.ogg"), "-q"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST(Voices, ListsLanguageNameAndGender) {
  const test::ProcessResult result = test::run_narrate({"voices"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("LANGUAGE", 0), 0u) << result.out;
  EXPECT_NE(result.out.find("GENDER"), std::string::npos);
  EXPECT_NE(result.out.find("\nen-us "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("English (America)"), std::string::npos);
}

// The text split into its UTF-8 characters (code points), as a terminal lays them out.
std::vector<std::string> characters(const std::string& line) {
  std::vector<std::string> out;
  for (const char c : line) {
    if ((static_cast<unsigned char>(c) & 0xC0) == 0x80 && !out.empty()) {
      out.back() += c;  // a continuation byte
    } else {
      out.emplace_back(1, c);
    }
  }
  return out;
}

// Each column starts where its heading does, on every row, though some languages are longer than
// the first column's old fixed width ("cmn-latn-pinyin", "chr-US-Qaaa-x-west").
TEST(Voices, ColumnsStayAlignedWhateverTheWidthOfACell) {
  const test::ProcessResult result = test::run_narrate({"voices"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream in(result.out);
  std::string header;
  ASSERT_TRUE(std::getline(in, header));
  std::vector<std::size_t> starts;
  for (const char* heading : {"NAME", "GENDER", "BACKEND", "RATE", "IDENTIFIER"}) {
    const std::size_t at = header.find(heading);  // the headings are ASCII
    ASSERT_NE(at, std::string::npos) << header;
    starts.push_back(at);
  }
  std::size_t longest_language = 0;
  std::size_t rows = 0;
  for (std::string line; std::getline(in, line); ++rows) {
    const std::vector<std::string> row = characters(line);
    longest_language = std::max(longest_language, line.find(' '));
    for (const std::size_t start : starts) {
      ASSERT_GT(row.size(), start) << line;
      EXPECT_TRUE(row[start - 1] == " " && row[start] != " ")
          << "a column does not start under its heading at " << start << ":\n"
          << header << "\n"
          << line;
    }
  }
  EXPECT_GT(rows, 50u);
  EXPECT_GT(longest_language, 14u) << "no long language code to test the alignment with";
}

TEST(VoiceOptions, RateChangesTheDuration) {
  const test::TempDir dir;
  ASSERT_EQ(
      test::run_narrate({kSample, "-o", dir.file("fast.wav"), "--rate", "300", "-q"}).exit_code, 0);
  const double fast_s = test::decode_file(dir.file("fast.wav")).duration_s();
  const double normal_s = reference().duration_s();
  EXPECT_LT(fast_s, normal_s * 0.8);
}

}  // namespace
}  // namespace narrator
