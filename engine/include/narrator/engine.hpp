// engine.hpp: Narrator's public C++ API.
//
// An Engine is built once from an EngineConfig and turns Articles into audio:
//   - script() gives the exact text that will be spoken, sentence by sentence;
//   - start() returns a Narration that is pulled one sentence-sized AudioChunk at a time;
//   - narrate_to() synthesizes on worker threads and writes every chunk, in order, into an
//     AudioSink.
// Flite synthesizes several sentences at once (EngineConfig::synthesis_threads). eSpeak NG keeps
// process-wide state: all Engines in a process share it, and its calls are serialized, so two
// Engines on two threads are safe but do not run in parallel.
//
// Lifetimes:
//   - The Diagnostics sink given to the Engine must outlive the Engine and every Narration it
//     started (both report into it).
//   - A Narration shares ownership of its Engine's state (voice, lexicons, normalization data):
//     the Engine may be destroyed first, and the Narration still pulls the rest of the article.
//   - A Narration owns its copy of the article; script(), estimate() and narrate_to() only read
//     the caller's article during the call.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/audio/audio_chunk.hpp"
#include "narrator/audio/audio_sink.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/options.hpp"
#include "narrator/source_span.hpp"
#include "narrator/voice.hpp"

namespace narrator {

// One sentence as it will be spoken.
struct ScriptSentence {
  SourceSpan span;              // the sentence in Article::text
  std::size_t block_index = 0;  // index into Article::blocks
  std::string text;             // exactly what the voice is given, words separated by one space
  std::size_t word_count = 0;   // spoken words in `text`
};

struct Progress {
  std::size_t sentence_index = 0;  // the sentence just written (0-based)
  std::size_t sentence_count = 0;
  std::chrono::milliseconds audio_duration{0};  // audio written so far
  std::chrono::milliseconds elapsed{0};         // wall time since the narration started
};

// Receives progress from narrate_to(), on the caller's thread, after each chunk is written.
class ProgressObserver {
 public:
  virtual ~ProgressObserver() = default;
  virtual void on_progress(const Progress& progress) = 0;
  // Each chunk as it is written, with the frame where it starts in the whole narration: its
  // marks (sentence, words, SSML marks) then have times. Called before on_progress.
  virtual void on_chunk(const AudioChunk& /*chunk*/, std::size_t /*first_frame*/) {}
};

// Meters synthesis sentence by sentence, for a caller that shares its cores between narrations
// (`narrate serve` gives each sentence a permit, a new request's first sentence ahead of later
// ones). narrate_to() calls acquire() on a synthesis thread before it synthesizes each sentence,
// and release() with the same index once that sentence's audio is made, or its synthesis failed.
// With several synthesis threads the calls come from each of them at once. The gate must outlive
// the narrate_to() call.
class SynthesisGate {
 public:
  virtual ~SynthesisGate() = default;
  // Waits until sentence `sentence_index` (0-based, in reading order) may be synthesized. Returns
  // true when it may (release() is then due); false when `cancel` fired while waiting (no
  // release(); the narration ends with Error(kCancelled)). An exception thrown here stops the
  // narration like a backend's error.
  virtual bool acquire(std::size_t sentence_index, const CancelToken& cancel) = 0;
  // Ends what acquire() granted. Never throws.
  virtual void release(std::size_t sentence_index) noexcept = 0;
};

struct NarrationSummary {
  std::size_t sentence_count = 0;
  std::size_t word_count = 0;
  std::chrono::milliseconds audio_duration{0};
  std::chrono::milliseconds elapsed{0};  // wall time of the whole narration
};

// Where a sentence sits in the article, before it is spoken.
struct SentencePlace {
  SourceSpan span;              // the sentence in Article::text
  std::size_t block_index = 0;  // index into Article::blocks
};

class Pipeline;
class SynthesisBackend;

// A narration in progress, pulled one chunk per sentence. Not thread-safe; move-only. Made only by
// Engine::start(). It keeps its Engine's state alive (see "Lifetimes" above), so it stays valid
// after the Engine is destroyed; a moved-from Narration may only be destroyed or assigned to.
class Narration {
 public:
  Narration(Narration&&) noexcept;
  Narration& operator=(Narration&&) noexcept;
  ~Narration();

  // The next sentence's audio (speech plus the pause after it), or nullopt after the chunk with
  // is_last was returned. Throws Error(kCancelled) when the token was cancelled, Error(kBackend)
  // when synthesis fails.
  std::optional<AudioChunk> next();

  std::size_t sentence_count() const noexcept;

  // Every sentence in reading order, as split before synthesis: for a player that shows
  // "paragraph k of N" and jumps between sentences and paragraphs.
  std::vector<SentencePlace> sentences() const;

  // Makes the next next() speak sentence `sentence_index` (0-based), forwards or backwards.
  // Throws Error(kUsage) when it is not below sentence_count().
  void seek(std::size_t sentence_index);

 private:
  friend class Engine;
  Narration(std::shared_ptr<const void> engine_state, std::unique_ptr<Pipeline> pipeline);

