// pipeline.hpp: one narration, sentence by sentence. The whole per-sentence path reads top to
// bottom in pipeline.cpp. Its text stages are one method, say(), that the audio (next()), the
// script, the estimate and pronounce all run: what a script shows is what the backend is given.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/audio/audio_chunk.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/engine.hpp"
#include "narrator/lexicon/lexicon.hpp"
#include "narrator/options.hpp"
#include "normalizer.hpp"
#include "script_language.hpp"
#include "sentence_splitter.hpp"
#include "ssml_stage.hpp"
#include "synth/synthesis_backend.hpp"
#include "tokens.hpp"

namespace narrator {

// The text the voice is given for an utterance: words joined by single spaces.
std::string spoken_text(const Utterance& utterance);

// Number of words the listener hears (whitespace-separated words of the spoken text).
std::size_t spoken_word_count(const Utterance& utterance);

// The words of a sentence that one voice says: SSML prosody and language spans, and <break>s
// inside a sentence, make a sentence several runs; it stays one sentence everywhere else.
struct SpokenRun {
  std::size_t word_end = 0;  // the run is utterance.words [previous run's word_end, word_end)
  VoiceOptions voice;        // SSML prosody and language applied
  int pause_after_ms = 0;    // silence after the run (a <break> inside the sentence)
};

// One sentence after the text stages: exactly what the backend is given.
struct SpokenSentence {
  std::size_t index = 0;        // the sentence's index in the narration
  Utterance utterance;          // the words, with their pronunciations
  VoiceOptions voice;           // the voice of the first run
  std::vector<SpokenRun> runs;  // one or more, in order, covering every word
};

// Normalizers to reuse. Making one costs a few hundred microseconds (ICU parses its number rules),
// which a caller reading many short articles (`narrate normalize`: an article per line) would pay
// for each. A normalizer serves one pipeline at a time (ICU number formats are not shared between
// threads): a pipeline borrows one and gives it back when it ends. The pool must outlive every
// lease (the Engine's state owns both).
class NormalizerPool {
 public:
  // `data` must outlive the pool. The normalizer's arguments: see Normalizer.
  NormalizerPool(const NormalizationData& data, std::string locale,
                 std::vector<std::shared_ptr<const WordList>> words)
      : data_(data), locale_(std::move(locale)), words_(std::move(words)) {}

  struct GiveBack {
    NormalizerPool* pool = nullptr;
    void operator()(Normalizer* normalizer) const noexcept;
  };
  using Lease = std::unique_ptr<Normalizer, GiveBack>;

  // An idle normalizer, or a new one. Throws as Normalizer's constructor does.
  Lease borrow();

 private:
  const NormalizationData& data_;
  std::string locale_;
  std::vector<std::shared_ptr<const WordList>> words_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Normalizer>> idle_;
};

class Pipeline {
 public:
  // `article` is shared so that a Narration can own its copy while narrate_to() only borrows the
  // caller's. The splitter, normalization data, backend and diagnostics belong to the Engine and
  // outlive the pipeline.
  Pipeline(std::shared_ptr<const Article> article, const EngineConfig& config,
           const SentenceSplitter& splitter, NormalizerPool::Lease normalizer,
           const LexiconStack& lexicons, std::optional<Lexicon> article_layer,
           SynthesisBackend& backend, Diagnostics& diagnostics, CancelToken cancel);

  std::size_t sentence_count() const noexcept { return sentences_.size(); }
  std::size_t word_count() const noexcept { return word_count_; }

  // The next sentence through the text stages only (sentences, normalize, SSML rewrite, voice
  // choice, pronounce), or nullopt after the last one: the prefix of next() that script(),
  // estimate() and pronounce() stop at. Throws Error(kCancelled) when the token was cancelled.
  std::optional<SpokenSentence> next_text();

  // Synthesizes a sentence next_text() returned: the backend's chunk with the pause after it and
  // the sentence's marks. It only reads the article and the sentences (and calls the backend), so
  // up to the backend's max_parallel() threads may call it at once, beside one thread in
  // next_text(); seek() must not run meanwhile.
  AudioChunk synthesize(const SpokenSentence& spoken) const;

  // The next sentence's chunk, or nullopt after the last one: next_text(), then synthesize().
  std::optional<AudioChunk> next();

  // The script line of a sentence next_text() returned.
  ScriptSentence script_of(const SpokenSentence& spoken) const;

  std::vector<SentencePlace> places() const;
  void seek(std::size_t sentence_index);

 private:
  SpokenSentence say(std::size_t index);
  std::vector<SpokenRun> runs_of(const Sentence& sentence, const Utterance& utterance);
  AudioChunk speak_runs(const SpokenSentence& spoken) const;
  void add_marks(AudioChunk& chunk, std::size_t index) const;
  std::size_t pause_frames(const Sentence& sentence, int sample_rate_hz) const;
  VoiceOptions voice_of(const Sentence& sentence);
  std::string language_voice(const std::string& tag, const Sentence& sentence,
                             const std::string& what, const char* no_voice_code);

  std::shared_ptr<const Article> article_;
  VoiceOptions voice_;
  PauseOptions pauses_;
  NormalizerPool::Lease normalizer_;  // its own while it lives: not shared between threads
  SpanRewriter rewriter_;             // SSML say-as, sub and phoneme
  const LexiconStack& lexicons_;
  std::optional<Lexicon> article_layer_;  // the article's own "@pronounce" entries
  SynthesisBackend& backend_;
  Diagnostics& diagnostics_;
  CancelToken cancel_;
  std::vector<Sentence> sentences_;
  std::size_t next_index_ = 0;
  std::size_t word_count_ = 0;  // spoken words so far
  ScriptLanguages scripts_;     // the language of a passage in a script the voice cannot read
  // The voice that reads each language tag met so far (lower case); nullopt when none does.
  std::map<std::string, std::optional<std::string>> language_voices_;
};

}  // namespace narrator
