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
  // `spelled`: the address's labels to spell, space-separated (the classifier's Reading).
  std::string electronic(std::string_view written, std::string_view spelled) const;
  std::string hashtag(std::string_view written) const;
  std::string name_part(std::string_view part) const;
  std::string alphanumeric(std::string_view written) const;
  std::string number_in_word(std::string_view written, std::size_t at, std::size_t end,
                             const Number& value) const;
  std::string code(std::string_view written) const;
  std::string pairs(std::string_view digits) const;
  std::string address_label(std::string_view label, std::optional<ElectronicPlace> place,
                            std::string_view spelled) const;
  std::string characters(std::string_view written) const;
  std::string acronym(std::string_view written, const Reading& reading) const;
  std::string capitals_in_name(std::string_view capitals) const;
  std::string letters_in_name(std::string_view letters) const;
  std::string scheme_label(std::string_view label, std::string_view spelled) const;
  std::string electronic_digits(std::string_view written, std::size_t at, std::size_t end,
                                int& date_parts) const;

  const NormalizationData& data_;
  NumberSpeller speller_;
  std::array<std::string, 13> month_names_;   // [1..12]
  std::array<std::string, 8> weekday_names_;  // [1..7]
};

// Spells letters the way the voice reads them one by one: "CBC" → "C-B-C".
std::string spell_letters(std::string_view letters);

// Whether mixed-case letters are one word with a capital inside and a short part ("NeMo", "HeLa",
// "DeFi"): each part from a capital to the next has a vowel letter, none is a run of capitals,
// and one has at most two letters. Such a word is read whole, never spelled or cut at its
// capitals; a part without a vowel ("PbS", "pH") or a run of capitals ("mRNA") makes letters.
bool camel_word(std::string_view letters);

// The length of a listed domain label or file extension (electronic_words.tsv) that begins
// `label` with a capitalized word run into it ("comDensity": 3; words that lost their space in
// a copied page), or 0.
std::size_t glued_label_length(const NormalizationData& data, std::string_view label);

// The length of a listed scheme (electronic_words.tsv) that ends `label` after a word run into it
// ("sitehttp": 4, "corporatehttps": 5), or 0.
std::size_t glued_scheme_length(const NormalizationData& data, std::string_view label);

}  // namespace narrator
