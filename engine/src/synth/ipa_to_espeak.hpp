// ipa_to_espeak.hpp: IPA (as lexicons write it) → eSpeak NG phoneme mnemonics, through the table
// lexicon/data/phonemes/ipa_to_espeak_en.tsv. Only the eSpeak backend interprets the table.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace narrator {

class IpaToEspeak {
 public:
  // Reads the built-in table for the English voices. Throws Error(kInput) naming file:line for a
  // malformed row.
  IpaToEspeak();
  // Reads `table_tsv` (columns ipa<TAB>espeak[<TAB>note]); for tests.
  IpaToEspeak(std::string_view table_tsv, std::string_view source_name);

  // The eSpeak phonemes for `ipa`: the longest table symbol is taken at each position; spaces
  // separate words. nullopt when a symbol has no mapping; `unknown` then receives it.
  std::optional<std::string> convert(std::string_view ipa, std::string* unknown = nullptr) const;

 private:
  // Looked up by string_view, so converting allocates nothing per symbol.
  struct SymbolHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view symbol) const noexcept {
      return std::hash<std::string_view>{}(symbol);
    }
  };
  std::unordered_map<std::string, std::string, SymbolHash, std::equal_to<>> table_;
  std::size_t longest_symbol_bytes_ = 0;
};

}  // namespace narrator
