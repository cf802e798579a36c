// utf8.hpp: UTF-8 validation with positions a person can find in an editor.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace narrator::detail {

// Length in bytes of the valid UTF-8 sequence starting at text[offset], or nullopt when the bytes
// there are not valid UTF-8 (truncated, overlong, surrogate or beyond U+10FFFF).
std::optional<std::size_t> utf8_sequence_length(std::string_view text, std::size_t offset) noexcept;

// Number of code points in text (which must be valid UTF-8).
std::size_t count_code_points(std::string_view text) noexcept;

}  // namespace narrator::detail
