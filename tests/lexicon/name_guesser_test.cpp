// The name guesser: the golden table tests/data/lexicon/guesser.tsv (names and the IPA guessed
// for them, English words it must leave alone), the IPA it may write, and rule-file errors.
#include "narrator/lexicon/name_guesser.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "golden_table.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/tsv_reader.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

// guesser.tsv's expected column: IPA for a name that looks Belarusian, "~IPA" for a name that
// does not look Belarusian (guessed only when forced), "-" for a word never guessed.
constexpr std::string_view kNotGuessed = "-";
constexpr std::string_view kForcedOnly = "~";

const std::vector<test::GoldenRow>& golden_rows() {
  static const std::vector<test::GoldenRow> rows = test::load_golden_table("lexicon/guesser.tsv");
  return rows;
}

// The IPA symbols the eSpeak backend can map (first column of phonemes/ipa_to_espeak_en.tsv).
std::set<std::string> phoneme_symbols() {
  const std::filesystem::path path =
      std::filesystem::path(NARRATOR_LEXICON_DATA_DIR) / "phonemes" / "ipa_to_espeak_en.tsv";
  std::set<std::string> symbols;
  for (const TsvRow& row : parse_tsv(test::read_file(path), path.string(), TsvShape{2, 3}))
    symbols.insert(row.fields[0]);
  return symbols;
}

// The part of `ipa` that no symbol covers (longest match first, as the backend reads it).
std::string unknown_symbols(const std::string& ipa, const std::set<std::string>& symbols) {
  std::size_t longest = 0;
  for (const std::string& symbol : symbols) longest = std::max(longest, symbol.size());
  for (std::size_t pos = 0; pos < ipa.size();) {
    std::size_t length = std::min(longest, ipa.size() - pos);
    while (length > 0 && !symbols.contains(ipa.substr(pos, length))) --length;
    if (length == 0) return ipa.substr(pos);
    pos += length;
  }
  return {};
}

std::size_t count_of(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (std::size_t pos = text.find(part); pos != std::string::npos;
       pos = text.find(part, pos + part.size())) {
    ++count;
  }
  return count;
}

class NameGuesserGolden : public ::testing::TestWithParam<test::GoldenRow> {
 protected:
  const NameGuesser guesser_;
};

TEST_P(NameGuesserGolden, GuessesAsListed) {
  const test::GoldenRow& row = GetParam();
  const std::string where = row.file + ":" + std::to_string(row.line) + ": \"" + row.input + "\"";
  const std::optional<std::string> got = guesser_.guess(row.input);
  if (row.expected == kNotGuessed) {
    EXPECT_FALSE(guesser_.looks_belarusian(row.input)) << where << " looks Belarusian";
    EXPECT_EQ(got, std::nullopt) << where << " → got \"" << got.value_or("") << "\", want none";
  } else if (row.expected.starts_with(kForcedOnly)) {
    const std::string want = row.expected.substr(kForcedOnly.size());
    const std::optional<std::string> forced = guesser_.guess(row.input, /*force=*/true);
    EXPECT_FALSE(guesser_.looks_belarusian(row.input)) << where << " looks Belarusian";
    EXPECT_EQ(got, std::nullopt) << where << " guessed unforced";
    EXPECT_EQ(forced.value_or("(none)"), want)
        << where << " → got \"" << forced.value_or("(none)") << "\", want \"" << want << "\"";
  } else {
    EXPECT_TRUE(guesser_.looks_belarusian(row.input)) << where << " does not look Belarusian";
    EXPECT_EQ(got.value_or("(none)"), row.expected)
        << where << " → got \"" << got.value_or("(none)") << "\", want \"" << row.expected << "\"";
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, NameGuesserGolden, ::testing::ValuesIn(golden_rows()),
                         test::golden_row_name);

// Forced, every word of the table (English ones too) reads as one primary stress, at most one
// secondary stress before it, and symbols the eSpeak backend can map, so a guess can never fail
// at synthesis.
TEST(NameGuesser, EveryGuessHasOneStressAndOnlyKnownSymbols) {
  const NameGuesser guesser;
  const std::set<std::string> symbols = phoneme_symbols();
  ASSERT_TRUE(symbols.contains("ˈ"));
  for (const test::GoldenRow& row : golden_rows()) {
    const std::optional<std::string> ipa = guesser.guess(row.input, /*force=*/true);
    ASSERT_TRUE(ipa.has_value()) << row.file << ":" << row.line << ": \"" << row.input << "\"";
    EXPECT_EQ(count_of(*ipa, "ˈ"), 1u) << row.input << " → " << *ipa;
    EXPECT_LE(count_of(*ipa, "ˌ"), 1u) << row.input << " → " << *ipa;
    const std::size_t secondary = ipa->find("ˌ");
    if (secondary != std::string::npos) {
      EXPECT_LT(secondary, ipa->find("ˈ")) << row.input << " → " << *ipa;
    }
    EXPECT_EQ(unknown_symbols(*ipa, symbols), "") << row.input << " → " << *ipa;
  }
}

TEST(NameGuesser, WordsItCannotReadAreNeverGuessed) {
  const NameGuesser guesser;
  for (const std::string_view word : {"", "R2-D2", "Lukashenka's", "Lukashenka\xe2\x80\x99s",
                                      "\xff\xfe", "Kh\xc5", "Zh", "Lukašenka\xcc\x8c", "'ya"}) {
    EXPECT_FALSE(guesser.looks_belarusian(word)) << word;
    EXPECT_EQ(guesser.guess(word, /*force=*/true), std::nullopt) << word;
  }
}

TEST(NameGuesser, CopiesGuessAlike) {
  const NameGuesser original;
  const NameGuesser copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.guess("Lukashenka"), original.guess("Lukashenka"));
  EXPECT_TRUE(copy.looks_belarusian("Tsikhanouskaya"));
}

