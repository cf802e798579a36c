// Lexicon files (TSV and PLS), their errors, and lookup through the layers.
#include "narrator/lexicon/lexicon.hpp"

#include <gtest/gtest.h>

#include "golden_table.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

const std::string kData = NARRATOR_TEST_DATA_DIR;

const LexiconStack& house_stack() {
  static const LexiconStack stack({kData + "/lexicon/house.tsv", kData + "/lexicon/newsroom.pls"});
  return stack;
}

std::string describe(const std::optional<Pronunciation>& found) {
  if (!found) return "-";
  return (found->ipa.empty() ? "alias:" + found->alias : found->ipa) + " | " + found->source;
}

class LookupTable : public ::testing::TestWithParam<test::GoldenRow> {};

TEST_P(LookupTable, FindsThePronunciationAndItsLayer) {
  const test::GoldenRow& row = GetParam();
  EXPECT_EQ(describe(house_stack().lookup(row.input)), row.expected)
      << row.file << ":" << row.line << ": \"" << row.input << "\"";
}

INSTANTIATE_TEST_SUITE_P(House, LookupTable,
                         ::testing::ValuesIn(test::load_golden_table("lexicon/lookup.tsv")),
                         test::golden_row_name);

std::string error_of(const std::function<void()>& load) {
  try {
    load();
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    return error.what();
  }
  return "no error";
}

TEST(LexiconErrors, NameTheFileAndLine) {
  EXPECT_EQ(error_of([] { Lexicon::from_tsv("# c\nMinsk\tmɪnsk\n", "t", "t.tsv"); }),
            "t.tsv:2: the IPA for 'Minsk' has no primary stress mark; add ˈ before the stressed "
            "syllable");
  EXPECT_EQ(error_of([] { Lexicon::from_tsv("Minsk\tˈmɪnsk\nMinsk\tˈmɪnsək\n", "t", "t.tsv"); }),
            "t.tsv:2: 'Minsk' is already on line 1 with another pronunciation; keep one of them");
  EXPECT_NE(error_of([] { Lexicon::from_tsv("Minsk\n", "t", "t.tsv"); }).find("t.tsv:1:"),
            std::string::npos);
  EXPECT_EQ(error_of([] { Lexicon::from_pls("<lexicon alphabet=\"x-sampa\"/>", "p", "p.pls"); }),
            "p.pls:1: alphabet \"x-sampa\" is not supported; write the phonemes in IPA "
            "(alphabet=\"ipa\")");
  EXPECT_NE(error_of([] {
              Lexicon::from_pls("<lexicon alphabet=\"ipa\">\n<lexeme>\n<grapheme>A</grapheme>\n",
                                "p", "p.pls");
            }).find("p.pls:"),
            std::string::npos);
  EXPECT_EQ(error_of([] {
              Lexicon::from_pls(
                  "<lexicon alphabet=\"ipa\">\n<lexeme>\n<grapheme>Ales</grapheme>\n</lexeme>\n"
                  "</lexicon>",
                  "p", "p.pls");
            }),
            "p.pls:2: 'Ales' has neither a <phoneme> nor an <alias>; add its pronunciation in IPA "
            "as a <phoneme>");
  EXPECT_EQ(error_of([] { Lexicon::load_file(kData + "/lexicon/missing.tsv"); }),
            kData +
                "/lexicon/missing.tsv: cannot open the lexicon: No such file or directory; check "
                "the path and its permissions");
}

// An entity bomb fails as bad XML at its line; nothing is expanded.
TEST(LexiconErrors, EntityBombsAreRejectedWithTheLine) {
  const std::string bomb =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lexicon [<!ENTITY a \"aaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
      "<lexicon alphabet=\"ipa\"><lexeme><grapheme>&c;</grapheme><phoneme>ˈa</phoneme></lexeme>"
      "</lexicon>";
  const std::string message = error_of([&] { Lexicon::from_pls(bomb, "bomb", "bomb.pls"); });
  EXPECT_EQ(message.rfind("bomb.pls:3: ", 0), 0u) << message;
  EXPECT_TRUE(message.ends_with("; fix the XML")) << message;
}

TEST(LexiconCheck, CollectsEveryProblemWithItsLine) {
  const test::TempDir dir;
  const std::string path = dir.file("check.tsv");
  test::write_file(path,
                   "Minsk\tmɪnsk\nHrodna\tˈhrɒdnə\nHrodna\tˈhrɒdnə\nBrest\tˈbrɛst\n"
                   "Brest\tˈbrɛsət\n");
  std::vector<std::string> problems;
  const Lexicon lexicon = Lexicon::check_file(path, problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].rfind(path + ":1: the IPA for 'Minsk' has no primary stress", 0), 0u);
  EXPECT_EQ(problems[1], path + ":3: 'Hrodna' duplicates line 2; remove one");
  EXPECT_EQ(problems[2].rfind(path + ":5: 'Brest' is already on line 4", 0), 0u);
  EXPECT_EQ(lexicon.entries().size(), 3u);
}

