// The MP3 loudness default belongs to the library: an MP3 written through the C++ API or the C API
// measures -16 LUFS, as narrate's does.
//
// These tests synthesize in this process, and eSpeak NG keeps state from one synthesis to the
// next, so audio synthesized here afterwards is not sample-identical to a fresh process's. This
// file comes last in narrator_cli_tests so that the tests comparing with in-process reference
// audio (output_formats_test.cpp) run first when the binary is run whole; ctest runs each test
// in its own process anyway.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "audio_analysis.hpp"
#include "loudness_measure.hpp"
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

// The default belongs to the library: an MP3 written through the C++ API (Engine::narrate_to into
// open_output_file()) is as loud as narrate's.
TEST(LibraryLoudness, Mp3FromTheLibraryIsAsLoudAsNarrates) {
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
  const test::Loudness api = test::measure(test::decode_file(dir.file("api.mp3")));
  const test::Loudness cli = test::measure(test::decode_file(dir.file("cli.mp3")));
  EXPECT_NEAR(api.lufs, -16.0, 0.5);
  EXPECT_NEAR(api.lufs, cli.lufs, 0.1) << "the library and narrate apply the same default";
  EXPECT_LE(api.true_peak_dbtp, -1.0 + 0.5) << "MP3 coding may overshoot a little";
}

TEST(LibraryLoudness, Mp3FromTheCApiIsAtTheDefaultLoudness) {
  const test::TempDir dir;
  narrator_engine* engine = narrator_create();
  ASSERT_NE(engine, nullptr);
  const std::string output = dir.file("c.mp3");
  EXPECT_EQ(narrator_synthesize_file(engine, kArticle.c_str(), output.c_str()), NARRATOR_OK)
      << narrator_last_error(engine);
  narrator_destroy(engine);
  EXPECT_NEAR(test::measure(test::decode_file(output)).lufs, -16.0, 0.5);
}

}  // namespace
}  // namespace narrator
