// The guesser's sounds: voicing assimilation and final devoicing (voicing: rows) and their
// load-time errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "narrator/error.hpp"
#include "narrator/lexicon/name_guesser.hpp"

// A namespace of its own: the lexicon tests build as one unity source.
namespace narrator::sounds_test {
namespace {

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

std::string error_of(const std::string& rules) {
  try {
    const NameGuesser guesser(rules, "house_rules.tsv");
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput) << error.what();
    return error.what();
  }
  return "(no error)";
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
    const std::string what = error_of(voicing_rules(row));
    EXPECT_TRUE(what.starts_with(message)) << row << "  got:  " << what << "\n  want: " << message;
  }
}

}  // namespace
}  // namespace narrator::sounds_test
