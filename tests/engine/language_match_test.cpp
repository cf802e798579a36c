// Which voice reads a language tag, and which language a passage's script points to: the rules
// alone, without a voice.
#include "language_match.hpp"

#include <gtest/gtest.h>

#include "script_language.hpp"

namespace narrator {
namespace {

TEST(LanguageMatch, TheNarrationLanguageCoversItsOwnTagAndShorterOnes) {
  EXPECT_TRUE(language_covers("en-US", "en-us"));
  EXPECT_TRUE(language_covers("en", "en-us"));
  EXPECT_TRUE(language_covers("en_GB", "en-gb-scotland"));
  EXPECT_FALSE(language_covers("en-GB", "en-us"));
  EXPECT_FALSE(language_covers("e", "en-us"));
  EXPECT_FALSE(language_covers("en-us-nyc", "en-us"));
}

TEST(LanguageMatch, TheClosestVoiceListsTheTagOrItsShorterPrefixesLowestPriorityFirst) {
  const std::vector<SpokenLanguage> spoken = {
      {0, "en-gb", 2}, {0, "en", 2},    {1, "en-us", 2}, {1, "en", 3}, {2, "fr-fr", 5},
      {2, "fr", 5},    {3, "fr-be", 5}, {3, "fr", 8},    {4, "de", 5}, {5, "en-gb-scotland", 5}};
  EXPECT_EQ(closest_voice("fr-FR", spoken), 2u);
  EXPECT_EQ(closest_voice("fr-CA", spoken), 2u);  // "fr": priority 5 beats 8
  EXPECT_EQ(closest_voice("en-GB", spoken), 0u);  // not the Scottish voice
  EXPECT_EQ(closest_voice("en", spoken), 0u);
  EXPECT_EQ(closest_voice("EN-us", spoken), 1u);
  EXPECT_EQ(closest_voice("de-AT", spoken), 4u);
  EXPECT_EQ(closest_voice("xx-nowhere", spoken), std::nullopt);
  EXPECT_EQ(closest_voice("", spoken), std::nullopt);
}

TEST(ScriptLanguage, ALanguageIsGuessedFromTheScriptOfMostLetters) {
  const ScriptLanguages scripts;
  const auto language = [&](std::string_view text) {
    const std::optional<ScriptGuess> guess = scripts.language_of(text);
    return guess ? guess->language : std::string("-");
  };
  EXPECT_EQ(language("Аляксандр Лукашэнка сустрэўся з міністрам."), "be");
  EXPECT_EQ(language("Президент встретился с министром."), "ru");
  EXPECT_EQ(language("Київ є столицею України."), "uk");
  EXPECT_EQ(language("Η Αθήνα είναι η πρωτεύουσα."), "el");
  EXPECT_EQ(language("The word Минск is Russian."), "-");  // mostly Latin
  EXPECT_EQ(language("Café Žižek, 2024."), "-");
  EXPECT_EQ(language("1, 2, 3."), "-");
  const std::optional<ScriptGuess> greek = scripts.language_of("Αθήνα");
  ASSERT_TRUE(greek.has_value());
  EXPECT_EQ(greek->script, "Greek");
}

}  // namespace
}  // namespace narrator
