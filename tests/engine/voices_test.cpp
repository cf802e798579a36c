// Every voice `narrate voices` lists speaks, and one narration speaks with two engines: a Flite
// narration hands a language span, or a sentence in a script other than Latin, to eSpeak NG's
// voice for that language, resampled to the narration's rate with its marks in order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audio_analysis.hpp"
#include "flite_backend.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "synthesis_backend.hpp"
#include "voice_registry.hpp"

namespace narrator {
namespace {

using test::kSilenceFloorRms;
constexpr int kFliteRateHz = 16000;

double rms(const std::vector<std::int16_t>& samples) {
  double sum = 0;
  for (const std::int16_t sample : samples) sum += static_cast<double>(sample) * sample;
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

Utterance words_of(const std::vector<std::string>& texts) {
  Utterance utterance;
  std::size_t at = 0;
  for (const std::string& text : texts) {
    SpokenWord word;
    word.text = text;
    word.token_index = utterance.words.size();
    word.span = SourceSpan{at, at + text.size()};
    at += text.size() + 1;
    utterance.words.push_back(word);
  }
  return utterance;
}

// Every voice of every backend, by the names `narrate voices` shows for it: each speaks a short
// sentence through the backend --voice picks for its first listed language (its name for a Flite
// voice, whose language picks eSpeak NG), and its name and identifier select it too.
TEST(EveryVoice, EachListedVoiceSpeaksAShortSentence) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.name = "rms";
  const Engine engine(config, diagnostics);
  const std::vector<VoiceInfo> voices = engine.voices();
  ASSERT_GE(voices.size(), 100u);
  std::map<BackendKind, std::unique_ptr<SynthesisBackend>> backends;
  const Utterance utterance = words_of({"Hello,", "one", "two", "three."});
  const CancelSource never;
  std::size_t spoken = 0;
  for (const VoiceInfo& voice : voices) {
    SCOPED_TRACE(voice.backend + " " + voice.identifier);
    const std::string typed =
        voice.backend == "flite" || voice.languages.empty() ? voice.name : voice.languages.front();
    const VoiceChoice choice = choose_voice(typed);
    std::unique_ptr<SynthesisBackend>& backend = backends[choice.backend];
    if (!backend) backend = make_backend(choice.backend);
    VoiceOptions options;
    options.name = choice.name;
    for (const std::string& other : {voice.name, voice.identifier}) {
      VoiceOptions named;
      named.name = choose_voice(voice.backend + ":" + other).name;
      EXPECT_TRUE(backend->has_voice(named.name)) << other;
    }
    ASSERT_NO_THROW(backend->check_voice(options)) << typed;
    AudioChunk chunk;
    ASSERT_NO_THROW(chunk = backend->synthesize(utterance, options, never.token())) << typed;
    EXPECT_EQ(chunk.format.sample_rate_hz, backend->format().sample_rate_hz) << typed;
    EXPECT_GT(rms(chunk.samples), kSilenceFloorRms) << typed << " is silent";
    ++spoken;
  }
  EXPECT_EQ(spoken, voices.size());
}

// The language tags of the issue: a listed language, with any case, and a variant.
TEST(EveryVoice, LanguageKeysAndVariantsSelectTheirEspeakVoice) {
  const std::unique_ptr<SynthesisBackend> espeak = make_backend(BackendKind::kEspeak);
  const CancelSource never;
  for (const char* name : {"en-gb", "fr-fr", "chr-US-Qaaa-x-west", "EN-GB", "en-gb+f3", "de"}) {
    SCOPED_TRACE(name);
    VoiceOptions options;
    options.name = name;
    ASSERT_NO_THROW(espeak->check_voice(options));
    const AudioChunk chunk =
        espeak->synthesize(words_of({"Hello", "there."}), options, never.token());
    EXPECT_GT(rms(chunk.samples), kSilenceFloorRms);
  }
  VoiceOptions unknown;
  unknown.name = "en-gbb";
  EXPECT_THROW(espeak->check_voice(unknown), Error);
}

// An eSpeak NG narration finds its language voices the same way, and keeps its own voice for a
// tag its language covers.
TEST(EveryVoice, EspeakFindsTheClosestVoiceForALanguageTag) {
  const std::unique_ptr<SynthesisBackend> espeak = make_backend(BackendKind::kEspeak);
  const auto voice_for = [&](std::string_view tag, std::string_view narration) {
    const std::optional<LanguageVoice> found = espeak->voice_for_language(tag, narration);
    return found ? found->name : std::string("-");
  };
  EXPECT_EQ(voice_for("en-US", "en-us"), "en-us");
  EXPECT_EQ(voice_for("en", "en-us+f3"), "en-us+f3");
  EXPECT_EQ(voice_for("fr-FR", "en-us"), "roa/fr");
  EXPECT_EQ(voice_for("fr-CA", "en-us"), "roa/fr");
  EXPECT_EQ(voice_for("en-GB", "en-us"), "gmw/en");
  EXPECT_EQ(voice_for("de-AT", "en-us"), "gmw/de");
  EXPECT_EQ(voice_for("be", "be"), "be");
  EXPECT_EQ(voice_for("xx-nowhere", "en-us"), "-");
}

// Forwards to the real backend and records the voice of every sentence it speaks.
class VoiceRecorder final : public SynthesisBackend {
 public:
  VoiceRecorder(std::unique_ptr<SynthesisBackend> inner, std::vector<std::string>& spoken_by)
      : inner_(std::move(inner)), spoken_by_(spoken_by) {}

