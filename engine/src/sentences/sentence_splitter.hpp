// sentence_splitter.hpp: Article blocks → sentences, with ICU's BreakIterator plus the language's
// abbreviation rules (lexicon/data/<lang>/sentence_exceptions.tsv).
#pragma once

#include <unicode/uversion.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "narrator/source_span.hpp"

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace narrator {

enum class PauseKind {
  kSentence,   // between sentences of a paragraph
  kParagraph,  // after the last sentence of a paragraph
  kHeading,    // after a headline or subhead
};

struct Sentence {
  SourceSpan span;  // into Article::text, trimmed
  std::size_t block_index = 0;
  PauseKind pause = PauseKind::kSentence;
  std::optional<int> pause_ms;  // SSML: this pause instead of the one `pause` names
};

class SentenceSplitter {
 public:
  // Throws Error(kInternal) when ICU cannot build a sentence iterator for `language`.
  SentenceSplitter(std::string_view language, SentenceRules rules, std::size_t max_sentence_bytes);
  SentenceSplitter(const SentenceSplitter&) = delete;
  SentenceSplitter& operator=(const SentenceSplitter&) = delete;
  ~SentenceSplitter();

  // Every sentence of every block, in order. A sentence longer than max_sentence_bytes is cut at a
  // phrase break (comma, semicolon, dash), else at a space, else at a character boundary.
  std::vector<Sentence> split(const Article& article) const;

 private:
  std::vector<std::size_t> break_offsets(icu::BreakIterator& iterator,
                                         std::string_view block_text) const;
  bool keeps_break(std::string_view block_text, std::size_t offset) const;
  void append_bounded(std::string_view text, Sentence sentence, std::vector<Sentence>& out) const;

  SentenceRules rules_;
  std::size_t max_sentence_bytes_;
  std::unique_ptr<icu::BreakIterator> iterator_;  // prototype, cloned by split()
};

}  // namespace narrator
