#include "utf8.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>

#include "narrator/article.hpp"

namespace narrator::detail {
namespace {

// ICU indexes with int32_t, so each call sees a window of the text around `offset`: the longest
// sequence forwards, and the longest sequence's trail bytes backwards.
const std::uint8_t* bytes_at(std::string_view text, std::size_t offset) noexcept {
  return reinterpret_cast<const std::uint8_t*>(text.data()) + offset;
}

std::int32_t window_after(std::string_view text, std::size_t offset) noexcept {
  return static_cast<std::int32_t>(std::min<std::size_t>(text.size() - offset, U8_MAX_LENGTH));
}

}  // namespace

std::optional<std::size_t> utf8_sequence_length(std::string_view text,
                                                std::size_t offset) noexcept {
  std::size_t end = offset;
  if (!next_code_point(text, end)) return std::nullopt;
  return end - offset;
}

std::optional<char32_t> next_code_point(std::string_view text, std::size_t& offset) noexcept {
  std::int32_t length = 0;
  UChar32 code = 0;
  U8_NEXT(bytes_at(text, offset), length, window_after(text, offset), code);
  offset += static_cast<std::size_t>(length);
  if (code < 0) return std::nullopt;
  return static_cast<char32_t>(code);
}

std::size_t char_end(std::string_view text, std::size_t offset) noexcept {
  if (offset >= text.size()) return text.size();
  std::int32_t length = 0;
  U8_FWD_1(bytes_at(text, offset), length, window_after(text, offset));
  return offset + static_cast<std::size_t>(length);
}

std::size_t char_start(std::string_view text, std::size_t offset) noexcept {
  if (offset >= text.size()) return text.size();
  const std::size_t back = std::min<std::size_t>(offset, U8_MAX_LENGTH - 1);
  auto at = static_cast<std::int32_t>(back);
  U8_SET_CP_START(bytes_at(text, offset - back), 0, at);
  return offset - back + static_cast<std::size_t>(at);
}

std::size_t count_code_points(std::string_view text) noexcept {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !U8_IS_TRAIL(c); }));
}

}  // namespace narrator::detail

namespace narrator {

TextPosition position_of(std::string_view text, std::size_t offset) noexcept {
  TextPosition position;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else if (!U8_IS_TRAIL(text[i])) {
      ++position.column;
    }
  }
  return position;
}

}  // namespace narrator
