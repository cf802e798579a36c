#include "number_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

namespace narrator::detail {
namespace {

constexpr std::string_view kMinusSign = "\xE2\x88\x92";  // U+2212
constexpr std::size_t kMaxSmallDigits = 9;
constexpr std::size_t kThousandsGroup = 3;

// Digits with optional commas between groups of three; the commas are dropped.
std::optional<std::string> grouped_digits(std::string_view text) {
  if (text.find(',') == std::string_view::npos) {
    if (!all_digits(text)) return std::nullopt;
    return std::string(text);
  }
  std::string digits;
  std::size_t group_begin = 0;
  for (std::size_t at = 0; at <= text.size(); ++at) {
    if (at < text.size() && text[at] != ',') continue;
    const std::string_view group = text.substr(group_begin, at - group_begin);
    const bool first = group_begin == 0;
    if (!all_digits(group) ||
        (first ? group.size() > kThousandsGroup : group.size() != kThousandsGroup)) {
      return std::nullopt;
    }
    digits += group;
    group_begin = at + 1;
  }
  return digits;
}

constexpr std::array<std::pair<char, int>, 7> kRomanDigits{
    {{'I', 1}, {'V', 5}, {'X', 10}, {'L', 50}, {'C', 100}, {'D', 500}, {'M', 1000}}};

int roman_digit(char c) {
  for (const auto& [letter, value] : kRomanDigits) {
    if (letter == c) return value;
  }
  return 0;
}

std::string to_roman(int value) {
  constexpr std::array<std::pair<int, std::string_view>, 13> kParts{{{1000, "M"},
                                                                     {900, "CM"},
                                                                     {500, "D"},
                                                                     {400, "CD"},
                                                                     {100, "C"},
                                                                     {90, "XC"},
                                                                     {50, "L"},
                                                                     {40, "XL"},
                                                                     {10, "X"},
                                                                     {9, "IX"},
                                                                     {5, "V"},
                                                                     {4, "IV"},
                                                                     {1, "I"}}};
  std::string out;
  for (const auto& [part_value, letters] : kParts) {
    while (value >= part_value) {
      out += letters;
      value -= part_value;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string_view> digit_runs(std::string_view text) {
  std::vector<std::string_view> runs;
  std::size_t begin = std::string_view::npos;
  for (std::size_t at = 0; at <= text.size(); ++at) {
    const bool digit = at < text.size() && is_digit(text[at]);
    if (digit && begin == std::string_view::npos) begin = at;
    if (!digit && begin != std::string_view::npos) {
      runs.push_back(text.substr(begin, at - begin));
      begin = std::string_view::npos;
    }
  }
  return runs;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

std::optional<Number> parse_number(std::string_view text) {
  Number number;
  if (text.starts_with('-') || text.starts_with(kMinusSign)) {
    number.negative = true;
    text.remove_prefix(text.starts_with('-') ? 1 : kMinusSign.size());
  }
  const std::size_t point = text.find('.');
  const std::string_view integer = text.substr(0, point);
  if (point != std::string_view::npos) {
    number.has_point = true;
    number.fraction = std::string(text.substr(point + 1));
    if (!all_digits(number.fraction)) return std::nullopt;
    if (integer.empty()) return number;
  }
  const std::optional<std::string> digits = grouped_digits(integer);
  if (!digits) return std::nullopt;
  number.integer = *digits;
  return number;
}

std::optional<int> small_integer(std::string_view digits) {
  if (!all_digits(digits) || digits.size() > kMaxSmallDigits) return std::nullopt;
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

std::optional<int> roman_value(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  int total = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const int value = roman_digit(text[at]);
    if (value == 0) return std::nullopt;
    const int next = at + 1 < text.size() ? roman_digit(text[at + 1]) : 0;
    total += next > value ? -value : value;
  }
  // Only the canonical spelling counts, so "IIII" or "VX" are not numerals.
  if (total <= 0 || to_roman(total) != text) return std::nullopt;
  return total;
}

std::optional<std::string> ordinal_digits(std::string_view text) {
  if (text.size() < 3) return std::nullopt;
  const std::string_view suffix = text.substr(text.size() - 2);
  const std::string_view written = text.substr(0, text.size() - 2);
  const std::optional<Number> number = parse_number(written);
  if (!number || number->negative || number->has_point) return std::nullopt;
  const std::string& digits = number->integer;
  const char last = digits.back();
  const bool teen = digits.size() > 1 && digits[digits.size() - 2] == '1';
  std::string_view expected = "th";
  if (!teen && last == '1') expected = "st";
  if (!teen && last == '2') expected = "nd";
  if (!teen && last == '3') expected = "rd";
  const bool matches =
      suffix == expected ||
      (suffix.size() == 2 && std::toupper(suffix[0]) == std::toupper(expected[0]) &&
       std::toupper(suffix[1]) == std::toupper(expected[1]));
  if (!matches) return std::nullopt;
  return digits;
}

bool is_capitalized(std::string_view word) {
  return word.size() > 1 && is_upper(word[0]) && std::any_of(word.begin(), word.end(), is_lower);
}

bool is_all_caps(std::string_view word) {
  return word.size() > 1 && std::all_of(word.begin(), word.end(), is_upper);
}

}  // namespace narrator::detail
