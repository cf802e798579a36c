// The Flite backend with its real voices: audio, word marks, lexicon phones read back from the
// utterance, the IPA table, byte-identical output and clean joins between sentences.
#include "flite_backend.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "audio_analysis.hpp"
#include "ipa_to_flite.hpp"
#include "narrator/audio/memory_sink.hpp"
#include "narrator/detail/ascii.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/lexicon.hpp"
#include "narrator/lexicon/tsv_reader.hpp"
#include "temp_dir.hpp"
#include "tokens.hpp"

namespace narrator {
namespace {

using test::kSilenceFloorRms;
// The largest step between two neighbouring samples where one chunk ends and the next begins.
constexpr int kMaxJoinStep = 64;

const std::string kText =
    "Alexander Lukashenko met Sviatlana Tsikhanouskaya in Minsk on Tuesday. "
    "The talks, which lasted three hours, ended without a statement.";

Article text_article(std::string text) {
  NullDiagnostics diagnostics;
  return read_article(std::move(text), "test", {}, diagnostics);
}

EngineConfig flite_config(const std::string& voice) {
  EngineConfig config;
  config.voice.name = voice;
  return config;
}

std::vector<AudioChunk> chunks_of(const Engine& engine, const Article& article) {
  std::vector<AudioChunk> chunks;
  Narration narration = engine.start(article);
  while (std::optional<AudioChunk> chunk = narration.next()) chunks.push_back(std::move(*chunk));
  return chunks;
}

std::vector<std::int16_t> all_samples(const std::vector<AudioChunk>& chunks) {
  std::vector<std::int16_t> samples;
  for (const AudioChunk& chunk : chunks) {
    samples.insert(samples.end(), chunk.samples.begin(), chunk.samples.end());
  }
  return samples;
}

double rms(const std::vector<std::int16_t>& samples) {
  double sum = 0;
  for (const std::int16_t sample : samples) sum += static_cast<double>(sample) * sample;
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

class FliteVoice : public ::testing::TestWithParam<std::string> {};

// Each voice: 16 kHz mono, speech where the marks say (the last word starts inside the speech and
// the speech does not run on for long after it), and not silence.
TEST_P(FliteVoice, SpeaksAtSixteenKilohertzWithMarksThatMatchTheAudio) {
  NullDiagnostics diagnostics;
  const Engine engine(flite_config(GetParam()), diagnostics);
  EXPECT_EQ(engine.format().sample_rate_hz, 16000);
  EXPECT_EQ(engine.format().channels, 1);
  const Article article = text_article(kText);
  const std::vector<AudioChunk> chunks = chunks_of(engine, article);
  ASSERT_EQ(chunks.size(), 2u);
  for (const AudioChunk& chunk : chunks) {
    EXPECT_EQ(chunk.format.sample_rate_hz, 16000);
    const std::size_t speech = chunk.frame_count() - chunk.pause_frame_count;
    const std::vector<std::int16_t> spoken(chunk.samples.begin(),
                                           chunk.samples.begin() + static_cast<long>(speech));
    EXPECT_GT(rms(spoken), kSilenceFloorRms) << GetParam();
    const auto last_word = std::find_if(chunk.marks.rbegin(), chunk.marks.rend(),
                                        [](const auto& m) { return m.kind == MarkKind::kWord; });
    ASSERT_NE(last_word, chunk.marks.rend());
    // The last word ("Tuesday", "statement") is said within 0.15 to 1.5 s.
    EXPECT_LT(last_word->frame + 16000 * 15 / 100, speech) << GetParam();
    EXPECT_GT(last_word->frame + 16000 * 3 / 2, speech) << GetParam();
  }
}

// --rate means words per minute of speech on every voice, as on eSpeak NG's.
// The four voices by their short names (the aliases name the same voices: measured once).
class FliteRate : public ::testing::TestWithParam<std::string> {};

TEST_P(FliteRate, SpeaksAtTheSetRateWithin15Percent) {
  NullDiagnostics diagnostics;
  EngineConfig config = flite_config(GetParam());
  config.pauses = PauseOptions{0, 0, 0};
  const Engine engine(config, diagnostics);
  NullDiagnostics quiet;
  const Article article =
      read_article_file(std::string(NARRATOR_SOURCE_DIR) + "/samples/minsk-budget.txt", {}, quiet);
  MemorySink sink(engine.format());
  const NarrationSummary summary = engine.narrate_to(article, sink);
  const double predicted_s = static_cast<double>(summary.word_count) * 60.0 / 175.0;
  const double actual_s = static_cast<double>(sink.samples().size()) / 16000.0;
  EXPECT_NEAR(actual_s, predicted_s, predicted_s * 0.15) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Voices, FliteRate, ::testing::Values("rms", "slt", "awb", "kal16"));

INSTANTIATE_TEST_SUITE_P(Voices, FliteVoice,
                         ::testing::Values("rms", "slt", "awb", "kal16", "flite:rms", "cmu_us_slt"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), ':', '_');
                           return name;
                         });

TEST(FliteBackend, MarksSliceTheInputToExactlyEachWordInOrder) {
  NullDiagnostics diagnostics;
  const Engine engine(flite_config("rms"), diagnostics);
  const Article article = text_article(kText);
  std::vector<std::string> words;
  for (const AudioChunk& chunk : chunks_of(engine, article)) {
    std::size_t previous_frame = 0;
    for (const TimingMark& mark : chunk.marks) {
      if (mark.kind != MarkKind::kWord) continue;
      words.push_back(article.text.substr(mark.span.begin_byte, mark.span.size_bytes()));
      EXPECT_EQ(words.back(), mark.value);
      EXPECT_GE(mark.frame, previous_frame) << mark.value;
      EXPECT_LE(mark.frame, chunk.frame_count());
      previous_frame = mark.frame;
    }
  }
  const std::vector<std::string> expected = {
      "Alexander", "Lukashenko", "met",     "Sviatlana", "Tsikhanouskaya", "in",     "Minsk",
      "on",        "Tuesday",    "The",     "talks",     "which",          "lasted", "three",
      "hours",     "ended",      "without", "a",         "statement"};
  EXPECT_EQ(words, expected);
}

TEST(FliteBackend, ALexiconWordIsSpokenWithTheLexiconsPhones) {
  FliteBackend backend;
  Utterance utterance;
  SpokenWord name;
  name.text = "Lukashenko";
  name.pronunciation = Pronunciation{"lˌuːkəʃˈɛŋkoʊ", "lexicon:be_people", ""};
  SpokenWord said_by_flite;
  said_by_flite.text = "spoke.";
  utterance.words = {name, name, said_by_flite};
  VoiceOptions voice;
  voice.name = "rms";
  const std::vector<std::string> phones = backend.spoken_phones(utterance, voice);
  ASSERT_EQ(phones.size(), 3u);
  EXPECT_EQ(phones[0], "l uw0 k ax0 sh eh1 ng k ow0");
  // The same phones twice in a row: Flite would skip the second word's, unless told apart.
  EXPECT_EQ(phones[1], phones[0]);
  EXPECT_EQ(phones[2], "s p ow1 k");
}

// `narrate pronounce` shows what Flite said as IPA: converted back, it is the lexicon's phones.
TEST(FliteBackend, TheEngineSaysEveryBuiltInNameWithItsLexiconPhones) {
  NullDiagnostics diagnostics;
  const Engine engine(flite_config("rms"), diagnostics);
  const LexiconStack lexicons;
  // Flite's vowels are the phones that start with a vowel letter.
  const IpaToFlite table([](std::string_view phone) {
    return std::string_view("aeiou").find(phone[0]) != std::string::npos;
  });
  std::size_t checked = 0;
  for (const Lexicon& layer : lexicons.layers()) {
    for (const LexiconEntry& entry : layer.entries()) {
      if (entry.grapheme.find_first_of(" -'") != std::string::npos) continue;  // one plain word
      if (++checked % 10 != 0) continue;  // a tenth of them keeps the test quick
      const WordPronunciation said = engine.pronounce(entry.grapheme);
      const std::optional<std::string> expected = table.convert(entry.ipa);
      ASSERT_TRUE(expected) << entry.grapheme;
      if (said.source != "lexicon:" + layer.name()) continue;  // a higher layer says it otherwise
      // The IPA read back converts to the very phones the lexicon's IPA gave.
      EXPECT_EQ(table.convert(said.ipa), *expected)
          << entry.grapheme << " (" << entry.ipa << ", said " << said.ipa << ")";
    }
  }
  EXPECT_GT(checked, 100u);
}

// The Belarusian names of real news articles, said by the default voice (no --voice): each with
// its lexicon pronunciation, read back from Flite.
TEST(FliteBackend, TheDefaultVoiceSaysTheNewsNamesWithTheirLexiconPronunciation) {
  NullDiagnostics diagnostics;
  const EngineConfig config;
  const Engine engine(config, diagnostics);
  ASSERT_EQ(engine.format().sample_rate_hz, FliteBackend::kSampleRateHz) << "the default is Flite";
  const LexiconStack lexicons;
  const IpaToFlite table([](std::string_view phone) {
    return std::string_view("aeiou").find(phone[0]) != std::string::npos;
  });
  std::istringstream names(
      test::read_file(std::string(NARRATOR_SOURCE_DIR) + "/tests/data/names/news-names.txt"));
  std::size_t checked = 0;
  for (std::string name; std::getline(names, name);) {
    if (name.empty() || name[0] == '#') continue;
    const WordPronunciation said = engine.pronounce(name);
    const LexiconEntry* entry = nullptr;
    for (const Lexicon& layer : lexicons.layers()) {
      if (said.source != "lexicon:" + layer.name()) continue;
      for (const LexiconEntry& candidate : layer.entries()) {
        if (detail::ascii_lower(candidate.grapheme) == detail::ascii_lower(name))
          entry = &candidate;
      }
    }
    ASSERT_NE(entry, nullptr) << name << " was not said from a lexicon (" << said.source << ")";
    EXPECT_EQ(table.convert(said.ipa), table.convert(entry->ipa))
        << name << " (" << entry->ipa << ", said " << said.ipa << ")";
    ++checked;
  }
  EXPECT_EQ(checked, 14u);
}

// Every IPA symbol every built-in lexicon uses, and every symbol the eSpeak table knows, has a
// Flite phone.
TEST(FliteBackend, EveryLexiconSymbolMapsToAFlitePhone) {
  FliteBackend backend;
  const LexiconStack lexicons;
  std::size_t entries = 0;
  for (const Lexicon& layer : lexicons.layers()) {
    for (const LexiconEntry& entry : layer.entries()) {
      ++entries;
      EXPECT_EQ(backend.unknown_ipa_symbol(entry.ipa), std::nullopt)
          << layer.source_name() << ":" << entry.line << " " << entry.ipa;
    }
  }
  EXPECT_GT(entries, 100u);
  const std::optional<std::string_view> espeak = builtin_data("phonemes/ipa_to_espeak_en.tsv");
  ASSERT_TRUE(espeak);
  for (const TsvRow& row : parse_tsv(*espeak, "ipa_to_espeak_en.tsv", TsvShape{2, 3})) {
    EXPECT_EQ(backend.unknown_ipa_symbol(row.fields[0]), std::nullopt) << row.fields[0];
  }
}

TEST(FliteBackend, BelarusianSoundsTakeTheNearestUsPhones) {
  const IpaToFlite table([](std::string_view phone) {
    return std::string_view("aeiou").find(phone[0]) != std::string::npos;
  });
  EXPECT_EQ(table.convert("ˈxata"), "hh aa1 t aa0");
  EXPECT_EQ(table.convert("tsɨˈbʲa"), "t s ih0 b y aa1");
  EXPECT_EQ(table.convert("ˈdzɛnʲ"), "d z eh1 n y");
  EXPECT_EQ(table.convert("mʲinsk"), "m y iy1 n s k");  // no stress mark: the first vowel
  EXPECT_EQ(table.convert("ˈa ˈb"), "aa1 b");
  std::string unknown;
  EXPECT_EQ(table.convert("paˈʁi", &unknown), std::nullopt);
  EXPECT_EQ(unknown, "ʁ");
}

TEST(FliteBackend, AnIpaSymbolFliteCannotSayFailsAtLoadWithFileAndLine) {
  const test::TempDir dir;
  const std::string path = dir.file("bad.tsv");
  test::write_file(path, "# bad\nParis\tpaˈʁi\n");
  NullDiagnostics diagnostics;
  EngineConfig config = flite_config("rms");
  config.lexicon_files = {path};
  try {
    const Engine engine(config, diagnostics);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_EQ(std::string(error.what()),
              path +
                  ":2: IPA symbol 'ʁ' in 'Paris' has no Flite mapping; write it with the "
                  "symbols of lexicon/data/phonemes/ipa_to_flite_us.tsv");
  }
}

// Flite's noise comes from a generator seeded per sentence: the same input gives the same samples,
// in one process, whatever was synthesized before and on whichever thread.
TEST(FliteBackend, TheSameInputGivesByteIdenticalSamples) {
  NullDiagnostics diagnostics;
  const Engine engine(flite_config("rms"), diagnostics);
  const Article article = text_article(kText);
  const std::vector<std::int16_t> first = all_samples(chunks_of(engine, article));
  (void)std::rand();  // other users of rand() change nothing
  const std::vector<std::int16_t> second = all_samples(chunks_of(engine, article));
  EXPECT_EQ(first, second);
  std::vector<std::int16_t> threaded[2];
  {
    std::jthread a([&] { threaded[0] = all_samples(chunks_of(engine, article)); });
    std::jthread b([&] { threaded[1] = all_samples(chunks_of(engine, article)); });
  }
  EXPECT_EQ(threaded[0], first);
  EXPECT_EQ(threaded[1], first);
}

// Chunks fade in and out, so there is no step where one sentence's audio meets the next's, even
// with no pause between them.
TEST(FliteBackend, SentencesJoinWithoutASampleStep) {
  NullDiagnostics diagnostics;
  EngineConfig config = flite_config("rms");
  config.pauses = PauseOptions{0, 0, 0};
  const Engine engine(config, diagnostics);
  const std::vector<AudioChunk> chunks = chunks_of(
      engine, text_article("The first one ends here. A second follows it. And a third one, too."));
  ASSERT_EQ(chunks.size(), 3u);
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    ASSERT_FALSE(chunks[i].samples.empty());
    EXPECT_LE(std::abs(chunks[i].samples.front()), kMaxJoinStep) << i;
    EXPECT_LE(std::abs(chunks[i].samples.back()), kMaxJoinStep) << i;
    if (i == 0) continue;
    const int step = chunks[i].samples.front() - chunks[i - 1].samples.back();
    EXPECT_LE(std::abs(step), kMaxJoinStep) << "join " << i;
  }
}