// A malformed row or lexeme is one problem among the others, not the end of the check.
TEST(LexiconCheck, GoesOnPastMalformedRowsAndLexemes) {
  const test::TempDir dir;
  const std::string tsv = dir.file("rows.tsv");
  test::write_file(tsv,
                   "Gomel\n\tˈbrɛst\nVitebsk\t\tnote\nMinsk\tmɪnsk\nA\tˈa\tb\tc\td\nLida\tˈlidə\n");
  std::vector<std::string> problems;
  const Lexicon lexicon = Lexicon::check_file(tsv, problems);
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(problems[0], tsv +
                             ":1: expected 2-4 tab-separated columns, found 1; separate columns "
                             "with one TAB character");
  EXPECT_EQ(problems[1], tsv +
                             ":2: the first column is empty; every row needs a key: write the "
                             "word first");
  EXPECT_EQ(problems[2], tsv +
                             ":3: the IPA column of 'Vitebsk' is empty; write its "
                             "pronunciation in IPA in the second column");
  EXPECT_EQ(problems[3].rfind(tsv + ":4: the IPA for 'Minsk' has no primary stress", 0), 0u);
  EXPECT_EQ(problems[4].rfind(tsv + ":5: expected 2-4 tab-separated columns, found 5", 0), 0u);
  EXPECT_EQ(lexicon.entries().size(), 2u);  // Minsk (a warning only) and Lida

  const std::string pls = dir.file("lexemes.pls");
  test::write_file(pls,
                   "<lexicon alphabet=\"ipa\">\n<lexeme><phoneme>ˈa</phoneme></lexeme>\n"
                   "<lexeme><grapheme>Ales</grapheme></lexeme>\n"
                   "<lexeme><grapheme>Lida</grapheme><phoneme>ˈlidə</phoneme></lexeme>\n"
                   "</lexicon>\n");
  problems.clear();
  const Lexicon read = Lexicon::check_file(pls, problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], pls +
                             ":2: a <lexeme> without a <grapheme>; add the word it is for, or "
                             "remove the lexeme");
  EXPECT_EQ(problems[1].rfind(pls + ":3: 'Ales' has neither a <phoneme> nor an <alias>", 0), 0u);
  EXPECT_EQ(read.entries().size(), 1u);
  // Loading for a narration stops with the first, and says how many more there are.
  const std::string loading = error_of([&] { Lexicon::load_file(tsv); });
  EXPECT_EQ(loading.rfind(tsv + ":1: expected 2-4", 0), 0u) << loading;
  EXPECT_TRUE(loading.ends_with(" (and 4 more problems; 'narrate lexicon check " + tsv +
                                "' lists them all)"))
      << loading;
}

