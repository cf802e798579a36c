// Every built-in table parses, is sorted (so diffs stay reviewable) and has no duplicate keys.
#include <gtest/gtest.h>

#include <filesystem>

#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/normalization_data.hpp"
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
    // Abbreviations list alternative readings of one written form on consecutive rows.
    const bool alternatives = path.filename() == "abbreviations.tsv";
    // Rule tables where the first matching row wins are in priority order instead.
    const bool by_priority = path.filename() == "page_furniture.tsv";
    for (std::size_t i = 1; i < rows.size() && !by_priority; ++i) {
      const std::string& previous = rows[i - 1].fields[0];
      const std::string& current = rows[i].fields[0];
      EXPECT_TRUE(alternatives ? previous <= current : previous < current)
          << path.filename().string() << ":" << rows[i].line
          << (previous == current ? ": duplicate key" : ": not sorted");
    }
    const std::string relative =
        std::filesystem::relative(path, NARRATOR_LEXICON_DATA_DIR).generic_string();
    const std::optional<std::string_view> embedded = builtin_data(relative);
    ASSERT_TRUE(embedded.has_value()) << relative << " is not embedded";
    EXPECT_EQ(*embedded, content) << relative << " embedded copy differs from the file";
  }
}

TEST(DataTables, EnglishNormalizationDataLoads) {
  const NormalizationData data = load_normalization_data("en");
  ASSERT_TRUE(data.units.contains("km"));
  EXPECT_EQ(data.units.at("km").plural, "kilometers");
  ASSERT_TRUE(data.currencies.contains("$"));
  EXPECT_EQ(data.currencies.at("$").minor_plural, "cents");
  ASSERT_TRUE(data.abbreviations.contains("St."));
  EXPECT_GE(data.abbreviations.at("St.").size(), 2u);  // saint and street
  EXPECT_TRUE(data.has_cue("since", NumberCue::kYearBefore));
  EXPECT_EQ(data.calendar.at("Sept.").value, 9);
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
