// article_reader.cpp: bytes → Article. Validates the encoding and finds headings and paragraphs.
#include <optional>
#include <string>
#include <vector>

#include "input_encoding.hpp"
#include "narrator/article.hpp"
#include "narrator/detail/printable.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/page_furniture.hpp"
#include "page_cleaner.hpp"
#include "text_scan.hpp"

namespace narrator {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Text copied from a web page has one paragraph per line; hard-wrapped text keeps its lines
// shorter than this.
constexpr std::size_t kLongestWrappedLineBytes = 100;

// The paragraphs of a block of lines: the whole block, or each line when a line is too long for
// hard-wrapped text.
std::vector<SourceSpan> paragraph_spans(std::string_view text, SourceSpan block) {
  std::vector<SourceSpan> lines;
  bool soft_wrapped = false;
  for (std::size_t begin = block.begin_byte; begin < block.end_byte;) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos || end > block.end_byte) end = block.end_byte;
    const SourceSpan line = detail::trim_span(text, SourceSpan{begin, end});
    if (!line.empty()) lines.push_back(line);
    soft_wrapped = soft_wrapped || line.size_bytes() > kLongestWrappedLineBytes;
    begin = end + 1;
  }
  if (!soft_wrapped || lines.size() < 2) return {block};
  return lines;
}

constexpr std::string_view kPronounceDirective = "@pronounce";

// "@pronounce Bialiatski bjɑːˈljɑːtski": the entry, or nullopt for any other line.
std::optional<ArticlePronunciation> pronounce_directive(std::string_view line,
                                                        std::size_t line_number) {
  if (!line.starts_with(kPronounceDirective)) return std::nullopt;
  std::string_view rest = line.substr(kPronounceDirective.size());
  if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) return std::nullopt;
  const std::size_t grapheme_begin = rest.find_first_not_of(" \t");
  const std::size_t grapheme_end = rest.find_first_of(" \t", grapheme_begin);
  const std::size_t ipa_begin = rest.find_first_not_of(" \t", grapheme_end);
  if (grapheme_begin == std::string_view::npos || ipa_begin == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t ipa_end = rest.find_last_not_of(" \t\r");
  return ArticlePronunciation{
      std::string(rest.substr(grapheme_begin, grapheme_end - grapheme_begin)),
      std::string(rest.substr(ipa_begin, ipa_end - ipa_begin + 1)), line_number};
}

std::vector<Block> find_blocks(std::string_view text,
                               std::vector<ArticlePronunciation>& pronunciations,
                               Diagnostics& diagnostics) {
  std::vector<Block> blocks;
  std::size_t line_number = 0;
  std::size_t block_begin = std::string_view::npos;
  std::size_t block_end = 0;
  std::size_t line_begin = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
  const auto close_block = [&] {
    if (block_begin == std::string_view::npos) return;
    for (const SourceSpan span : paragraph_spans(text, SourceSpan{block_begin, block_end})) {
      const std::string_view body = text.substr(span.begin_byte, span.size_bytes());
      blocks.push_back(Block{
          span, detail::looks_like_heading(body) ? BlockKind::kHeading : BlockKind::kParagraph});
    }
    block_begin = std::string_view::npos;
  };
  while (line_begin <= text.size()) {
    std::size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    const SourceSpan trimmed = detail::trim_span(text, SourceSpan{line_begin, line_end});
    ++line_number;
    if (std::optional<ArticlePronunciation> entry = pronounce_directive(
            text.substr(trimmed.begin_byte, trimmed.size_bytes()), line_number)) {
      std::string note = "'";
      note += detail::printable(entry->grapheme);
      note += "' /";
      note += detail::printable(entry->ipa);
      note += "/ is this article's pronunciation; the line is not read aloud";
      diagnostics.report(
          Diagnostic{Severity::kInfo, "input.pronounce_line", trimmed, std::move(note)});
      pronunciations.push_back(std::move(*entry));
      close_block();  // the line is not text, so it cannot join the lines around it
    } else if (trimmed.empty()) {
      close_block();
    } else {
      if (block_begin == std::string_view::npos) block_begin = trimmed.begin_byte;
      block_end = trimmed.end_byte;
    }
    line_begin = line_end + 1;
  }
  close_block();
  return blocks;
}

}  // namespace

bool is_blank_text(std::string_view text) noexcept {
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t length = 0;
    if (text.substr(at).starts_with(kByteOrderMark)) {
      length = kByteOrderMark.size();
    } else if (!detail::is_space_at(text, at, length)) {
      return false;
    }
    at += length;
  }
  return true;
}

Article read_article(std::string bytes, std::string source_name, const ReadOptions& options,
                     Diagnostics& diagnostics) {
  Article article;
  bytes =
      detail::decode_input(std::move(bytes), InputFormat::kText, source_name, options, diagnostics);
  article.text = detail::validate_encoding(std::move(bytes), source_name, options, diagnostics);
  article.blocks = find_blocks(article.text, article.pronunciations, diagnostics);
  if (article.blocks.empty()) {
    throw Error(ErrorCategory::kInput,
                source_name +
                    ": the article is empty (no text, only whitespace); give an "
                    "article with something to read");
  }
  article.source_name = std::move(source_name);
  if (!options.keep_page_furniture) {
    const PageCleaner cleaner(load_page_furniture(options.language));
    cleaner.clean(article, diagnostics);
  }
  return article;
}

Article read_article_file(const std::string& path, const ReadOptions& options,
                          Diagnostics& diagnostics) {
  return read_article(detail::read_file(path, "article"), path, options, diagnostics);
}

}  // namespace narrator
