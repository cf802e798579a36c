#include "normalizer.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdint>
#include <string>

#include "text_scan.hpp"

namespace narrator {
namespace {

// Sequences the voice must never receive: U+FFFD (a lossy read's replacement) and eSpeak NG's
// phoneme-input brackets, which would turn article text into raw phonemes.
constexpr std::array<std::string_view, 3> kUnspeakable{"\xEF\xBF\xBD", "[[", "]]"};

bool has_letter_or_digit(std::string_view token) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(token.data());
  const auto length = static_cast<std::int32_t>(token.size());
  for (std::int32_t at = 0; at < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, at, length, c);
    if (c >= 0 && u_isalnum(c) != 0) return true;
  }
  return false;
}

std::string remove_unspeakable(std::string_view token, bool& removed) {
  std::string out(token);
  for (const std::string_view bad : kUnspeakable) {
    for (std::size_t at = out.find(bad); at != std::string::npos; at = out.find(bad, at)) {
      out.erase(at, bad.size());
      removed = true;
    }
  }
  return out;
}

}  // namespace

std::vector<Token> classify(std::string_view text, const Sentence& sentence) {
  std::vector<Token> tokens;
  std::size_t offset = sentence.span.begin_byte;
  std::size_t token_begin = std::string_view::npos;
  const auto close_token = [&](std::size_t end) {
    if (token_begin == std::string_view::npos) return;
    const std::string_view body = text.substr(token_begin, end - token_begin);
    tokens.push_back(Token{SourceSpan{token_begin, end}, has_letter_or_digit(body)
                                                             ? TokenClass::kWord
                                                             : TokenClass::kPunctuation});
    token_begin = std::string_view::npos;
  };
  while (offset < sentence.span.end_byte) {
    std::size_t length = 1;
    if (detail::is_space_at(text, offset, length)) {
      close_token(offset);
    } else if (token_begin == std::string_view::npos) {
      token_begin = offset;
    }
    offset += length;
  }
  close_token(sentence.span.end_byte);
  return tokens;
}

std::vector<SpokenWord> verbalize(std::string_view text, const std::vector<Token>& tokens,
                                  Diagnostics& diagnostics) {
  std::vector<SpokenWord> words;
  words.reserve(tokens.size());
  for (std::size_t index = 0; index < tokens.size(); ++index) {
    const Token& token = tokens[index];
    const std::string_view written = text.substr(token.span.begin_byte, token.span.size_bytes());
    bool removed = false;
    std::string spoken = remove_unspeakable(written, removed);
    if (removed) {
      diagnostics.report(Diagnostic{
          Severity::kWarning, "tn.unspeakable_removed", token.span,
          "removed characters the voice cannot read from '" + std::string(written) + "'"});
    }
    if (spoken.empty()) continue;
    words.push_back(
        SpokenWord{std::move(spoken), index, token.span, token.token_class == TokenClass::kWord});
  }
  return words;
}

}  // namespace narrator
