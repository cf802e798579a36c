// The guesser's sounds: voicing assimilation and final devoicing (voicing: rows), their load-time
// errors, and that every IPA symbol the guesser's rules can write maps in both voice backends'
// tables (phonemes/ipa_to_espeak_en.tsv and phonemes/ipa_to_flite_us.tsv).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "guesser_rules_error.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/name_guesser.hpp"
#include "narrator/lexicon/tsv_reader.hpp"
#include "temp_dir.hpp"

// A namespace of its own: the lexicon tests build as one unity source.
namespace narrator::sounds_test {
namespace {

const std::filesystem::path kData = NARRATOR_LEXICON_DATA_DIR;

// A small rule file: vowels a and o, the consonants b d k p s t v z and the voicing pairs b/p,
// d/t, z/s (full) and v/f (devoice: в voices nothing before it).
std::string voicing_rules(const std::string& extra_row = "") {
  return "letter:a\tɑː|ə\t0\n"
         "letter:b\tb\t0\n"
         "letter:d\td\t0\n"
         "letter:k\tk\t0\n"
         "letter:o\tɒ|ə\t0\n"
         "letter:p\tp\t0\n"
         "letter:s\ts\t0\n"
         "letter:t\tt\t0\n"
         "letter:v\tv\t0\n"
         "letter:z\tz\t0\n"
         "setting:min_score\t0\t0\n"
         "stress:#\t2\t0\n"
         "voicing:b+p\tfull\t0\n"
         "voicing:d+t\tfull\t0\n"
         "voicing:v+f\tdevoice\t0\n"
         "voicing:z+s\tfull\t0\n" +
         extra_row;
}

TEST(GuesserSounds, VoicingAssimilationAndFinalDevoicing) {
  const NameGuesser guesser(voicing_rules(), "house_rules.tsv");
  EXPECT_EQ(guesser.guess("kabak"), "ˈkɑːbək") << "b between vowels stays voiced";
  EXPECT_EQ(guesser.guess("kaboz"), "ˈkɑːbəs") << "a final voiced consonant is devoiced";
  EXPECT_EQ(guesser.guess("kabtak"), "ˈkɑːptək") << "devoiced before a voiceless one";
  EXPECT_EQ(guesser.guess("kasbak"), "ˈkɑːzbək") << "voiced before a voiced one";
  EXPECT_EQ(guesser.guess("kabazd"), "ˈkɑːbəst") << "a final cluster takes its last voicing";
  EXPECT_EQ(guesser.guess("katzdak"), "ˈkɑːdzdək") << "a cluster before a voiced one";
  EXPECT_EQ(guesser.guess("kasvak"), "ˈkɑːsvək") << "v, a devoice-only pair, voices nothing";
  EXPECT_EQ(guesser.guess("kavtak"), "ˈkɑːftək") << "v itself is devoiced";
  EXPECT_EQ(guesser.guess("kabav"), "ˈkɑːbəf");
}

TEST(GuesserSounds, WithoutVoicingRowsNothingChanges) {
  const std::string rules =
      "letter:a\tɑː|ə\t0\nletter:b\tb\t0\nletter:k\tk\t0\nletter:t\tt\t0\n"
      "setting:min_score\t0\t0\nstress:#\t2\t0\n";
  const NameGuesser guesser(rules, "house_rules.tsv");
  EXPECT_EQ(guesser.guess("kabtab"), "ˈkɑːbtəb");
}

TEST(GuesserSounds, MalformedVoicingRowNamesFileLineAndFix) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"voicing:g\tfull\t0\n",
       "house_rules.tsv:17: write a voicing pair as VOICED+VOICELESS, two different consonants "
       "in IPA, for example voicing:b+p"},
      {"voicing:g+\tfull\t0\n", "house_rules.tsv:17: write a voicing pair as VOICED+VOICELESS"},
      {"voicing:g+g\tfull\t0\n", "house_rules.tsv:17: write a voicing pair as VOICED+VOICELESS"},
      {"voicing:g+k x\tfull\t0\n", "house_rules.tsv:17: write a voicing pair as VOICED+VOICELESS"},
      {"voicing:ˈg+k\tfull\t0\n", "house_rules.tsv:17: write a voicing pair as VOICED+VOICELESS"},
      {"voicing:g+k\tsome\t0\n",
       "house_rules.tsv:17: unknown value 'some' in column 2; use one of 'full', 'devoice'"},
      {"voicing:b+f\tfull\t0\n",
       "house_rules.tsv:17: 'b' is already in the voicing pair on line 13; a consonant has one "
       "voicing partner"},
      {"voicing:ɡ+p\tfull\t0\n",
       "house_rules.tsv:17: 'p' is already in the voicing pair on line 13"},
  };
  for (const auto& [row, message] : cases) {
    const std::string what = test::guesser_rules_error(voicing_rules(row));
    EXPECT_TRUE(what.starts_with(message)) << row << "  got:  " << what << "\n  want: " << message;
  }
}

// ---------------------------------------------------------------------------------------------
// Every symbol the built-in rules can write, against both backends' tables.

using Table = std::map<std::string, std::string>;  // IPA symbol → the backend's phones

