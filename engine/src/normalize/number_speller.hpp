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

class NumberSpeller {
 public:
  // Throws Error(kInternal) when ICU has no spell-out rules for `locale` ("en").
  explicit NumberSpeller(std::string_view locale);
  ~NumberSpeller();
  NumberSpeller(NumberSpeller&&) noexcept;
  NumberSpeller& operator=(NumberSpeller&&) noexcept;

  // Digits only (no sign, separators or point). Up to 15 digits are spelled as one number
  // ("one thousand two hundred twenty-seven"); longer ones digit by digit in groups of three.
  std::string cardinal(std::string_view digits) const;
  std::string ordinal(std::string_view digits) const;  // "twenty-second"
  std::string year(std::string_view digits) const;     // "twenty twenty-one", "nineteen oh-six"
  // Each digit as a word, separated by spaces: "zero zero seven".
  std::string digits(std::string_view digits) const;

  std::string cardinal(long long value) const;

 private:
  std::string format(long long value, std::u16string_view rule_set) const;

  std::unique_ptr<icu::RuleBasedNumberFormat> format_;
};

}  // namespace narrator
