#include "letter_pattern.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "data_table.hpp"

namespace narrator::detail {
namespace {

// The code point at `pos`, advancing `pos` past it; nullopt for invalid UTF-8 (truncated,
// overlong, a surrogate or beyond U+10FFFF).
std::optional<char32_t> decode_utf8(std::string_view text, std::size_t& pos) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data()) + pos;
  const auto length =
      static_cast<std::int32_t>(std::min<std::size_t>(text.size() - pos, U8_MAX_LENGTH));
  std::int32_t used = 0;
  UChar32 code = 0;
  U8_NEXT(bytes, used, length, code);
  if (code < 0) return std::nullopt;
  pos += static_cast<std::size_t>(used);
  return static_cast<char32_t>(code);
}

// Appends a valid code point (one that decode_utf8 gave, or its lower case).
void append_utf8(char32_t code, std::string& out) {
  std::array<std::uint8_t, U8_MAX_LENGTH> bytes{};
  std::int32_t length = 0;
  U8_APPEND_UNSAFE(bytes.data(), length, static_cast<UChar32>(code));
  out.append(reinterpret_cast<const char*>(bytes.data()), static_cast<std::size_t>(length));
}

// Lower case for ASCII, Latin-1 and Latin Extended-A, the letters romanized Slavic names use.
// Extended-A pairs upper and lower case as neighbours: upper even in U+0100–0137 and
// U+014A–0177, upper odd in U+0139–0148 and U+0179–017E.
char32_t to_lower(char32_t code) {
  if (code >= U'A' && code <= U'Z') return code + 0x20;
  if (code >= 0xC0 && code <= 0xDE && code != 0xD7) return code + 0x20;
  if (code == 0x178) return 0xFF;  // Ÿ
  const bool even_upper = (code >= 0x100 && code <= 0x137) || (code >= 0x14A && code <= 0x177);
  const bool odd_upper = (code >= 0x139 && code <= 0x148) || (code >= 0x179 && code <= 0x17E);
  if ((even_upper && code % 2 == 0) || (odd_upper && code % 2 == 1)) return code + 1;
  return code;
}

// The typographic apostrophes (U+2019, and U+02BC as a letter) are read as the ASCII one, so one
// rule covers "Dar'ya", "Dar’ya" and "Darʼya".
char32_t fold_apostrophe(char32_t code) { return code == 0x2019 || code == 0x2BC ? U'\'' : code; }

// The soft and hard sign marks of BGN/PCGN transliteration (ʹ U+02B9 for ь, ʺ U+02BA for ъ, as in
// "Vasilʹ") are not letters: they mark a palatalization that the anglicized reading leaves out, and
// skipping them lets the word's ending match the stress rules.
bool is_sign_mark(char32_t code) { return code == 0x2B9 || code == 0x2BA; }

Symbol parse_symbol(std::string_view source, const TsvRow& row, char32_t code) {
  switch (code) {
    case U'C':
      return Symbol{SymbolKind::kConsonant, {}};
    case U'V':
      return Symbol{SymbolKind::kVowel, {}};
    case U'.':
      return Symbol{SymbolKind::kAnyLetter, {}};
    case U'#':
      return Symbol{SymbolKind::kEdge, {}};
    default:
      break;
  }
  const bool ascii_letter = (code >= U'a' && code <= U'z') || code == U'\'';
  if (code < 0x80 ? !ascii_letter : to_lower(code) != code) {
    std::string shown;
    append_utf8(code, shown);
    fail_at(source, row,
            "'" + shown +
                "' in the pattern is not a lower-case letter, an apostrophe or one of C V . # "
                "(C consonant, V vowel, . any letter, # word edge)");
  }
  Symbol symbol{SymbolKind::kLetter, {}};
  append_utf8(code, symbol.letter);
  return symbol;
}

}  // namespace

// The lower-case letters of `word`, or nullopt for invalid UTF-8 or an empty word.
std::optional<Letters> split_letters(std::string_view word) {
  Letters letters;
  std::size_t pos = 0;
  while (pos < word.size()) {
    const std::optional<char32_t> code = decode_utf8(word, pos);
    if (!code) return std::nullopt;
    if (is_sign_mark(*code)) continue;
    letters.emplace_back();
    append_utf8(fold_apostrophe(to_lower(*code)), letters.back());
  }
  if (letters.empty()) return std::nullopt;
  return letters;
}

bool matches_at(const Pattern& pattern, const Letters& letters, std::ptrdiff_t start,
                const std::set<std::string>& vowels) {
  const auto size = static_cast<std::ptrdiff_t>(letters.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const std::ptrdiff_t slot = start + static_cast<std::ptrdiff_t>(i);
    const Symbol& symbol = pattern[i];
    if (slot < -1 || slot > size) return false;
    if (slot == -1 || slot == size) {
      if (symbol.kind != SymbolKind::kEdge) return false;
      continue;
    }
    const std::string& letter = letters[static_cast<std::size_t>(slot)];
    switch (symbol.kind) {
      case SymbolKind::kLetter:
        if (letter != symbol.letter) return false;
        break;
      case SymbolKind::kConsonant:
        if (vowels.contains(letter)) return false;
        break;
      case SymbolKind::kVowel:
        if (!vowels.contains(letter)) return false;
        break;
      case SymbolKind::kAnyLetter:
        break;
      case SymbolKind::kEdge:
        return false;
    }
  }
  return true;
}

bool occurs_in(const Pattern& pattern, const Letters& letters,
               const std::set<std::string>& vowels) {
  for (std::ptrdiff_t start = -1; start <= static_cast<std::ptrdiff_t>(letters.size()); ++start) {
    if (matches_at(pattern, letters, start, vowels)) return true;
  }
  return false;
}

bool ends_with(const Pattern& pattern, const Letters& letters,
               const std::set<std::string>& vowels) {
  const auto start =
      static_cast<std::ptrdiff_t>(letters.size() + 1) - static_cast<std::ptrdiff_t>(pattern.size());
  return matches_at(pattern, letters, start, vowels);
}

Pattern parse_pattern(std::string_view source, const TsvRow& row, std::string_view text) {
  Pattern pattern;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::optional<char32_t> code = decode_utf8(text, pos);
    if (!code) fail_at(source, row, "the pattern is not valid UTF-8");
    pattern.push_back(parse_symbol(source, row, *code));
  }
  for (std::size_t i = 1; i + 1 < pattern.size(); ++i) {
    if (pattern[i].kind == SymbolKind::kEdge)
      fail_at(source, row, "'#' may only begin or end a pattern");
  }
  if (pattern.empty())
    fail_at(source, row, "the pattern is empty; write it after the kind, as kind:pattern");
  return pattern;
}

}  // namespace narrator::detail