// eSpeak's phoneme brackets in an alias or a grapheme would reach the voice as raw phonemes, past
// the IPA checks; a control character would act on the terminal that shows a message. Both are
// refused with file:line, the text shown with the control character escaped.
TEST(LexiconErrors, PhonemeBracketsAndControlCharactersAreRefused) {
  const auto pls = [](const std::string& lexeme) {
    return "<lexicon alphabet=\"ipa\">\n" + lexeme + "\n</lexicon>";
  };
  EXPECT_EQ(error_of([&] {
              Lexicon::from_pls(pls("<lexeme><grapheme>Hello</grapheme><alias>[[h@l'oU]]</alias>"
                                    "</lexeme>"),
                                "p", "p.pls");
            }),
            "p.pls:2: the alias of 'Hello' holds eSpeak phoneme brackets (\"[[h@l'oU]]\"), which "
            "would reach the voice as raw phonemes; write the pronunciation in IPA (a <phoneme>, "
            "or the IPA column) and an alias as plain words");
  EXPECT_NE(error_of([&] {
              Lexicon::from_pls(pls("<lexeme><grapheme>[[x]]</grapheme><phoneme>ˈa</phoneme>"
                                    "</lexeme>"),
                                "p", "p.pls");
            }).find("p.pls:2: the grapheme '[[x]]' holds eSpeak phoneme brackets"),
            std::string::npos);
  EXPECT_EQ(error_of([] { Lexicon::from_tsv("Hala\tˈh\aala\n", "t", "t.tsv"); }),
            "t.tsv:1: the IPA for 'Hala' holds a control character (\"ˈh<U+0007>ala\"); remove it");
  EXPECT_EQ(error_of([] { Lexicon::from_tsv("Ha\x1b[31mla\tˈhala\n", "t", "t.tsv"); }),
            "t.tsv:1: the grapheme 'Ha<U+001B>[31mla' holds a control character "
            "(\"Ha<U+001B>[31mla\"); remove it");
  EXPECT_NE(
      error_of([&] {
        Lexicon::from_pls(pls("<lexeme><grapheme>W3C</grapheme><alias>World\xC2\x85Wide"
                              "</alias></lexeme>"),
                          "p", "p.pls");
      }).find("p.pls:2: the alias of 'W3C' holds a control character (\"World<U+0085>Wide\")"),
      std::string::npos);
  // Brackets in IPA are the IPA check's to report (no symbol table has them).
  EXPECT_EQ(error_of([] { Lexicon::from_tsv("Hala\t[[h'ala]]\n", "t", "t.tsv"); }),
            "t.tsv:1: the IPA for 'Hala' has no primary stress mark; add ˈ before the stressed "
            "syllable");
}

TEST(LexiconCheck, ReportsBracketsAndControlCharactersAndLeavesTheEntriesOut) {
  const test::TempDir dir;
  const std::string path = dir.file("check.pls");
  test::write_file(path,
                   "<lexicon alphabet=\"ipa\">\n"
                   "<lexeme><grapheme>Hello</grapheme><alias>[[h@l'oU]]</alias></lexeme>\n"
                   "<lexeme><grapheme>Hala</grapheme><phoneme>ˈh\xC2\x9B"
                   "ala</phoneme></lexeme>\n"
                   "<lexeme><grapheme>Brest</grapheme><phoneme>ˈbrɛst</phoneme></lexeme>\n"
                   "</lexicon>\n");
  std::vector<std::string> problems;
  const Lexicon lexicon = Lexicon::check_file(path, problems);
  ASSERT_EQ(problems.size(), 2u);
  // In line order, though the PLS reader adds aliases last.
  EXPECT_EQ(problems[0].rfind(path + ":2: the alias of 'Hello' holds eSpeak phoneme brackets", 0),
            0u)
      << problems[0];
  EXPECT_EQ(problems[1].rfind(path + ":3: the IPA for 'Hala' holds a control character "
                                     "(\"ˈh<U+009B>ala\")",
                              0),
            0u)
      << problems[1];
  ASSERT_EQ(lexicon.entries().size(), 1u);
  EXPECT_EQ(lexicon.entries()[0].grapheme, "Brest");
}

TEST(LexiconFolding, IgnoresCaseAndDiacritics) {
  EXPECT_EQ(fold_for_lookup("Białacki"), "bialacki");
  EXPECT_EQ(fold_for_lookup("Cichanoŭskaja"), "cichanouskaja");
  EXPECT_EQ(fold_for_lookup("ŁUKAŠENKA"), "lukasenka");
  EXPECT_EQ(fold_for_lookup("Minsk"), "minsk");
}

TEST(LexiconTransliteration, ReadsBelarusianAndRussianCyrillic) {
  EXPECT_EQ(transliterate_cyrillic("Лукашэнка").value_or(""), "Lukashenka");
  EXPECT_EQ(transliterate_cyrillic("Гродна").value_or(""), "Hrodna");  // г is h in Belarusian
  EXPECT_EQ(transliterate_cyrillic("Щучин").value_or("").empty(), false);
  EXPECT_FALSE(transliterate_cyrillic("Minsk").has_value());
}

}  // namespace
}  // namespace narrator