// Flite ends the process on some internal errors: no word the backend is given may reach one.
// Every printable ASCII character alone, doubled and inside a word, bytes outside ASCII, and a
// very long word.
// kal16 is a diphone voice: its database holds the phone pairs of English only, and Flite prints
// "udb failed to find entry" on stderr for a pair it lacks. Every built-in name is said without
// one.
TEST(FliteBackend, TheDiphoneVoiceHasARecordingForEveryPairOfEveryBuiltInName) {
  NullDiagnostics diagnostics;
  const Engine engine(flite_config("kal16"), diagnostics);
  const LexiconStack lexicons;
  std::string text;
  std::size_t names = 0;
  for (const Lexicon& layer : lexicons.layers()) {
    for (const LexiconEntry& entry : layer.entries()) {
      text += entry.grapheme + ".\n\n";
      ++names;
    }
  }
  ASSERT_GT(names, 100u);
  const Article article = text_article(text);
  testing::internal::CaptureStderr();
  MemorySink sink(engine.format());
  engine.narrate_to(article, sink);
  const std::string flite_said = testing::internal::GetCapturedStderr();
  EXPECT_EQ(flite_said, "");
  EXPECT_GT(rms(sink.samples()), kSilenceFloorRms);
}

TEST(FliteBackend, AnyWordTextIsSafeToSpeak) {
  FliteBackend backend;
  VoiceOptions voice;
  voice.name = "kal16";  // the fastest voice; the front end is the same for all four
  std::vector<std::string> texts = {
      "Caf\xC3\xA9", "\xE2\x80\x94", "\xFF\xFE", std::string(600, 'x'), "--", "...", "'s",
      "1,000,000",   "3.14",         "1984"};
  for (char c = '!'; c <= '~'; ++c) {
    texts.push_back(std::string(1, c));
    texts.push_back(std::string(2, c));
    texts.push_back(std::string("a") + c + "b");
  }
  for (const std::string& text : texts) {
    Utterance utterance;
    SpokenWord word;
    word.text = text;
    SpokenWord after;
    after.text = "next.";
    utterance.words = {word, after};
    const AudioChunk chunk = backend.synthesize(utterance, voice, CancelToken());
    EXPECT_FALSE(chunk.samples.empty()) << text;
  }
}

