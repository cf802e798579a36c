// pipeline.cpp: the whole narration path, top to bottom.
//
//   Article ─ SentenceSplitter::split ─► Sentence ─ Normalizer: classify ─► Token ─ verbalize
//           ─► SpokenWord ─ pronounce (LexiconStack) ─► SpokenWord + Pronunciation
//           ─ SynthesisBackend::synthesize ─► AudioChunk (+ pause) ─► caller or queue ─► AudioSink
//
// Everything before the backend is say(): next_text() stops there (script, estimate, pronounce),
// next() goes on through synthesize(), so both read the same words.
#include "pipeline.hpp"

#include <algorithm>
#include <chrono>

#include "narrator/detail/ascii.hpp"
#include "narrator/detail/plural.hpp"
#include "narrator/error.hpp"
#include "pronouncer.hpp"
#include "text_scan.hpp"

namespace narrator {

std::string spoken_text(const Utterance& utterance) {
  std::string text;
  for (const SpokenWord& word : utterance.words) {
    if (!text.empty()) text += ' ';
    text += word.text;
  }
  return text;
}

std::size_t spoken_word_count(const Utterance& utterance) {
  std::size_t count = 0;
  for (const SpokenWord& word : utterance.words) {
    count += word.is_word ? detail::count_words(word.text) : 0;
  }
  return count;
}

NormalizerPool::Lease NormalizerPool::borrow() {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      Lease lease(idle_.back().release(), GiveBack{this});
      idle_.pop_back();
      return lease;
    }
  }
  return Lease(new Normalizer(data_, locale_, words_), GiveBack{this});
}

void NormalizerPool::GiveBack::operator()(Normalizer* normalizer) const noexcept {
  std::unique_ptr<Normalizer> owned(normalizer);
  try {
    const std::lock_guard lock(pool->mutex_);
    pool->idle_.push_back(std::move(owned));
  } catch (const std::exception&) {
    // No memory to keep it (or the lock failed): it is destroyed instead, and the next pipeline
    // makes a new one.
  }
}

Pipeline::Pipeline(std::shared_ptr<const Article> article, const EngineConfig& config,
                   const SentenceSplitter& splitter, NormalizerPool::Lease normalizer,
                   const LexiconStack& lexicons, std::optional<Lexicon> article_layer,
                   SynthesisBackend& backend, Diagnostics& diagnostics, CancelToken cancel)
    : article_(std::move(article)),
      voice_(config.voice),
      pauses_(config.pauses),
      normalizer_(std::move(normalizer)),
      rewriter_(*normalizer_),
      lexicons_(lexicons),
      article_layer_(std::move(article_layer)),
      backend_(backend),
      diagnostics_(diagnostics),
      cancel_(std::move(cancel)),
      sentences_(apply_breaks(*article_, splitter.split(*article_))) {}

std::optional<SpokenSentence> Pipeline::next_text() {
  if (next_index_ >= sentences_.size()) return std::nullopt;
  if (cancel_.cancelled()) throw Error(ErrorCategory::kCancelled, "narration cancelled");
  return say(next_index_++);
}

std::optional<AudioChunk> Pipeline::next() {
  const std::optional<SpokenSentence> spoken = next_text();
  if (!spoken) return std::nullopt;
  return synthesize(*spoken);
}

// The text stages, in order. Every path that speaks or shows a sentence's words runs these and
// only these, so a stage added here reaches the audio, the script and the estimate at once.
SpokenSentence Pipeline::say(std::size_t index) {
  const Sentence& sentence = sentences_[index];
  Utterance utterance = normalizer_->normalize(article_->text, sentence, diagnostics_);
  rewriter_.rewrite(*article_, sentence, utterance, diagnostics_);
  std::vector<SpokenRun> runs = runs_of(sentence, utterance);
  pronounce(utterance, lexicons_, article_layer_ ? &*article_layer_ : nullptr, diagnostics_);
  word_count_ += spoken_word_count(utterance);
  VoiceOptions voice = runs.front().voice;
  return SpokenSentence{index, std::move(utterance), std::move(voice), std::move(runs)};
}

