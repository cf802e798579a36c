// normalizer.hpp: a sentence's text → the words the voice reads, in two phases: classify
// (normalize/classifier.hpp) and verbalize (normalize/verbalizer.hpp). The rules are chosen by
// locale; their word lists come from lexicon/data/<language>/.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "narrator/diagnostics.hpp"
#include "narrator/lexicon/normalization_data.hpp"
#include "normalize/classifier.hpp"
#include "normalize/verbalizer.hpp"
#include "sentence_splitter.hpp"
#include "tokens.hpp"

namespace narrator {

class Normalizer {
 public:
  // `data` must outlive the normalizer. Throws Error(kInternal) when ICU has no number rules for
  // `locale`. `words` are the voice's word lists, evidence for reading capitals as a word.
  Normalizer(const NormalizationData& data, std::string_view locale,
             std::vector<std::shared_ptr<const WordList>> words = {})
      : classifier_(data, std::move(words)), verbalizer_(data, locale) {}

  std::vector<Token> classify(std::string_view text, const Sentence& sentence) const {
    return classifier_.classify(text, sentence);
  }

  Utterance normalize(std::string_view text, const Sentence& sentence,
                      Diagnostics& diagnostics) const {
    return Utterance{verbalizer_.verbalize(text, classify(text, sentence), diagnostics)};
  }

  // The words for `text` read as SSML <say-as> says: one token of the class it names, spoken by
  // that class's verbalizer. Text the class cannot read ("cardinal" without digits) is read as
  // any text is.
  std::vector<SpokenWord> say_as(std::string_view text, const SayAs& say_as,
                                 Diagnostics& diagnostics) const {
    if (const std::optional<Token> token = classify_as(text, say_as)) {
      return verbalizer_.verbalize(text, {*token}, diagnostics);
    }
    const Sentence whole{SourceSpan{0, text.size()}, 0, PauseKind::kSentence, std::nullopt};
    return normalize(text, whole, diagnostics).words;
  }

 private:
  Classifier classifier_;
  Verbalizer verbalizer_;
};

}  // namespace narrator
