#include "narrator/engine.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <mutex>
#include <stop_token>
#include <string>

#include "english_words.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/lexicon.hpp"
#include "narrator/lexicon/normalization_data.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "narrator/lexicon/tsv_reader.hpp"
#include "parallel_synthesis.hpp"
#include "pipeline.hpp"
#include "pronouncer.hpp"
#include "synth/voice_registry.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

// Chunks made ahead of the writer, besides one per synthesis thread: enough to keep the encoder
// busy while the next sentences are synthesized, few enough to keep memory flat.
constexpr std::size_t kQueuedChunks = 4;
constexpr std::size_t kMaxSynthesisThreads = 64;

constexpr std::size_t kMinSentenceBytes = 100;
constexpr std::size_t kMaxSentenceBytes = 100000;

void check_pause(std::string_view field, int value_ms) {
  if (value_ms < 0 || value_ms > limits::kMaxPauseMs) {
    throw Error(ErrorCategory::kUsage, std::string(field) + " " + std::to_string(value_ms) +
                                           " ms is out of range; use 0 to " +
                                           std::to_string(limits::kMaxPauseMs) + " ms");
  }
}

void validate(const EngineConfig& config) {
  check_pause("pauses.sentence_ms", config.pauses.sentence_ms);
  check_pause("pauses.paragraph_ms", config.pauses.paragraph_ms);
  check_pause("pauses.heading_ms", config.pauses.heading_ms);
  if (config.max_sentence_bytes < kMinSentenceBytes ||
      config.max_sentence_bytes > kMaxSentenceBytes) {
    throw Error(ErrorCategory::kUsage,
                "max_sentence_bytes " + std::to_string(config.max_sentence_bytes) +
                    " is out of range; use " + std::to_string(kMinSentenceBytes) + " to " +
                    std::to_string(kMaxSentenceBytes));
  }
  if (config.synthesis_threads > kMaxSynthesisThreads) {
    throw Error(ErrorCategory::kUsage, "synthesis_threads " +
                                           std::to_string(config.synthesis_threads) +
                                           " is out of range; use 0 (the backend's choice) to " +
                                           std::to_string(kMaxSynthesisThreads));
  }
}

// A shared_ptr that borrows `article` without owning it (the caller keeps it alive).
std::shared_ptr<const Article> borrow(const Article& article) {
  return std::shared_ptr<const Article>(std::shared_ptr<const Article>(), &article);
}

