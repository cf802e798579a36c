#include "text_scan.hpp"

#include <array>

#include "utf8.hpp"

namespace narrator::detail {
namespace {

constexpr std::array<std::string_view, 5> kUnicodeSpaces{
    "\xC2\xA0",      // U+00A0 no-break space
    "\xE2\x80\x89",  // U+2009 thin space
    "\xE2\x80\xAF",  // U+202F narrow no-break space
    "\xE3\x80\x80",  // U+3000 ideographic space
    "\xE2\x80\x8B",  // U+200B zero width space
};

constexpr std::array<std::string_view, 9> kClosers{
    "\"", "'", ")", "]", "\xE2\x80\x9D" /* ” */, "\xE2\x80\x99" /* ’ */, "\xC2\xBB" /* » */,
    "*",  "_"};

constexpr std::array<std::string_view, 8> kSentenceEnders{
    ".", "!", "?", ":", ";", ",", "\xE2\x80\xA6" /* … */, "\xE2\x80\x94" /* — */};

// What ends a whole sentence, as opposed to a clause or a heading's colon.
constexpr std::array<std::string_view, 4> kFullStops{".", "!", "?", "\xE2\x80\xA6" /* … */};

bool strip_suffix(std::string_view& text, std::string_view suffix) noexcept {
  if (!text.ends_with(suffix)) return false;
  text.remove_suffix(suffix.size());
  return true;
}

bool is_space_ending_at(std::string_view text, std::size_t end, std::size_t& length) noexcept {
  if (end == 0) return false;
  const char c = text[end - 1];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
    length = 1;
    return true;
  }
  for (const std::string_view space : kUnicodeSpaces) {
    if (text.substr(0, end).ends_with(space)) {
      length = space.size();
      return true;
    }
  }
  return false;
}

}  // namespace

bool is_space_at(std::string_view text, std::size_t offset, std::size_t& length) noexcept {
  const char c = text[offset];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
    length = 1;
    return true;
  }
  for (const std::string_view space : kUnicodeSpaces) {
    if (text.substr(offset).starts_with(space)) {
      length = space.size();
      return true;
    }
  }
  return false;
}

SourceSpan trim_span(std::string_view text, SourceSpan span) noexcept {
  std::size_t length = 0;
  while (span.begin_byte < span.end_byte && is_space_at(text, span.begin_byte, length)) {
    span.begin_byte += length;
  }
  while (span.end_byte > span.begin_byte &&
         is_space_ending_at(text.substr(0, span.end_byte), span.end_byte, length)) {
    span.end_byte -= length;
  }
  return span;
}

std::size_t count_words(std::string_view text) noexcept {
  std::size_t words = 0;
  bool in_word = false;
  std::size_t offset = 0;
  while (offset < text.size()) {
    std::size_t length = 1;
    const bool space = is_space_at(text, offset, length);
    if (!space && !in_word) ++words;
    in_word = !space;
    offset += length;
  }
  return words;
}

namespace {

// True when `text`, without closing quotes and brackets, ends with one of `enders`.
template <std::size_t N>
bool ends_with_one_of(std::string_view text,
                      const std::array<std::string_view, N>& enders) noexcept {
  bool stripped = true;
  while (stripped) {
    stripped = false;
    for (const std::string_view closer : kClosers)
      stripped = stripped || strip_suffix(text, closer);
  }
  for (const std::string_view ender : enders) {
    if (text.ends_with(ender)) return true;
  }
  return false;
}

}  // namespace

bool ends_with_sentence_punctuation(std::string_view text) noexcept {
  return ends_with_one_of(text, kSentenceEnders);
}

bool ends_with_full_stop(std::string_view text) noexcept {
  return ends_with_one_of(text, kFullStops);
}

bool looks_like_heading(std::string_view block_text) noexcept {
  constexpr std::size_t kMaxHeadingWords = 16;
  constexpr std::size_t kMaxHeadingBytes = 160;
  if (block_text.find('\n') != std::string_view::npos) return false;
  if (block_text.size() > kMaxHeadingBytes) return false;
  if (count_words(block_text) > kMaxHeadingWords) return false;
  return !ends_with_sentence_punctuation(block_text);
}

namespace {

// `space_length(text, at)`: the bytes of the whitespace at text[at], 0 where there is none.
template <typename SpaceLength>
std::string collapse(std::string_view text, SpaceLength&& space_length) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t at = 0; at < text.size();) {
    if (const std::size_t length = space_length(text, at); length > 0) {
      pending_space = !out.empty();
      at += length;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += text[at++];
  }
  return out;
}

}  // namespace

std::string collapse_spaces(std::string_view text) {
  return collapse(text, [](std::string_view rest, std::size_t at) {
    std::size_t length = 0;
    return is_space_at(rest, at, length) ? length : 0;
  });
}

std::string collapse_spaces(std::string_view text, bool (*is_space)(char) noexcept) {
  return collapse(text, [is_space](std::string_view rest, std::size_t at) -> std::size_t {
    return is_space(rest[at]) ? 1 : 0;
  });
}

std::string excerpt(std::string_view text) {
  if (text.size() <= kExcerptBytes) return std::string(text);
  return std::string(text.substr(0, char_start(text, kExcerptBytes))) + "\u2026";
}

}  // namespace narrator::detail