// A minimal valid rule file, for the error tests to break one row at a time.
std::string rules_with(const std::string& extra_row) {
  return "# test rules\n"
         "letter:a\tɑː|ə\t0\n"
         "letter:k\tk\t1\n" +
         extra_row +
         "\n"
         "setting:min_score\t2\t0\n"
         "stress:#\t2\t0\n";
}

std::string error_of(const std::string& rules) {
  try {
    const NameGuesser guesser(rules, "house_rules.tsv");
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput) << error.what();
    return error.what();
  }
  return "(no error)";
}

TEST(NameGuesser, SmallRuleFileWorks) {
  const NameGuesser guesser(rules_with("marker:kk\t-\t1"), "house_rules.tsv");
  EXPECT_EQ(guesser.guess("kaka"), "ˈkɑːkə");
  EXPECT_EQ(guesser.guess("AKKAKA"), "əkˈkɑːkə") << "no onset rows: the cluster is split";
  EXPECT_EQ(guesser.guess("aaa"), std::nullopt) << "score 0 below min_score 2";
  EXPECT_EQ(guesser.guess("aaa", /*force=*/true), "əˈɑːə");
}

// Stress anchors, foreign signs, firm and soft endings, silent letters and the secondary stress,
// each on a small rule file: the vowels a (no anchor), o (native), e (weak), ё written "yo"
// (always), and "g" a foreign sign.
TEST(NameGuesser, AnchorsEndingsAndSecondaryStress) {
  const std::string rules =
      "letter:'/C_V\t-\t0\n"
      "letter:a\tɑː|ə|ə|æ\t0\n"
      "letter:e\tɛ|ɛ|ɛ|ɛ|ɪ\t0\n"
      "letter:g\tɡ\t0\n"
      "letter:k\tk\t1\n"
      "letter:o\tɒ|ə|oʊ\t0\n"
      "letter:y\tɪ|ɪ\t0\n"
      "letter:yo\tjɒ|jə\t0\n"
      "anchor:e\tweak\t0\n"
      "anchor:o\tnative\t0\n"
      "anchor:yo\talways\t0\n"
      "foreign_sign:g\t-\t0\n"
      "setting:min_score\t2\t0\n"
      "setting:secondary_stress\t3\t0\n"
      "stress:#\t2\t0\n"
      "stress:kaka#\t1\t0\n"
      "stress:kak#\t~1\t0\n";
  const NameGuesser guesser(rules, "house_rules.tsv");
  EXPECT_EQ(guesser.guess("kokak"), "ˈkɒkək") << "the one native vowel beats a soft ending";
  EXPECT_EQ(guesser.guess("gokak"), "ɡəˈkɑːk") << "a foreign sign: the ending decides";
  EXPECT_EQ(guesser.guess("kokoka"), "kəˈkɒkə") << "two native vowels: the default ending";
  EXPECT_EQ(guesser.guess("kekaka"), "ˌkɛkəˈkɑː") << "a firm ending beats the weak vowel";
  EXPECT_EQ(guesser.guess("kekak"), "ˈkɛkək") << "a soft ending yields to the weak vowel";
  EXPECT_EQ(guesser.guess("kakak"), "kəˈkɑːk") << "the soft ending, with no anchor";
  EXPECT_EQ(guesser.guess("gokyoka"), "ɡəˈkjɒkə") << "ё counts even in a foreign spelling";
  EXPECT_EQ(guesser.guess("kak'yoka"), "kəˈkjɒkə") << "a silent apostrophe before a vowel";
  EXPECT_EQ(guesser.guess("KAK’YOKA"), "kəˈkjɒkə") << "’ reads as '";
  EXPECT_EQ(guesser.guess("kak'ka"), std::nullopt) << "no rule for an apostrophe before k";
}

