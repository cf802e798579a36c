// Streaming loudness for `narrate serve`: a voice calibrated once on the calibration passage,
// then three articles of its own narrated through the one-pass path (a fixed gain and the
// true-peak limiter) to MP3 and decoded back: each lands within 1 LU of -16 LUFS and under the
// -1 dBTP ceiling. Measured here with libebur128, apart from the code under test.
//
// These tests synthesize in this process (see library_loudness_test.cpp, which comes last for the
// same reason).
#include "stream_loudness.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "audio_analysis.hpp"
#include "loudness_measure.hpp"
#include "narrator/article.hpp"
#include "narrator/audio/output_processing.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator::cli::serve {
namespace {

namespace fs = std::filesystem;

constexpr double kToleranceLu = 1.0;     // the issue's ±1 LU
constexpr double kMp3OvershootDb = 0.5;  // MP3 coding may overshoot the ceiling a little
const fs::path kArticles = fs::path(NARRATOR_TEST_DATA_DIR) / "stream_loudness";

EngineConfig espeak_config() {
  EngineConfig config;
  config.voice.name = "en-us";
  return config;
}

TEST(StreamLoudness, ThreeArticlesStreamedToMp3AreWithinOneLuOfTheTarget) {
  const test::TempDir dir;
  CollectingDiagnostics diagnostics;
  const EngineConfig config = espeak_config();
  const Engine engine(config, diagnostics);
  StreamLoudness loudness;
  const OutputProcessing processing = loudness.processing(engine, config.voice);
  ASSERT_TRUE(processing.stream_gain_db.has_value());
  EXPECT_EQ(processing.loudness_lufs, std::nullopt) << "no second pass";

  for (const char* name : {"harbour-ferry.txt", "school-robots.txt", "market-prices.txt"}) {
    SCOPED_TRACE(name);
    const Article article =
        read_article_file((kArticles / name).string(), ReadOptions{}, diagnostics);
    const std::string output = dir.file(std::string(name) + ".mp3");
    const std::unique_ptr<AudioSink> sink =
        open_output_file(output, AudioFormat::kMp3, engine.format(), processing);
    engine.narrate_to(article, *sink);
    const test::DecodedAudio decoded = test::decode_file(output);
    ASSERT_GT(decoded.duration_s(), 10.0) << "an article's worth of audio";
    const test::Loudness measured = test::measure(decoded);
    std::cout << "stream loudness: " << name << ": " << measured.lufs << " LUFS, true peak "
              << measured.true_peak_dbtp << " dBTP (gain " << *processing.stream_gain_db
              << " dB)\n";
    EXPECT_NEAR(measured.lufs, kStreamTargetLufs, kToleranceLu);
    EXPECT_LE(measured.true_peak_dbtp, kStreamCeilingDbtp + kMp3OvershootDb);
  }
}

TEST(StreamLoudness, CalibrationIsMadeOncePerVoiceAndKept) {
  CollectingDiagnostics diagnostics;
  const EngineConfig config = espeak_config();
  const Engine engine(config, diagnostics);
  StreamLoudness loudness;
  EXPECT_EQ(loudness.cached(config.voice), std::nullopt);
  const VoiceCalibration made = loudness.calibrate(engine, config.voice);
  EXPECT_TRUE(std::isfinite(made.measured_lufs));
  EXPECT_NEAR(made.gain_db, kStreamTargetLufs - made.measured_lufs, 3.0)
      << "the refinement only makes up what the limiter takes off";
  EXPECT_NEAR(made.result_lufs, kStreamTargetLufs, 0.1) << "the passage itself hits the target";
  const std::optional<VoiceCalibration> kept = loudness.cached(config.voice);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->gain_db, made.gain_db);

  VoiceOptions louder = config.voice;
  louder.volume = 150;
  EXPECT_EQ(loudness.cached(louder), std::nullopt) << "the volume is part of the voice's key";
}

TEST(StreamLoudness, SilentVoiceGetsNoGain) {
  CollectingDiagnostics diagnostics;
  EngineConfig config = espeak_config();
  config.voice.volume = 0;
  const Engine engine(config, diagnostics);
  const VoiceCalibration calibration = calibrate_voice(engine);
  EXPECT_FALSE(std::isfinite(calibration.measured_lufs));
  EXPECT_EQ(calibration.gain_db, 0.0);
}

TEST(StreamLoudness, TargetOutOfRangeIsAUsageErrorBeforeAnySynthesis) {
  CollectingDiagnostics diagnostics;
  const Engine engine(espeak_config(), diagnostics);
  try {
    calibrate_voice(engine, -90.0);
    ADD_FAILURE() << "no error for a -90 LUFS target";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kUsage);
    EXPECT_NE(std::string(error.what()).find("loudness_lufs"), std::string::npos) << error.what();
  }
}

TEST(StreamLoudness, CalibrationPassageIsNewsProseOfSeveralSentences) {
  CollectingDiagnostics diagnostics;
  const Engine engine(espeak_config(), diagnostics);
  const Article article =
      read_article(std::string(calibration_passage()), "passage", ReadOptions{}, diagnostics);
  EXPECT_GE(engine.script(article).size(), 5u);
  EXPECT_TRUE(diagnostics.items().empty()) << "every word is read as written";
}

}  // namespace
}  // namespace narrator::cli::serve
