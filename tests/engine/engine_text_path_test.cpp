// One text path: the script is exactly what the backend is given, sentence by sentence, with the
// same warnings, for every article the tests and samples hold. The backend here records what it is
// given instead of speaking, so the check needs no voice.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "synthesis_backend.hpp"

namespace narrator {
namespace {

constexpr int kSampleRateHz = 16000;
constexpr std::size_t kFramesPerWord = 160;

// What one synthesize() call was given.
struct Given {
  std::string text;  // the words joined by one space, as a script shows them
  std::string voice;
};

// Records every utterance it is given and answers with a little silence per word. It has voices
// for English only (the default voice and the "en" ones), like a backend with one language
// installed.
class RecordingBackend final : public SynthesisBackend {
 public:
  explicit RecordingBackend(std::vector<Given>& given) : given_(given) {}

  StreamFormat format() const noexcept override { return StreamFormat{kSampleRateHz, 1}; }
  std::vector<VoiceInfo> voices() const override { return {}; }
  void check_voice(const VoiceOptions& voice) const override {
    if (voice.name != VoiceOptions{}.name && !voice.name.starts_with("en")) {
      throw Error(ErrorCategory::kUsage, "no voice named '" + voice.name + "'");
    }
  }
  std::optional<std::string> unknown_ipa_symbol(std::string_view) const override {
    return std::nullopt;
  }
  std::string spoken_ipa(const Utterance& utterance, const VoiceOptions&) override {
    return joined(utterance);
  }
  AudioChunk synthesize(const Utterance& utterance, const VoiceOptions& voice,
                        const CancelToken&) override {
    given_.push_back(Given{joined(utterance), voice.name});
    AudioChunk chunk;
    chunk.format = format();
    chunk.samples.assign(kFramesPerWord * (utterance.words.size() + 1), 0);
    return chunk;
  }

 private:
  static std::string joined(const Utterance& utterance) {
    std::string text;
    for (const SpokenWord& word : utterance.words) text += (text.empty() ? "" : " ") + word.text;
    return text;
  }

