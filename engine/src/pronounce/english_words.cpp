#include "english_words.hpp"

#include <flite.h>

#include <string>

// The entries of Flite's CMU lexicon (lang/cmulex/cmu_lex_data.c, cmu_lex_entries.c), which
// flite1-dev does not declare in a header.
extern "C" {
extern const int cmu_lex_num_bytes;
extern const int cmu_lex_num_entries;
extern const unsigned char cmu_lex_data[];
extern const char* const cmu_lex_phone_table[];
extern const char* const cmu_lex_phones_huff_table[];
extern const char* const cmu_lex_entries_huff_table[];
}

namespace narrator {
namespace {

constexpr std::size_t kLongestWord = 48;  // Flite's lookup buffer holds 64 bytes with the POS

// A lexicon of our own over cmulex's entries, made once: cmu_lex_init() would fill the static
// one that Flite's voices share (and may be filling on another thread), while this one is only
// ever read. It has no letter-to-sound rules and no addenda, so a lookup finds entries only.
const cst_lexicon* cmulex() {
  static const cst_lexicon lexicon = [] {
    cst_lexicon made{};
    made.name = "cmu";
    made.num_entries = cmu_lex_num_entries;
    made.num_bytes = cmu_lex_num_bytes;
    made.data = const_cast<unsigned char*>(cmu_lex_data);  // only read
    made.phone_table = const_cast<char**>(cmu_lex_phone_table);
    made.phone_hufftable = cmu_lex_phones_huff_table;
    made.entry_hufftable = cmu_lex_entries_huff_table;
    return made;
  }();
  return &lexicon;
}

}  // namespace

CmulexWords::CmulexWords() : lexicon_(cmulex()) {}

bool CmulexWords::contains(std::string_view lower) const {
  if (lower.empty() || lower.size() > kLongestWord) return false;
  const std::string word(lower);
  // in_lex() searches the entries only (its letter-to-sound rules are never asked).
  return in_lex(static_cast<const cst_lexicon*>(lexicon_), word.c_str(), nullptr, nullptr) != 0;
}

std::vector<std::shared_ptr<const WordList>> english_word_lists() {
  // One copy per process: every engine shares the lists, and wamerican is read once.
  static const std::vector<std::shared_ptr<const WordList>> lists{
      std::make_shared<const WordFile>(), std::make_shared<const CmulexWords>()};
  return lists;
}

}  // namespace narrator
