// article.hpp: an article as read, split into blocks (headings and paragraphs).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "narrator/diagnostics.hpp"
#include "narrator/source_span.hpp"

namespace narrator {

enum class BlockKind {
  kHeading,    // a headline or subhead: one short line without final punctuation
  kParagraph,  // running text
};

struct Block {
  SourceSpan span;  // into Article::text, trimmed of surrounding whitespace
  BlockKind kind = BlockKind::kParagraph;
};

// An article's own pronunciation, from a line "@pronounce GRAPHEME IPA" anywhere in the text. Such
// lines are not read aloud; their entries sit above every lexicon for this article only.
struct ArticlePronunciation {
  std::string grapheme;
  std::string ipa;       // with ˈ and ˌ, checked against the voice when the narration starts
  std::size_t line = 0;  // 1-based line in the article
};

struct Article {
  std::string text;           // the input as read (UTF-8; after --lossy repair, if any)
  std::string source_name;    // the path, or "<stdin>"; used in messages
  std::vector<Block> blocks;  // in reading order; never empty for an article read successfully
  std::vector<ArticlePronunciation> pronunciations;  // from "@pronounce" lines, in order
};

struct ReadOptions {
  // Replace invalid UTF-8 and NUL bytes with U+FFFD (reported as diagnostics) instead of failing.
  bool lossy = false;
};

// Builds an Article from raw bytes. Blocks are separated by blank lines.
// Throws Error(kInput) with "source:line:column: ..." for invalid UTF-8 or NUL bytes (unless
// options.lossy), and for an article with no text at all.
Article read_article(std::string bytes, std::string source_name, const ReadOptions& options,
                     Diagnostics& diagnostics);

// Reads the file at `path` and calls read_article(). Throws Error(kInput) when the file is missing,
// unreadable or a directory.
Article read_article_file(const std::string& path, const ReadOptions& options,
                          Diagnostics& diagnostics);

// 1-based line and column (in characters) of byte `offset` of `text`, for messages that point
// into an article (Diagnostic spans, for example).
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset) noexcept;

}  // namespace narrator