  std::shared_ptr<const void> engine_state_;  // declared first: outlives pipeline_, which uses it
  std::unique_ptr<Pipeline> pipeline_;
};

// How long a narration will take, before it is made.
struct DurationEstimate {
  std::chrono::milliseconds duration{0};  // speech plus pauses
  std::size_t word_count = 0;             // words the listener hears (the script's)
  std::size_t character_count = 0;        // characters of the script, in Unicode code points
  // Whole minutes for "Estimated N minutes": rounded, and at least 1.
  long long minutes() const noexcept {
    const long long rounded = (duration.count() + 30000) / 60000;
    return rounded < 1 ? 1 : rounded;
  }
};

struct WordPronunciation {
  std::string ipa;     // what the voice says, with ˈ and ˌ
  std::string source;  // "lexicon:<name>", "guesser" or "backend"
};

// How one word's pronunciation was reached (Engine::explain), for `narrate pronounce --explain`.
struct WordExplanation {
  struct Evidence {
    std::string kind;  // routing: "spelling", "pattern", "dictionary", "context"; guesser: the rule
    std::string detail;  // the rule key, list name or context reason; for a guesser rule, its note
    int weight = 0;
  };
  struct Sound {
    std::string letters;  // a letter group of the word ("kh")
    std::string rule;     // the guesser rule that read it ("letter:kh")
    std::string ipa;      // the rule's IPA: consonants, or a vowel's forms "ɑː|ə|ə"
    bool stressed = false;
  };
  std::string word;        // the word as read, without punctuation
  std::string ipa;         // what the voice says for it
  std::string source;      // "lexicon:<name>", "guesser", "transliteration" or "backend"
  std::string layer_file;  // the file of the lexicon layer that answered ("builtin:names/...")
  bool routed = false;     // routing was asked (a capitalized word no lexicon lists)
  bool to_guesser = false;
  int route_score = 0;
  int route_threshold = 0;
  std::string route_reason;
  std::vector<Evidence> route_evidence;
  // What the guesser did (when it answered): its weights, the stress rule, the letter rules.
  std::vector<Evidence> spelling;
  std::string stress_rule;
  std::string stress_detail;
  std::vector<Sound> sounds;
};

class Engine {
 public:
  // Validates `config` (Error(kUsage) naming the field) and prepares the backend and the voice
  // (Error(kUsage) for an unknown voice, with close matches; Error(kBackend) when eSpeak NG data
  // is missing).
  explicit Engine(EngineConfig config, Diagnostics& diagnostics);
  // The same, speaking through `backend` instead of eSpeak NG. SynthesisBackend is internal to the
  // engine (its header is not installed): this is how the engine's own tests watch what a backend
  // is given.
  Engine(EngineConfig config, Diagnostics& diagnostics, std::unique_ptr<SynthesisBackend> backend);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  // The format of every chunk this engine produces.
  StreamFormat format() const noexcept;

  // Every voice the backend offers.
  std::vector<VoiceInfo> voices() const;

  // What will be spoken, in order: the text stages of start() and narrate_to(), run without the
  // backend, so each sentence's text is exactly what the voice is given. Reports the same
  // diagnostics as a narration of the article (ssml.no_voice included).
  std::vector<ScriptSentence> script(const Article& article) const;

  // How the voice says `word`: the IPA read back from the backend (with ˈ and ˌ) and where the
  // pronunciation came from: "lexicon:<name>", "guesser", or "backend" (the voice's own rules).
  // The word goes through the same text stages as an article ("$5" is read "five dollars").
  WordPronunciation pronounce(std::string_view word) const;

  // Each word of `text` (read as pronounce() reads a word, so "village of Kreva" gives the
  // sentence context of its words), with the evidence for its pronunciation: the lexicon layer
  // and file that answered, else the routing score with each piece of evidence, and for a guess
  // the rule that set the stress and the rule behind each letter group.
  std::vector<WordExplanation> explain(std::string_view text) const;

  // Every problem in the lexicon file at `path` (TSV or PLS), one "path:line: ..." message each,
  // in line order: malformed rows, IPA symbols the voice cannot say, missing stress marks,
  // duplicates and conflicting entries. Empty for a clean file. Throws Error(kInput) when the file
  // cannot be read or parsed at all (the message names file:line).
  std::vector<std::string> check_lexicon(const std::string& path) const;

  // The narration's length, predicted from each sentence's characters at the speed the voice
  // reads the language's calibration sentences (lexicon/data/<language>/estimate_calibration.tsv)
  // with this engine's voice and rate, plus the pauses. The first call synthesizes those
  // sentences (a few hundred milliseconds of work at most); later calls reuse the measurement.
  // Throws Error(kCancelled) when `cancel` fires (a measurement cut short is not kept), so that a
  // caller making the estimate beside a narration can stop both at once.
  DurationEstimate estimate(const Article& article, CancelToken cancel = {}) const;

  // Starts a pull narration. The article is copied into the narration. `cancel` is checked
  // between sentences and during synthesis.
  Narration start(Article article, CancelToken cancel = {}) const;

  // Synthesizes `article` on worker threads (EngineConfig::synthesis_threads sentences at once)
  // and writes every chunk, in sentence order, into `sink` on the calling thread, then calls
  // sink.finish(). Memory stays bounded: a few sentences are held at most. The first error stops
  // every worker.
  // Throws Error(kCancelled) when cancelled (sink.finish() is not called), and whatever the sink
  // or the backend throws. `gate` (may be null) is asked before each sentence's synthesis (see
  // SynthesisGate).
  NarrationSummary narrate_to(const Article& article, AudioSink& sink, CancelToken cancel = {},
                              ProgressObserver* observer = nullptr,
                              SynthesisGate* gate = nullptr) const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with every Narration started
};

}  // namespace narrator
