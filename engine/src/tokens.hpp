// tokens.hpp: the types that flow between the text stages of the pipeline.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "narrator/source_span.hpp"

namespace narrator {

enum class TokenClass {
  kWord,         // letters or digits, possibly with attached punctuation: read as written
  kPunctuation,  // punctuation or symbols only (a dash, a lone quote): shapes prosody
};

struct Token {
  SourceSpan span;  // into Article::text
  TokenClass token_class = TokenClass::kWord;
};

// One unit of text handed to the voice, linked back to the token it came from.
struct SpokenWord {
  std::string text;
  std::size_t token_index = 0;
  SourceSpan span;      // the source token's span
  bool is_word = true;  // false for punctuation that only shapes prosody (not counted as a word)
};

// What the backend speaks for one sentence.
struct Utterance {
  std::vector<SpokenWord> words;
};

}  // namespace narrator
