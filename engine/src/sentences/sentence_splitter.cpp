#include "sentence_splitter.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"
#include "text_scan.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

// Phrase breaks where an overlong sentence may be cut, best first.
constexpr std::array<std::string_view, 6> kPhraseBreaks{
    "; ", ": ", " \xE2\x80\x94 " /* — */, " \xE2\x80\x93 " /* – */, ", ", " - "};

// Opening punctuation that may precede a word: quotes and brackets.
constexpr std::array<std::string_view, 6> kOpeners{
    "\"", "'", "(", "[", "\xE2\x80\x9C" /* “ */, "\xE2\x80\x98" /* ‘ */};

std::string_view strip_openers(std::string_view word) {
  bool stripped = true;
  while (stripped && !word.empty()) {
    stripped = false;
    for (const std::string_view opener : kOpeners) {
      if (word.starts_with(opener)) {
        word.remove_prefix(opener.size());
        stripped = true;
      }
    }
  }
  return word;
}

// The whitespace-delimited word that ends at or before `offset` (trailing spaces skipped).
std::string_view word_before(std::string_view text, std::size_t offset) {
  const SourceSpan trimmed = detail::trim_span(text, SourceSpan{0, offset});
  const std::size_t space = text.substr(0, trimmed.end_byte).find_last_of(" \t\r\n");
  const std::size_t begin = space == std::string_view::npos ? 0 : space + 1;
  return strip_openers(text.substr(begin, trimmed.end_byte - begin));
}

// The whitespace-delimited word that starts at or after `offset`, without opening quotes and
// without trailing punctuation.
std::string_view word_after(std::string_view text, std::size_t offset) {
  const SourceSpan trimmed = detail::trim_span(text, SourceSpan{offset, text.size()});
  std::string_view word = text.substr(trimmed.begin_byte);
  word = strip_openers(word.substr(0, word.find_first_of(" \t\r\n")));
  const auto letters = std::find_if_not(word.begin(), word.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || !U8_IS_SINGLE(c);
  });
  return word.substr(0, static_cast<std::size_t>(letters - word.begin()));
}

bool is_initial(std::string_view word) {
  return word.size() == 2 && std::isupper(static_cast<unsigned char>(word[0])) && word[1] == '.';
}

// "…/news?id=123": ICU ends a sentence after "?" or "!" even with no space after it. A break
// between two ASCII characters neither of which is whitespace is inside one token (a web address,
// "Yahoo!'s"), never a sentence end. Text of scripts written without spaces is not ASCII.
bool inside_token(std::string_view text, std::size_t offset) {
  if (offset == 0 || offset >= text.size()) return false;
  const auto before = static_cast<unsigned char>(text[offset - 1]);
  const auto after = static_cast<unsigned char>(text[offset]);
  if (before >= 0x80 || after >= 0x80 || std::isspace(before) != 0 || std::isspace(after) != 0) {
    return false;
  }
  // The token has letters or digits before the mark ("!1" alone is a mark and a number).
  for (std::size_t at = offset - 1;
       at > 0 && std::isspace(static_cast<unsigned char>(text[at - 1])) == 0; --at) {
    if (std::isalnum(static_cast<unsigned char>(text[at - 1])) != 0) return true;
  }
  return false;
}

struct UTextCloser {
  void operator()(UText* text) const noexcept { utext_close(text); }
};
using UTextPtr = std::unique_ptr<UText, UTextCloser>;

}  // namespace

SentenceSplitter::SentenceSplitter(std::string_view language, SentenceRules rules,
                                   std::size_t max_sentence_bytes)
    : rules_(std::move(rules)), max_sentence_bytes_(max_sentence_bytes) {
  UErrorCode status = U_ZERO_ERROR;
  iterator_.reset(icu::BreakIterator::createSentenceInstance(
      icu::Locale(std::string(language).c_str()), status));
  if (U_FAILURE(status) || !iterator_) {
    throw Error(ErrorCategory::kInternal,
                std::string("ICU cannot build a sentence iterator: ") + u_errorName(status));
  }
}

SentenceSplitter::~SentenceSplitter() = default;

