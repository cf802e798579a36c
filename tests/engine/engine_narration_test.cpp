// The engine with the real eSpeak NG voice, into memory.
#include <gtest/gtest.h>

#include <algorithm>

#include "audio_analysis.hpp"
#include "narrator/audio/memory_sink.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

using std::chrono::milliseconds;

using test::kSilenceFloorRms;

Article sample_article(const std::string& name) {
  NullDiagnostics diagnostics;
  return read_article_file(std::string(NARRATOR_SOURCE_DIR) + "/samples/" + name, {}, diagnostics);
}

// A short article of tests/data/articles: for tests of the narration's mechanics, not its speech.
Article test_article(const std::string& name) {
  NullDiagnostics diagnostics;
  return read_article_file(std::string(NARRATOR_SOURCE_DIR) + "/tests/data/articles/" + name, {},
                           diagnostics);
}

Article text_article(std::string text) {
  NullDiagnostics diagnostics;
  return read_article(std::move(text), "test", {}, diagnostics);
}

struct Narrated {
  std::vector<std::int16_t> samples;
  NarrationSummary summary;
};

Narrated narrate(const Engine& engine, const Article& article) {
  MemorySink sink(engine.format());
  Narrated out;
  out.summary = engine.narrate_to(article, sink);
  EXPECT_TRUE(sink.finished());
  out.samples = sink.samples();
  return out;
}

milliseconds total_pauses(const Engine& engine, const Article& article, const PauseOptions& p) {
  milliseconds total{0};
  std::size_t index = 0;
  const std::vector<ScriptSentence> script = engine.script(article);
  for (const ScriptSentence& sentence : script) {
    const bool block_end =
        index + 1 == script.size() || script[index + 1].block_index != sentence.block_index;
    const bool heading = article.blocks[sentence.block_index].kind == BlockKind::kHeading;
    total += milliseconds(!block_end ? p.sentence_ms : heading ? p.heading_ms : p.paragraph_ms);
    ++index;
  }
  return total;
}

class SampleDuration : public ::testing::TestWithParam<int> {};

// Speech time follows the word count at the set rate (eSpeak NG's rate is words per minute of
// speech); the pauses Narrator adds come on top. Checked at three rates.
TEST_P(SampleDuration, MatchesTheWordCountAtTheSetRateWithin15Percent) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.rate_wpm = GetParam();
  const Engine engine(config, diagnostics);
  const Article article = sample_article("minsk-budget.txt");
  const Narrated out = narrate(engine, article);
  const double words = static_cast<double>(out.summary.word_count);
  const double predicted_s = words * 60.0 / config.voice.rate_wpm +
                             total_pauses(engine, article, config.pauses).count() / 1000.0;
  const double actual_s = static_cast<double>(out.samples.size()) / engine.format().sample_rate_hz;
  EXPECT_NEAR(actual_s, predicted_s, predicted_s * 0.15)
      << words << " words at " << config.voice.rate_wpm << " wpm";
  EXPECT_EQ(out.summary.audio_duration.count(), static_cast<long long>(actual_s * 1000));
  EXPECT_GT(test::rms(out.samples), kSilenceFloorRms);
}

INSTANTIATE_TEST_SUITE_P(Rates, SampleDuration, ::testing::Values(140, 175, 250));

TEST(EngineNarration, ParagraphPausesAreMeasurable) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.pauses = PauseOptions{.sentence_ms = 200, .paragraph_ms = 1500, .heading_ms = 1500};
  const Engine engine(config, diagnostics);
  const Article article = text_article(
      "The river rose overnight. Roads were closed.\n\n"
      "Rescuers reached the village at dawn. Nobody was hurt.\n\n"
      "The water is expected to fall by Friday. Schools stay shut.\n");
  const Narrated out = narrate(engine, article);
  const auto long_gaps =
      test::silent_runs(out.samples, engine.format().sample_rate_hz, milliseconds(1300));
  // One long gap after each paragraph (the last one ends the file), none between sentences.
  ASSERT_EQ(long_gaps.size(), 3u);
  for (const milliseconds gap : long_gaps) EXPECT_LT(gap, milliseconds(1700));

  config.pauses.paragraph_ms = 200;
  const Engine even(config, diagnostics);
  const Narrated flat = narrate(even, article);
  EXPECT_TRUE(
      test::silent_runs(flat.samples, even.format().sample_rate_hz, milliseconds(1300)).empty());
  EXPECT_LT(flat.samples.size(), out.samples.size());
}

TEST(EngineNarration, PullApiGivesOneChunkPerSentenceAndTheSameSamples) {
  NullDiagnostics diagnostics;
  const EngineConfig config;
  const Engine engine(config, diagnostics);
  const Article article = test_article("river-ferry.txt");
  Narration narration = engine.start(article);
  std::vector<std::int16_t> pulled;
  std::size_t chunks = 0;
  bool saw_last = false;
  while (std::optional<AudioChunk> chunk = narration.next()) {
    EXPECT_FALSE(saw_last) << "a chunk after the last one";
    EXPECT_EQ(chunk->sentence_index, chunks);
    EXPECT_EQ(chunk->format, engine.format());
    saw_last = chunk->is_last;
    pulled.insert(pulled.end(), chunk->samples.begin(), chunk->samples.end());
    ++chunks;
  }
  EXPECT_TRUE(saw_last);
  EXPECT_EQ(chunks, narration.sentence_count());
  EXPECT_EQ(chunks, engine.script(article).size());
  // eSpeak NG's pitch flutter and roughness run on across narrations in one process (see
  // espeak_runtime.hpp), so a second narration matches the first in length and level, not sample
  // for sample (the CLI tests compare samples exactly, each from a fresh process; the test below
  // does with a voice that has neither).
  const std::vector<std::int16_t> pushed = narrate(engine, article).samples;
  EXPECT_NEAR(static_cast<double>(pushed.size()), static_cast<double>(pulled.size()),
              static_cast<double>(pulled.size()) * 0.005);
  EXPECT_NEAR(test::rms(pushed), test::rms(pulled), test::rms(pulled) * 0.05);
}

