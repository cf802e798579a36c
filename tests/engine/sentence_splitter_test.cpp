#include "sentence_splitter.hpp"

#include <gtest/gtest.h>

#include "golden_table.hpp"
#include "narrator/lexicon/sentence_rules.hpp"

namespace narrator {
namespace {

Article make_article(std::string text) {
  NullDiagnostics diagnostics;
  return read_article(std::move(text), "test", ReadOptions{}, diagnostics);
}

std::string joined(const Article& article, const std::vector<Sentence>& sentences) {
  std::string out;
  for (const Sentence& sentence : sentences) {
    if (!out.empty()) out += " | ";
    out += article.text.substr(sentence.span.begin_byte, sentence.span.size_bytes());
  }
  return out;
}

class SentenceTable : public ::testing::TestWithParam<test::GoldenRow> {};

TEST_P(SentenceTable, SplitsAsExpected) {
  const test::GoldenRow& row = GetParam();
  const SentenceSplitter splitter("en", load_sentence_rules("en"), 600);
  const Article article = make_article(row.input);
  EXPECT_EQ(joined(article, splitter.split(article)), row.expected)
      << row.file << ":" << row.line << ": \"" << row.input << "\"";
}

INSTANTIATE_TEST_SUITE_P(English, SentenceTable,
                         ::testing::ValuesIn(test::load_golden_table("sentences/en.tsv")),
                         test::golden_row_name);

TEST(SentenceSplitter, PausesFollowBlockKinds) {
  const SentenceSplitter splitter("en", load_sentence_rules("en"), 600);
  const Article article = make_article("Headline here\n\nOne. Two.\n\nThree.\n");
  const std::vector<Sentence> sentences = splitter.split(article);
  ASSERT_EQ(sentences.size(), 4u);
  EXPECT_EQ(sentences[0].pause, PauseKind::kHeading);
  EXPECT_EQ(sentences[1].pause, PauseKind::kSentence);
  EXPECT_EQ(sentences[2].pause, PauseKind::kParagraph);
  EXPECT_EQ(sentences[3].pause, PauseKind::kParagraph);
  EXPECT_EQ(sentences[2].block_index, 1u);
}

TEST(SentenceSplitter, OverlongSentenceIsCutAtPhraseBreaksWithinTheLimit) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "the delegation waited in the hall, ";
  text += "and then it left.";
  const Article article = make_article(text);
  const SentenceSplitter splitter("en", load_sentence_rules("en"), 200);
  const std::vector<Sentence> sentences = splitter.split(article);
  ASSERT_GT(sentences.size(), 5u);
  std::size_t covered = 0;
  for (const Sentence& sentence : sentences) {
    EXPECT_LE(sentence.span.size_bytes(), 200u);
    const std::string_view piece(article.text.data() + sentence.span.begin_byte,
                                 sentence.span.size_bytes());
    EXPECT_TRUE(piece.ends_with(",") || piece.ends_with(".")) << piece;
    covered += sentence.span.size_bytes() + 1;
  }
  EXPECT_EQ(covered, text.size() + 1);  // nothing lost: pieces plus the single spaces between
  EXPECT_EQ(sentences.back().pause, PauseKind::kParagraph);
}

TEST(SentenceSplitter, UnpunctuatedTextWithoutSpacesIsCutAtCharacterBoundaries) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "ў";  // two bytes each
  const Article article = make_article(text);
  const SentenceSplitter splitter("en", load_sentence_rules("en"), 101);
  const std::vector<Sentence> sentences = splitter.split(article);
  std::size_t total = 0;
  for (const Sentence& sentence : sentences) {
    EXPECT_LE(sentence.span.size_bytes(), 101u);
    EXPECT_EQ(sentence.span.size_bytes() % 2, 0u) << "cut inside a character";
    total += sentence.span.size_bytes();
  }
  EXPECT_EQ(total, text.size());
}

}  // namespace
}  // namespace narrator
