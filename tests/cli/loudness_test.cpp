// Loudness and output format as a listener gets them: measured in the decoded file with
// libebur128, and the sample rate, channels and duration read back.
#include <ebur128.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "audio_analysis.hpp"
#include "narrator/article.hpp"
#include "narrator/audio/output_processing.hpp"
#include "narrator/engine.hpp"
#include "narrator/narrator.h"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

const std::string kArticle = (fs::path(NARRATOR_TEST_DATA_DIR) / "pages/newspaper.txt").string();

struct Loudness {
  double lufs = 0;
  double true_peak_dbtp = 0;
};

Loudness measure(const test::DecodedAudio& audio) {
  struct Free {
    void operator()(ebur128_state* state) const { ebur128_destroy(&state); }
  };
  std::unique_ptr<ebur128_state, Free> state(ebur128_init(
      static_cast<unsigned>(audio.channels), static_cast<unsigned long>(audio.sample_rate_hz),
      EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
  EXPECT_TRUE(state);
  EXPECT_EQ(ebur128_add_frames_short(state.get(), audio.samples.data(), audio.frame_count()),
            EBUR128_SUCCESS);
  Loudness result;
  EXPECT_EQ(ebur128_loudness_global(state.get(), &result.lufs), EBUR128_SUCCESS);
  double peak = 0;
  for (int channel = 0; channel < audio.channels; ++channel) {
    double one = 0;
    ebur128_true_peak(state.get(), static_cast<unsigned>(channel), &one);
    peak = std::max(peak, one);
  }
  result.true_peak_dbtp = 20 * std::log10(peak);
  return result;
}

TEST(Loudness, Mp3IsNormalizedToMinus16ByDefault) {
  const test::TempDir dir;
  const test::ProcessResult result = test::run_narrate({kArticle, "-o", dir.file("out.mp3"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Loudness loudness = measure(test::decode_file(dir.file("out.mp3")));
  EXPECT_NEAR(loudness.lufs, -16.0, 0.5);
  EXPECT_LE(loudness.true_peak_dbtp, -1.0 + 0.5) << "MP3 coding may overshoot a little";
}

// The default belongs to the library: an MP3 written through the C++ API (Engine::narrate_to into
// open_output_file()) is as loud as narrate's.
TEST(Loudness, Mp3FromTheLibraryIsAsLoudAsNarrates) {
  const test::TempDir dir;
  CollectingDiagnostics diagnostics;
  const EngineConfig config;
  const Engine engine(config, diagnostics);
  const Article article = read_input_file(kArticle, std::nullopt, ReadOptions{}, diagnostics);
  const std::unique_ptr<AudioSink> sink =
      open_output_file(dir.file("api.mp3"), AudioFormat::kMp3, engine.format());
  engine.narrate_to(article, *sink);
  const test::ProcessResult result = test::run_narrate({kArticle, "-o", dir.file("cli.mp3"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Loudness api = measure(test::decode_file(dir.file("api.mp3")));
  const Loudness cli = measure(test::decode_file(dir.file("cli.mp3")));
  EXPECT_NEAR(api.lufs, -16.0, 0.5);
  EXPECT_NEAR(api.lufs, cli.lufs, 0.1) << "the library and narrate apply the same default";
  EXPECT_LE(api.true_peak_dbtp, -1.0 + 0.5) << "MP3 coding may overshoot a little";
}

TEST(Loudness, Mp3FromTheCApiIsAtTheDefaultLoudness) {
  const test::TempDir dir;
  narrator_engine* engine = narrator_create();
  ASSERT_NE(engine, nullptr);
  const std::string output = dir.file("c.mp3");
  EXPECT_EQ(narrator_synthesize_file(engine, kArticle.c_str(), output.c_str()), NARRATOR_OK)
      << narrator_last_error(engine);
  narrator_destroy(engine);
  EXPECT_NEAR(measure(test::decode_file(output)).lufs, -16.0, 0.5);
}

TEST(Loudness, TargetIsMetAndCanBeTurnedOff) {
  const test::TempDir dir;
  ASSERT_EQ(
      test::run_narrate({kArticle, "-o", dir.file("a.wav"), "--loudness", "-23", "-q"}).exit_code,
      0);
  ASSERT_EQ(test::run_narrate({kArticle, "-o", dir.file("b.wav"), "-q"}).exit_code, 0);
  const Loudness normalized = measure(test::decode_file(dir.file("a.wav")));
  EXPECT_NEAR(normalized.lufs, -23.0, 0.5);
  EXPECT_LE(normalized.true_peak_dbtp, -1.0 + 0.1);
  const Loudness plain = measure(test::decode_file(dir.file("b.wav")));
  EXPECT_GT(std::abs(plain.lufs - (-23.0)), 1.0) << "WAV is left as the voice made it";
}

TEST(OutputFormat, SampleRateAndChannels) {
  const test::TempDir dir;
  ASSERT_EQ(test::run_narrate({kArticle, "-o", dir.file("voice.wav"), "-q"}).exit_code, 0);
  const test::ProcessResult result = test::run_narrate(
      {kArticle, "-o", dir.file("cd.flac"), "--sample-rate", "44100", "--channels", "2", "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const test::DecodedAudio voice = test::decode_file(dir.file("voice.wav"));
  const test::DecodedAudio cd = test::decode_file(dir.file("cd.flac"));
  EXPECT_EQ(cd.sample_rate_hz, 44100);
  EXPECT_EQ(cd.channels, 2);
  EXPECT_NEAR(cd.duration_s(), voice.duration_s(), 0.01);
  for (std::size_t i = 0; i + 1 < cd.samples.size(); i += 2) {
    ASSERT_EQ(cd.samples[i], cd.samples[i + 1]) << "the voice is the same in both channels";
  }
}

TEST(Loudness, BadValueIsAUsageError) {
  const test::TempDir dir;
  const test::ProcessResult result =
      test::run_narrate({kArticle, "-o", dir.file("out.mp3"), "--loudness", "loud"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--loudness 'loud'"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir.file("out.mp3")));
}

}  // namespace
}  // namespace narrator
