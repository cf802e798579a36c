// Every built-in table parses, is sorted (so diffs stay reviewable) and has no duplicate keys.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "narrator/lexicon/tsv_reader.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

std::vector<std::filesystem::path> data_tables() {
  std::vector<std::filesystem::path> tables;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(NARRATOR_LEXICON_DATA_DIR)) {
    if (entry.path().extension() == ".tsv") tables.push_back(entry.path());
  }
  return tables;
}

TEST(DataTables, EveryTableIsSortedWithUniqueKeysAndEmbeddedVerbatim) {
  const std::vector<std::filesystem::path> tables = data_tables();
  ASSERT_FALSE(tables.empty());
  for (const std::filesystem::path& path : tables) {
    SCOPED_TRACE(path.string());
    const std::string content = test::read_file(path);
    const std::vector<TsvRow> rows = parse_tsv(content, path.string(), TsvShape{1, 8});
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_TRUE(seen.insert(rows[i].fields[0]).second)
          << path.filename().string() << ":" << rows[i].line << ": duplicate key";
      if (i > 0) {
        EXPECT_LT(rows[i - 1].fields[0], rows[i].fields[0])
            << path.filename().string() << ":" << rows[i].line << ": not sorted";
      }
    }
    const std::string relative =
        std::filesystem::relative(path, NARRATOR_LEXICON_DATA_DIR).generic_string();
    const std::optional<std::string_view> embedded = builtin_data(relative);
    ASSERT_TRUE(embedded.has_value()) << relative << " is not embedded";
    EXPECT_EQ(*embedded, content) << relative << " embedded copy differs from the file";
  }
}

TEST(DataTables, EnglishSentenceRulesLoad) {
  const SentenceRules rules = load_sentence_rules("en");
  ASSERT_TRUE(rules.abbreviations.contains("Mr."));
  EXPECT_EQ(rules.abbreviations.at("Mr."), AbbreviationKind::kTitle);
  EXPECT_EQ(rules.abbreviations.at("U.S."), AbbreviationKind::kFinite);
  EXPECT_TRUE(rules.sentence_starters.contains("the"));
}

TEST(DataTables, UnknownLanguageIsAUsageError) { EXPECT_THROW(load_sentence_rules("xx"), Error); }

}  // namespace
}  // namespace narrator
