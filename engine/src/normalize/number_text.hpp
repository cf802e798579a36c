// number_text.hpp: recognizing numbers, Roman numerals and letter shapes in written text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokens.hpp"

namespace narrator::detail {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_alpha(char c) { return is_upper(c) || is_lower(c); }

bool all_digits(std::string_view text);

// The runs of ASCII digits in `text`, in order: "+375 (17) 222-33" → 375, 17, 222, 33.
std::vector<std::string_view> digit_runs(std::string_view text);

// The whole of `text` as a number: an optional minus ("-" or "−"), digits with optional
// thousands commas in valid groups of three, an optional point and fraction digits (".5").
std::optional<Number> parse_number(std::string_view text);

// The value of `digits` (at most 9 digits), or nullopt.
std::optional<int> small_integer(std::string_view digits);

// The value of a well-formed Roman numeral in capitals (II, XIV, MCMXC), or nullopt.
std::optional<int> roman_value(std::string_view text);

// "1st", "22nd", "13th", "1,000th": the digits when the suffix fits the number, else nullopt.
std::optional<std::string> ordinal_digits(std::string_view text);

// True when the word starts with a capital ASCII letter and has a lower-case letter.
bool is_capitalized(std::string_view word);

// True for a word of capital ASCII letters only (at least two).
bool is_all_caps(std::string_view word);

}  // namespace narrator::detail