Table load_table(const std::string& name) {
  const std::filesystem::path path = kData / "phonemes" / name;
  Table table;
  for (const TsvRow& row : parse_tsv(test::read_file(path), path.string(), TsvShape{2, 3}))
    table.emplace(row.fields[0], row.fields[1]);
  return table;
}

// The symbols of `ipa` as the backends read it (longest match first), or the first part no
// symbol covers, after "unknown:".
std::vector<std::string> symbols_of(const std::string& ipa, const Table& table) {
  std::size_t longest = 0;
  for (const auto& [symbol, phones] : table) longest = std::max(longest, symbol.size());
  std::vector<std::string> symbols;
  for (std::size_t pos = 0; pos < ipa.size();) {
    std::size_t length = std::min(longest, ipa.size() - pos);
    while (length > 0 && !table.contains(ipa.substr(pos, length))) --length;
    if (length == 0) return {"unknown:" + ipa.substr(pos)};
    symbols.push_back(ipa.substr(pos, length));
    pos += length;
  }
  return symbols;
}

struct Written {
  std::string ipa;    // one consonant, one vowel form, or a member of a voicing pair
  std::string where;  // guesser_rules.tsv:LINE key
};

// What the rules' letter, native and voicing rows can write: each consonant of a consonant
// value, each vowel form, and both members of each voicing pair (what the voicing pass writes).
std::vector<Written> written_by_rules() {
  const std::filesystem::path path = kData / "names" / "guesser_rules.tsv";
  std::vector<Written> written;
  for (const TsvRow& row : parse_tsv(test::read_file(path), path.string(), TsvShape{3, 4})) {
    const std::string& key = row.fields[0];
    const std::string& value = row.fields[1];
    const std::string where = "guesser_rules.tsv:" + std::to_string(row.line) + " " + key;
    std::vector<std::string> parts;
    if (key.starts_with("letter:") || key.starts_with("native:")) {
      if (value == "-") continue;
      const char separator = value.find('|') != std::string::npos ? '|' : ' ';
      for (std::size_t start = 0, end = 0; end != std::string::npos; start = end + 1) {
        end = value.find(separator, start);
        parts.push_back(value.substr(start, end == std::string::npos ? end : end - start));
      }
    } else if (key.starts_with("voicing:")) {
      const std::string pair = key.substr(key.find(':') + 1);
      parts = {pair.substr(0, pair.find('+')), pair.substr(pair.find('+') + 1)};
    }
    for (const std::string& part : parts) written.push_back({part, where});
  }
  return written;
}

TEST(GuesserSounds, EverySymbolTheRulesWriteMapsInBothBackends) {
  const std::vector<Written> written = written_by_rules();
  ASSERT_GT(written.size(), 200u);
  for (const std::string table_name : {"ipa_to_espeak_en.tsv", "ipa_to_flite_us.tsv"}) {
    const Table table = load_table(table_name);
    // The guesser's stress marks, and every symbol its rules write.
    for (const std::string mark : {"ˈ", "ˌ"}) {
      EXPECT_TRUE(table.contains(mark)) << table_name << " has no stress mark " << mark;
    }
    for (const Written& item : written) {
      for (const std::string& symbol : symbols_of(item.ipa, table)) {
        EXPECT_FALSE(symbol.starts_with("unknown:"))
            << item.where << ": IPA symbol '" << symbol.substr(8) << "' (in '" << item.ipa
            << "') has no mapping in phonemes/" << table_name << "; add it there";
      }
    }
  }
}

// The guesser writes Belarusian trilled р as the symbol that both voices read as their own r, and
// the diphthongs as one symbol each (never a vowel + v or w).
TEST(GuesserSounds, TrilledRAndDiphthongsAreTheVoicesOwn) {
  const Table espeak = load_table("ipa_to_espeak_en.tsv");
  const Table flite = load_table("ipa_to_flite_us.tsv");
  const NameGuesser guesser;
  const std::optional<std::string> ipa = guesser.guess("Rahachou", /*force=*/true);
  ASSERT_TRUE(ipa.has_value());
  EXPECT_EQ(*ipa, "ˌræhəˈtʃoʊ");
  EXPECT_EQ(espeak.at("r"), "r");
  EXPECT_EQ(flite.at("r"), "r");
  for (const std::string diphthong : {"aʊ", "oʊ", "ɛʊ"}) {
    EXPECT_TRUE(espeak.contains(diphthong)) << diphthong;
    EXPECT_TRUE(flite.contains(diphthong)) << diphthong;
  }
  for (const std::string_view word :
       {"Bykau", "Shklou", "Andrejeŭ", "Myadzvyedzyew", "Liaŭki", "Jakaŭleŭ"}) {
    const std::string guessed = guesser.guess(word, /*force=*/true).value_or("");
    EXPECT_EQ(guessed.find('w'), std::string::npos) << word << " → " << guessed;
    EXPECT_EQ(guessed.find('v', guessed.size() - 1), std::string::npos) << word;
  }
  // Łacinka writes l before е soft (hard is ł): леў is ljɛʊ.
  EXPECT_NE(guesser.guess("Jakaŭleŭ").value_or("").find("ljɛʊ"), std::string::npos);
}

}  // namespace
}  // namespace narrator::sounds_test