// The sentence's voice runs over its words: a word belongs to the run where it starts, and a run
// with nothing to say (only punctuation) joins the one before, or else the one after.
std::vector<SpokenRun> Pipeline::runs_of(const Sentence& sentence, const Utterance& utterance) {
  const std::vector<SpokenWord>& words = utterance.words;
  std::vector<SpokenRun> runs;
  std::size_t word = 0;
  for (const VoiceRun& run : voice_runs(*article_, sentence)) {
    std::size_t end = word;
    while (end < words.size() && words[end].span.begin_byte < run.span.end_byte) ++end;
    const bool says = std::any_of(words.begin() + static_cast<std::ptrdiff_t>(word),
                                  words.begin() + static_cast<std::ptrdiff_t>(end),
                                  [](const SpokenWord& each) { return each.is_word; });
    if (!says) {
      if (!runs.empty()) {
        runs.back().word_end = end;
        runs.back().pause_after_ms += run.pause_after_ms;
        word = end;
      }
      continue;
    }
    Sentence part = sentence;
    part.span = run.span;
    runs.push_back(SpokenRun{end, voice_of(part), run.pause_after_ms});
    word = end;
  }
  if (runs.empty()) runs.push_back(SpokenRun{words.size(), voice_of(sentence), 0});
  runs.back().word_end = words.size();
  runs.back().pause_after_ms = 0;  // the sentence's own pause follows
  return runs;
}

// One backend call per voice run, joined into the sentence's chunk with the runs' pauses.
AudioChunk Pipeline::speak_runs(const SpokenSentence& spoken) const {
  if (spoken.runs.size() <= 1) return backend_.synthesize(spoken.utterance, spoken.voice, cancel_);
  AudioChunk whole;
  std::size_t first = 0;
  bool formatted = false;
  for (const SpokenRun& run : spoken.runs) {
    const auto words = spoken.utterance.words.begin();
    const Utterance part{
        std::vector<SpokenWord>(words + static_cast<std::ptrdiff_t>(first),
                                words + static_cast<std::ptrdiff_t>(run.word_end))};
    const AudioChunk piece = backend_.synthesize(part, run.voice, cancel_);
    if (!formatted) whole.format = piece.format;
    formatted = true;
    first = run.word_end;
    if (piece.format.sample_rate_hz != whole.format.sample_rate_hz ||
        piece.format.channels != whole.format.channels) {
      throw Error(ErrorCategory::kInternal,
                  "the voices of one sentence gave different audio formats; this is a bug in "
                  "Narrator");
    }
    const std::size_t offset = whole.frame_count();
    for (TimingMark mark : piece.marks) {
      mark.frame += offset;
      whole.marks.push_back(std::move(mark));
    }
    whole.samples.insert(whole.samples.end(), piece.samples.begin(), piece.samples.end());
    const std::size_t pause_frames = duration_to_frames(
        std::chrono::milliseconds(run.pause_after_ms), whole.format.sample_rate_hz);
    whole.samples.resize(
        whole.samples.size() + pause_frames * static_cast<std::size_t>(whole.format.channels), 0);
  }
  return whole;
}

AudioChunk Pipeline::synthesize(const SpokenSentence& spoken) const {
  const Sentence& sentence = sentences_[spoken.index];
  AudioChunk chunk = speak_runs(spoken);
  chunk.pause_frame_count = pause_frames(sentence, chunk.format.sample_rate_hz);
  chunk.samples.resize(chunk.samples.size() + chunk.pause_frame_count * chunk.format.channels, 0);
  chunk.sentence_index = spoken.index;
  add_marks(chunk, spoken.index);
  chunk.is_last = spoken.index + 1 == sentences_.size();
  return chunk;
}

ScriptSentence Pipeline::script_of(const SpokenSentence& spoken) const {
  const Sentence& sentence = sentences_[spoken.index];
  return ScriptSentence{sentence.span, sentence.block_index, spoken_text(spoken.utterance),
                        spoken_word_count(spoken.utterance)};
}

