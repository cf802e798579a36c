// pronunciation.hpp: how a word is said, and which layer said so.
#pragma once

#include <string>

namespace narrator {

struct Pronunciation {
  std::string ipa;     // IPA with ˈ and ˌ stress marks, as the lexicon or guesser wrote it
  std::string source;  // "lexicon:<name>", "guesser", or "transliteration" (Cyrillic read as Latin)
  std::string alias;   // when `ipa` is empty: text read instead of the word (a PLS <alias>)
};

}  // namespace narrator
