// Page text as copied from news sites in several publishers' styles (tests/data/pages/*.txt), and
// HTML pages whose furniture stands inside the story's paragraphs (tests/data/pages/*.html, read
// as `narrate` reads a page): what is kept, what is dropped and by which rule, and the metadata,
// against NAME.expected.
// Expected format: "H text" / "P text" for each kept heading and paragraph (spaces collapsed),
// "dropped LINE RULE" for each removal, "meta FIELD: value" for each known metadata field.
#include "page_cleaner.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <set>

#include "narrator/article.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"
#include "text_scan.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> page_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(NARRATOR_TEST_DATA_DIR) / "pages")) {
    const fs::path extension = entry.path().extension();
    if (extension == ".txt" || extension == ".html")
      names.push_back(entry.path().filename().string());
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
  const fs::path file = GetParam();
  const std::string name = file.stem().string();
  CollectingDiagnostics diagnostics;
  const Article article = read_input(
      test::read_file(dir / file), file.string(),
      file.extension() == ".html" ? InputFormat::kHtml : InputFormat::kText, {}, diagnostics);
  const std::string expected = test::read_file(dir / (name + ".expected"));
  EXPECT_EQ(describe(article), expected) << name << ".expected differs; got:\n"
                                         << describe(article);
}

INSTANTIATE_TEST_SUITE_P(Pages, PageCleanup, ::testing::ValuesIn(page_names()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           std::replace(name.begin(), name.end(), '.', '_');
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

// ---- Match limits ---------------------------------------------------------------------------

// Furniture blocks are matched up to this size (page_cleaner.cpp's kMaxFurnitureBytes).
constexpr std::size_t kBlockBytes = 795;
// The work an adversarial block may cost one built-in rule: twelve of ICU's time-limit steps,
// about 120,000 operations of the regex engine, a millisecond or two (the ai-disclaimer rule,
// whose three keywords may each sit anywhere in their windows, needs the most). The limit is the
// measure: a rule that goes over it is reported, so nothing here times the clock.
constexpr std::int32_t kAdversarialSteps = 12;

// `unit` repeated after `prefix` up to the block size, then `end`.
std::string repeated(const std::string& prefix, const std::string& unit, const std::string& end) {
  std::string block = prefix;
  while (block.size() + unit.size() + end.size() <= kBlockBytes) block += unit;
  return block + end;
}

// The words a rule's pattern is made of ("by", "and", "jan", "posted"...), escapes aside.
std::set<std::string> words_of(const std::string& pattern) {
  std::set<std::string> words;
  std::string word;
  for (std::size_t at = 0; at <= pattern.size(); ++at) {
    const char c = at < pattern.size() ? pattern[at] : ' ';
    if (c == '\\' && at + 1 < pattern.size()) {  // \s, \p{Lu}: not words
      ++at;
      if (pattern[at] == 'p' && at + 1 < pattern.size() && pattern[at + 1] == '{') {
        at = pattern.find('}', at);
      }
      word.clear();
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      continue;
    }
    if (word.size() >= 2) words.insert(word);
    word.clear();
  }
  return words;
}

// Blocks just under the size cap that make `rule` try many ways to match and fail at the end:
// its first word, then one of its words over and over (bare, spaced, capitalized, listed), then
// a character that no rule ends with.
std::vector<std::string> adversarial_blocks(const FurnitureRule& rule) {
  const std::set<std::string> words = words_of(rule.pattern);
  std::set<std::string> units{"AND", "AND ", "A ", "A, ", "x", "( ", "a/", "1 ", "- ", "| "};
  for (const std::string& word : words) {
    std::string capital = word;
    capital[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capital[0])));
    for (const std::string& unit : {word, word + " ", capital + " ", capital + ", "}) {
      units.insert(unit);
    }
  }
  std::vector<std::string> blocks;
  for (const std::string& prefix : {std::string(), words.empty() ? "" : *words.begin() + " "}) {
    for (const std::string& unit : units) {
      for (const char* end : {"!", "~"}) blocks.push_back(repeated(prefix, unit, end));
    }
  }
  return blocks;
}

