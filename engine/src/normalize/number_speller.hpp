// number_speller.hpp: numbers spelled out in words through ICU's rule-based number format.
#pragma once

#include <unicode/uversion.h>

#include <memory>
#include <string>
#include <string_view>

U_NAMESPACE_BEGIN
class RuleBasedNumberFormat;
U_NAMESPACE_END

namespace narrator {

struct NumberWords;

class NumberSpeller {
 public:
  // Throws Error(kInternal) when ICU has no spell-out rules for `locale` ("en"). `words` (digit
  // and scale words, number_words.tsv) must outlive the speller.
  NumberSpeller(std::string_view locale, const NumberWords& words);
  ~NumberSpeller();
  NumberSpeller(NumberSpeller&&) noexcept;
  NumberSpeller& operator=(NumberSpeller&&) noexcept;

  // Digits only (no sign, separators or point). Up to 15 digits are spelled as one number
  // ("one thousand two hundred twenty-seven"); longer ones digit by digit in groups of three.
  std::string cardinal(std::string_view digits) const;
  // A count too long for cardinal() that was written with thousands separators: spelled group by
  // group with the scale words ("one hundred twenty-four quintillion …"); digit groups as
  // cardinal() reads them when the table has no word for a group's scale.
  std::string grouped_cardinal(std::string_view digits) const;
  std::string ordinal(std::string_view digits) const;  // "twenty-second"
  std::string year(std::string_view digits) const;     // "twenty twenty-one", "nineteen oh-six"
  // Each digit as a word, separated by spaces: "zero zero seven".
  std::string digits(std::string_view digits) const;

  std::string cardinal(long long value) const;

 private:
  std::string format(long long value, std::u16string_view rule_set) const;

  std::unique_ptr<icu::RuleBasedNumberFormat> format_;
  const NumberWords* words_;
};

}  // namespace narrator