// The median F0 of the voiced 40 ms frames, by autocorrelation (60-400 Hz at 16 kHz).
double median_f0(const std::vector<std::int16_t>& samples) {
  constexpr std::size_t kFrame = 640;
  std::vector<double> f0s;
  for (std::size_t at = 0; at + kFrame + 400 < samples.size(); at += kFrame / 2) {
    double energy = 0;
    for (std::size_t i = 0; i < kFrame; ++i) energy += double(samples[at + i]) * samples[at + i];
    if (energy / kFrame < 1000.0 * 1000.0) continue;  // not loud enough to be voiced
    double best = 0;
    std::size_t best_lag = 0;
    for (std::size_t lag = 40; lag <= 266; ++lag) {
      double sum = 0;
      for (std::size_t i = 0; i < kFrame; ++i)
        sum += double(samples[at + i]) * samples[at + i + lag];
      if (sum / energy > best) {
        best = sum / energy;
        best_lag = lag;
      }
    }
    if (best > 0.5) f0s.push_back(16000.0 / static_cast<double>(best_lag));
  }
  if (f0s.empty()) return 0;
  std::nth_element(f0s.begin(), f0s.begin() + static_cast<long>(f0s.size() / 2), f0s.end());
  return f0s[f0s.size() / 2];
}

