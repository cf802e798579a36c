// ssml_stage.hpp: what an SSML article's markup changes in the pipeline.
//
//   - only <s>, <p> and punctuation end a sentence; a <break> between sentences sets the pause
//     after the first;
//   - a span never ends a sentence: <prosody>, <emphasis> and xml:lang change the voice over
//     their span, so a sentence is spoken in voice runs cut at their edges, each with its own
//     settings, and a <break> inside a sentence is a pause between two runs of that sentence
//     (<mark> is placed at its next word and cuts nothing);
//   - <say-as>, <sub> and <phoneme> replace the words of their span after normalization; say-as
//     is read by the main verbalizer (Normalizer::say_as), as the class it names.
// Plain-text and HTML articles have none of these, and every function here leaves them unchanged.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/options.hpp"
#include "normalizer.hpp"
#include "sentence_splitter.hpp"
#include "tokens.hpp"

namespace narrator {

// `sentences` cut at the ends of the article's <s> elements. A sentence that ends at a <break>
// (or an <s> end and a <break>) takes the break's pause.
std::vector<Sentence> apply_breaks(const Article& article, std::vector<Sentence> sentences);

// A stretch of one sentence that is spoken with one voice.
struct VoiceRun {
  SourceSpan span;         // into Article::text, trimmed
  int pause_after_ms = 0;  // the silence of a <break> after the run; 0 for the sentence's last run
};

// `sentence` cut at the edges of prosody and language spans and at the <break>s inside it: the
// runs, in order, cover its words. A sentence without such markup is one run.
std::vector<VoiceRun> voice_runs(const Article& article, const Sentence& sentence);

// The voice for `sentence` (the pipeline passes each voice run as a sentence of its own span):
// `voice` with the rate, pitch and volume scaled by every prosody span over the sentence's start
// (clamped to the voice's ranges). The name stays: which voice reads a language span is the
// backend's to say (language_span()).
VoiceOptions voice_for(const Article& article, const Sentence& sentence, const VoiceOptions& voice);

// The innermost xml:lang span over the sentence's start (its directive holds a LanguageSwitch),
// or nullptr when none is. The pointer is into `article`.
const SpanDirective* language_span(const Article& article, const Sentence& sentence);

// Replaces the words under <say-as>, <sub> and <phoneme> spans in `utterance`.
class SpanRewriter {
 public:
  explicit SpanRewriter(const Normalizer& normalizer);

  void rewrite(const Article& article, const Sentence& sentence, Utterance& utterance,
               Diagnostics& diagnostics) const;

 private:
  std::vector<SpokenWord> words_for(const Article& article, const SpanDirective& directive,
                                    Diagnostics& diagnostics) const;
  const Normalizer& normalizer_;
};

}  // namespace narrator