// Completes the backend's word marks: their text as written, the sentence's own mark first, and
// the SSML marks that stand in or just after this sentence, at the next word's time.
void Pipeline::add_marks(AudioChunk& chunk, std::size_t index) const {
  const Sentence& sentence = sentences_[index];
  const auto written = [&](SourceSpan span) {
    return detail::collapse_spaces(
        std::string_view(article_->text).substr(span.begin_byte, span.size_bytes()));
  };
  for (TimingMark& mark : chunk.marks) mark.value = written(mark.span);
  const std::size_t speech_end = chunk.frame_count() - chunk.pause_frame_count;
  const std::size_t from = index == 0 ? 0 : sentence.span.begin_byte;
  const std::size_t to = index + 1 < sentences_.size() ? sentences_[index + 1].span.begin_byte
                                                       : article_->text.size() + 1;
  for (const MarkPoint& point : article_->marks) {
    if (point.text_byte < from || point.text_byte >= to) continue;
    const auto next_word = std::find_if(chunk.marks.begin(), chunk.marks.end(), [&](const auto& m) {
      return m.kind == MarkKind::kWord && m.span.begin_byte >= point.text_byte;
    });
    const std::size_t frame = next_word != chunk.marks.end() ? next_word->frame : speech_end;
    chunk.marks.insert(
        next_word, TimingMark{MarkKind::kSsml, frame, SourceSpan{point.text_byte, point.text_byte},
                              point.name});
  }
  chunk.marks.insert(chunk.marks.begin(),
                     TimingMark{MarkKind::kSentence, 0, sentence.span, written(sentence.span)});
}

std::vector<SentencePlace> Pipeline::places() const {
  std::vector<SentencePlace> places;
  places.reserve(sentences_.size());
  for (const Sentence& sentence : sentences_) {
    places.push_back(SentencePlace{sentence.span, sentence.block_index});
  }
  return places;
}

void Pipeline::seek(std::size_t sentence_index) {
  if (sentence_index >= sentences_.size()) {
    throw Error(ErrorCategory::kUsage, "sentence " + std::to_string(sentence_index) +
                                           " is out of range; the article has " +
                                           detail::counted(sentences_.size(), "sentence"));
  }
  next_index_ = sentence_index;
}

// The sentence's voice: SSML prosody spans over it change the rate, pitch and volume; an xml:lang
// span, or (for a voice that reads ASCII only) a sentence in a script other than Latin, is read
// by the backend's voice for that language.
VoiceOptions Pipeline::voice_of(const Sentence& sentence) {
  VoiceOptions voice = voice_for(*article_, sentence, voice_);
  if (const SpanDirective* span = language_span(*article_, sentence)) {
    const std::string& tag = std::get<LanguageSwitch>(span->directive).language;
    voice.name = language_voice(
        tag, sentence,
        article_->source_name + ":" + std::to_string(span->line) + ": xml:lang '" + tag + "'",
        "ssml.no_voice");
  } else if (backend_.reads_ascii_only()) {
    const std::string_view text = std::string_view(article_->text)
                                      .substr(sentence.span.begin_byte, sentence.span.size_bytes());
    if (const std::optional<ScriptGuess> guess = scripts_.language_of(text)) {
      voice.name =
          language_voice(guess->language, sentence,
                         guess->script + " text ('" + guess->language + "')", "voice.no_language");
    }
  }
  return voice;
}

// The voice that reads `tag`, looked up once per narration. The first time a tag is read by a
// voice other than the narration's (voice.language), or by none (`no_voice_code`), one warning
// says so; `what` names the text.
std::string Pipeline::language_voice(const std::string& tag, const Sentence& sentence,
                                     const std::string& what, const char* no_voice_code) {
  const std::string key = detail::ascii_lower(tag);
  auto known = language_voices_.find(key);
  if (known == language_voices_.end()) {
    const std::optional<LanguageVoice> found = backend_.voice_for_language(tag, voice_.name);
    known = language_voices_.emplace(key, found ? std::optional(found->name) : std::nullopt).first;
    if (!found) {
      diagnostics_.report(
          Diagnostic{Severity::kWarning, no_voice_code, sentence.span,
                     what + ": no voice for language '" + tag + "'; read with " + voice_.name});
    } else if (found->name != voice_.name) {
      diagnostics_.report(Diagnostic{Severity::kWarning, "voice.language", sentence.span,
                                     what + " is read with the " + found->shown});
    }
  }
  return known->second.value_or(voice_.name);
}

std::size_t Pipeline::pause_frames(const Sentence& sentence, int sample_rate_hz) const {
  int pause_ms = pauses_.sentence_ms;
  if (sentence.pause == PauseKind::kParagraph) pause_ms = pauses_.paragraph_ms;
  if (sentence.pause == PauseKind::kHeading) pause_ms = pauses_.heading_ms;
  if (sentence.pause_ms) pause_ms = *sentence.pause_ms;
  return duration_to_frames(std::chrono::milliseconds(pause_ms), sample_rate_hz);
}

}  // namespace narrator