// Pitch and rate go on each utterance: pitch 100 raises the voice's F0 by about half an octave,
// a faster rate is shorter. (rms draws its F0 from its own accent model, which keeps its pitch.)
TEST(FliteBackend, PitchAndRateChangeTheVoice) {
  const Article article = text_article("A voice that speaks about the morning news.");
  const auto speak = [&](int pitch, int rate) {
    NullDiagnostics diagnostics;
    EngineConfig config = flite_config("slt");
    config.voice.pitch = pitch;
    config.voice.rate_wpm = rate;
    const Engine engine(config, diagnostics);
    return all_samples(chunks_of(engine, article));
  };
  const std::vector<std::int16_t> normal = speak(50, 175);
  const std::vector<std::int16_t> high = speak(100, 175);
  const double normal_f0 = median_f0(normal);
  EXPECT_GT(normal_f0, 60.0);
  EXPECT_GT(median_f0(high), normal_f0 * 1.2) << normal_f0;
  EXPECT_NEAR(static_cast<double>(high.size()), static_cast<double>(normal.size()),
              normal.size() * 0.05);
  EXPECT_LT(static_cast<double>(speak(50, 350).size()), normal.size() * 0.75);
}

TEST(FliteBackend, AnUnknownVoiceIsAUsageErrorWithCloseNames) {
  NullDiagnostics diagnostics;
  try {
    const Engine engine(flite_config("slx"), diagnostics);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kUsage);
    EXPECT_NE(std::string(error.what()).find("slt"), std::string::npos) << error.what();
  }
  EXPECT_THROW(Engine(flite_config("flite:en-us"), diagnostics), Error);
}

TEST(FliteBackend, VoicesListBothBackendsWithTheirRates) {
  NullDiagnostics diagnostics;
  const EngineConfig config;
  const Engine engine(config, diagnostics);
  const std::vector<VoiceInfo> voices = engine.voices();
  for (const char* name : {"rms", "slt", "awb", "kal16"}) {
    const auto voice = std::find_if(voices.begin(), voices.end(),
                                    [&](const VoiceInfo& v) { return v.name == name; });
    ASSERT_NE(voice, voices.end()) << name;
    EXPECT_EQ(voice->backend, "flite");
    EXPECT_EQ(voice->sample_rate_hz, 16000);
  }
  EXPECT_TRUE(std::any_of(voices.begin(), voices.end(), [](const VoiceInfo& v) {
    return v.backend == "espeak" && v.sample_rate_hz == 22050;
  }));
}

}  // namespace
}  // namespace narrator
