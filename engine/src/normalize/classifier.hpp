// classifier.hpp: phase one of text normalization. A sentence's pieces become Tokens, each with
// its byte range, semantic class and payload. Rules that need words (units, currencies,
// abbreviations, cue words) read them from NormalizationData.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/lexicon/name_router.hpp"
#include "narrator/lexicon/normalization_data.hpp"
#include "pieces.hpp"
#include "sentence_splitter.hpp"
#include "tokens.hpp"

namespace narrator {

class Classifier {
 public:
  // `data` must outlive the classifier and every Token it returns (tokens point at its units
  // and currencies). `words` (the voice's English word lists, none in tests that do without the
  // system list) are evidence that capitals are a word ("STRENGTHS"), not letters.
  explicit Classifier(const NormalizationData& data,
                      std::vector<std::shared_ptr<const WordList>> words = {});

  std::vector<Token> classify(std::string_view text, const Sentence& sentence) const;

 private:
  struct Match {
    std::size_t piece_count = 0;  // pieces consumed (at least 1)
    TokenClass token_class = TokenClass::kWord;
    TokenPayload payload;
    std::size_t extra_end = 0;  // bytes past the core the token takes ("Mr." period, "'s")
    bool possessive = false;
    bool verbatim = false;  // read as written, sign by sign: reported as a fallback
  };
  class Run;  // one classify() call's state

  // Whether a word list holds `word` (folded to lower case).
  bool known_word(std::string_view word) const;

  const NormalizationData& data_;
  std::vector<std::shared_ptr<const WordList>> words_;
  // Units by lower-case symbol ("KG", "mbps"), where folding the case is unambiguous.
  std::unordered_map<std::string, const Unit*> folded_units_;
};

// The one token an SSML <say-as> span is read as (the span is all of `text`): its class is the one
// say-as names, its payload parsed as say-as says (a date in its format). nullopt when the text
// does not fit the class: a cardinal that is not a number as written ("-5", "1,204", "3.5"; not
// "1e308"), an ordinal that is not a whole number with or without its suffix ("3", "21st"; not
// "1e3"), a date of another shape, a telephone number without digits. Such text is read as any
// text is, with a warning (SpanRewriter).
// Whether letters read as an English word: a vowel, and consonant clusters English begins, joins
// and ends syllables with ("NASA", "UNESCO"; not "ISBN", "JHEP", "IUCN"), as `clusters`
// (syllable_clusters.tsv) lists them. Case is ignored.
bool pronounceable(std::string_view letters, const SyllableClusters& clusters);
// Whether letters begin like an English word: a vowel, an onset English has, no run of three
// vowels or vowel pair a word cannot start with; the clusters inside and at the end are not judged.
bool sayable_start(std::string_view letters, const SyllableClusters& clusters);

std::optional<Token> classify_as(std::string_view text, const SayAs& say_as);

}  // namespace narrator
