// pronouncer.hpp: the lexicon stage. Every word read as written gets its pronunciation from the
// lexicon stack (house files, built-in Belarusian names, then the name guesser); the rest stays
// with the voice's own rules.
#pragma once

#include <string_view>
#include <vector>

#include "narrator/diagnostics.hpp"
#include "narrator/lexicon/lexicon.hpp"
#include "tokens.hpp"

namespace narrator {

// The word without the prosody marks the normalizer attached ("Lukashenko," → "Lukashenko").
std::string_view bare_word(std::string_view text);

// The utterance's words for LexiconStack::sentence_context: bare, with a break after a word that
// carried punctuation.
std::vector<LexiconStack::SentenceWord> sentence_words(const Utterance& utterance);

// Sets SpokenWord::pronunciation for lexical words the stack knows or guesses, and reports each
// as a note (lex.lexicon or lex.guessed) naming its source, for `narrate script --explain`.
// `article_layer`, when given, is searched first (the article's own "@pronounce" entries).
void pronounce(Utterance& utterance, const LexiconStack& lexicons, const Lexicon* article_layer,
               Diagnostics& diagnostics);

}  // namespace narrator
