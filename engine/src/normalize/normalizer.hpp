// normalizer.hpp: a sentence's text → the words the voice reads, in two phases: classify
// (normalize/classifier.hpp) and verbalize (normalize/verbalizer.hpp). The rules are chosen by
// locale; their word lists come from lexicon/data/<language>/.
#pragma once

#include <string_view>
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
  // `locale`.
  Normalizer(const NormalizationData& data, std::string_view locale)
      : classifier_(data), verbalizer_(data, locale) {}

  std::vector<Token> classify(std::string_view text, const Sentence& sentence) const {
    return classifier_.classify(text, sentence);
  }

  Utterance normalize(std::string_view text, const Sentence& sentence,
                      Diagnostics& diagnostics) const {
    return Utterance{verbalizer_.verbalize(text, classify(text, sentence), diagnostics)};
  }

 private:
  Classifier classifier_;
  Verbalizer verbalizer_;
};

}  // namespace narrator
