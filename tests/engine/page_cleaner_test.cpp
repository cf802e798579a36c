// Page text as copied from news sites in several publishers' styles (tests/data/pages/*.txt):
// what is kept, what is dropped and by which rule, and the metadata, against NAME.expected.
// Expected format: "H text" / "P text" for each kept heading and paragraph (spaces collapsed),
// "dropped LINE RULE" for each removal, "meta FIELD: value" for each known metadata field.
#include "page_cleaner.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "narrator/article.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"
#include "text_scan.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> page_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(NARRATOR_TEST_DATA_DIR) / "pages")) {
    if (entry.path().extension() == ".txt") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string describe(const Article& article) {
  std::string out;
  for (const Block& block : article.blocks) {
    out += block.kind == BlockKind::kHeading ? "H " : "P ";
    out += detail::collapse_spaces(
        std::string_view(article.text).substr(block.span.begin_byte, block.span.size_bytes()));
    out += '\n';
  }
  for (const DroppedText& drop : article.dropped) {
    out += "dropped " + std::to_string(drop.line) + " " + drop.rule + "\n";
  }
  const std::pair<const char*, const std::string*> fields[] = {
      {"title", &article.metadata.title},
      {"byline", &article.metadata.byline},
      {"publication", &article.metadata.publication},
      {"date", &article.metadata.date}};
  for (const auto& [name, value] : fields) {
    if (!value->empty()) out += std::string("meta ") + name + ": " + *value + "\n";
  }
  return out;
}

class PageCleanup : public ::testing::TestWithParam<std::string> {};

TEST_P(PageCleanup, KeepsTheStoryAndReportsEveryDrop) {
  const fs::path dir = fs::path(NARRATOR_TEST_DATA_DIR) / "pages";
  const std::string name = GetParam();
  CollectingDiagnostics diagnostics;
  const Article article =
      read_article(test::read_file(dir / (name + ".txt")), name + ".txt", {}, diagnostics);
  const std::string expected = test::read_file(dir / (name + ".expected"));
  EXPECT_EQ(describe(article), expected) << name << ".expected differs; got:\n"
                                         << describe(article);
}

INSTANTIATE_TEST_SUITE_P(Pages, PageCleanup, ::testing::ValuesIn(page_names()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(PageCleanup, KeepFurnitureReadsEverything) {
  CollectingDiagnostics diagnostics;
  ReadOptions options;
  options.keep_page_furniture = true;
  const Article article =
      read_article("Listen to this article\n\nThe story.\n", "page.txt", options, diagnostics);
  EXPECT_EQ(article.blocks.size(), 2u);
  EXPECT_TRUE(article.dropped.empty());
}

TEST(PageCleanup, NothingLeftIsAClearError) {
  CollectingDiagnostics diagnostics;
  try {
    read_article("Listen to this article\n\nBack to top\n", "page.txt", {}, diagnostics);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_NE(std::string(error.what()).find("--keep-furniture"), std::string::npos);
  }
}

TEST(PageCleanup, LinesThatArePagesOwnParagraphs) {
  // Copied page text has a paragraph per line; hard-wrapped text keeps its lines together.
  CollectingDiagnostics diagnostics;
  const std::string long_line(120, 'a');
  const Article pasted =
      read_article(long_line + ".\n" + long_line + ".\n", "pasted.txt", {}, diagnostics);
  EXPECT_EQ(pasted.blocks.size(), 2u);
  const Article wrapped =
      read_article("A paragraph wrapped at a narrow width\nfor email, which goes on here.\n",
                   "w.txt", {}, diagnostics);
  EXPECT_EQ(wrapped.blocks.size(), 1u);
}

TEST(PageCleanup, BadRulePatternNamesItsLine) {
  const std::vector<FurnitureRule> rules{
      FurnitureRule{"broken", FurnitureAction::kDrop, "(unclosed", "house.tsv", 7}};
  try {
    const PageCleaner cleaner(rules);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("house.tsv:7:"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace narrator
