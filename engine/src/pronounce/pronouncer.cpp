#include "pronouncer.hpp"

#include <string>
#include <vector>

namespace narrator {

std::string_view bare_word(std::string_view text) {
  const std::size_t end = text.find_last_not_of(",.;:!?");
  return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}

void pronounce(Utterance& utterance, const LexiconStack& lexicons, const Lexicon* article_layer,
               Diagnostics& diagnostics) {
  // The sentence's words, for the routing context of each ("the village of Kreva").
  std::vector<std::string_view> bare_words;
  bare_words.reserve(utterance.words.size());
  for (const SpokenWord& word : utterance.words) bare_words.push_back(bare_word(word.text));
  const std::vector<RouteContext> contexts = lexicons.sentence_context(bare_words, article_layer);
  for (std::size_t i = 0; i < utterance.words.size(); ++i) {
    SpokenWord& word = utterance.words[i];
    if (!word.lexical || word.pronunciation) continue;  // SSML <phoneme> already said how
    const std::string_view bare = bare_words[i];
    std::optional<Pronunciation> found = lexicons.lookup(bare, article_layer, contexts[i]);
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