TEST(NameGuesser, MalformedRuleNamesFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"letter:e\tɛ|\t0", "house_rules.tsv:4: value 'ɛ|'"},
      {"letter:e\tɛ|ɛ|ɛ|ɛ|ɛ|ɛ\t0", "house_rules.tsv:4: value 'ɛ|ɛ|ɛ|ɛ|ɛ|ɛ'"},
      {"anchor:e\tstrong\t0", "house_rules.tsv:4: unknown value 'strong' in column 2"},
      {"anchor:Ce\tweak\t0", "house_rules.tsv:4: the letters before '/' must be letters only"},
      {"foreign_sign:g\t1\t0", "house_rules.tsv:4: the value of this kind is '-'"},
      {"stress:enka#\t~\t2", "house_rules.tsv:4: column 2: '~' is not a number"},
      {"setting:secondary_stress\t10\t0", "house_rules.tsv:4: column 2: '10' is not a number"},
      {"letter:E'\tɛ|ɛ\t0", "house_rules.tsv:4: 'E' in the pattern"},
      {"letter:e\tˈɛ|ɛ\t0", "house_rules.tsv:4: value 'ˈɛ|ɛ' has a stress mark"},
      {"letter:E\tɛ|ɛ\t0", "house_rules.tsv:4: 'E' in the pattern"},
      {"letter:e/a\tɛ|ɛ\t0", "house_rules.tsv:4: write a context"},
      {"letter:e/_#a\tɛ|ɛ\t0", "house_rules.tsv:4: '#' must be on the outer side"},
      {"marker:a#a\t-\t1", "house_rules.tsv:4: '#' may only begin or end"},
      {"letter:Ce\tɛ|ɛ\t0", "house_rules.tsv:4: the letters before '/' must be letters only"},
      {"lettre:e\tɛ|ɛ\t0", "house_rules.tsv:4: unknown value 'lettre'"},
      {"e\tɛ|ɛ\t0", "house_rules.tsv:4: key 'e' has no kind"},
      {"letter:e\tɛ|ɛ\tmany", "house_rules.tsv:4: column 3: 'many' is not a number"},
      {"letter:e\tɛ|ɛ", "house_rules.tsv:4: expected 3-4 tab-separated columns"},
      {"stress:enka\t2\t2", "house_rules.tsv:4: a stress pattern ends with '#'"},
      {"stress:enka#\t0\t2", "house_rules.tsv:4: column 2: '0' is not a number from 1 to 9"},
      {"marker:kh\t1\t1", "house_rules.tsv:4: the value of this kind is '-'"},
      {"onset:st\t-\t0", "house_rules.tsv:4: write an onset as IPA+IPA"},
      {"setting:max_score\t2\t0", "house_rules.tsv:4: unknown setting 'max_score'"},
      {"native_sign:ch\t-\t0", "house_rules.tsv:4: a native sign is one letter"},
      {"letter:a\tɑː|ə\t0", "house_rules.tsv:4: duplicate key 'letter:a'"},
  };
  for (const auto& [row, message] : cases) {
    const std::string what = error_of(rules_with(row));
    EXPECT_TRUE(what.starts_with(message))
        << row << "\n  got:  " << what << "\n  want: " << message;
  }
}

TEST(NameGuesser, MissingDefaultStressIsAnError) {
  const std::string what = error_of("letter:a\tɑː|ə\t0\nsetting:min_score\t2\t0\n");
  EXPECT_NE(what.find("house_rules.tsv: the rules need the default stress rule 'stress:#'"),
            std::string::npos)
      << what;
}

}  // namespace
}  // namespace narrator
