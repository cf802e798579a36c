// text_scan.hpp: small UTF-8 text helpers shared by the readers and the sentence splitter.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "narrator/source_span.hpp"

namespace narrator::detail {

// True for ASCII whitespace and the Unicode spaces news pages use (U+00A0, U+2009, U+202F, U+3000).
// `length` receives the byte length of the space when true.
bool is_space_at(std::string_view text, std::size_t offset, std::size_t& length) noexcept;

// `span` without leading and trailing whitespace.
SourceSpan trim_span(std::string_view text, SourceSpan span) noexcept;

// Number of whitespace-separated words.
std::size_t count_words(std::string_view text) noexcept;

// True when the text ends in . ! ? : ; , or … , possibly followed by closing quotes or brackets.
bool ends_with_sentence_punctuation(std::string_view text) noexcept;

// True when the text ends a whole sentence: . ! ? or …, possibly inside closing quotes or brackets.
bool ends_with_full_stop(std::string_view text) noexcept;

// True for a heading: one short line (at most 16 words and 160 bytes) without sentence punctuation.
bool looks_like_heading(std::string_view block_text) noexcept;

// The text with every run of whitespace (see is_space_at) as one space, trimmed.
std::string collapse_spaces(std::string_view text);

// The same with the whitespace of a markup language: the single bytes `is_space` accepts.
std::string collapse_spaces(std::string_view text, bool (*is_space)(char) noexcept);

// How much of a text a report quotes (DroppedText::excerpt).
inline constexpr std::size_t kExcerptBytes = 60;

// The start of `text` for a report: all of it up to kExcerptBytes bytes, else its first
// kExcerptBytes bytes, cut back to a character boundary, and "…".
std::string excerpt(std::string_view text);

}  // namespace narrator::detail