// Nothing of a narration carries over into the next one on the same engine: the sentences, the
// pauses, the trimming and eSpeak NG's own state, shown with a stock voice that has no pitch
// flutter and no roughness, the two counters libespeak-ng keeps running from one utterance to
// the next (espeak_runtime.hpp), which en-us has: its narrations differ a little in length.
TEST(EngineNarration, TheSameTextTwiceOnOneEngineGivesTheSameSamples) {
  NullDiagnostics diagnostics;
  const Article article = text_article(
      "The council met on Monday. It approved the budget.\n\n"
      "Dr. Smith paid $5 for three apples in Minsk.\n");
  EngineConfig config;
  config.voice.name = "en-us+Denis";
  const Engine steady(config, diagnostics);
  const Narrated first = narrate(steady, article);
  const Narrated second = narrate(steady, article);
  ASSERT_GT(test::rms(first.samples), kSilenceFloorRms);
  EXPECT_EQ(first.samples.size(), second.samples.size());
  EXPECT_TRUE(first.samples == second.samples) << "the second narration differs";
  EXPECT_EQ(first.summary.word_count, second.summary.word_count);
  EXPECT_EQ(first.summary.audio_duration, second.summary.audio_duration);

  const EngineConfig defaults;  // en-us
  const Engine flutter(defaults, diagnostics);
  const Narrated one = narrate(flutter, article);
  const Narrated two = narrate(flutter, article);
  EXPECT_EQ(one.summary.word_count, two.summary.word_count);
  EXPECT_NEAR(static_cast<double>(two.samples.size()), static_cast<double>(one.samples.size()),
              static_cast<double>(one.samples.size()) * 0.005);
}

// A Narration keeps its Engine's state alive: destroying the Engine first leaves the rest of the
// narration to pull, with speech in every chunk (under ASan, a use-after-free would stop here).
TEST(EngineNarration, ANarrationOutlivesItsEngine) {
  NullDiagnostics diagnostics;
  const Article article = test_article("river-ferry.txt");
  const EngineConfig config;
  auto engine = std::make_unique<Engine>(config, diagnostics);
  const std::size_t sentence_count = engine->script(article).size();
  ASSERT_GE(sentence_count, 3u);
  Narration narration = engine->start(article);
  ASSERT_TRUE(narration.next().has_value());
  engine.reset();
  std::size_t pulled = 1;
  bool saw_last = false;
  while (std::optional<AudioChunk> chunk = narration.next()) {
    EXPECT_EQ(chunk->sentence_index, pulled);
    EXPECT_GT(test::rms(chunk->samples), kSilenceFloorRms / 4) << "sentence " << pulled;
    saw_last = chunk->is_last;
    ++pulled;
  }
  EXPECT_TRUE(saw_last);
  EXPECT_EQ(pulled, sentence_count);
  narration.seek(0);  // the split sentences are still there too
  EXPECT_EQ(narration.sentences().size(), sentence_count);
  EXPECT_TRUE(narration.next().has_value());
}

class CancelAfterFirstChunk final : public ProgressObserver {
 public:
  explicit CancelAfterFirstChunk(CancelSource& source) : source_(source) {}
  void on_progress(const Progress&) override { source_.cancel(); }

 private:
  CancelSource& source_;
};

TEST(EngineNarration, CancellationStopsWithoutFinishingTheSink) {
  NullDiagnostics diagnostics;
  const EngineConfig config;
  const Engine engine(config, diagnostics);
  const Article article = sample_article("prisoner-release.txt");
  CancelSource source;
  CancelAfterFirstChunk observer(source);
  MemorySink sink(engine.format());
  try {
    engine.narrate_to(article, sink, source.token(), &observer);
    FAIL() << "expected a cancellation";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kCancelled);
  }
  EXPECT_FALSE(sink.finished());
  EXPECT_LT(sink.samples().size(), narrate(engine, article).samples.size());
}

TEST(EngineNarration, UnknownVoiceIsAUsageErrorWithSuggestions) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.name = "en-uss";
  try {
    const Engine engine(config, diagnostics);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kUsage);
    EXPECT_NE(std::string(error.what()).find("did you mean en-us"), std::string::npos)
        << error.what();
  }
}

TEST(EngineNarration, OutOfRangeSettingsNameTheField) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.rate_wpm = 20;
  EXPECT_THROW(Engine(config, diagnostics), Error);
  config.voice.rate_wpm = 175;
  config.pauses.paragraph_ms = -1;
  try {
    const Engine engine(config, diagnostics);
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("pauses.paragraph_ms"), std::string::npos);
  }
}

TEST(EngineNarration, VoicesIncludeAmericanEnglish) {
  NullDiagnostics diagnostics;
  const EngineConfig config;
  const Engine engine(config, diagnostics);
  const std::vector<VoiceInfo> voices = engine.voices();
  EXPECT_TRUE(std::any_of(voices.begin(), voices.end(), [](const VoiceInfo& voice) {
    return std::find(voice.languages.begin(), voice.languages.end(), "en-us") !=
           voice.languages.end();
  }));
}

}  // namespace
}  // namespace narrator