// `text` as an article of one paragraph, for the word commands.
Article one_paragraph(std::string_view text, std::string source_name) {
  Article article;
  article.text = std::string(text);
  article.source_name = std::move(source_name);
  article.blocks.push_back(Block{SourceSpan{0, text.size()}, BlockKind::kParagraph});
  return article;
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace

// Everything an Engine and its Narrations share. Held by shared_ptr: each Narration keeps it
// alive, so an Engine may be destroyed while its narrations are still pulled.
struct Engine::State {
  EngineConfig config;
  Diagnostics& diagnostics;
  std::unique_ptr<SynthesisBackend> backend;
  SentenceSplitter splitter;
  NormalizationData normalization;
  LexiconStack lexicons;
  NormalizerPool normalizers;

  State(EngineConfig engine_config, Diagnostics& sink,
        std::unique_ptr<SynthesisBackend> speech_backend)
      : config(std::move(engine_config)),
        diagnostics(sink),
        backend(std::move(speech_backend)),
        splitter(config.language, load_sentence_rules(config.language), config.max_sentence_bytes),
        normalization(load_normalization_data(config.language)),
        lexicons(config.lexicon_files, english_word_lists()),
        normalizers(normalization, config.language, lexicons.router().dictionaries()) {
    check_lexicons();
  }

  // Every IPA symbol of every lexicon file given must be one the backend can say: a bad symbol
  // fails now, with its file:line, not in the middle of a narration. The built-in layers, which
  // come first and are the same in every engine, are not checked at each start (it was a tenth of
  // a short `narrate script`'s time): the tests check every symbol of theirs against both
  // backends' tables (FliteBackend.EveryLexiconSymbolMapsToAFlitePhone).
  void check_lexicons() const {
    const std::vector<Lexicon>& layers = lexicons.layers();
    const std::size_t given = std::min(layers.size(), config.lexicon_files.size());
    for (std::size_t i = layers.size() - given; i < layers.size(); ++i) check_layer(layers[i]);
  }

  void check_layer(const Lexicon& layer) const {
    for (const LexiconEntry& entry : layer.entries()) {
      if (const std::optional<std::string> bad = backend->unknown_ipa_symbol(entry.ipa)) {
        throw Error(ErrorCategory::kInput, layer.source_name() + ":" + std::to_string(entry.line) +
                                               ": IPA symbol '" + *bad + "' in '" + entry.grapheme +
                                               "' has no " + std::string(backend->name()) +
                                               " mapping; write it with the symbols of " +
                                               std::string(backend->ipa_table()));
      }
    }
  }

  // Every SSML <phoneme> must be IPA the voice can say; a bad symbol fails with its line.
  void check_phonemes(const Article& article) const {
    for (const SpanDirective& directive : article.directives) {
      const auto* phoneme = std::get_if<PhonemeOverride>(&directive.directive);
      if (phoneme == nullptr) continue;
      if (const std::optional<std::string> bad = backend->unknown_ipa_symbol(phoneme->ipa)) {
        throw Error(ErrorCategory::kInput,
                    article.source_name + ":" + std::to_string(directive.line) + ": IPA symbol '" +
                        *bad + "' in <phoneme ph=\"" + phoneme->ipa + "\"> has no " +
                        std::string(backend->name()) + " mapping; write it with the symbols of " +
                        std::string(backend->ipa_table()));
      }
    }
  }

  // The article's own "@pronounce" entries as a layer above all lexicons, checked like a
  // lexicon file; nullopt when it has none.
  std::optional<Lexicon> article_layer(const Article& article) const {
    check_phonemes(article);
    if (article.pronunciations.empty()) return std::nullopt;
    std::vector<LexiconEntry> entries;
    for (const ArticlePronunciation& entry : article.pronunciations) {
      entries.push_back(LexiconEntry{entry.grapheme, entry.ipa, entry.line, ""});
    }
    Lexicon layer = Lexicon::from_entries("article", article.source_name, std::move(entries));
    check_layer(layer);
    return layer;
  }

  // The pipeline for one article: the only way the engine reads an article, whether it stops
  // after the text stages (script, estimate, pronounce) or goes on to the audio.
  std::unique_ptr<Pipeline> pipeline(std::shared_ptr<const Article> article, CancelToken cancel,
                                     Diagnostics& sink) {
    std::optional<Lexicon> own = article_layer(*article);
    return std::make_unique<Pipeline>(std::move(article), config, splitter, normalizers.borrow(),
                                      lexicons, std::move(own), *backend, sink, std::move(cancel));
  }
  std::unique_ptr<Pipeline> pipeline(std::shared_ptr<const Article> article, CancelToken cancel) {
    return pipeline(std::move(article), std::move(cancel), diagnostics);
  }

  // How long this voice, at this rate, speaks a sentence of n characters: fixed_ms + n *
  // per_char_ms, fitted (least squares) to the language's calibration sentences, synthesized
  // without pauses. The voice is fixed for the engine's life, so this is computed once.
  struct SpeechCost {
    double fixed_ms = 0;
    double per_character_ms = 0;
  };
  // Sentences narrate_to() synthesizes at once: the configuration's number, within what the
  // backend allows.
  std::size_t synthesis_threads() const {
    const std::size_t allowed = std::max<std::size_t>(backend->max_parallel(), 1);
    return config.synthesis_threads == 0 ? allowed : std::min(config.synthesis_threads, allowed);
  }

  SpeechCost speech_cost(const CancelToken& cancel) {
    const std::lock_guard lock(speech_cost_mutex);
    if (!cached_speech_cost) cached_speech_cost = measure_speech_cost(cancel);
    return *cached_speech_cost;
  }

 private:
  std::mutex speech_cost_mutex;
  std::optional<SpeechCost> cached_speech_cost;

  SpeechCost measure_speech_cost(const CancelToken& cancel) {
    const std::string path = config.language + "/estimate_calibration.tsv";
    const std::optional<std::string_view> data = builtin_data(path);
    if (!data) {
      throw Error(ErrorCategory::kUsage,
                  "no built-in data '" + path + "': estimates are not available for this language");
    }
    std::string passage;  // one paragraph per row: each row is one utterance
    for (const TsvRow& row : parse_tsv(*data, "builtin:" + path, TsvShape{1, 1})) {
      passage += row.fields[0] + "\n\n";
    }
    ReadOptions options;
    options.keep_page_furniture = true;
    NullDiagnostics quiet;
    const std::unique_ptr<Pipeline> calibration = pipeline(
        std::make_shared<const Article>(read_article(passage, "builtin:" + path, options, quiet)),
        cancel, quiet);
    double n = 0, sum_x = 0, sum_y = 0, sum_xx = 0, sum_xy = 0;
    while (const std::optional<SpokenSentence> spoken = calibration->next_text()) {
      const AudioChunk chunk = calibration->synthesize(*spoken);
      const double x =
          static_cast<double>(detail::count_code_points(spoken_text(spoken->utterance)));
      const double y =
          static_cast<double>(frames_to_duration(chunk.frame_count() - chunk.pause_frame_count,
                                                 chunk.format.sample_rate_hz)
                                  .count());
      n += 1;
      sum_x += x;
      sum_y += y;
      sum_xx += x * x;
      sum_xy += x * y;
    }
    const double spread = n * sum_xx - sum_x * sum_x;
    if (n < 2 || spread <= 0) return SpeechCost{0, n > 0 && sum_x > 0 ? sum_y / sum_x : 0};
    const double slope = (n * sum_xy - sum_x * sum_y) / spread;
    return SpeechCost{(sum_y - slope * sum_x) / n, slope};
  }
};

Narration::Narration(std::shared_ptr<const void> engine_state, std::unique_ptr<Pipeline> pipeline)
    : engine_state_(std::move(engine_state)), pipeline_(std::move(pipeline)) {}
Narration::Narration(Narration&&) noexcept = default;
Narration& Narration::operator=(Narration&&) noexcept = default;
Narration::~Narration() = default;

std::optional<AudioChunk> Narration::next() { return pipeline_->next(); }
std::size_t Narration::sentence_count() const noexcept { return pipeline_->sentence_count(); }
std::vector<SentencePlace> Narration::sentences() const { return pipeline_->places(); }
void Narration::seek(std::size_t sentence_index) { pipeline_->seek(sentence_index); }

Engine::Engine(EngineConfig config, Diagnostics& diagnostics)
    : Engine(std::move(config), diagnostics, nullptr) {}

Engine::Engine(EngineConfig config, Diagnostics& diagnostics,
               std::unique_ptr<SynthesisBackend> backend) {
  validate(config);
  if (!backend) {
    // The voice picks the backend; the backend knows the voice by its own name for it.
    VoiceChoice choice = choose_voice(config.voice.name);
    config.voice.name = std::move(choice.name);
    backend = make_backend(choice.backend);
  }
  state_ = std::make_shared<State>(std::move(config), diagnostics, std::move(backend));
  state_->backend->check_voice(state_->config.voice);
}

Engine::~Engine() = default;

StreamFormat Engine::format() const noexcept { return state_->backend->format(); }

std::vector<VoiceInfo> Engine::voices() const { return all_voices(); }

std::vector<ScriptSentence> Engine::script(const Article& article) const {
  std::vector<ScriptSentence> script;
  const std::unique_ptr<Pipeline> pipeline = state_->pipeline(borrow(article), CancelToken());
  while (const std::optional<SpokenSentence> spoken = pipeline->next_text()) {
    script.push_back(pipeline->script_of(*spoken));
  }
  return script;
}

// The word is read as a one-paragraph article through the text stages, so the IPA is what the
// voice says for it in a script ("$5" as "five dollars"); the source is the first word's that a
// lexicon or the guesser answered, else the backend's.
WordPronunciation Engine::pronounce(std::string_view word) const {
  const Article article = one_paragraph(word, "<word>");
  NullDiagnostics quiet;
  const std::unique_ptr<Pipeline> pipeline =
      state_->pipeline(borrow(article), CancelToken(), quiet);
  Utterance said;
  VoiceOptions voice = state_->config.voice;
  while (std::optional<SpokenSentence> spoken = pipeline->next_text()) {
    std::move(spoken->utterance.words.begin(), spoken->utterance.words.end(),
              std::back_inserter(said.words));
    voice = spoken->voice;
  }
  std::string source = "backend";
  for (const SpokenWord& spoken : said.words) {
    if (!spoken.pronunciation) continue;
    source = spoken.pronunciation->source;
    break;
  }
  return WordPronunciation{state_->backend->spoken_ipa(said, voice), source};
}

namespace {

// For a guess, the guesser's explanation of `latin`.
void explain_guess(const LexiconStack& lexicons, std::string_view latin, WordExplanation& out) {
  if (out.source != "guesser") return;
  const GuessExplanation guess = lexicons.router().guesser().explain(latin);
  for (const GuessExplanation::Weight& weight : guess.weights) {
    out.spelling.push_back({weight.rule, weight.note, weight.weight});
  }
  out.stress_rule = guess.stress_rule;
  out.stress_detail = guess.stress_detail;
  for (const GuessExplanation::Sound& sound : guess.sounds) {
    out.sounds.push_back({sound.letters, sound.rule, sound.value, sound.stressed});
  }
}

// The routing decision for `word`, with every dictionary asked (listed or not).
void explain_route(const LexiconStack& lexicons, std::string_view word, const RouteContext& context,
                   WordExplanation& out) {
  const RouteDecision decision =
      lexicons.router().route(word, context, NameRouter::Detail::kExplain);
  out.routed = true;
  out.to_guesser = decision.to_guesser;
  out.route_score = decision.score;
  out.route_threshold = decision.threshold;
  out.route_reason = decision.reason;
  for (const RouteEvidence& evidence : decision.evidence) {
    if (evidence.kind != "dictionary") {
      out.route_evidence.push_back({evidence.kind, evidence.detail, evidence.weight});
    }
  }
  for (const std::shared_ptr<const WordList>& list : lexicons.router().dictionaries()) {
    const std::string name(list->name());
    const bool listed = std::find(decision.dictionaries.begin(), decision.dictionaries.end(),
                                  name) != decision.dictionaries.end();
    out.route_evidence.push_back({"dictionary",
                                  name + (listed               ? ": listed"
                                          : !list->available() ? ": not installed"
                                                               : ": not listed"),
                                  0});
  }
  explain_guess(lexicons, word, out);
}

}  // namespace

std::vector<WordExplanation> Engine::explain(std::string_view text) const {
  const Article article = one_paragraph(text, "<words>");
  NullDiagnostics quiet;
  const std::unique_ptr<Pipeline> pipeline =
      state_->pipeline(borrow(article), CancelToken(), quiet);
  const LexiconStack& lexicons = state_->lexicons;
  std::vector<WordExplanation> explained;
  while (std::optional<SpokenSentence> spoken = pipeline->next_text()) {
    const std::vector<SpokenWord>& words = spoken->utterance.words;
    const std::vector<LexiconStack::SentenceWord> sentence = sentence_words(spoken->utterance);
    std::vector<std::string_view> bare;
    for (const LexiconStack::SentenceWord& word : sentence) bare.push_back(word.bare);
    const std::vector<RouteContext> contexts = lexicons.sentence_context(sentence);
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (!words[i].lexical || bare[i].empty()) continue;
      WordExplanation out;
      out.word = std::string(bare[i]);
      Utterance one;
      one.words.push_back(words[i]);
      out.ipa = state_->backend->spoken_ipa(one, spoken->voice);
      out.source = words[i].pronunciation ? words[i].pronunciation->source : "backend";
      if (out.source.starts_with("lexicon:")) {
        // The layer named by the answer (a possessive or a Cyrillic spelling finds its stem's).
        for (const Lexicon& layer : lexicons.layers()) {
          if (out.source == "lexicon:" + layer.name()) out.layer_file = layer.source_name();
        }
      } else if (const std::optional<std::string> latin = transliterate_cyrillic(bare[i])) {
        out.route_reason = "Cyrillic, read as '" + *latin + "': always the guesser";
        explain_guess(lexicons, *latin, out);
      } else if (out.source == "guesser" || (out.source == "backend" && !bare[i].empty() &&
                                             !(bare[i].front() >= 'a' && bare[i].front() <= 'z'))) {
        explain_route(lexicons, bare[i], contexts[i], out);
      }
      explained.push_back(std::move(out));
    }
  }
  return explained;
}

