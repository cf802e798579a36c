// utf8.hpp: UTF-8 over ICU's U8_* macros (unicode/utf8.h), for offsets into std::string_view text:
// validation with positions a person can find in an editor, and character boundaries.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace narrator::detail {

// Length in bytes of the valid UTF-8 sequence starting at text[offset], or nullopt when the bytes
// there are not valid UTF-8 (truncated, overlong, surrogate or beyond U+10FFFF).
std::optional<std::size_t> utf8_sequence_length(std::string_view text, std::size_t offset) noexcept;

// The code point that starts at text[offset], with `offset` moved past it; nullopt for bytes that
// are not valid UTF-8, with `offset` moved past them.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& offset) noexcept;

// Where the character that starts at text[offset] ends (at most text.size()).
std::size_t char_end(std::string_view text, std::size_t offset) noexcept;

// The start of the character that holds text[offset]: offset itself unless that byte continues a
// character. Cutting text at the result never splits a character.
std::size_t char_start(std::string_view text, std::size_t offset) noexcept;

// Number of code points in text (which must be valid UTF-8).
std::size_t count_code_points(std::string_view text) noexcept;

}  // namespace narrator::detail
