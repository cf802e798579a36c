#include "text_builder.hpp"

#include <utility>

#include "text_scan.hpp"

namespace narrator::detail {
namespace {

constexpr std::string_view kBlockSeparator = "\n\n";

}  // namespace

std::optional<FirstWord> TextBuilder::add_text(std::string_view text,
                                               std::optional<std::size_t> input_byte,
                                               std::span<const TextAnchor> anchors) {
  std::optional<TextAnchor> current;
  if (input_byte) current = TextAnchor{0, *input_byte};
  std::optional<FirstWord> first;
  std::size_t next = 0;  // in anchors
  std::size_t at = 0;    // in text
  while (at < text.size()) {
    for (; next < anchors.size() && anchors[next].text_byte <= at; ++next) current = anchors[next];
    if (whitespace_.is_space(text[at])) {
      pending_space_ = true;
      ++at;
      continue;
    }
    // A word, or the part of it up to the next anchor.
    const std::size_t limit = next < anchors.size() ? anchors[next].text_byte : text.size();
    std::size_t end = at + 1;
    while (end < limit && !whitespace_.is_space(text[end])) ++end;
    std::optional<std::size_t> from;
    if (current) from = current->input_byte + (at - current->text_byte);
    const std::optional<std::size_t> skipped = put(text.substr(at, end - at), from);
    if (skipped && !first) first = FirstWord{text_.size() - (end - at - *skipped), at + *skipped};
    at = end;
  }
  return first;
}

std::optional<std::size_t> TextBuilder::put(std::string_view bytes,
                                            std::optional<std::size_t> input_byte) {
  std::size_t skipped = 0;
  if (!block_open_) {
    if (whitespace_.trim_unicode_spaces) {
      skipped = trim_span(bytes, SourceSpan{0, bytes.size()}).begin_byte;
      if (skipped == bytes.size()) return std::nullopt;  // a block never starts with a space
      bytes.remove_prefix(skipped);
      if (input_byte) *input_byte += skipped;
    }
    if (!text_.empty()) text_ += kBlockSeparator;
    block_begin_ = text_.size();
    block_open_ = true;
  } else if (pending_space_) {
    text_ += pending_break_ ? '\n' : ' ';
  }
  pending_space_ = pending_break_ = false;
  // A new origin only where the text stops following the input byte for byte.
  const bool follows =
      !origins_.empty() &&
      origins_.back().input_byte + text_.size() - origins_.back().text_byte == input_byte;
  if (input_byte && !follows) origins_.push_back(TextOrigin{text_.size(), *input_byte});
  text_ += bytes;
  return skipped;
}

std::optional<SourceSpan> TextBuilder::end_block(BlockKind kind) {
  pending_space_ = pending_break_ = false;
  if (!block_open_) return std::nullopt;
  block_open_ = false;
  SourceSpan span{block_begin_, text_.size()};
  if (whitespace_.trim_unicode_spaces) {
    span = trim_span(text_, span);
    text_.resize(span.end_byte);
    drop_origins_past_end();
  }
  blocks_.push_back(Block{span, kind});
  return span;
}

void TextBuilder::remove_last_block() {
  const std::size_t begin = blocks_.back().span.begin_byte;
  blocks_.pop_back();
  text_.resize(begin < kBlockSeparator.size() ? 0 : begin - kBlockSeparator.size());
  drop_origins_past_end();
}

void TextBuilder::finish(Article& article) {
  end_block();
  article.text = std::move(text_);
  article.blocks = std::move(blocks_);
  article.origins = std::move(origins_);
}

void TextBuilder::drop_origins_past_end() {
  while (!origins_.empty() && origins_.back().text_byte >= text_.size()) origins_.pop_back();
}

}  // namespace narrator::detail