  std::string_view name() const noexcept override { return inner_->name(); }
  std::string_view ipa_table() const noexcept override { return inner_->ipa_table(); }
  StreamFormat format() const noexcept override { return inner_->format(); }
  std::vector<VoiceInfo> voices() const override { return inner_->voices(); }
  void check_voice(const VoiceOptions& voice) const override { inner_->check_voice(voice); }
  bool has_voice(std::string_view voice) const override { return inner_->has_voice(voice); }
  bool reads_ascii_only() const noexcept override { return inner_->reads_ascii_only(); }
  std::optional<LanguageVoice> voice_for_language(std::string_view tag,
                                                  std::string_view narration) const override {
    return inner_->voice_for_language(tag, narration);
  }
  std::optional<std::string> unknown_ipa_symbol(std::string_view ipa) const override {
    return inner_->unknown_ipa_symbol(ipa);
  }
  std::string spoken_ipa(const Utterance& utterance, const VoiceOptions& voice) override {
    return inner_->spoken_ipa(utterance, voice);
  }
  AudioChunk synthesize(const Utterance& utterance, const VoiceOptions& voice,
                        const CancelToken& cancel) override {
    spoken_by_.push_back(voice.name);
    return inner_->synthesize(utterance, voice, cancel);
  }

 private:
  std::unique_ptr<SynthesisBackend> inner_;
  std::vector<std::string>& spoken_by_;
};

// A Flite (rms) narration whose backend records which voice speaks each sentence.
struct FliteNarration {
  std::vector<std::string> spoken_by;
  CollectingDiagnostics diagnostics;
  EngineConfig config = [] {
    EngineConfig rms;
    rms.voice.name = "rms";
    return rms;
  }();
  Engine engine{config, diagnostics,
                std::make_unique<VoiceRecorder>(make_backend(BackendKind::kFlite), spoken_by)};

  std::vector<AudioChunk> chunks(const Article& article) {
    std::vector<AudioChunk> all;
    Narration narration = engine.start(article);
    while (std::optional<AudioChunk> chunk = narration.next()) all.push_back(std::move(*chunk));
    return all;
  }

  std::vector<Diagnostic> with_code(std::string_view code) const {
    std::vector<Diagnostic> found;
    for (const Diagnostic& diagnostic : diagnostics.items()) {
      if (diagnostic.code == code) found.push_back(diagnostic);
    }
    return found;
  }
};

Article ssml(std::string text) {
  NullDiagnostics reading;
  return read_input(std::move(text), "story.ssml", InputFormat::kSsml, ReadOptions{}, reading);
}

// Word marks in order and inside the chunk's speech; the sentence's own mark first.
void expect_marks_in_order(const AudioChunk& chunk) {
  const std::size_t speech_end = chunk.frame_count() - chunk.pause_frame_count;
  std::size_t words = 0;
  std::size_t previous = 0;
  for (const TimingMark& mark : chunk.marks) {
    if (mark.kind != MarkKind::kWord) continue;
    ++words;
    EXPECT_GE(mark.frame, previous) << mark.value;
    EXPECT_LE(mark.frame, speech_end) << mark.value;
    previous = mark.frame;
  }
  EXPECT_GE(words, 2u);
}

TEST(MixedNarration, LanguageSpansAreReadByTheEspeakVoiceForTheirLanguage) {
  FliteNarration flite;
  const Article article = ssml(
      "<speak>\n<p>Good evening.\n<s xml:lang=\"fr-FR\">Bonjour à tous les amis.</s>\n"
      "<s xml:lang=\"en-GB\">Good evening from London.</s>\n"
      "<s xml:lang=\"de-AT\">Guten Abend aus Wien.</s>\n"
      "<s xml:lang=\"en-US\">And from New York.</s>\n"
      "<s xml:lang=\"xx-nowhere\">Nowhere at all.</s></p>\n</speak>\n");
  const std::vector<AudioChunk> chunks = flite.chunks(article);
  ASSERT_EQ(chunks.size(), 6u);
  EXPECT_EQ(flite.spoken_by,
            (std::vector<std::string>{"rms", "roa/fr", "gmw/en", "gmw/de", "rms", "rms"}));
  for (const AudioChunk& chunk : chunks) {
    EXPECT_EQ(chunk.format.sample_rate_hz, kFliteRateHz);
    EXPECT_GT(rms(chunk.samples), kSilenceFloorRms);
  }
  // One warning per language read by another voice, naming the voice and the SSML line.
  const std::vector<Diagnostic> moved = flite.with_code("voice.language");
  ASSERT_EQ(moved.size(), 3u);
  EXPECT_NE(moved[0].message.find("story.ssml:3: xml:lang 'fr-FR'"), std::string::npos)
      << moved[0].message;
  EXPECT_NE(moved[0].message.find("French"), std::string::npos) << moved[0].message;
  EXPECT_NE(moved[1].message.find("story.ssml:4: xml:lang 'en-GB'"), std::string::npos)
      << moved[1].message;
  EXPECT_NE(moved[1].message.find("en-gb, English (Great Britain)"), std::string::npos)
      << moved[1].message;
  EXPECT_NE(moved[2].message.find("German"), std::string::npos) << moved[2].message;
  const std::vector<Diagnostic> unknown = flite.with_code("ssml.no_voice");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0].message.find("no voice for language 'xx-nowhere'; read with rms"),
            std::string::npos)
      << unknown[0].message;
}