std::vector<std::string> Engine::check_lexicon(const std::string& path) const {
  std::vector<std::string> problems;
  const Lexicon lexicon = Lexicon::check_file(path, problems);
  for (const LexiconEntry& entry : lexicon.entries()) {
    if (const std::optional<std::string> bad = state_->backend->unknown_ipa_symbol(entry.ipa)) {
      problems.push_back(path + ":" + std::to_string(entry.line) + ": IPA symbol '" + *bad +
                         "' in '" + entry.grapheme + "' has no " +
                         std::string(state_->backend->name()) +
                         " mapping; write that sound with another IPA symbol");
    }
  }
  sort_by_line(problems, path);  // the IPA problems among the others, in line order
  return problems;
}

DurationEstimate Engine::estimate(const Article& article, CancelToken cancel) const {
  const State::SpeechCost cost = state_->speech_cost(cancel);
  const PauseOptions& pauses = state_->config.pauses;
  DurationEstimate estimate;
  double duration_ms = 0;
  // The pause after a sentence depends on the next one (same block or not), so it is added when
  // the next arrives; sentences stream through without the whole script being held.
  std::optional<std::size_t> previous_block;
  const auto pause_after = [&](std::size_t block, bool block_ends) {
    const bool heading = article.blocks[block].kind == BlockKind::kHeading;
    return !block_ends ? pauses.sentence_ms : heading ? pauses.heading_ms : pauses.paragraph_ms;
  };
  const std::unique_ptr<Pipeline> pipeline = state_->pipeline(borrow(article), std::move(cancel));
  while (const std::optional<SpokenSentence> spoken = pipeline->next_text()) {
    const ScriptSentence sentence = pipeline->script_of(*spoken);
    if (previous_block) {
      duration_ms += pause_after(*previous_block, sentence.block_index != *previous_block);
    }
    const std::size_t characters = detail::count_code_points(sentence.text);
    estimate.word_count += sentence.word_count;
    estimate.character_count += characters;
    duration_ms += cost.fixed_ms + static_cast<double>(characters) * cost.per_character_ms;
    previous_block = sentence.block_index;
  }
  if (previous_block) duration_ms += pause_after(*previous_block, true);
  estimate.duration = std::chrono::milliseconds(static_cast<long long>(duration_ms));
  return estimate;
}

