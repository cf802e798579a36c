#include "normalizer.hpp"

#include <gtest/gtest.h>

namespace narrator {
namespace {

struct Verbalized {
  std::vector<SpokenWord> words;
  std::vector<Diagnostic> diagnostics;
};

Verbalized run(const std::string& text) {
  CollectingDiagnostics diagnostics;
  const Sentence sentence{SourceSpan{0, text.size()}, 0, PauseKind::kSentence};
  const std::vector<Token> tokens = classify(text, sentence);
  Verbalized out;
  out.words = verbalize(text, tokens, diagnostics);
  out.diagnostics = diagnostics.items();
  return out;
}

TEST(Normalizer, TokensKeepTheirSpansAndClasses) {
  const std::string text = "Lukashenko  met \xE2\x80\x94 them\xC2\xA0today.";
  const std::vector<Token> tokens =
      classify(text, Sentence{SourceSpan{0, text.size()}, 0, PauseKind::kSentence});
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].span, (SourceSpan{0, 10}));
  EXPECT_EQ(tokens[2].token_class, TokenClass::kPunctuation);  // the em dash
  EXPECT_EQ(tokens[3].span, (SourceSpan{20, 24}));             // split at the no-break space
  EXPECT_EQ(tokens[4].token_class, TokenClass::kWord);
}

TEST(Normalizer, PhonemeBracketsAndReplacementCharactersNeverReachTheVoice) {
  const Verbalized out = run("say [[h@l'oU]] and caf\xEF\xBF\xBD now");
  std::string joined;
  for (const SpokenWord& word : out.words) joined += word.text + " ";
  EXPECT_EQ(joined, "say h@l'oU and caf now ");
  ASSERT_EQ(out.diagnostics.size(), 2u);
  EXPECT_EQ(out.diagnostics[0].code, "tn.unspeakable_removed");
  EXPECT_EQ(out.diagnostics[0].span, (SourceSpan{4, 14}));
}

TEST(Normalizer, PunctuationIsSpokenButNotCountedAsAWord) {
  const Verbalized out = run("Minsk \xE2\x80\x94 Hrodna");
  ASSERT_EQ(out.words.size(), 3u);
  EXPECT_TRUE(out.words[0].is_word);
  EXPECT_FALSE(out.words[1].is_word);
  EXPECT_EQ(out.words[2].token_index, 2u);
}

}  // namespace
}  // namespace narrator
