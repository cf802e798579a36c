#include "ipa_to_espeak.hpp"

#include <algorithm>

#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/tsv_reader.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

constexpr std::string_view kTablePath = "phonemes/ipa_to_espeak_en.tsv";
constexpr std::string_view kDropped = "-";  // the symbol is read but produces nothing

}  // namespace

IpaToEspeak::IpaToEspeak()
    : IpaToEspeak(required_builtin_data(kTablePath), "builtin:" + std::string(kTablePath)) {}

IpaToEspeak::IpaToEspeak(std::string_view table_tsv, std::string_view source_name) {
  for (const TsvRow& row : parse_tsv(table_tsv, source_name, TsvShape{2, 3})) {
    if (!table_.emplace(row.fields[0], row.fields[1]).second) {
      throw Error(ErrorCategory::kInput, std::string(source_name) + ":" + std::to_string(row.line) +
                                             ": '" + row.fields[0] + "' is listed twice");
    }
    longest_symbol_bytes_ = std::max(longest_symbol_bytes_, row.fields[0].size());
  }
}

std::optional<std::string> IpaToEspeak::convert(std::string_view ipa, std::string* unknown) const {
  std::string out;
  std::size_t at = 0;
  while (at < ipa.size()) {
    if (ipa[at] == ' ') {
      out += ' ';
      ++at;
      continue;
    }
    bool matched = false;
    for (std::size_t length = std::min(longest_symbol_bytes_, ipa.size() - at); length > 0;
         --length) {
      const auto found = table_.find(ipa.substr(at, length));
      if (found == table_.end()) continue;
      if (found->second != kDropped) out += found->second;
      at += length;
      matched = true;
      break;
    }
    if (!matched) {
      if (unknown != nullptr) {
        *unknown = std::string(ipa.substr(at, detail::utf8_sequence_length(ipa, at).value_or(1)));
      }
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace narrator
