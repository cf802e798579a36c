#include "pronouncer.hpp"

#include <string>

namespace narrator {

std::string_view bare_word(std::string_view text) {
  const std::size_t end = text.find_last_not_of(",.;:!?");
  return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}

void pronounce(Utterance& utterance, const LexiconStack& lexicons, const Lexicon* article_layer,
               Diagnostics& diagnostics) {
  for (SpokenWord& word : utterance.words) {
    if (!word.lexical || word.pronunciation) continue;  // SSML <phoneme> already said how
    const std::string_view bare = bare_word(word.text);
    std::optional<Pronunciation> found = lexicons.lookup(bare, article_layer);
    if (!found) continue;
    const bool guessed = found->source == "guesser";
    const bool transliterated = found->source == "transliteration";
    std::string message = "'";
    message.append(bare);
    message += found->ipa.empty() ? "' \"" : "' /";
    message += found->ipa.empty() ? found->alias : found->ipa;
    message += found->ipa.empty() ? "\" from " : "/ from ";
    message += found->source;
    diagnostics.report(Diagnostic{Severity::kInfo,
                                  guessed          ? "lex.guessed"
                                  : transliterated ? "lex.transliterated"
                                                   : "lex.lexicon",
                                  word.span, std::move(message)});
    word.pronunciation = std::move(found);
  }
}

}  // namespace narrator
