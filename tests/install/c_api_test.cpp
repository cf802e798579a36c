// The C API (narrator.h) with the real eSpeak NG voice: status codes and messages, options applied
// at the next synthesis, the audio callback, and files decoded back.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "audio_analysis.hpp"
#include "narrator/narrator.h"
#include "temp_dir.hpp"

namespace {

using narrator::test::TempDir;

using narrator::test::kSilenceFloorRms;

constexpr const char* kArticle =
    "Harbour reopens after the storm\n"
    "\n"
    "The harbour at Millbrook reopened on Tuesday morning. Ferries are back on their usual "
    "timetable. The first boat left at 7:15 a.m. with 212 passengers.\n";

struct EngineCloser {
  void operator()(narrator_engine* engine) const noexcept { narrator_destroy(engine); }
};
using EnginePtr = std::unique_ptr<narrator_engine, EngineCloser>;

EnginePtr make_engine() {
  EnginePtr engine(narrator_create());
  EXPECT_NE(engine, nullptr);
  return engine;
}

// What the callback saw.
struct Received {
  std::vector<std::int16_t> samples;
  std::size_t call_count = 0;
  std::size_t frame_count = 0;
  std::vector<int> sample_rates_hz;
  std::vector<int> channel_counts;
  std::size_t stop_after_calls = 0;  // 0: never stop
};

int receive(const std::int16_t* samples, std::size_t frame_count, int sample_rate_hz, int channels,
            void* user_data) {
  auto& received = *static_cast<Received*>(user_data);
  received.samples.insert(received.samples.end(), samples,
                          samples + frame_count * static_cast<std::size_t>(channels));
  received.call_count += 1;
  received.frame_count += frame_count;
  received.sample_rates_hz.push_back(sample_rate_hz);
  received.channel_counts.push_back(channels);
  return received.stop_after_calls != 0 && received.call_count >= received.stop_after_calls ? 1 : 0;
}

int synthesize_text(narrator_engine* engine, const std::string& text, Received& received) {
  return narrator_synthesize_text(engine, text.data(), text.size(), receive, &received);
}

TEST(CApi, VersionMatchesTheHeader) { EXPECT_STREQ(narrator_version(), NARRATOR_VERSION_STRING); }

TEST(CApi, NullHandleGetsUsageWithoutAMessageStore) {
  EXPECT_EQ(narrator_set_option(nullptr, "rate", "150"), NARRATOR_ERR_USAGE);
  EXPECT_EQ(narrator_synthesize_file(nullptr, "a.txt", "a.wav"), NARRATOR_ERR_USAGE);
  Received received;
  EXPECT_EQ(narrator_synthesize_text(nullptr, "Hi.", 3, receive, &received), NARRATOR_ERR_USAGE);
  EXPECT_EQ(received.call_count, 0u);
  EXPECT_STRNE(narrator_last_error(nullptr), "");
  narrator_destroy(nullptr);  // allowed, does nothing
}

TEST(CApi, NullArgumentsAreUsageErrorsNamingTheArgument) {
  const EnginePtr engine = make_engine();
  EXPECT_EQ(narrator_set_option(engine.get(), nullptr, "150"), NARRATOR_ERR_USAGE);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("name is NULL"), std::string::npos)
      << narrator_last_error(engine.get());
  EXPECT_EQ(narrator_synthesize_file(engine.get(), "a.txt", nullptr), NARRATOR_ERR_USAGE);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("output_path is NULL"),
            std::string::npos);
  EXPECT_EQ(narrator_synthesize_text(engine.get(), "Hi.", 3, nullptr, nullptr), NARRATOR_ERR_USAGE);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("callback is NULL"),
            std::string::npos);
}

TEST(CApi, FreshHandleHasNoError) {
  const EnginePtr engine = make_engine();
  EXPECT_STREQ(narrator_last_error(engine.get()), "");
}

TEST(CApi, UnknownOptionListsTheKnownOnesAndASuccessClearsIt) {
  const EnginePtr engine = make_engine();
  EXPECT_EQ(narrator_set_option(engine.get(), "speed", "150"), NARRATOR_ERR_USAGE);
  const std::string message = narrator_last_error(engine.get());
  EXPECT_NE(message.find("unknown option 'speed'"), std::string::npos) << message;
  EXPECT_NE(message.find("rate"), std::string::npos) << message;
  EXPECT_NE(message.find("heading_pause_ms"), std::string::npos) << message;

  EXPECT_EQ(narrator_set_option(engine.get(), "rate", "150"), NARRATOR_OK);
  EXPECT_STREQ(narrator_last_error(engine.get()), "");
}