std::vector<std::size_t> SentenceSplitter::break_offsets(icu::BreakIterator& iterator,
                                                         std::string_view block_text) const {
  UErrorCode status = U_ZERO_ERROR;
  const UTextPtr text(
      utext_openUTF8(nullptr, block_text.data(), static_cast<int64_t>(block_text.size()), &status));
  if (U_FAILURE(status)) {
    throw Error(ErrorCategory::kInternal,
                std::string("ICU utext_openUTF8: ") + u_errorName(status));
  }
  iterator.setText(text.get(), status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCategory::kInternal, std::string("ICU setText: ") + u_errorName(status));
  }
  std::vector<std::size_t> offsets;
  for (int32_t offset = iterator.next(); offset != icu::BreakIterator::DONE;
       offset = iterator.next()) {
    const auto position = static_cast<std::size_t>(offset);
    if (position >= block_text.size() || keeps_break(block_text, position)) {
      offsets.push_back(position);
    }
  }
  // Detach the iterator from the UText before the UText is closed.
  iterator.setText(icu::UnicodeString());
  return offsets;
}

bool SentenceSplitter::keeps_break(std::string_view block_text, std::size_t offset) const {
  if (inside_token(block_text, offset)) return false;
  const std::string_view before = word_before(block_text, offset);
  if (is_initial(before)) return false;
  auto found = rules_.abbreviations.find(std::string(before));
  if (found == rules_.abbreviations.end()) {
    // "SEPT." and "sept." are "Sept.".
    std::string title = detail::ascii_lower(before);
    if (!title.empty())
      title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    found = rules_.abbreviations.find(title);
  }
  if (found == rules_.abbreviations.end()) return true;
  if (found->second == AbbreviationKind::kTitle) return false;
  const std::string_view next = word_after(block_text, offset);
  return !next.empty() && std::isupper(static_cast<unsigned char>(next[0])) &&
         rules_.sentence_starters.contains(detail::ascii_lower(next));
}

void SentenceSplitter::append_bounded(std::string_view text, Sentence sentence,
                                      std::vector<Sentence>& out) const {
  while (sentence.span.size_bytes() > max_sentence_bytes_) {
    const std::string_view body = text.substr(sentence.span.begin_byte, max_sentence_bytes_);
    std::size_t cut = std::string_view::npos;
    for (const std::string_view phrase_break : kPhraseBreaks) {
      const std::size_t at = body.rfind(phrase_break);
      if (at != std::string_view::npos && at >= max_sentence_bytes_ / 2) {
        cut = at + phrase_break.size() - 1;
        break;
      }
    }
    if (cut == std::string_view::npos) {
      const std::size_t space = body.find_last_of(" \t\r\n");
      cut = space != std::string_view::npos && space >= max_sentence_bytes_ / 4
                ? space
                : detail::char_start(text, sentence.span.begin_byte + max_sentence_bytes_) -
                      sentence.span.begin_byte;
    }
    const SourceSpan head = detail::trim_span(
        text, SourceSpan{sentence.span.begin_byte, sentence.span.begin_byte + cut});
    out.push_back(Sentence{head, sentence.block_index, PauseKind::kSentence, std::nullopt});
    sentence.span = detail::trim_span(text, SourceSpan{head.end_byte, sentence.span.end_byte});
  }
  if (!sentence.span.empty()) out.push_back(sentence);
}

std::vector<Sentence> SentenceSplitter::split(const Article& article) const {
  // A clone per call keeps split() const and safe to call from several threads.
  const std::unique_ptr<icu::BreakIterator> iterator(iterator_->clone());
  if (!iterator) throw Error(ErrorCategory::kInternal, "ICU cannot clone the sentence iterator");
  std::vector<Sentence> sentences;
  const std::string_view text = article.text;
  for (std::size_t block_index = 0; block_index < article.blocks.size(); ++block_index) {
    const Block& block = article.blocks[block_index];
    const std::string_view block_text = text.substr(block.span.begin_byte, block.span.size_bytes());
    const std::size_t first_of_block = sentences.size();
    std::size_t begin = 0;
    for (const std::size_t end : break_offsets(*iterator, block_text)) {
      const SourceSpan span = detail::trim_span(
          text, SourceSpan{block.span.begin_byte + begin, block.span.begin_byte + end});
      begin = end;
      if (span.empty()) continue;
      append_bounded(text, Sentence{span, block_index, PauseKind::kSentence, std::nullopt},
                     sentences);
    }
    if (sentences.size() > first_of_block) {
      sentences.back().pause =
          block.kind == BlockKind::kHeading ? PauseKind::kHeading : PauseKind::kParagraph;
    }
  }
  return sentences;
}

}  // namespace narrator