Narration Engine::start(Article article, CancelToken cancel) const {
  return Narration(state_, state_->pipeline(std::make_shared<const Article>(std::move(article)),
                                            std::move(cancel)));
}

NarrationSummary Engine::narrate_to(const Article& article, AudioSink& sink, CancelToken cancel,
                                    ProgressObserver* observer, SynthesisGate* gate) const {
  if (!(sink.format() == format())) {
    throw Error(ErrorCategory::kInternal, "the sink's format does not match the engine's");
  }
  const auto started = std::chrono::steady_clock::now();
  // The workers stop when the caller cancels, when one of them fails or when writing fails.
  std::stop_source worker_stop;
  const std::stop_callback forward(cancel.stop_token(), [&] { worker_stop.request_stop(); });
  const std::unique_ptr<Pipeline> pipeline =
      state_->pipeline(borrow(article), CancelToken(worker_stop.get_token()));
  NarrationSummary summary;
  summary.sentence_count = pipeline->sentence_count();
  const std::size_t threads = std::min(state_->synthesis_threads(), summary.sentence_count);
  std::size_t frames_written = 0;
  {
    ParallelSynthesis synthesis(*pipeline, threads, kQueuedChunks + threads, worker_stop, gate);
    while (std::optional<AudioChunk> chunk = synthesis.next()) {
      if (observer != nullptr) observer->on_chunk(*chunk, frames_written);
      sink.write(chunk->samples);
      frames_written += chunk->frame_count();
      if (observer != nullptr) {
        observer->on_progress(Progress{chunk->sentence_index, summary.sentence_count,
                                       frames_to_duration(frames_written, format().sample_rate_hz),
                                       since(started)});
      }
    }
  }  // the workers are joined: the pipeline is this thread's again
  if (cancel.cancelled()) throw Error(ErrorCategory::kCancelled, "narration cancelled");
  sink.finish();
  summary.word_count = pipeline->word_count();
  summary.audio_duration = frames_to_duration(frames_written, format().sample_rate_hz);
  summary.elapsed = since(started);
  return summary;
}

}  // namespace narrator
