// letter_pattern.hpp: words as letters, and the letter patterns the name guesser's and the
// routing's rule files write (guesser_rules.tsv, routing_rules.tsv).
//
// A word is handled as a sequence of lower-case letters, each one code point kept as its UTF-8
// bytes, so "ŭ" and "u" are simply two different letters. A pattern is letters plus the classes
// C (consonant), V (vowel), . (any letter) and # (word edge); which letters are vowels is the
// caller's (each rule file has its own).
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator::detail {

using Letters = std::vector<std::string>;

// The lower-case letters of `word`, or nullopt for invalid UTF-8 or an empty word. Lower case
// covers ASCII, Latin-1 and Latin Extended-A; ’ and ʼ read as the apostrophe; the BGN/PCGN sign
// marks ʹ and ʺ are skipped.
std::optional<Letters> split_letters(std::string_view word);

enum class SymbolKind { kLetter, kConsonant, kVowel, kAnyLetter, kEdge };

struct Symbol {
  SymbolKind kind = SymbolKind::kLetter;
  std::string letter;  // for kLetter
};

using Pattern = std::vector<Symbol>;

// `text` as a pattern: lower-case letters, the apostrophe and C V . #, with # only first or last.
// Throws Error(kInput) "source:line: ..." naming what is wrong.
Pattern parse_pattern(std::string_view source, const TsvRow& row, std::string_view text);

// Whether `pattern` matches `letters` with its first symbol at `start`. Slots -1 and
// letters.size() are the word's edges, where only # matches. A consonant is any letter not in
// `vowels`.
bool matches_at(const Pattern& pattern, const Letters& letters, std::ptrdiff_t start,
                const std::set<std::string>& vowels);

// Whether `pattern` matches somewhere in `letters` (its edges included).
bool occurs_in(const Pattern& pattern, const Letters& letters, const std::set<std::string>& vowels);

// Whether `pattern` matches the end of `letters`.
bool ends_with(const Pattern& pattern, const Letters& letters, const std::set<std::string>& vowels);

}  // namespace narrator::detail
