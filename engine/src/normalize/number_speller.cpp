#include "number_speller.hpp"

#include <unicode/fieldpos.h>
#include <unicode/locid.h>
#include <unicode/rbnf.h>
#include <unicode/unistr.h>

#include <charconv>

#include "narrator/error.hpp"
#include "narrator/lexicon/normalization_data.hpp"

namespace narrator {
namespace {

// The largest digit count read as one number; beyond it a listener follows digit groups better,
// and ICU falls back to printing digits.
constexpr std::size_t kMaxSpelledDigits = 15;
constexpr std::size_t kDigitGroup = 3;

long long to_integer(std::string_view digits) {
  long long value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

}  // namespace

NumberSpeller::NumberSpeller(std::string_view locale, const NumberWords& words) : words_(&words) {
  UErrorCode status = U_ZERO_ERROR;
  format_ = std::make_unique<icu::RuleBasedNumberFormat>(
      icu::URBNF_SPELLOUT, icu::Locale(std::string(locale).c_str()), status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCategory::kInternal, std::string("ICU cannot spell numbers for '") +
                                              std::string(locale) + "': " + u_errorName(status));
  }
}

NumberSpeller::~NumberSpeller() = default;
NumberSpeller::NumberSpeller(NumberSpeller&&) noexcept = default;
NumberSpeller& NumberSpeller::operator=(NumberSpeller&&) noexcept = default;

std::string NumberSpeller::format(long long value, std::u16string_view rule_set) const {
  icu::UnicodeString out;
  icu::FieldPosition position;
  UErrorCode status = U_ZERO_ERROR;
  format_->format(static_cast<int64_t>(value),
                  icu::UnicodeString(rule_set.data(), static_cast<int32_t>(rule_set.size())), out,
                  position, status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCategory::kInternal,
                std::string("ICU cannot spell a number: ") + u_errorName(status));
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

std::string NumberSpeller::cardinal(long long value) const {
  return format(value, u"%spellout-numbering");
}

std::string NumberSpeller::cardinal(std::string_view digits) const {
  if (digits.size() > kMaxSpelledDigits) {
    std::string out;
    for (std::size_t at = 0; at < digits.size(); at += kDigitGroup) {
      if (!out.empty()) out += ", ";
      out += this->digits(digits.substr(at, kDigitGroup));
    }
    return out;
  }
  return cardinal(to_integer(digits));
}

std::string NumberSpeller::grouped_cardinal(std::string_view digits) const {
  if (digits.size() <= kMaxSpelledDigits) return cardinal(digits);
  const std::size_t group_count = (digits.size() + kDigitGroup - 1) / kDigitGroup;
  if (group_count > words_->scales.size()) return cardinal(digits);
  std::string out;
  std::size_t begin = 0;
  for (std::size_t group = group_count; group-- > 0;) {
    const std::size_t end = digits.size() - group * kDigitGroup;
    const long long value = to_integer(digits.substr(begin, end - begin));
    begin = end;
    if (value == 0) continue;
    if (group > 0 && words_->scales[group].empty()) return cardinal(digits);
    if (!out.empty()) out += ' ';
    out += cardinal(value);
    if (group > 0) out += " " + words_->scales[group];
  }
  return out.empty() ? cardinal(0LL) : out;
}

std::string NumberSpeller::ordinal(std::string_view digits) const {
  if (digits.size() > kMaxSpelledDigits) return cardinal(digits);
  return format(to_integer(digits), u"%spellout-ordinal");
}

std::string NumberSpeller::year(std::string_view digits) const {
  if (digits.size() > kMaxSpelledDigits) return cardinal(digits);
  return format(to_integer(digits), u"%spellout-numbering-year");
}

std::string NumberSpeller::digits(std::string_view digits) const {
  std::string out;
  for (const char c : digits) {
    if (c < '0' || c > '9') continue;
    if (!out.empty()) out += ' ';
    out += words_->digits[static_cast<std::size_t>(c - '0')];
  }
  return out;
}

}  // namespace narrator
