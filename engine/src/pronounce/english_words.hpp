// english_words.hpp: the English word lists that keep ordinary words from the name guesser
// (NameRouter): Debian's wamerican, read from /usr/share/dict on first use, and the CMU lexicon
// Flite speaks from (cmulex), asked entry by entry without its letter-to-sound fallback.
#pragma once

#include <memory>
#include <vector>

#include "narrator/lexicon/name_router.hpp"

namespace narrator {

// Flite's cmulex as a word list: a word is in it when the lexicon itself has an entry for it (in
// any part of speech), never through letter-to-sound rules. Flite keeps only the ~37,000 words its
// letter-to-sound rules get wrong, many of them surnames and loanwords ("Tobias", "Ivanhoe"), so
// a word missing from it may still be English.
class CmulexWords final : public WordList {
 public:
  CmulexWords();
  std::string_view name() const noexcept override { return "cmulex"; }
  bool contains(std::string_view lower) const override;

 private:
  const void* lexicon_;  // a cst_lexicon over cmulex's entries, static and read-only
};

// wamerican, then cmulex: the same lists for every call (every engine of the process).
std::vector<std::shared_ptr<const WordList>> english_word_lists();

}  // namespace narrator