TEST(CApi, BadOptionValuesAreUsageErrorsNamingTheOption) {
  const EnginePtr engine = make_engine();
  for (const char* value : {"fast", "", "150wpm", " 150", "99999999999"}) {
    EXPECT_EQ(narrator_set_option(engine.get(), "rate", value), NARRATOR_ERR_USAGE) << value;
    const std::string message = narrator_last_error(engine.get());
    EXPECT_NE(message.find("option 'rate'"), std::string::npos) << message;
  }
  EXPECT_EQ(narrator_set_option(engine.get(), "input", "markdown"), NARRATOR_ERR_USAGE);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("text, html, ssml or auto"),
            std::string::npos);
}

TEST(CApi, OutOfRangeValueFailsAtTheNextSynthesisNamingTheField) {
  const EnginePtr engine = make_engine();
  ASSERT_EQ(narrator_set_option(engine.get(), "rate", "5000"), NARRATOR_OK);
  Received received;
  EXPECT_EQ(synthesize_text(engine.get(), kArticle, received), NARRATOR_ERR_USAGE);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("voice.rate_wpm"),
            std::string::npos)
      << narrator_last_error(engine.get());
  EXPECT_EQ(received.call_count, 0u);
}

TEST(CApi, MissingArticleIsAnInputErrorAndNoOutputAppears) {
  const TempDir dir;
  const EnginePtr engine = make_engine();
  const std::string article = dir.file("missing.txt");
  const std::string output = dir.file("out.wav");
  EXPECT_EQ(narrator_synthesize_file(engine.get(), article.c_str(), output.c_str()),
            NARRATOR_ERR_INPUT);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find(article), std::string::npos)
      << narrator_last_error(engine.get());
  EXPECT_FALSE(std::filesystem::exists(output));
}

TEST(CApi, UnknownVoiceIsAUsageErrorAndTheHandleRecovers) {
  const TempDir dir;
  const EnginePtr engine = make_engine();
  const std::string article = dir.file("article.txt");
  const std::string output = dir.file("out.wav");
  narrator::test::write_file(article, kArticle);
  narrator::test::write_file(output, "older file");

  ASSERT_EQ(narrator_set_option(engine.get(), "voice", "xx-nowhere"), NARRATOR_OK);
  EXPECT_EQ(narrator_synthesize_file(engine.get(), article.c_str(), output.c_str()),
            NARRATOR_ERR_USAGE);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("xx-nowhere"), std::string::npos)
      << narrator_last_error(engine.get());
  EXPECT_EQ(narrator::test::read_file(output), "older file");

  ASSERT_EQ(narrator_set_option(engine.get(), "voice", "en-us"), NARRATOR_OK);
  EXPECT_EQ(narrator_synthesize_file(engine.get(), article.c_str(), output.c_str()), NARRATOR_OK)
      << narrator_last_error(engine.get());
  EXPECT_STREQ(narrator_last_error(engine.get()), "");
  EXPECT_GT(narrator::test::decode_file(output).duration_s(), 0.5);
}

TEST(CApi, MissingLexiconIsAnInputErrorUntilTheListIsCleared) {
  const TempDir dir;
  const EnginePtr engine = make_engine();
  const std::string lexicon = dir.file("house.tsv");
  ASSERT_EQ(narrator_set_option(engine.get(), "lexicon", lexicon.c_str()), NARRATOR_OK);
  Received received;
  EXPECT_EQ(synthesize_text(engine.get(), kArticle, received), NARRATOR_ERR_INPUT);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find(lexicon), std::string::npos)
      << narrator_last_error(engine.get());

  ASSERT_EQ(narrator_set_option(engine.get(), "lexicon", ""), NARRATOR_OK);
  EXPECT_EQ(synthesize_text(engine.get(), kArticle, received), NARRATOR_OK)
      << narrator_last_error(engine.get());
}

TEST(CApi, InputOptionPicksTheReader) {
  const TempDir dir;
  const EnginePtr engine = make_engine();
  const std::string article = dir.file("article.txt");
  const std::string output = dir.file("out.wav");
  narrator::test::write_file(article, kArticle);
  ASSERT_EQ(narrator_set_option(engine.get(), "input", "ssml"), NARRATOR_OK);
  EXPECT_EQ(narrator_synthesize_file(engine.get(), article.c_str(), output.c_str()),
            NARRATOR_ERR_INPUT);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find(article), std::string::npos)
      << narrator_last_error(engine.get());
  EXPECT_FALSE(std::filesystem::exists(output));
}

