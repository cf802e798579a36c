// text_builder.hpp: Article::text built from pieces of markup text (HTML text nodes, SSML text),
// for the readers whose text is not the input as read. Each run of whitespace becomes one space,
// blocks are separated by a blank line, and an origin (Article::origins) starts wherever the text
// stops following the input byte for byte; a line break inside a block (add_line_break()) is a
// '\n'. What differs between markup languages (which bytes are whitespace, whether a block's edges
// also lose the Unicode spaces) is the Whitespace policy.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/source_span.hpp"

namespace narrator::detail {

// HTML's ASCII whitespace (the HTML standard's space characters).
constexpr bool is_html_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// XML's whitespace (the S production of XML 1.0).
constexpr bool is_xml_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// What the builder collapses and trims.
struct Whitespace {
  bool (*is_space)(char) noexcept;  // the bytes of which each run between words is one space
  // Also trims the spaces is_space_at() knows (U+00A0, U+2009 …) from each block's start and end;
  // inside a block they are text.
  bool trim_unicode_spaces = false;
};

constexpr Whitespace kHtmlWhitespace{is_html_space, true};
constexpr Whitespace kXmlWhitespace{is_xml_space, false};

// From `text_byte` of the text being added on, the text follows the input byte for byte from
// `input_byte` (until the next anchor).
struct TextAnchor {
  std::size_t text_byte = 0;
  std::size_t input_byte = 0;
};

// Where add_text() put the first bytes it added.
struct FirstWord {
  std::size_t text_byte = 0;   // in the built text
  std::size_t added_byte = 0;  // in the text that was added
};

class TextBuilder {
 public:
  explicit TextBuilder(Whitespace whitespace) : whitespace_(whitespace) {}

  // Appends `text`: each whitespace run is a word boundary, and a block starts at the first word
  // when none is open. Byte 0 of `text` comes from `input_byte`, and from each anchor (sorted by
  // text_byte) on the text follows the input from the anchor's byte instead; without an input
  // byte, the text has no known origin up to its first anchor. Returns where the first word went,
  // or nullopt when `text` added nothing (only whitespace, or spaces trimmed at a block's start).
  std::optional<FirstWord> add_text(std::string_view text, std::optional<std::size_t> input_byte,
                                    std::span<const TextAnchor> anchors = {});

  // A word boundary, as whitespace would be: the next word is not glued to the previous one.
  void add_space() noexcept { pending_space_ = true; }

  // A line break inside the block (HTML's <br>): the next word starts a new line of it, as in
  // copied text, so that rules that read lines (page furniture) see it; between words only, and
  // one for a run of them.
  void add_line_break() noexcept { pending_space_ = pending_break_ = true; }

  // Ends the current block, if it has text, as a block of `kind` (its span trimmed as the policy
  // says), and returns its span; the next word starts a new block.
  std::optional<SourceSpan> end_block(BlockKind kind = BlockKind::kParagraph);

  // Takes back the block that end_block() has just returned: its text with the blank line before
  // it, and its origins.
  void remove_last_block();

  bool block_open() const noexcept { return block_open_; }
  std::size_t size() const noexcept { return text_.size(); }
  std::string_view text(SourceSpan span) const {
    return std::string_view(text_).substr(span.begin_byte, span.size_bytes());
  }
  void reserve(std::size_t bytes) { text_.reserve(bytes); }

  // Ends the open block as a paragraph and moves the text, blocks and origins into `article`.
  void finish(Article& article);

 private:
  // Appends bytes without whitespace that come from `input_byte` (nullopt: unknown). Returns
  // how many leading bytes a new block's trim skipped, or nullopt when it skipped them all.
  std::optional<std::size_t> put(std::string_view bytes, std::optional<std::size_t> input_byte);
  void drop_origins_past_end();

  Whitespace whitespace_;
  std::string text_;
  std::vector<Block> blocks_;
  std::vector<TextOrigin> origins_;
  std::size_t block_begin_ = 0;  // in text_, while a block is open
  bool block_open_ = false;
  bool pending_space_ = false;
  bool pending_break_ = false;  // the pending space is a line break
};

}  // namespace narrator::detail
