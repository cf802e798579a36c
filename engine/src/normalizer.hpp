// normalizer.hpp: sentence text → tokens (classify) → spoken words (verbalize).
#pragma once

#include <string_view>
#include <vector>

#include "narrator/diagnostics.hpp"
#include "sentence_splitter.hpp"
#include "tokens.hpp"

namespace narrator {

// Splits the sentence at whitespace and gives each token its class.
std::vector<Token> classify(std::string_view text, const Sentence& sentence);

// Turns tokens into the words the voice reads. Text the voice must not see (U+FFFD left by a lossy
// read, phoneme-input brackets "[[" "]]") is removed and reported; nothing else is dropped.
std::vector<SpokenWord> verbalize(std::string_view text, const std::vector<Token>& tokens,
                                  Diagnostics& diagnostics);

}  // namespace narrator
