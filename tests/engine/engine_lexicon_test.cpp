// The lexicon stage with the real voice: a lexicon word is spoken with the lexicon's phonemes and
// stress, read back from eSpeak NG's phoneme trace.
#include <gtest/gtest.h>

#include <string>

#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/lexicon.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

const std::string kHouse = std::string(NARRATOR_TEST_DATA_DIR) + "/lexicon/house.tsv";

bool starts_vowel(std::string_view ipa, std::size_t at) {
  static const std::string_view kVowels[] = {"a", "e", "i", "o", "u", "æ", "ɑ", "ɒ", "ɔ",
                                             "ə", "ɛ", "ɜ", "ɪ", "ʊ", "ʌ", "ɐ", "ɨ", "ɚ"};
  for (const std::string_view vowel : kVowels) {
    if (ipa.substr(at).starts_with(vowel)) return true;
  }
  return false;
}

// The number of vowel nuclei before the primary stress mark: which syllable is stressed. eSpeak
// NG writes the mark just before the vowel and lexicons before the syllable; both count the same.
int stressed_syllable(std::string_view ipa) {
  int nuclei = 0;
  bool in_vowel = false;
  for (std::size_t at = 0; at < ipa.size();) {
    if (ipa.substr(at).starts_with("ˈ")) return nuclei;
    const bool vowel = starts_vowel(ipa, at);
    if (vowel && !in_vowel) ++nuclei;
    in_vowel = vowel || ipa.substr(at).starts_with("ː");
    at += (static_cast<unsigned char>(ipa[at]) & 0xE0) == 0xC0   ? 2
          : (static_cast<unsigned char>(ipa[at]) & 0xF0) == 0xE0 ? 3
                                                                 : 1;
  }
  return -1;
}

// The consonants in order, with r/ɹ and g/ɡ unified: the word's skeleton.
std::string consonants(std::string_view ipa) {
  std::string out;
  for (std::size_t at = 0; at < ipa.size(); ++at) {
    const std::string_view rest = ipa.substr(at);
    for (const std::string_view c : {"b", "d", "f", "h", "k", "l", "m", "n", "p", "s", "t", "v",
                                     "z", "ʃ", "ʒ", "x", "j", "w", "ŋ", "r", "ɹ", "g", "ɡ"}) {
      if (!rest.starts_with(c)) continue;
      out += c == "ɹ" ? "r" : c == "ɡ" ? "g" : std::string(c);
      at += c.size() - 1;
      break;
    }
  }
  return out;
}

TEST(EngineLexicon, LexiconWordsAreSpokenWithTheLexiconsPhonemesAndStress) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.lexicon_files = {kHouse};
  const Engine engine(config, diagnostics);
  const Lexicon house = Lexicon::load_file(kHouse);
  ASSERT_FALSE(house.entries().empty());
  for (const LexiconEntry& entry : house.entries()) {
    const WordPronunciation said = engine.pronounce(entry.grapheme);
    EXPECT_EQ(said.source, "lexicon:house") << entry.grapheme;
    EXPECT_EQ(stressed_syllable(said.ipa), stressed_syllable(entry.ipa))
        << entry.grapheme << ": said " << said.ipa << ", lexicon " << entry.ipa;
    EXPECT_EQ(consonants(said.ipa), consonants(entry.ipa))
        << entry.grapheme << ": said " << said.ipa << ", lexicon " << entry.ipa;
  }
}

TEST(EngineLexicon, WordsInNoLexiconAreReadByTheVoice) {
  NullDiagnostics diagnostics;
  const Engine engine(EngineConfig{}, diagnostics);
  const WordPronunciation said = engine.pronounce("station");
  EXPECT_EQ(said.source, "backend");
  EXPECT_NE(said.ipa.find("ˈ"), std::string::npos) << said.ipa;
  EXPECT_EQ(consonants(said.ipa), "stʃn") << said.ipa;
}

TEST(EngineLexicon, AnIpaSymbolTheVoiceCannotSayFailsAtLoadWithFileAndLine) {
  const test::TempDir dir;
  const std::string path = dir.file("bad.tsv");
  test::write_file(path, "# bad\nParis\tpaˈʁi\n");
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.lexicon_files = {path};
  try {
    const Engine engine(config, diagnostics);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_EQ(std::string(error.what()),
              path +
                  ":2: IPA symbol 'ʁ' in 'Paris' has no Flite mapping; write it with the "
                  "symbols of lexicon/data/phonemes/ipa_to_flite_us.tsv");
  }
}

}  // namespace
}  // namespace narrator