TEST(CApi, UnknownOutputExtensionIsAUsageError) {
  const TempDir dir;
  const EnginePtr engine = make_engine();
  const std::string article = dir.file("article.txt");
  const std::string output = dir.file("out.aiff");
  narrator::test::write_file(article, kArticle);
  EXPECT_EQ(narrator_synthesize_file(engine.get(), article.c_str(), output.c_str()),
            NARRATOR_ERR_USAGE);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("out.aiff"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(output));
}

TEST(CApi, InvalidUtf8TextIsAnInputError) {
  const EnginePtr engine = make_engine();
  Received received;
  EXPECT_EQ(synthesize_text(engine.get(), "Caf\xC3 closes.", received), NARRATOR_ERR_INPUT);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("<text>:1:"), std::string::npos)
      << narrator_last_error(engine.get());
  EXPECT_EQ(received.call_count, 0u);
}

TEST(CApi, CallbackReceivesEverySentenceInOneFormat) {
  const EnginePtr engine = make_engine();
  Received received;
  ASSERT_EQ(synthesize_text(engine.get(), kArticle, received), NARRATOR_OK)
      << narrator_last_error(engine.get());
  EXPECT_EQ(received.call_count, 4u);  // the headline and three sentences
  ASSERT_FALSE(received.sample_rates_hz.empty());
  const int sample_rate_hz = received.sample_rates_hz.front();
  EXPECT_GT(sample_rate_hz, 0);
  for (const int rate_hz : received.sample_rates_hz) EXPECT_EQ(rate_hz, sample_rate_hz);
  for (const int channels : received.channel_counts) EXPECT_EQ(channels, 1);
  EXPECT_EQ(received.samples.size(), received.frame_count);
  EXPECT_GT(static_cast<double>(received.frame_count) / sample_rate_hz, 3.0);
  EXPECT_GT(narrator::test::rms(received.samples), kSilenceFloorRms);
}

TEST(CApi, CallbackStopsTheNarrationEarly) {
  const EnginePtr engine = make_engine();
  Received received;
  received.stop_after_calls = 1;
  EXPECT_EQ(synthesize_text(engine.get(), kArticle, received), NARRATOR_ERR_CANCELLED);
  EXPECT_EQ(received.call_count, 1u);
  EXPECT_NE(std::string(narrator_last_error(engine.get())).find("callback returned 1"),
            std::string::npos)
      << narrator_last_error(engine.get());

  // The handle is usable afterwards.
  Received again;
  EXPECT_EQ(synthesize_text(engine.get(), kArticle, again), NARRATOR_OK);
  EXPECT_EQ(again.call_count, 4u);
}

TEST(CApi, OptionsApplyAtTheNextSynthesis) {
  using std::chrono::milliseconds;
  const EnginePtr engine = make_engine();
  // The paragraph's two sentence pauses are the only silences of 1.5 s or more once they are 2 s.
  const auto long_silences = [](const Received& received) {
    return narrator::test::silent_runs(received.samples, received.sample_rates_hz.front(),
                                       milliseconds(1500));
  };
  Received normal;
  ASSERT_EQ(synthesize_text(engine.get(), kArticle, normal), NARRATOR_OK);
  EXPECT_TRUE(long_silences(normal).empty());

  ASSERT_EQ(narrator_set_option(engine.get(), "sentence_pause_ms", "2000"), NARRATOR_OK);
  Received paused;
  ASSERT_EQ(synthesize_text(engine.get(), kArticle, paused), NARRATOR_OK);
  const std::vector<milliseconds> silences = long_silences(paused);
  ASSERT_EQ(silences.size(), 2u);
  for (const milliseconds silence : silences) {
    EXPECT_GE(silence.count(), 2000);  // the pause, plus the voice's own quiet edges
    EXPECT_LE(silence.count(), 2300);
  }
}

// The file holds what the callback gets for the same text. Not sample for sample: eSpeak NG keeps
// state between utterances in one process, so two narrations of one text differ by a few
// milliseconds; the CLI tests compare bytes across processes.
TEST(CApi, SynthesizeFileWritesWhatTheCallbackGets) {
  const TempDir dir;
  const EnginePtr engine = make_engine();
  const std::string article = dir.file("article.txt");
  const std::string output = dir.file("article.wav");
  narrator::test::write_file(article, kArticle);
  ASSERT_EQ(narrator_synthesize_file(engine.get(), article.c_str(), output.c_str()), NARRATOR_OK)
      << narrator_last_error(engine.get());
  Received received;
  ASSERT_EQ(synthesize_text(engine.get(), kArticle, received), NARRATOR_OK);
  const int sample_rate_hz = received.sample_rates_hz.front();

  const narrator::test::DecodedAudio decoded = narrator::test::decode_file(output);
  EXPECT_EQ(decoded.sample_rate_hz, sample_rate_hz);
  EXPECT_EQ(decoded.channels, 1);
  EXPECT_NEAR(decoded.duration_s(), static_cast<double>(received.frame_count) / sample_rate_hz,
              0.1);
  const double received_rms = narrator::test::rms(received.samples);
  EXPECT_GT(narrator::test::rms(decoded.samples), kSilenceFloorRms);
  EXPECT_NEAR(narrator::test::rms(decoded.samples), received_rms, received_rms * 0.05);
}

}  // namespace

