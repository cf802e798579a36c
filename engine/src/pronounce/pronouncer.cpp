#include "pronouncer.hpp"

#include <string>
#include <vector>

namespace narrator {

std::string_view bare_word(std::string_view text) {
  const std::size_t end = text.find_last_not_of(",.;:!?");
  return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}

std::vector<LexiconStack::SentenceWord> sentence_words(const Utterance& utterance) {
  std::vector<LexiconStack::SentenceWord> words;
  words.reserve(utterance.words.size());
  for (const SpokenWord& word : utterance.words) {
    const std::string_view bare = bare_word(word.text);
    words.push_back(LexiconStack::SentenceWord{bare, bare.size() < word.text.size()});
  }
  return words;
}

void pronounce(Utterance& utterance, const LexiconStack& lexicons, const Lexicon* article_layer,
               Diagnostics& diagnostics) {
  // The sentence's words, for the routing context of each ("the village of Kreva").
  const std::vector<LexiconStack::SentenceWord> sentence = sentence_words(utterance);
  const std::vector<RouteContext> contexts = lexicons.sentence_context(sentence, article_layer);
  for (std::size_t i = 0; i < utterance.words.size(); ++i) {
    SpokenWord& word = utterance.words[i];
    if (!word.lexical || word.pronunciation) continue;  // SSML <phoneme> already said how
    const std::string_view bare = sentence[i].bare;
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
