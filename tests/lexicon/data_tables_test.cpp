// Every built-in table parses, is sorted (so diffs stay reviewable) and has no duplicate keys.
#include <gtest/gtest.h>

#include <filesystem>

#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/name_weights.hpp"
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

TEST(DataTables, NumberWordsSyllableClustersAndPossessiveEndingsLoad) {
  const NormalizationData data = load_normalization_data("en");
  EXPECT_EQ(data.number_words.digits[7], "seven");
  ASSERT_GT(data.number_words.scales.size(), 6u);
  EXPECT_EQ(data.number_words.scales[6], "quintillion");
  EXPECT_EQ(data.number_words.operators.at("="), "equals");
  EXPECT_EQ(data.number_words.year_prefixes.at("mid"), "mid");
  EXPECT_TRUE(data.number_words.articles.contains("an"));
  EXPECT_TRUE(data.syllable_clusters.onsets.contains("str"));
  EXPECT_TRUE(data.syllable_clusters.codas.contains("st"));
  EXPECT_TRUE(data.syllable_clusters.onsets.contains("st"));
  EXPECT_TRUE(data.syllable_clusters.initial_vowel_pairs.contains("eu"));
  const PossessiveEndings endings = load_possessive_endings("en");
  ASSERT_FALSE(endings.empty());
  EXPECT_GE(endings.front().first.size(), endings.back().first.size());  // longest first
}

// What a bad row of the number-reading tables says: the file, the line and what is wrong.
TEST(DataTables, BadRowsOfTheNumberTablesNameTheirFileAndLine) {
  std::string digits;
  for (int digit = 0; digit <= 9; ++digit) digits += std::to_string(digit) + "\tdigit\tword\n";
  const auto message = [](const auto& parse) -> std::string {
    try {
      parse();
    } catch (const Error& error) {
      EXPECT_EQ(error.category(), ErrorCategory::kInput);
      return error.what();
    }
    return "no error";
  };
  const struct {
    std::string rows;
    std::string expected;
  } number_cases[] = {
      {"# header\n12\tdigit\ttwelve\n", "n.tsv:2: a digit row is written as one digit 0-9"},
      {"thousand\tscale\t4\n", "n.tsv:1: a scale's power is a multiple of 3"},
      {"thousand\tscale\n", "n.tsv:1: column 3 is empty"},
      {"\xC2\xBD\tvulgar_fraction\thalf\n", "n.tsv:1: 'half' is not a fraction like 1/2"},
      {"a\tarticle\na\tarticle\n", "n.tsv:2: duplicate entry 'a'"},
      {"a\tnoun\n", "n.tsv:1: unknown value 'noun' in column 2"},
      {"1\tdigit\tone\n", "n.tsv: no row for the digit 0; add one"},
  };
  for (const auto& number_case : number_cases) {
    const std::string text =
        message([&number_case] { parse_number_words(number_case.rows, "n.tsv"); });
    EXPECT_TRUE(text.starts_with(number_case.expected)) << text;
  }
  EXPECT_EQ(parse_number_words(digits + "million\tscale\t6\n", "n.tsv").scales[2], "million");
  EXPECT_TRUE(message([] {
                parse_syllable_clusters("st\tonset\nst\tcoda\n", "c.tsv");
              }).starts_with("c.tsv:2: duplicate entry 'st'"));
  EXPECT_TRUE(message([] {
                parse_syllable_clusters("St\tonset\n", "c.tsv");
              }).starts_with("c.tsv:1: 'St' is not lower-case letters a-z"));
  EXPECT_TRUE(message([] {
                parse_syllable_clusters("st\tmiddle\n", "c.tsv");
              }).starts_with("c.tsv:1: unknown value 'middle' in column 2"));
  EXPECT_TRUE(message([] {
                parse_possessive_endings("s\t\xC9\xAAz\ns\ts\n", "p.tsv");
              }).starts_with("p.tsv:2: duplicate entry 's'"));
}

TEST(DataTables, NameWeightsLoad) {
  const NameWeights weights = load_name_weights();
  const auto weight_of = [](const std::vector<NameWeight>& rows, std::string_view name) {
    for (const NameWeight& row : rows) {
      if (row.name == name) return row.weight;
    }
    return 0;
  };
  EXPECT_EQ(weight_of(weights.names, "article-body"), 2 * NameWeights::kOneNameWeight);
  EXPECT_EQ(weight_of(weights.names, "comment"), -2 * NameWeights::kOneNameWeight);
  EXPECT_EQ(weight_of(weights.names, "share"), -NameWeights::kOneNameWeight);
  EXPECT_EQ(weight_of(weights.roles, "main"), 2 * NameWeights::kOneNameWeight);
  EXPECT_EQ(weight_of(weights.roles, "navigation"), -2 * NameWeights::kOneNameWeight);
  EXPECT_EQ(weight_of(weights.itemprops, "articlebody"), 2 * NameWeights::kOneNameWeight);
  EXPECT_EQ(weight_of(weights.names, "main"), NameWeights::kOneNameWeight);  // a class, not role
}

// What a bad row of name_weights.tsv says: the file, the line and what is wrong; one case per
// kind of error.
std::string name_weights_error(const std::string& rows) {
  try {
    parse_name_weights(rows, "w.tsv");
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    return error.what();
  }
  return "no error";
}

TEST(DataTables, NameWeightRowWithTooFewOrTooManyColumns) {
  EXPECT_TRUE(name_weights_error("# header\nshare\n").starts_with("w.tsv:2: ")) << "one column";
  EXPECT_TRUE(name_weights_error("share\t-25\tnote\textra\n").starts_with("w.tsv:1: "));
}

TEST(DataTables, NameWeightRowWithANameThatIsNotLowerCase) {
  EXPECT_TRUE(name_weights_error("Share\t-25\n")
                  .starts_with("w.tsv:1: 'Share' is not a name: write a class or id name in "
                               "lower case"));
  EXPECT_TRUE(name_weights_error("a\t25\nshare bar\t-25\n").starts_with("w.tsv:2: 'share bar'"));
  EXPECT_TRUE(name_weights_error("role=\t25\n").starts_with("w.tsv:1: 'role=' is not a name"));
}

TEST(DataTables, NameWeightRowWithAWeightThatIsNotAWholeNumber) {
  EXPECT_TRUE(name_weights_error("share\t-2.5\n")
                  .starts_with("w.tsv:1: weight '-2.5' is not a whole number"));
  EXPECT_TRUE(name_weights_error("share\tlow\n").starts_with("w.tsv:1: weight 'low'"));
}

TEST(DataTables, NameWeightRowWithAWeightOutOfRange) {
  EXPECT_TRUE(name_weights_error("share\t-101\n")
                  .starts_with("w.tsv:1: weight -101 is out of range; use a whole number from "
                               "-100 to 100, not 0"));
  EXPECT_TRUE(name_weights_error("share\t0\n").starts_with("w.tsv:1: weight 0 is out of range"));
}

TEST(DataTables, NameWeightRowGivenTwice) {
  EXPECT_TRUE(name_weights_error("role=main\t50\nrole=main\t25\n")
                  .starts_with("w.tsv:2: duplicate entry 'role=main'"));
  const NameWeights weights = parse_name_weights("main\t25\nrole=main\t50\n", "w.tsv");
  EXPECT_EQ(weights.names.size(), 1u);  // a class name and a role of one spelling are two rows
  EXPECT_EQ(weights.roles.size(), 1u);
}

TEST(DataTables, UnknownLanguageIsAUsageError) { EXPECT_THROW(load_sentence_rules("xx"), Error); }

}  // namespace
}  // namespace narrator
