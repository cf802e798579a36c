#include "ipa_to_flite.hpp"

#include <algorithm>
#include <sstream>

#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/tsv_reader.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

constexpr std::string_view kTablePath = "phonemes/ipa_to_flite_us.tsv";
constexpr std::string_view kDropped = "-";    // the symbol is read but produces nothing
constexpr std::string_view kPrimary = "'";    // the next vowel carries the primary stress
constexpr std::string_view kSecondary = ",";  // the next vowel carries a secondary stress

std::vector<std::string> split_phones(std::string_view phones) {
  std::vector<std::string> out;
  std::istringstream in{std::string(phones)};
  for (std::string phone; in >> phone;) out.push_back(phone);
  return out;
}

}  // namespace

IpaToFlite::IpaToFlite(IsVowel is_vowel)
    : IpaToFlite(required_builtin_data(kTablePath), "builtin:" + std::string(kTablePath),
                 std::move(is_vowel)) {}

IpaToFlite::IpaToFlite(std::string_view table_tsv, std::string_view source_name, IsVowel is_vowel)
    : is_vowel_(std::move(is_vowel)) {
  for (const TsvRow& row : parse_tsv(table_tsv, source_name, TsvShape{2, 3})) {
    if (!table_.emplace(row.fields[0], row.fields[1]).second) {
      throw Error(ErrorCategory::kInput, std::string(source_name) + ":" + std::to_string(row.line) +
                                             ": '" + row.fields[0] + "' is listed twice");
    }
    longest_symbol_bytes_ = std::max(longest_symbol_bytes_, row.fields[0].size());
  }
}

std::vector<std::string> IpaToFlite::phones() const {
  std::vector<std::string> all;
  for (const auto& [ipa, flite] : table_) {
    if (flite == kDropped || flite == kPrimary || flite == kSecondary) continue;
    for (std::string& phone : split_phones(flite)) all.push_back(std::move(phone));
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

std::optional<std::string> IpaToFlite::convert(std::string_view ipa, std::string* unknown) const {
  std::string out;
  // One IPA word at a time: its phones, and which vowel (if any) ˈ marked.
  std::vector<std::string> word;
  std::vector<bool> stressed;
  bool pending_primary = false;
  const auto finish_word = [&] {
    if (word.empty()) return;
    const bool any_stress = std::find(stressed.begin(), stressed.end(), true) != stressed.end();
    bool first_vowel = true;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (!out.empty()) out += ' ';
      out += word[i];
      if (!is_vowel_(word[i])) continue;
      out += (stressed[i] || (!any_stress && first_vowel)) ? '1' : '0';
      first_vowel = false;
    }
    word.clear();
    stressed.clear();
    pending_primary = false;
  };
  std::size_t at = 0;
  while (at < ipa.size()) {
    if (ipa[at] == ' ') {
      finish_word();
      ++at;
      continue;
    }
    bool matched = false;
    for (std::size_t length = std::min(longest_symbol_bytes_, ipa.size() - at); length > 0;
         --length) {
      const auto found = table_.find(ipa.substr(at, length));
      if (found == table_.end()) continue;
      at += length;
      matched = true;
      if (found->second == kPrimary) {
        pending_primary = true;
      } else if (found->second == kSecondary) {
        pending_primary = false;
      } else if (found->second != kDropped) {
        for (std::string& phone : split_phones(found->second)) {
          const bool vowel = is_vowel_(phone);
          word.push_back(std::move(phone));
          stressed.push_back(vowel && pending_primary);
          if (vowel) pending_primary = false;
        }
      }
      break;
    }
    if (!matched) {
      if (unknown != nullptr) {
        *unknown = std::string(ipa.substr(at, detail::utf8_sequence_length(ipa, at).value_or(1)));
      }
      return std::nullopt;
    }
  }
  finish_word();
  return out;
}

}  // namespace narrator