namespace {

// Pulls every chunk of `narration`; returns the frames, or -1 when a call failed.
long long pull_frames(narrator_narration* narration, int* sample_rate_hz = nullptr) {
  long long frames = 0;
  narrator_chunk* chunk = nullptr;
  int status = NARRATOR_OK;
  while ((status = narrator_next(narration, &chunk)) == NARRATOR_OK && chunk != nullptr) {
    frames += static_cast<long long>(chunk->frame_count);
    if (sample_rate_hz != nullptr) *sample_rate_hz = chunk->sample_rate_hz;
    narrator_chunk_free(chunk);
  }
  return status == NARRATOR_OK ? frames : -1;
}

TEST(CApi, NarrationOutlivesItsEngineHandle) {
  EnginePtr engine = make_engine();
  narrator_narration* narration = nullptr;
  ASSERT_EQ(narrator_start(engine.get(), kArticle, std::string(kArticle).size(), &narration),
            NARRATOR_OK)
      << narrator_last_error(engine.get());
  engine.reset();  // the narration keeps the engine it needs
  EXPECT_EQ(narrator_narration_sentence_count(narration), 4u);
  EXPECT_GT(pull_frames(narration), 0) << narrator_narration_last_error(narration);
  narrator_narration_free(narration);
}

TEST(CApi, AnOptionChangedDuringANarrationAppliesToTheNextOne) {
  const EnginePtr engine = make_engine();
  const std::string text = kArticle;
  narrator_narration* before = nullptr;
  ASSERT_EQ(narrator_start(engine.get(), text.data(), text.size(), &before), NARRATOR_OK);
  // Rebuilds the engine at the next call; the open narration keeps the one it started with.
  ASSERT_EQ(narrator_set_option(engine.get(), "sentence_pause_ms", "2000"), NARRATOR_OK);
  narrator_narration* after = nullptr;
  ASSERT_EQ(narrator_start(engine.get(), text.data(), text.size(), &after), NARRATOR_OK);
  int sample_rate_hz = 0;
  const long long before_frames = pull_frames(before, &sample_rate_hz);
  const long long after_frames = pull_frames(after);
  narrator_narration_free(before);
  narrator_narration_free(after);
  ASSERT_GT(before_frames, 0);
  // Two sentence pauses, each 1650 ms longer: 3.3 s more, give or take the voice's few ms.
  const double longer_s = static_cast<double>(after_frames - before_frames) / sample_rate_hz;
  EXPECT_NEAR(longer_s, 3.3, 0.1);
}

TEST(CApi, NextRejectsANullChunkPointerWithoutSpoilingTheNarration) {
  const EnginePtr engine = make_engine();
  narrator_narration* narration = nullptr;
  ASSERT_EQ(narrator_start(engine.get(), "Hello there.", 12, &narration), NARRATOR_OK);
  EXPECT_EQ(narrator_next(narration, nullptr), NARRATOR_ERR_USAGE);
  EXPECT_NE(std::string(narrator_narration_last_error(narration)).find("chunk is NULL"),
            std::string::npos);
  EXPECT_GT(pull_frames(narration), 0);
  EXPECT_STREQ(narrator_narration_last_error(narration), "");
  narrator_narration_free(narration);
}

TEST(CApi, StartReportsBadInputOnTheEngine) {
  const EnginePtr engine = make_engine();
  narrator_narration* narration = reinterpret_cast<narrator_narration*>(&narration);
  ASSERT_EQ(narrator_set_option(engine.get(), "input", "ssml"), NARRATOR_OK);
  EXPECT_EQ(narrator_start(engine.get(), "<speak>unclosed", 15, &narration), NARRATOR_ERR_INPUT);
  EXPECT_EQ(narration, nullptr);
  EXPECT_STRNE(narrator_last_error(engine.get()), "");
}

}  // namespace
