#include "english_words.hpp"

#include <flite.h>

#include <string>

extern "C" {
// lang/cmulex/cmu_lex.h, which flite1-dev does not install.
cst_lexicon* cmu_lex_init(void);
}

namespace narrator {
namespace {

constexpr std::size_t kLongestWord = 48;  // Flite's lookup buffer holds 64 bytes with the POS

// cmu_lex_init() fills a static lexicon on its first call; the static local makes that first
// call happen once, whichever thread comes first.
const cst_lexicon* cmulex() {
  static const cst_lexicon* const lexicon = cmu_lex_init();
  return lexicon;
}

}  // namespace

CmulexWords::CmulexWords() : lexicon_(cmulex()) {}

bool CmulexWords::contains(std::string_view lower) const {
  if (lower.empty() || lower.size() > kLongestWord) return false;
  const std::string word(lower);
  // in_lex() looks in the addenda and the compressed entries only: no letter-to-sound.
  return in_lex(static_cast<const cst_lexicon*>(lexicon_), word.c_str(), nullptr, nullptr) != 0;
}

std::vector<std::shared_ptr<const WordList>> english_word_lists() {
  return {std::make_shared<const WordFile>(), std::make_shared<const CmulexWords>()};
}

}  // namespace narrator