// Blocks that stack several of a rule's parts, each filling the span the rule allows it.
std::vector<std::string> layered_blocks() {
  const std::vector<std::vector<std::pair<std::string, std::size_t>>> layers{
      {{"the audio ", 40}, {"generated ", 160}, {"ai ", 80}},
      {{"mispronunciation can occur ", 200}},
      {{"sign up ", 80}, {"newsletter ", 80}},
      {{"we ", 40}, {"cookies ", 200}},
      {{"(", 300}, {"a / ", 300}},
      {{"(photo ", 300}, {"a", 80}},
      {{"photo: ", 10}, {"a/", 200}, {" b", 200}},
      {{"home > a ", 10}, {"> b ", 300}},
      {{"posted on 1 ", 80}, {"| updated ", 300}},
      {{"like ", 100}, {"loading ...", 100}},
      {{"by A, ", 100}, {"B - ", 300}},
      {{"by A B C D ", 100}, {"- jan 1, 2024 ", 300}},
      {{"posted jan 1, 2024 by ", 30}, {"AND ", 300}},
      {{"share ", 300}},
  };
  // The reproducer, 796 bytes: 83-98 s before the byline rules were rewritten.
  std::string by_and = "by ";
  for (int i = 0; i < 264; ++i) by_and += "AND";
  std::vector<std::string> blocks{by_and + "!"};
  for (const auto& layer : layers) {
    std::string block;
    for (const auto& [unit, span] : layer) {
      std::string part;
      while (part.size() + unit.size() <= span) part += unit;
      block += part;
    }
    blocks.push_back(repeated(block, "z", "!"));
  }
  return blocks;
}

TEST(PageCleanupLimits, NoBuiltInRuleBacktracksOnAdversarialBlocks) {
  const std::vector<FurnitureRule> rules = load_page_furniture("en");
  const std::vector<std::string> layered = layered_blocks();
  std::size_t tried = 0;
  for (const FurnitureRule& rule : rules) {
    const PageCleaner alone({rule}, kAdversarialSteps);
    std::vector<std::string> blocks = adversarial_blocks(rule);
    blocks.insert(blocks.end(), layered.begin(), layered.end());
    for (const std::string& block : blocks) {
      ASSERT_LE(block.size(), kBlockBytes + 1);
      CollectingDiagnostics diagnostics;
      alone.match(block, diagnostics);
      ++tried;
      EXPECT_TRUE(diagnostics.items().empty())
          << rule.source << ":" << rule.line << ": rule '" << rule.name << "' went over "
          << kAdversarialSteps << " steps on \"" << block.substr(0, 60) << "...\" (" << block.size()
          << " bytes)";
    }
  }
  EXPECT_GT(tried, 1000u);
}

TEST(PageCleanupLimits, CatastrophicRuleIsSkippedWithAWarningNamingIt) {
  const std::string path = std::string(NARRATOR_TEST_DATA_DIR) + "/furniture/backtracking.tsv";
  const std::vector<FurnitureRule> rules =
      parse_page_furniture(detail::read_file(path, "furniture rules"), path);
  ASSERT_EQ(rules.size(), 2u);
  const PageCleaner cleaner(rules);
  std::string by_and = "by ";
  for (int i = 0; i < 264; ++i) by_and += "AND";
  const std::string letters(790, 'a');
  CollectingDiagnostics diagnostics;
  ReadOptions options;
  options.keep_page_furniture = true;
  CollectingDiagnostics reading;  // the encoding note
  Article article =
      read_article(by_and + "!\n\n" + letters + ".\n\nSubscribe now!\n\nThe council met.\n",
                   "page.txt", options, reading);
  cleaner.clean(article, diagnostics);

  // old-byline gave up on the first block, nested-words then dropped it; nested-words gave up on
  // the run of letters, which is kept; "Subscribe now!" is dropped as the rule means.
  ASSERT_EQ(article.dropped.size(), 2u);
  EXPECT_EQ(article.dropped[0].rule, "nested-words");
  EXPECT_EQ(article.dropped[0].line, 1u);
  EXPECT_EQ(article.dropped[1].line, 5u);
  ASSERT_EQ(article.blocks.size(), 2u);
  EXPECT_EQ(article.text.substr(article.blocks[0].span.begin_byte, 3), "aaa");
  const std::vector<Diagnostic> items = diagnostics.items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].code, "input.furniture_rule_skipped");
  EXPECT_EQ(items[0].severity, Severity::kWarning);
  EXPECT_NE(items[0].message.find("page.txt:1: "), std::string::npos) << items[0].message;
  EXPECT_NE(items[0].message.find("'old-byline' (" + path + ":7)"), std::string::npos)
      << items[0].message;
  EXPECT_NE(items[1].message.find("page.txt:3: "), std::string::npos) << items[1].message;
  EXPECT_NE(items[1].message.find("'nested-words' (" + path + ":8)"), std::string::npos)
      << items[1].message;
  EXPECT_NE(items[1].message.find("U_REGEX_TIME_OUT"), std::string::npos) << items[1].message;
}

}  // namespace
}  // namespace narrator
