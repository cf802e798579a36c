#include <gtest/gtest.h>

#include <string>

#include "narrator/article.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

std::string error_of(std::string bytes, ReadOptions options = {}) {
  NullDiagnostics diagnostics;
  try {
    read_article(std::move(bytes), "story.txt", options, diagnostics);
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    return error.what();
  }
  ADD_FAILURE() << "expected an input error";
  return "";
}

std::string block_text(const Article& article, std::size_t index) {
  const Block& block = article.blocks.at(index);
  return article.text.substr(block.span.begin_byte, block.span.size_bytes());
}

TEST(ArticleReader, FindsHeadingsAndParagraphs) {
  NullDiagnostics diagnostics;
  const Article article = read_article(
      "\xEF\xBB\xBF  Minsk raises bus fares\n\nFares rise today.\nThey rose in 2023 too.\r\n\r\n"
      "What comes next\n\n\n  Officials said more was coming:\n",
      "story.txt", {}, diagnostics);
  ASSERT_EQ(article.blocks.size(), 4u);
  EXPECT_EQ(block_text(article, 0), "Minsk raises bus fares");
  EXPECT_EQ(article.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(block_text(article, 1), "Fares rise today.\nThey rose in 2023 too.");
  EXPECT_EQ(article.blocks[1].kind, BlockKind::kParagraph);
  EXPECT_EQ(article.blocks[2].kind, BlockKind::kHeading);
  EXPECT_EQ(block_text(article, 3), "Officials said more was coming:");
  EXPECT_EQ(article.blocks[3].kind, BlockKind::kParagraph);
}

TEST(ArticleReader, InvalidUtf8NamesLineColumnAndByteOffset) {
  const std::string message = error_of("First line.\nSecond \xE9t\xE9 line.\n");
  EXPECT_NE(message.find("story.txt:2:8:"), std::string::npos) << message;
  EXPECT_NE(message.find("byte offset 19"), std::string::npos) << message;
  EXPECT_NE(message.find("0xE9"), std::string::npos) << message;
  EXPECT_NE(message.find("--lossy"), std::string::npos) << message;
}

TEST(ArticleReader, TruncatedAndOverlongSequencesAreInvalid) {
  EXPECT_NE(error_of("ok \xC3").find("byte offset 3"), std::string::npos);
  EXPECT_NE(error_of("ok \xC0\xAF").find("byte offset 3"), std::string::npos);      // overlong '/'
  EXPECT_NE(error_of("ok \xED\xA0\x80").find("byte offset 3"), std::string::npos);  // surrogate
}

TEST(ArticleReader, NulByteIsAnErrorThatSuggestsUtf16) {
  const std::string message = error_of(std::string("A\0B", 3));
  EXPECT_NE(message.find("story.txt:1:2: NUL byte at byte offset 1"), std::string::npos) << message;
  EXPECT_NE(message.find("UTF-16"), std::string::npos) << message;
}

TEST(ArticleReader, EmptyAndWhitespaceOnlyArticlesAreErrors) {
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of(" \n\t\r\n\xC2\xA0\n").find("empty"), std::string::npos);
}

TEST(ArticleReader, LossyReplacesBadBytesAndReportsEach) {
  CollectingDiagnostics diagnostics;
  const Article article = read_article(std::string("Caf\xE9 and \0\0 tea.", 16), "s.txt",
                                       ReadOptions{.lossy = true}, diagnostics);
  EXPECT_EQ(article.text, "Caf\xEF\xBF\xBD and \xEF\xBF\xBD tea.");
  std::vector<Diagnostic> items = diagnostics.items();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].code, "input.encoding");  // the note: read as UTF-8, the default
  EXPECT_EQ(items[0].severity, Severity::kInfo);
  items.erase(items.begin());
  EXPECT_EQ(items[0].code, "input.bytes_replaced");
  EXPECT_EQ(items[0].span, (SourceSpan{3, 6}));
  EXPECT_NE(items[1].message.find("2 invalid or NUL byte(s) at byte offset 9"), std::string::npos)
      << items[1].message;
}

TEST(ArticleReader, MissingFileAndDirectoryAreInputErrors) {
  const test::TempDir dir;
  NullDiagnostics diagnostics;
  try {
    read_article_file(dir.file("absent.txt"), {}, diagnostics);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_NE(std::string(error.what()).find("absent.txt: cannot open"), std::string::npos);
  }
  try {
    read_article_file(dir.path().string(), {}, diagnostics);
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("is a directory"), std::string::npos);
  }
}

}  // namespace
}  // namespace narrator