TEST(MixedNarration, ALanguageSpanChunkHasTheNarrationRateAndItsMarksInOrder) {
  FliteNarration flite;
  const Article article =
      ssml("<speak><s xml:lang=\"fr-FR\">Le président a parlé ce matin à Paris.</s></speak>");
  const std::vector<AudioChunk> chunks = flite.chunks(article);
  ASSERT_EQ(chunks.size(), 1u);
  ASSERT_EQ(flite.spoken_by, std::vector<std::string>{"roa/fr"});
  const AudioChunk& chunk = chunks[0];
  EXPECT_EQ(chunk.format.sample_rate_hz, kFliteRateHz);
  EXPECT_EQ(chunk.format.channels, 1);
  expect_marks_in_order(chunk);
  // The words take about as long as eSpeak NG says them at its own rate.
  VoiceOptions french;
  french.name = "roa/fr";
  const std::unique_ptr<SynthesisBackend> espeak = make_backend(BackendKind::kEspeak);
  const CancelSource never;
  const AudioChunk native =
      espeak->synthesize(words_of({"Le", "président", "a", "parlé", "ce", "matin", "à", "Paris."}),
                         french, never.token());
  const double native_s = static_cast<double>(native.frame_count()) / native.format.sample_rate_hz;
  const double speech_s =
      static_cast<double>(chunk.frame_count() - chunk.pause_frame_count) / kFliteRateHz;
  EXPECT_NEAR(speech_s, native_s, 0.05 * native_s);
}

TEST(MixedNarration, AnEnglishSpanInAnEnglishNarrationKeepsTheNarrationVoice) {
  FliteNarration flite;
  flite.chunks(
      ssml("<speak><s xml:lang=\"en-US\">Hello.</s> <s xml:lang=\"en\">Again.</s>"
           "</speak>"));
  EXPECT_EQ(flite.spoken_by, (std::vector<std::string>{"rms", "rms"}));
  EXPECT_TRUE(flite.with_code("voice.language").empty());
}

TEST(MixedNarration, ACyrillicSentenceIsSpokenByTheEspeakVoiceForItsLanguage) {
  FliteNarration flite;
  NullDiagnostics reading;
  const Article article = read_article(
      "The opposition leader spoke on Tuesday.\n\nМы сустрэнемся ў Мінску заўтра.\n\n"
      "Мы встретимся в Москве завтра.\n",
      "story.txt", {}, reading);
  const std::vector<AudioChunk> chunks = flite.chunks(article);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(flite.spoken_by, (std::vector<std::string>{"rms", "zle/be", "zle/ru"}));
  for (const AudioChunk& chunk : chunks) {
    EXPECT_EQ(chunk.format.sample_rate_hz, kFliteRateHz);
    EXPECT_GT(rms(chunk.samples), kSilenceFloorRms);
  }
  expect_marks_in_order(chunks[1]);
  const std::vector<Diagnostic> moved = flite.with_code("voice.language");
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_NE(moved[0].message.find("Cyrillic text ('be')"), std::string::npos) << moved[0].message;
  EXPECT_NE(moved[0].message.find("Belarusian"), std::string::npos) << moved[0].message;
}

// Latin letters with diacritics reach Flite folded to ASCII, so the whole word is said.
TEST(MixedNarration, FliteSaysLatinWordsWithDiacriticsAsTheirAsciiLetters) {
  FliteBackend flite;
  VoiceOptions rms_voice;
  rms_voice.name = "rms";
  const std::vector<std::string> folded =
      flite.spoken_phones(words_of({"Café", "Žižek", "Łódź."}), rms_voice);
  const std::vector<std::string> ascii =
      flite.spoken_phones(words_of({"Cafe", "Zizek", "Lodz."}), rms_voice);
  EXPECT_EQ(folded, ascii);
  ASSERT_EQ(folded.size(), 3u);
  EXPECT_FALSE(folded[2].empty());
}

}  // namespace
}  // namespace narrator