  std::vector<Given>& given_;
};

std::string shown(const Diagnostic& diagnostic) {
  return std::to_string(static_cast<int>(diagnostic.severity)) + " " + diagnostic.code + " " +
         std::to_string(diagnostic.span.begin_byte) + "-" +
         std::to_string(diagnostic.span.end_byte) + " " + diagnostic.message;
}

std::vector<std::string> shown_since(const CollectingDiagnostics& diagnostics, std::size_t from) {
  std::vector<std::string> out;
  const std::vector<Diagnostic> items = diagnostics.items();
  for (std::size_t i = from; i < items.size(); ++i) out.push_back(shown(items[i]));
  return out;
}

// Every article the tests and samples give the engine to read: script goldens, SSML and HTML
// reader goldens, and the samples. Documents that fail to read (the error goldens) are left out.
std::vector<std::filesystem::path> test_articles() {
  const std::filesystem::path root(NARRATOR_SOURCE_DIR);
  std::vector<std::filesystem::path> paths;
  for (const auto& [folder, extensions] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"tests/data/script", {".txt", ".ssml"}},
           {"tests/data/ssml", {".ssml"}},
           {"tests/data/html", {".html"}},
           {"samples", {".txt"}}}) {
    for (const auto& entry : std::filesystem::directory_iterator(root / folder)) {
      const std::string extension = entry.path().extension().string();
      if (std::find(extensions.begin(), extensions.end(), extension) != extensions.end()) {
        paths.push_back(entry.path());
      }
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

struct Recorded {
  std::vector<Given> given;
  CollectingDiagnostics diagnostics;
  EngineConfig config;  // not const: a const member would delete the default constructor
  Engine engine{config, diagnostics, std::make_unique<RecordingBackend>(given)};
};

TEST(TextPath, TheScriptIsWhatTheBackendIsGivenForEveryTestArticle) {
  std::size_t articles = 0;
  std::size_t sentences = 0;
  std::size_t warned = 0;
  for (const std::filesystem::path& path : test_articles()) {
    SCOPED_TRACE(path.string());
    NullDiagnostics reading;
    std::optional<Article> article;
    try {
      article = read_input_file(path.string(), std::nullopt, ReadOptions{}, reading);
    } catch (const Error& error) {
      ASSERT_EQ(error.category(), ErrorCategory::kInput) << error.what();
      continue;  // an error golden: nothing to speak
    }
    ++articles;
    Recorded recorded;
    const std::vector<ScriptSentence> script = recorded.engine.script(*article);
    const std::vector<std::string> script_warnings = shown_since(recorded.diagnostics, 0);
    const std::size_t audio_from = recorded.diagnostics.items().size();
    Narration narration = recorded.engine.start(*article);
    // A sentence with SSML voice runs (prosody, xml:lang, a <break> inside) is given to the
    // backend run by run: what it is given for one chunk, joined, is that sentence's script line.
    std::vector<std::string> given_per_chunk;
    std::size_t given_before = 0;
    while (std::optional<AudioChunk> chunk = narration.next()) {
      std::string text;
      for (std::size_t i = given_before; i < recorded.given.size(); ++i) {
        text += (text.empty() ? "" : " ") + recorded.given[i].text;
      }
      given_before = recorded.given.size();
      given_per_chunk.push_back(std::move(text));
    }

    ASSERT_EQ(given_per_chunk.size(), script.size());
    ASSERT_GE(recorded.given.size(), script.size());
    for (std::size_t i = 0; i < script.size(); ++i) {
      EXPECT_EQ(script[i].text, given_per_chunk[i]) << "sentence " << i;
    }
    EXPECT_EQ(script_warnings, shown_since(recorded.diagnostics, audio_from));
    sentences += script.size();
    warned += script_warnings.empty() ? 0 : 1;
  }
  // The walk must have found the articles it promises to check.
  EXPECT_GE(articles, 15u);
  EXPECT_GE(sentences, 100u);
  EXPECT_GE(warned, 1u);
}

TEST(TextPath, TheScriptWarnsOfALanguageWithNoVoiceAsTheAudioDoes) {
  NullDiagnostics reading;
  const Article article = read_input(
      "<speak><p>Good evening. <s xml:lang=\"de\">Gute Reise.</s> <s xml:lang=\"de\">Bis "
      "bald.</s></p></speak>",
      "lang.ssml", InputFormat::kSsml, ReadOptions{}, reading);
  Recorded recorded;
  const std::vector<ScriptSentence> script = recorded.engine.script(article);
  const std::vector<Diagnostic> from_script = recorded.diagnostics.items();
  ASSERT_EQ(script.size(), 3u);
  EXPECT_EQ(script[1].text, "Gute Reise.");
  const auto no_voice = [](const Diagnostic& d) { return d.code == "ssml.no_voice"; };
  ASSERT_EQ(std::count_if(from_script.begin(), from_script.end(), no_voice), 1);
  const Diagnostic warning = *std::find_if(from_script.begin(), from_script.end(), no_voice);
  EXPECT_EQ(warning.severity, Severity::kWarning);
  EXPECT_EQ(warning.span, script[1].span);
  EXPECT_NE(warning.message.find("no voice for language 'de'"), std::string::npos)
      << warning.message;

  Narration narration = recorded.engine.start(article);
  while (narration.next()) {
  }
  const std::vector<Diagnostic> all = recorded.diagnostics.items();
  EXPECT_EQ(std::count_if(all.begin(), all.end(), no_voice), 2);  // once more, from the audio
  ASSERT_EQ(recorded.given.size(), 3u);
  EXPECT_EQ(recorded.given[1].voice, recorded.config.voice.name);  // read with the engine's voice
}

// A cancelled estimate stops with kCancelled and keeps no half measurement: the next one
// calibrates in full and gives the same figure as an engine never cancelled.
TEST(TextPath, ACancelledEstimateStopsAndKeepsNoCalibration) {
  NullDiagnostics reading;
  const Article article = read_article("Rain fell on 12 streets.", "t", {}, reading);
  Recorded recorded;
  CancelSource stop;
  stop.cancel();
  try {
    recorded.engine.estimate(article, stop.token());
    ADD_FAILURE() << "a cancelled estimate returned";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kCancelled) << error.what();
  }
  const DurationEstimate after = recorded.engine.estimate(article);
  Recorded fresh;
  EXPECT_EQ(after.duration, fresh.engine.estimate(article).duration);
  EXPECT_GT(after.duration.count(), 0);
}

TEST(TextPath, TheEstimateCalibratesOnceAndCountsTheScript) {
  NullDiagnostics reading;
  const Article article = read_article(
      "Rain fell on 12 streets.\n\nThe river rose 2.7 metres by Saturday.", "t", {}, reading);
  Recorded recorded;
  const DurationEstimate first = recorded.engine.estimate(article);
  const std::size_t calibration = recorded.given.size();  // the calibration passage, spoken once
  ASSERT_GE(calibration, 2u);
  const DurationEstimate second = recorded.engine.estimate(article);
  EXPECT_EQ(recorded.given.size(), calibration);
  EXPECT_EQ(second.duration, first.duration);
  EXPECT_GT(first.duration.count(), 0);

  std::size_t words = 0;
  std::size_t characters = 0;
  for (const ScriptSentence& sentence : recorded.engine.script(article)) {
    words += sentence.word_count;
    characters += sentence.text.size();  // ASCII here: bytes are code points
  }
  EXPECT_EQ(first.word_count, words);
  EXPECT_EQ(first.character_count, characters);
  EXPECT_EQ(recorded.given.size(), calibration);  // script() never reaches the backend
}

TEST(TextPath, PronounceReadsTheWordThroughTheTextStages) {
  Recorded recorded;
  // The recording backend answers with the text it is given instead of IPA.
  EXPECT_EQ(recorded.engine.pronounce("$5").ipa, "five dollars");
  EXPECT_EQ(recorded.engine.pronounce("2021").ipa, "twenty twenty-one");
  EXPECT_EQ(recorded.engine.pronounce("Hrodna").ipa, "Hrodna");
}

TEST(TextPath, TheNarrationOutlivesItsEngine) {
  NullDiagnostics reading;
  const Article article =
      read_article("One sentence. Another sentence. A third sentence.", "t", {}, reading);
  std::vector<Given> given;
  CollectingDiagnostics diagnostics;
  const EngineConfig config;
  auto engine =
      std::make_unique<Engine>(config, diagnostics, std::make_unique<RecordingBackend>(given));
  const std::vector<ScriptSentence> script = engine->script(article);
  Narration narration = engine->start(article);
  ASSERT_TRUE(narration.next().has_value());
  engine.reset();  // the narration keeps the engine's state (and its backend) alive
  std::size_t rest = 0;
  while (std::optional<AudioChunk> chunk = narration.next()) {
    ++rest;
    EXPECT_EQ(chunk->is_last, chunk->sentence_index + 1 == script.size());
  }
  EXPECT_EQ(rest, script.size() - 1);
  ASSERT_EQ(given.size(), script.size());
  EXPECT_EQ(given.back().text, script.back().text);
}

}  // namespace
}  // namespace narrator
