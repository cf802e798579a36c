// A guessed name reaches each voice backend with its guessed sounds: `narrate pronounce` shows the
// guesser as the source and the IPA read back from the phones the voice gets (eSpeak NG's own
// readback; for Flite, its phones converted back to IPA). The names are in no lexicon.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "process.hpp"

namespace narrator {
namespace {

struct GuessedName {
  std::string word;
  std::vector<std::string> sounds;  // parts the read-back IPA must hold
};

// Стоўбцы: the diphthong оў, б devoiced before ц. Мядзведзеў (Łacinka): е softens дз and в (j
// glides), the diphthong еў.
const std::vector<GuessedName> kNames = {
    {"Stoŭbcy", {"oʊpts"}},
    {"Miadzviedzieŭ", {"dzvj", "ɛdzjɛʊ"}},
};

class GuessedNameReachesTheVoice : public ::testing::TestWithParam<std::string> {};

TEST_P(GuessedNameReachesTheVoice, WithItsGuessedSounds) {
  std::vector<std::string> args = {"pronounce", "--voice", GetParam()};
  for (const GuessedName& name : kNames) args.push_back(name.word);
  const test::ProcessResult result = test::run_narrate(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::size_t line_begin = 0;
  for (const GuessedName& name : kNames) {
    const std::size_t line_end = result.out.find('\n', line_begin);
    ASSERT_NE(line_end, std::string::npos) << result.out;
    const std::string line = result.out.substr(line_begin, line_end - line_begin);
    line_begin = line_end + 1;
    EXPECT_TRUE(line.starts_with(name.word + "\t")) << line;
    EXPECT_TRUE(line.ends_with("\tguesser")) << line;
    for (const std::string& sound : name.sounds) {
      EXPECT_NE(line.find(sound), std::string::npos)
          << GetParam() << ": " << line << " lacks " << sound;
    }
  }
  EXPECT_EQ(line_begin, result.out.size()) << result.out;
}

INSTANTIATE_TEST_SUITE_P(Voices, GuessedNameReachesTheVoice, ::testing::Values("en-us", "rms"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param == "rms" ? std::string("FliteRms")
                                                      : std::string("EspeakEnUs");
                         });

}  // namespace
}  // namespace narrator
