// verbalizer.hpp: phase two of text normalization. Each Token becomes the words a news anchor
// would say, one verbalizer per class. A token no rule can read is spoken as written and reported
// (tn.verbatim_fallback); nothing is dropped except characters the voice must never see, and
// those are reported too (tn.unspeakable_removed).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/diagnostics.hpp"
#include "narrator/lexicon/normalization_data.hpp"
#include "number_speller.hpp"
#include "tokens.hpp"

namespace narrator {

class Verbalizer {
 public:
  // `data` must outlive the verbalizer. Throws as NumberSpeller does.
  Verbalizer(const NormalizationData& data, std::string_view locale);

  std::vector<SpokenWord> verbalize(std::string_view text, const std::vector<Token>& tokens,
                                    Diagnostics& diagnostics) const;

 private:
  std::string speak(std::string_view written, const Token& token) const;
  std::string number(const Number& number, NumberStyle style) const;
  std::string quantity(const Quantity& quantity) const;
  std::string equation(std::string_view written) const;
  std::string money(const Quantity& quantity) const;
  std::string fraction(const Quantity& quantity) const;
  std::string date(const DateValue& date) const;
  std::string time(const TimeValue& time) const;
  std::string telephone(std::string_view written) const;
  std::string electronic(std::string_view written) const;
  std::string hashtag(std::string_view written) const;
  std::string name_part(std::string_view part) const;
  std::string alphanumeric(std::string_view written) const;
  std::string code(std::string_view written) const;
  std::string pairs(std::string_view digits) const;
  std::string address_label(std::string_view label, std::optional<ElectronicPlace> place) const;
  std::string characters(std::string_view written) const;
  std::string acronym(std::string_view written, const Reading& reading) const;

  const NormalizationData& data_;
  NumberSpeller speller_;
  std::array<std::string, 13> month_names_;   // [1..12]
  std::array<std::string, 8> weekday_names_;  // [1..7]
};

// Spells letters the way the voice reads them one by one: "CBC" → "C-B-C".
std::string spell_letters(std::string_view letters);

}  // namespace narrator
