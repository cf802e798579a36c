// The name guesser: the golden tables tests/data/lexicon/guesser.tsv (names and the IPA guessed
// for them, English words it must leave alone) and guesser_forms.tsv (one name per stress rule in
// its news, Łacinka, national, Cyrillic and Russian spellings), the IPA it may write, and
// rule-file errors.
#include "narrator/lexicon/name_guesser.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "golden_table.hpp"
#include "guesser_rules_error.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/lexicon.hpp"
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
  // One guesser for every row: loading the rules took most of a row's time (16 s for the table
  // under AddressSanitizer). Its methods are const and it is immutable.
  static const NameGuesser& guesser() {
    static const NameGuesser shared;
    return shared;
  }
};

TEST_P(NameGuesserGolden, GuessesAsListed) {
  const test::GoldenRow& row = GetParam();
  const std::string where = row.file + ":" + std::to_string(row.line) + ": \"" + row.input + "\"";
  const std::optional<std::string> got = guesser().guess(row.input);
  if (row.expected == kNotGuessed) {
    EXPECT_FALSE(guesser().looks_belarusian(row.input)) << where << " looks Belarusian";
    EXPECT_EQ(got, std::nullopt) << where << " → got \"" << got.value_or("") << "\", want none";
  } else if (row.expected.starts_with(kForcedOnly)) {
    const std::string want = row.expected.substr(kForcedOnly.size());
    const std::optional<std::string> forced = guesser().guess(row.input, /*force=*/true);
    EXPECT_FALSE(guesser().looks_belarusian(row.input)) << where << " looks Belarusian";
    EXPECT_EQ(got, std::nullopt) << where << " guessed unforced";
    EXPECT_EQ(forced.value_or("(none)"), want)
        << where << " → got \"" << forced.value_or("(none)") << "\", want \"" << want << "\"";
  } else {
    EXPECT_TRUE(guesser().looks_belarusian(row.input)) << where << " does not look Belarusian";
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

// guesser_forms.tsv: input, expected IPA, the rule group (consecutive rows of one name).
struct FormRow {
  std::size_t line = 0;
  std::string input;
  std::string expected;
  std::string rule;
};

const std::vector<FormRow>& form_rows() {
  static const std::vector<FormRow> rows = [] {
    const std::filesystem::path path =
        std::filesystem::path(NARRATOR_TEST_DATA_DIR) / "lexicon" / "guesser_forms.tsv";
    std::vector<FormRow> parsed;
    for (const TsvRow& row : parse_tsv(test::read_file(path), path.string(), TsvShape{3, 3}))
      parsed.push_back(FormRow{row.line, row.fields[0], row.fields[1], row.fields[2]});
    return parsed;
  }();
  return rows;
}

bool has_cyrillic(const std::string& word) {
  // Cyrillic letters U+0400–U+04FF are encoded with a lead byte 0xD0–0xD3.
  return std::any_of(word.begin(), word.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0xD0 && byte <= 0xD3;
  });
}

// The stressed syllable of `ipa` (0 = first): the syllable nuclei before ˈ, as learn_stress eval
// counts them. A nucleus is a vowel with its length mark and the second half of a diphthong (aɪ,
// eɪ, ɔɪ, uːɪ, aʊ, oʊ); two vowels side by side otherwise are two syllables.
int stressed_syllable(const std::string& ipa) {
  static const std::vector<std::string> kVowels = {"a", "e", "i", "o", "u", "æ", "ɑ", "ɒ",
                                                   "ɔ", "ə", "ɛ", "ɪ", "ʊ", "ʌ", "ɜ"};
  static const std::set<std::pair<std::string, std::string>> kDiphthongs = {
      {"a", "ɪ"}, {"e", "ɪ"}, {"ɔ", "ɪ"}, {"u", "ɪ"}, {"a", "ʊ"}, {"o", "ʊ"}};
  int nuclei = 0;
  std::string previous;  // the last vowel of the nucleus being read, empty after a consonant
  const std::size_t end = ipa.find("ˈ");
  for (std::size_t pos = 0; pos < end;) {
    if (ipa.compare(pos, std::string_view("ː").size(), "ː") == 0) {
      pos += std::string_view("ː").size();
      continue;
    }
    const auto vowel = std::find_if(kVowels.begin(), kVowels.end(), [&](const std::string& v) {
      return ipa.compare(pos, v.size(), v) == 0;
    });
    if (vowel == kVowels.end()) {
      previous.clear();
      ++pos;
      continue;
    }
    if (!kDiphthongs.contains({previous, *vowel})) ++nuclei;
    previous = *vowel;
    pos += vowel->size();
  }
  return nuclei;
}

// Every spelling reads as listed: Latin through the guesser (forced: routing is another test's
// business), Cyrillic through the lexicon stack's transliteration to the guesser.
TEST(NameGuesserForms, EverySpellingReadsAsListed) {
  const NameGuesser guesser;
  const LexiconStack stack;
  ASSERT_GE(form_rows().size(), 40u);
  for (const FormRow& row : form_rows()) {
    const std::string where =
        "guesser_forms.tsv:" + std::to_string(row.line) + ": \"" + row.input + "\"";
    if (has_cyrillic(row.input)) {
      const std::optional<Pronunciation> got = stack.lookup(row.input);
      ASSERT_TRUE(got.has_value()) << where;
      EXPECT_EQ(got->source, "guesser") << where;
      EXPECT_EQ(got->ipa, row.expected) << where;
    } else {
      EXPECT_EQ(guesser.guess(row.input, /*force=*/true).value_or("(none)"), row.expected) << where;
    }
  }
}

// The spellings of one name (consecutive rows with the same rule) share its stressed syllable,
// and each group has a Latin and a Cyrillic spelling.
TEST(NameGuesserForms, SpellingsOfOneNameShareTheStress) {
  const std::vector<FormRow>& rows = form_rows();
  for (std::size_t first = 0; first < rows.size();) {
    std::size_t end = first;
    bool cyrillic = false;
    bool latin = false;
    while (end < rows.size() && rows[end].rule == rows[first].rule) {
      EXPECT_EQ(stressed_syllable(rows[end].expected), stressed_syllable(rows[first].expected))
          << "guesser_forms.tsv:" << rows[end].line << ": " << rows[end].input << " "
          << rows[end].expected << " vs " << rows[first].input << " " << rows[first].expected;
      (has_cyrillic(rows[end].input) ? cyrillic : latin) = true;
      ++end;
    }
    EXPECT_TRUE(cyrillic && latin) << "guesser_forms.tsv:" << rows[first].line << ": "
                                   << rows[first].rule << " needs a Latin and a Cyrillic row";
    first = end;
  }
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

// Spelling rows rewrite a word for the stress rules only: "kč" ends like "kch" for the stress rule
// and the learned table, while its letters still read as written; the weight of a stress rule
// counts only on the word as written.
TEST(NameGuesser, SpellingRowsFeedTheStressRulesOnly) {
  const std::string rules =
      "letter:a\tɑː|ə\t0\n"
      "letter:c\tts\t0\n"
      "letter:ch\ttʃ\t0\n"
      "letter:h\th\t0\n"
      "letter:k\tk\t0\n"
      "letter:č\ttʃ\t0\n"
      "spelling:č\tch\t0\n"
      "setting:min_score\t2\t0\n"
      "stress:#\t2\t0\n"
      "stress:achak#\t1\t2\n";
  const std::string learned =
      "latn:aka\t1\t5\t6\n"
      "default:any:3\t2\t9\t9\n";
  const NameGuesser plain(rules, "house_rules.tsv");
  EXPECT_EQ(plain.guess("kachak"), "kəˈtʃɑːk") << "the ending, as written, scores 2";
  EXPECT_EQ(plain.guess("kačak"), std::nullopt) << "the key's ending sets stress, not weight";
  EXPECT_EQ(plain.guess("kačak", /*force=*/true), "kəˈtʃɑːk") << "read as kachak";
  EXPECT_EQ(plain.guess("kacak", /*force=*/true), "ˈkɑːtsək") << "c is not č";
  const NameGuesser with_table(rules, "house_rules.tsv", learned, "learned.tsv");
  EXPECT_EQ(with_table.guess("kakaka", /*force=*/true), "kəkəˈkɑː") << "the learned -aka";
  EXPECT_EQ(with_table.guess("kakako", /*force=*/true), std::nullopt) << "no rule reads o";
  EXPECT_EQ(test::guesser_rules_error(rules_with("spelling:č\tч\t0"))
                .rfind("house_rules.tsv:4: the value", 0),
            0u);
}

// Learned rows by syllable count come before the ending's own row at the same length, and a
// longer ending before both; a sure row (10 names or more, 90% agreeing) outranks the weak e.
TEST(NameGuesser, LearnedRowsBySyllableCountAndSureRows) {
  const std::string rules =
      "letter:a\tɑː|ə\t0\n"
      "letter:e\tɛ|ə\t0\n"
      "letter:k\tk\t0\n"
      "letter:t\tt\t0\n"
      "anchor:e\tweak\t0\n"
      "setting:min_score\t2\t0\n"
      "stress:#\t2\t0\n";
  const std::string learned =
      "latn:ka\t2\t9\t9\n"
      "latn:ka:3\t3\t4\t5\n"
      "latn:taka\t1\t3\t3\n"
      "latn:ta\t1\t10\t11\n"
      "latn:ta:2\t2\t2\t2\n"
      "latn:at\t1\t9\t10\n";
  const NameGuesser guesser(rules, "house_rules.tsv", learned, "learned.tsv");
  EXPECT_EQ(guesser.guess("kaka", true), "ˈkɑːkə") << "latn:ka, two syllables";
  EXPECT_EQ(guesser.guess("kakaka", true), "ˈkɑːkəkə") << "latn:ka:3";
  EXPECT_EQ(guesser.guess("kakakaka", true), "kəkəˈkɑːkə") << "latn:ka, four syllables";
  EXPECT_EQ(guesser.guess("kataka", true), "kətəˈkɑː") << "the longer latn:taka first";
  EXPECT_EQ(guesser.guess("kata", true), "ˈkɑːtə") << "latn:ta:2 before latn:ta";
  EXPECT_EQ(guesser.guess("keta", true), "ˈkɛtə") << "latn:ta:2 agrees with the weak e";
  EXPECT_EQ(guesser.guess("kaketa", true), "kəkəˈtɑː") << "sure latn:ta (10 of 11) beats e";
  EXPECT_EQ(guesser.guess("kekat", true), "ˈkɛkət") << "latn:at (9 of 10) is not sure";
  const auto error = [&](const std::string& row) {
    try {
      const NameGuesser bad(rules, "house_rules.tsv", row, "learned.tsv");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_TRUE(error("latn:ka:6\t2\t3\t3\n").starts_with("learned.tsv:1: the syllable count"));
  EXPECT_TRUE(error("latn:ka:1\t2\t3\t3\n").starts_with("learned.tsv:1: the syllable count"));
  EXPECT_TRUE(error("latn:ka:\t2\t3\t3\n").starts_with("learned.tsv:1: the syllable count"));
  EXPECT_TRUE(error("latn:kA\t2\t3\t3\n").starts_with("learned.tsv:1: the suffix"));
  EXPECT_TRUE(error("latn:ka\t2\t3\t2\n").starts_with("learned.tsv:1: column 4"));
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
    const std::string what = test::guesser_rules_error(rules_with(row));
    EXPECT_TRUE(what.starts_with(message))
        << row << "\n  got:  " << what << "\n  want: " << message;
  }
}

TEST(NameGuesser, MissingDefaultStressIsAnError) {
  const std::string what =
      test::guesser_rules_error("letter:a\tɑː|ə\t0\nsetting:min_score\t2\t0\n");
  EXPECT_NE(what.find("house_rules.tsv: the rules need the default stress rule 'stress:#'"),
            std::string::npos)
      << what;
}

}  // namespace
}  // namespace narrator
