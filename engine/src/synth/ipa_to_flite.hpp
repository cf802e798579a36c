// ipa_to_flite.hpp: IPA (as lexicons write it) → Flite's US English phones with stress digits,
// through the table lexicon/data/phonemes/ipa_to_flite_us.tsv. Only the Flite backend interprets
// the table.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace narrator {

class IpaToFlite {
 public:
  // Whether a Flite phone is a vowel (it then takes a stress digit).
  using IsVowel = std::function<bool(std::string_view phone)>;

  // The path of the built-in table, as error messages name it.
  static constexpr std::string_view kTableName = "lexicon/data/phonemes/ipa_to_flite_us.tsv";

  // Reads the built-in table. Throws Error(kInput) naming file:line for a malformed row.
  explicit IpaToFlite(IsVowel is_vowel);
  // Reads `table_tsv` (columns ipa<TAB>flite phones[<TAB>note]); for tests.
  IpaToFlite(std::string_view table_tsv, std::string_view source_name, IsVowel is_vowel);

  // Flite's phones for `ipa`, space-separated, vowels with a stress digit ("b eh1 l ax r uw0 s"):
  // the longest table symbol is taken at each position. Every vowel after ˈ takes 1, every other
  // 0; a word (IPA words are separated by spaces) without ˈ stresses its first vowel. nullopt
  // when a symbol has no mapping; `unknown` then receives it.
  std::optional<std::string> convert(std::string_view ipa, std::string* unknown = nullptr) const;

  // Every distinct phone the table can produce (for checking it against a voice's phone set).
  std::vector<std::string> phones() const;

 private:
  struct SymbolHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view symbol) const noexcept {
      return std::hash<std::string_view>{}(symbol);
    }
  };
  std::unordered_map<std::string, std::string, SymbolHash, std::equal_to<>> table_;
  std::size_t longest_symbol_bytes_ = 0;
  IsVowel is_vowel_;
};

}  // namespace narrator
