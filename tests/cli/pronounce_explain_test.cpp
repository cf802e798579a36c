// narrate pronounce --explain: the evidence for each word, on stdout.
#include <gtest/gtest.h>

#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

// The block of `out` that begins with the line "WORD<TAB>...", up to the next unindented line.
std::string block_of(const std::string& out, const std::string& word) {
  const std::size_t begin = out.find(word + "\t");
  if (begin == std::string::npos) return "";
  std::size_t end = out.find('\n', begin);
  while (end != std::string::npos && end + 1 < out.size() && out[end + 1] == ' ') {
    end = out.find('\n', end + 1);
  }
  return out.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

bool has(const std::string& block, const std::string& part) {
  return block.find(part) != std::string::npos;
}

TEST(PronounceExplain, NamesTheLayerTheRoutingAndTheRules) {
  const test::ProcessResult result =
      test::run_narrate({"pronounce", "--voice", "en-us", "--explain", "Lukashenka", "Parkhimovich",
                         "the village of Kreva", "Sandwich", "Alshany"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string& out = result.out;

  // A lexicon answer names its layer and file.
  const std::string lukashenka = block_of(out, "Lukashenka");
  EXPECT_TRUE(
      lukashenka.ends_with("\tlexicon:be_people\n  answered by: lexicon:be_people "
                           "(builtin:names/be_people.tsv)"))
      << lukashenka;

  // A guess: the routing score, the weights of the spelling, the hand-written stress row with its
  // note, and the letter rules with their IPA.
  const std::string parkhimovich = block_of(out, "Parkhimovich");
  EXPECT_TRUE(has(parkhimovich, "\tguesser\n  answered by: guesser\n")) << parkhimovich;
  EXPECT_TRUE(has(parkhimovich, ", needs 2: guesser (in no dictionary")) << parkhimovich;
  EXPECT_TRUE(has(parkhimovich, "    spelling    guesser_rules.tsv                 +4\n"))
      << parkhimovich;
  EXPECT_TRUE(has(parkhimovich, "    dictionary  wamerican: not listed\n")) << parkhimovich;
  EXPECT_TRUE(has(parkhimovich, "    dictionary  cmulex: not listed\n")) << parkhimovich;
  EXPECT_TRUE(has(parkhimovich, "    letter:kh                  +1")) << parkhimovich;
  EXPECT_TRUE(has(parkhimovich, "  stress: stress:vich#: syllable 2 from the end; -віч"))
      << parkhimovich;
  EXPECT_TRUE(has(parkhimovich, "    kh      letter:kh                 x\n")) << parkhimovich;
  EXPECT_TRUE(has(parkhimovich, "    o       letter:o/_vich#           oʊ|ə|oʊ|ɒ  (stressed)"))
      << parkhimovich;

  // Context: "village of" before a word with little evidence of its own.
  const std::string kreva = block_of(out, "Kreva");
  EXPECT_TRUE(has(kreva, "\tguesser\n")) << kreva;
  EXPECT_TRUE(has(kreva, "    context     cue_before:village of             +2\n")) << kreva;

  // A dictionary word stays with the voice; the list that holds it is named.
  const std::string sandwich = block_of(out, "Sandwich");
  EXPECT_TRUE(has(sandwich, "\tbackend\n  answered by: the voice's own rules\n")) << sandwich;
  EXPECT_TRUE(has(sandwich, ": voice (an English word; patterns and context do not count for it)"))
      << sandwich;
  EXPECT_TRUE(has(sandwich, "    dictionary  wamerican: listed\n")) << sandwich;

  // A weak pattern routes a word in no dictionary.
  const std::string alshany = block_of(out, "Alshany");
  EXPECT_TRUE(has(alshany, "    pattern     pattern:Cany#                     +2\n")) << alshany;
  EXPECT_TRUE(has(alshany, "\tguesser\n")) << alshany;
}

// The pronounce stage of a narration weighs the same context: a word with no evidence of its own
// goes to the guesser after "village of" or next to a name the lexicon lists, and not alone.
TEST(PronounceExplain, ANarrationRoutesOnSentenceContext) {
  const test::TempDir dir;
  const std::string path = dir.file("story.txt");
  test::write_file(path,
                   "Residents of the village of Kreva met Symon Budny.\n\nKreva and Symon.\n");
  const test::ProcessResult result = test::run_narrate({"script", "--explain", path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(has(result.out, ":1:29: 'Kreva' /")) << result.out;
  EXPECT_TRUE(has(result.out, ":1:39: 'Symon' /")) << result.out;
  EXPECT_FALSE(has(result.out, ":3:1: 'Kreva'")) << result.out;
  EXPECT_FALSE(has(result.out, ":3:11: 'Symon'")) << result.out;
}

}  // namespace
}  // namespace narrator
