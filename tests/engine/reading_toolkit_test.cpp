// The readers' shared toolkit: the text builder (whitespace, blocks, origins), excerpt() and the
// UTF-8 helpers over ICU.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "narrator/article.hpp"
#include "text_builder.hpp"
#include "text_scan.hpp"
#include "utf8.hpp"

namespace narrator::detail {
namespace {

// What `builder` built, its open block ended.
Article finished(TextBuilder& builder) {
  Article article;
  builder.finish(article);
  return article;
}

// (text byte, input byte) of each origin.
using Origins = std::vector<std::pair<std::size_t, std::size_t>>;

Origins origins_of(const Article& article) {
  Origins origins;
  for (const TextOrigin& origin : article.origins) {
    origins.emplace_back(origin.text_byte, origin.input_byte);
  }
  return origins;
}

std::vector<std::string> block_texts(const Article& article) {
  std::vector<std::string> texts;
  for (const Block& block : article.blocks) {
    texts.push_back(article.text.substr(block.span.begin_byte, block.span.size_bytes()));
  }
  return texts;
}

TEST(TextBuilder, CollapsesEachWhitespaceRunToOneSpace) {
  TextBuilder builder(kXmlWhitespace);
  builder.add_text("  Hello, \t\r\n  world", std::nullopt);
  builder.add_text("wide", std::nullopt);  // no whitespace between: glued on
  builder.add_text("  ", std::nullopt);
  builder.add_text("again", std::nullopt);
  builder.add_space();
  builder.add_text("and\nagain\n", std::nullopt);
  const Article article = finished(builder);
  EXPECT_EQ(article.text, "Hello, worldwide again and again");
  ASSERT_EQ(article.blocks.size(), 1u);
  EXPECT_EQ(article.blocks[0].span.begin_byte, 0u);
  EXPECT_EQ(article.blocks[0].span.end_byte, article.text.size());
  EXPECT_TRUE(article.origins.empty());  // no input bytes were given
}

TEST(TextBuilder, WhitespaceSetIsThePolicys) {
  TextBuilder html(kHtmlWhitespace);
  TextBuilder xml(kXmlWhitespace);
  html.add_text("a\fb", std::nullopt);  // form feed: HTML whitespace, not XML whitespace
  xml.add_text("a\fb", std::nullopt);
  const Article from_html = finished(html);
  const Article from_xml = finished(xml);
  EXPECT_EQ(from_html.text, "a b");
  EXPECT_EQ(from_xml.text, "a\fb");
}

TEST(TextBuilder, SeparatesBlocksByABlankLineAndSkipsEmptyOnes) {
  TextBuilder builder(kHtmlWhitespace);
  builder.add_text("Title", std::nullopt);
  EXPECT_EQ(builder.end_block(BlockKind::kHeading), (SourceSpan{0, 5}));
  builder.add_text("   ", std::nullopt);  // only whitespace: no block
  EXPECT_EQ(builder.end_block(), std::nullopt);
  builder.add_space();  // a pending space never starts a block
  builder.add_text("First line.", std::nullopt);
  EXPECT_EQ(builder.end_block(), (SourceSpan{7, 18}));
  builder.add_text("Last.", std::nullopt);  // still open: finish() ends it as a paragraph
  const Article article = finished(builder);
  EXPECT_EQ(article.text, "Title\n\nFirst line.\n\nLast.");
  EXPECT_EQ(block_texts(article), (std::vector<std::string>{"Title", "First line.", "Last."}));
  EXPECT_EQ(article.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(article.blocks[1].kind, BlockKind::kParagraph);
  EXPECT_EQ(article.blocks[2].kind, BlockKind::kParagraph);
}

TEST(TextBuilder, RemovesTheLastBlockWithItsSeparatorAndOrigins) {
  TextBuilder builder(kXmlWhitespace);
  builder.add_text("Kept.", 10);
  builder.end_block();
  builder.add_text("| ·", 100);
  ASSERT_EQ(builder.end_block(), (SourceSpan{7, 11}));
  builder.remove_last_block();
  builder.add_text("Next.", 200);
  const Article article = finished(builder);
  EXPECT_EQ(article.text, "Kept.\n\nNext.");
  EXPECT_EQ(block_texts(article), (std::vector<std::string>{"Kept.", "Next."}));
  EXPECT_EQ(origins_of(article), (Origins{{0, 10}, {7, 200}}));
}

// Input "<p>One  two</p>\n<p>caf&eacute; ok</p>": the text leads back to the input word by word.
TEST(TextBuilder, RecordsAnOriginWhereTheTextStopsFollowingTheInput) {
  TextBuilder builder(kHtmlWhitespace);
  builder.add_text("One  two", 3);  // "One" at input 3, "two" at 8: the collapsed space drifts
  builder.end_block();
  // "café ok" decoded from "caf&eacute; ok" at input 19: "é" comes from the reference at 22 (which
  // still follows "caf"), and " ok" from input 30 on (which does not).
  const std::vector<TextAnchor> anchors{{3, 22}, {5, 30}};
  builder.add_text("caf\xC3\xA9 ok", 19, anchors);
  const Article article = finished(builder);
  ASSERT_EQ(article.text, "One two\n\ncaf\xC3\xA9 ok");
  EXPECT_EQ(origins_of(article), (Origins{{0, 3}, {4, 8}, {9, 19}, {15, 31}}));
  // Every text byte maps back through the origins as original_byte_of() reads them.
  EXPECT_EQ(original_byte_of(article, 2), 5u);    // the 'e' of "One"
  EXPECT_EQ(original_byte_of(article, 6), 10u);   // the 'o' of "two"
  EXPECT_EQ(original_byte_of(article, 13), 23u);  // the second byte of "é": inside "&eacute;"
  EXPECT_EQ(original_byte_of(article, 16), 32u);  // the 'k' of "ok"
}

TEST(TextBuilder, TextThatFollowsTheInputNeedsOneOrigin) {
  TextBuilder builder(kXmlWhitespace);
  builder.add_text("a b", 40);
  builder.add_text("c", 43);  // glued on, and right after "b" in the input
  const Article article = finished(builder);
  EXPECT_EQ(article.text, "a bc");
  EXPECT_EQ(origins_of(article), (Origins{{0, 40}}));
}

TEST(TextBuilder, ReportsWhereTheFirstWordWent) {
  TextBuilder builder(kXmlWhitespace);
  builder.add_text("Before", std::nullopt);
  builder.add_space();
  const std::optional<FirstWord> first = builder.add_text("\n  word and more", std::nullopt);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->text_byte, 7u);   // after "Before "
  EXPECT_EQ(first->added_byte, 3u);  // after "\n  "
  EXPECT_EQ(builder.add_text(" \t", std::nullopt), std::nullopt);
}

// U+00A0 is not HTML whitespace: inside a block it is text, but a block neither starts nor ends
// with it, and its two bytes are never split from each other.
TEST(TextBuilder, TrimsMultiByteSpacesAtBlockEdgesOnlyWhenThePolicySays) {
  const std::string nbsp = "\xC2\xA0";
  TextBuilder html(kHtmlWhitespace);
  TextBuilder xml(kXmlWhitespace);
  for (TextBuilder* builder : {&html, &xml}) {
    builder->add_text(nbsp, 0);  // only a no-break space: no block yet for HTML
    builder->add_text(nbsp + "x" + nbsp + "y" + nbsp, 2);
  }
  const Article from_html = finished(html);
  const Article from_xml = finished(xml);
  EXPECT_EQ(from_html.text, "x" + nbsp + "y");
  EXPECT_EQ(origins_of(from_html), (Origins{{0, 4}}));  // 'x', past the trimmed no-break space
  EXPECT_EQ(from_xml.text, nbsp + nbsp + "x" + nbsp + "y" + nbsp);
  EXPECT_EQ(from_xml.blocks[0].span, (SourceSpan{0, from_xml.text.size()}));
}

TEST(TextBuilder, AnchorInsideAWordSplitsItWithoutASpace) {
  TextBuilder builder(kHtmlWhitespace);
  // "naïve" where "ï" (two bytes) came from "&iuml;" at input 52.
  const std::vector<TextAnchor> anchors{{2, 52}, {4, 58}};
  builder.add_text("na\xC3\xAFve", 50, anchors);
  const Article article = finished(builder);
  EXPECT_EQ(article.text, "na\xC3\xAFve");
  // "ï" starts where "na" ends in the input; "ve" starts past "&iuml;".
  EXPECT_EQ(origins_of(article), (Origins{{0, 50}, {4, 58}}));
}

// Markup collapses only its own whitespace; text_scan's set also holds \f and U+00A0.
TEST(CollapseSpaces, TheWhitespaceSetIsTheCallers) {
  const std::string_view text = "  a \f b\xC2\xA0 \n";
  EXPECT_EQ(collapse_spaces(text, is_xml_space), "a \f b\xC2\xA0");
  EXPECT_EQ(collapse_spaces(text, is_html_space), "a b\xC2\xA0");
  EXPECT_EQ(collapse_spaces(text), "a b");
}

TEST(Excerpt, ShortTextIsWhole) {
  EXPECT_EQ(excerpt(""), "");
  const std::string sixty(kExcerptBytes, 'a');
  EXPECT_EQ(excerpt(sixty), sixty);
}

TEST(Excerpt, LongTextIsCutAndMarked) {
  const std::string text(kExcerptBytes + 10, 'a');
  EXPECT_EQ(excerpt(text), std::string(kExcerptBytes, 'a') + "\u2026");
}

// A cut in the middle of a multi-byte character moves back to the character's start.
TEST(Excerpt, NeverSplitsACharacter) {
  const std::string head(kExcerptBytes - 1, 'a');
  EXPECT_EQ(excerpt(head + "\xC3\xA9" + "tail"), head + "\u2026");          // é: 2 bytes
  EXPECT_EQ(excerpt(head + "\xE2\x80\x94" + "tail"), head + "\u2026");      // —: 3 bytes
  EXPECT_EQ(excerpt(head + "\xF0\x9F\x93\xB0" + "tail"), head + "\u2026");  // 📰: 4 bytes
  const std::string before(kExcerptBytes - 3, 'a');
  EXPECT_EQ(excerpt(before + "\xF0\x9F\x93\xB0" + "tail"), before + "\u2026");
  const std::string whole(kExcerptBytes - 2, 'a');  // the character ends at the limit: kept
  EXPECT_EQ(excerpt(whole + "\xC3\xA9" + "tail"), whole + "\xC3\xA9" + "\u2026");
}

TEST(Utf8, SequenceLengthRejectsWhatIsNotUtf8) {
  struct Case {
    std::string_view bytes;
    std::size_t offset;
    std::optional<std::size_t> length;
  };
  const Case cases[] = {
      {"a", 0, 1},
      {std::string_view("\0", 1), 0, 1},
      {"\xC3\xA9", 0, 2},
      {"\xE2\x80\x94", 0, 3},
      {"\xF0\x9F\x93\xB0", 0, 4},
      {"\xC3", 0, std::nullopt},              // truncated
      {"\xC3\xA9", 1, std::nullopt},          // a trail byte
      {"\xC0\xAF", 0, std::nullopt},          // overlong '/'
      {"\xE0\x80\xAF", 0, std::nullopt},      // overlong
      {"\xED\xA0\x80", 0, std::nullopt},      // a surrogate
      {"\xF4\x90\x80\x80", 0, std::nullopt},  // beyond U+10FFFF
      {"\xFF", 0, std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(utf8_sequence_length(c.bytes, c.offset), c.length)
        << "case " << (&c - cases) << " at offset " << c.offset;
  }
}

TEST(Utf8, CharacterBoundaries) {
  const std::string_view text = "a\xC3\xA9\xF0\x9F\x93\xB0z";  // a é 📰 z
  // Where the character that holds each byte starts.
  const std::size_t starts[] = {0, 1, 1, 3, 3, 3, 3, 7};
  for (std::size_t offset = 0; offset < text.size(); ++offset) {
    EXPECT_EQ(char_start(text, offset), starts[offset]) << "offset " << offset;
  }
  EXPECT_EQ(char_start(text, text.size()), text.size());
  // Where the character that starts at each boundary ends.
  const std::pair<std::size_t, std::size_t> ends[] = {{0, 1}, {1, 3}, {3, 7}, {7, 8}, {8, 8}};
  for (const auto& [offset, end] : ends) {
    EXPECT_EQ(char_end(text, offset), end) << "offset " << offset;
  }
  EXPECT_EQ(count_code_points(text), 4u);
  std::size_t at = 1;
  EXPECT_EQ(next_code_point(text, at), U'\u00E9');
  EXPECT_EQ(at, 3u);
  EXPECT_EQ(next_code_point(text, at), U'\U0001F4F0');
  EXPECT_EQ(at, 7u);
  std::size_t bad = 0;
  EXPECT_EQ(next_code_point("\xFFz", bad), std::nullopt);
  EXPECT_EQ(bad, 1u);  // past the bad byte
}

TEST(Utf8, PositionsCountCharactersNotBytes) {
  const std::string_view text = "caf\xC3\xA9 ok\nsecond";
  const TextPosition o = position_of(text, 6);  // é is one column
  EXPECT_EQ(o.line, 1u);
  EXPECT_EQ(o.column, 6u);
  const TextPosition s = position_of(text, 9);
  EXPECT_EQ(s.line, 2u);
  EXPECT_EQ(s.column, 1u);
}

}  // namespace
}  // namespace narrator::detail
