// Routing: which capitalized words the name guesser gets, and which stay with the voice.
#include "narrator/lexicon/name_router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "narrator/lexicon/lexicon.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

const std::string kData = NARRATOR_TEST_DATA_DIR;

std::vector<TsvRow> table(const std::string& relative) {
  std::ifstream file(kData + "/" + relative);
  std::stringstream content;
  content << file.rdbuf();
  return parse_tsv(content.str(), relative, TsvShape{1, 3});
}

const LexiconStack& stack() {
  static const LexiconStack lexicons;
  return lexicons;
}

bool routed(std::string_view word, const RouteContext& context = {}) {
  const std::optional<Pronunciation> found = stack().lookup(word, nullptr, context);
  return found && found->source == "guesser";
}

TEST(NameRouter, EnglishWordsStayWithTheVoice) {
  ASSERT_TRUE(WordFile().available()) << "install wamerican (setup.sh)";
  for (const TsvRow& row : table("lexicon/routing_english.tsv")) {
    const std::string& word = row.fields[0];
    const RouteDecision decision = stack().router().route(word);
    EXPECT_FALSE(routed(word)) << "routing_english.tsv:" << row.line << ": " << word
                               << " went to the guesser (" << decision.reason << ")";
  }
}

// The measure of the false positives: every wamerican word, capitalized, without context. At
// most 0.5% may go to the guesser. Also prints what the evidence alone would send (without the
// dictionary check), to show the check's share.
TEST(RoutingMeasure, WamericanFalsePositives) {
  const auto words = std::make_shared<const WordFile>();
  ASSERT_TRUE(words->available()) << "install wamerican (setup.sh)";
  const NameRouter& router = stack().router();
  const int min_score = router.guesser().min_score();
  // Two halves on two threads (route() is const and thread-safe), so the measure stays short.
  struct Count {
    std::size_t to_guesser = 0;
    std::size_t without_dictionary = 0;
    std::vector<std::string> offenders;
  };
  const std::vector<std::string_view>& all = words->words();
  const auto count = [&](std::size_t begin, std::size_t end, Count& out) {
    for (std::size_t i = begin; i < end; ++i) {
      std::string capitalized(all[i]);
      if (capitalized[0] >= 'a' && capitalized[0] <= 'z') capitalized[0] -= 'a' - 'A';
      const RouteDecision decision = router.route(capitalized);
      if (decision.to_guesser) {
        ++out.to_guesser;
        if (out.offenders.size() < 12) out.offenders.push_back(capitalized);
      }
      const bool on_evidence = decision.spelling_score >= min_score ||
                               decision.spelling_score + decision.pattern_score >= 2;
      if (decision.readable && on_evidence) ++out.without_dictionary;
    }
  };
  std::array<Count, 2> halves;
  {
    std::jthread second(count, all.size() / 2, all.size(), std::ref(halves[1]));
    count(0, all.size() / 2, halves[0]);
  }
  const std::size_t total = all.size();
  const std::size_t to_guesser = halves[0].to_guesser + halves[1].to_guesser;
  const std::size_t without_dictionary =
      halves[0].without_dictionary + halves[1].without_dictionary;
  std::vector<std::string> offenders = halves[0].offenders;
  offenders.insert(offenders.end(), halves[1].offenders.begin(), halves[1].offenders.end());
  offenders.resize(std::min<std::size_t>(offenders.size(), 12));
  const double rate = 100.0 * static_cast<double>(to_guesser) / static_cast<double>(total);
  std::string first;
  for (const std::string& word : offenders) first += " " + word;
  std::printf("wamerican: %zu of %zu words routed to the guesser (%.2f%%); first:%s\n", to_guesser,
              total, rate, first.c_str());
  std::printf("without the dictionary check: %zu (%.2f%%)\n", without_dictionary,
              100.0 * static_cast<double>(without_dictionary) / static_cast<double>(total));
  EXPECT_LE(rate, 0.5);
}

// Recall on names no lexicon lists (tests/data/lexicon/routing_names.tsv): the share that goes
// to the guesser without context. Floor: what the rules reach, minus 2 points.
TEST(NameRouter, UnseenBelarusianNamesRoute) {
  std::size_t total = 0;
  std::size_t sent = 0;
  std::size_t by_spelling = 0;  // what the spelling score alone routes (the routing before)
  std::string missed;
  for (const TsvRow& row : table("lexicon/routing_names.tsv")) {
    const std::string& word = row.fields[0];
    ASSERT_EQ(stack().layer_of(word), nullptr) << word << " is in a lexicon: not unseen";
    ++total;
    if (stack().router().strong(word)) ++by_spelling;
    if (routed(word)) {
      ++sent;
    } else {
      missed += " " + word;
    }
  }
  const double share = 100.0 * static_cast<double>(sent) / static_cast<double>(total);
  std::printf("unseen names: %zu of %zu routed (%.1f%%; by spelling alone %zu); missed:%s\n", sent,
              total, share, by_spelling, missed.c_str());
  EXPECT_GE(share, 81.7);
}

TEST(NameRouter, ContextFromANeighbouringNameOrACue) {
  // Words ending in ',' carry a break after them.
  const auto context_of = [](std::vector<std::string_view> words, std::size_t index) {
    std::vector<LexiconStack::SentenceWord> sentence;
    for (const std::string_view word : words) {
      const bool comma = word.ends_with(',');
      sentence.push_back({comma ? word.substr(0, word.size() - 1) : word, comma});
    }
    return stack().sentence_context(sentence, nullptr)[index];
  };
  // No evidence of its own: stays with the voice alone, goes to the guesser next to a name the
  // lexicon lists, or after "village of".
  EXPECT_FALSE(routed("Symon"));
  const RouteContext beside_name = context_of({"Symon", "Budny", "wrote"}, 0);
  EXPECT_EQ(beside_name.weight, 2);
  EXPECT_EQ(beside_name.reason, "next to 'Budny' (lexicon:be_people)");
  EXPECT_TRUE(routed("Symon", beside_name));
  EXPECT_FALSE(routed("Kreva"));
  const RouteContext village = context_of({"the", "village", "of", "Kreva"}, 3);
  EXPECT_EQ(village.reason, "cue_before:village of");
  EXPECT_TRUE(routed("Kreva", village));
  // A neighbour that is strong by its spelling alone counts too ("Yazep Drazdovich" would, if the
  // lexicon did not list him).
  EXPECT_EQ(context_of({"Andrus", "Kalinouskaya"}, 0).reason,
            "next to 'Kalinouskaya' (its spelling)");
  // A weak cue alone is not enough for a word without evidence ...
  const RouteContext in = context_of({"in", "Volma"}, 1);
  EXPECT_EQ(in.weight, 1);
  EXPECT_FALSE(routed("Volma", in));
  // ... and context never takes an English word from the voice.
  EXPECT_FALSE(routed("Sandwich", context_of({"village", "of", "Sandwich"}, 2)));
  EXPECT_FALSE(routed("Lincoln", context_of({"Lincoln", "Lukashenka"}, 0)));
  EXPECT_FALSE(routed("London", context_of({"in", "London"}, 1)));
  // Punctuation breaks the context: a list of names, not one name.
  EXPECT_EQ(context_of({"Symon,", "Budny"}, 0).weight, 0);
  EXPECT_EQ(context_of({"Budny,", "Symon"}, 1).weight, 0);
  EXPECT_EQ(context_of({"village", "of,", "Kreva"}, 2).weight, 0);
  // A lower-case word gets no context.
  EXPECT_EQ(context_of({"village", "of", "kreva"}, 2).weight, 0);
}

TEST(NameRouter, DecisionNamesItsEvidence) {
  const RouteDecision alshany = stack().router().route("Alshany", {}, NameRouter::Detail::kExplain);
  EXPECT_TRUE(alshany.to_guesser);
  EXPECT_TRUE(alshany.dictionaries.empty());
  bool ending = false;
  for (const RouteEvidence& evidence : alshany.evidence) {
    ending = ending || (evidence.kind == "pattern" && evidence.detail == "pattern:Cany#");
  }
  EXPECT_TRUE(ending);
  const RouteDecision sandwich =
      stack().router().route("Sandwich", {}, NameRouter::Detail::kExplain);
  EXPECT_FALSE(sandwich.to_guesser);
  EXPECT_EQ(sandwich.dictionaries, std::vector<std::string>{"wamerican"});
  // A dictionary word whose spelling alone is strong still goes to the guesser.
  EXPECT_TRUE(stack().router().route("Lukashenka").to_guesser);
}

// The guesser's explanation names the rule that set the stress: an anchor row, a hand-written
// ending row, or a learned row with its counts; and the rule behind each letter group.
TEST(NameGuesserExplain, NamesTheStressRuleAndTheLetterRules) {
  const NameGuesser guesser;
  const GuessExplanation dziadok = guesser.explain("Dziadok");
  ASSERT_TRUE(dziadok.readable);
  EXPECT_EQ(dziadok.ipa, guesser.guess("Dziadok", /*force=*/true).value_or(""));
  EXPECT_EQ(dziadok.stress_rule, "anchor:o");
  EXPECT_TRUE(dziadok.stress_detail.starts_with("native: syllable 1 from the end"))
      << dziadok.stress_detail;
  ASSERT_FALSE(dziadok.sounds.empty());
  EXPECT_EQ(dziadok.sounds.front().letters, "dz");
  const auto stressed = std::find_if(dziadok.sounds.begin(), dziadok.sounds.end(),
                                     [](const GuessExplanation::Sound& s) { return s.stressed; });
  ASSERT_NE(stressed, dziadok.sounds.end());
  EXPECT_EQ(stressed->letters, "o");
  EXPECT_EQ(guesser.explain("Artsiom").stress_rule, "anchor:io");
  EXPECT_EQ(guesser.explain("Lukashenka").stress_rule, "stress:enka#");
  const GuessExplanation learned = guesser.explain("Alshany");
  EXPECT_TRUE(learned.stress_rule.starts_with("latn:")) << learned.stress_rule;
  EXPECT_NE(learned.stress_detail.find(" names"), std::string::npos) << learned.stress_detail;
  // The weights add up to the score looks_belarusian() compares.
  const GuessExplanation kalinouski = guesser.explain("Kalinouski");
  int sum = 0;
  for (const GuessExplanation::Weight& weight : kalinouski.weights) sum += weight.weight;
  EXPECT_EQ(sum, kalinouski.score);
  EXPECT_EQ(guesser.spelling_score("Kalinouski"), kalinouski.score);
  EXPECT_FALSE(guesser.explain("R2").readable);
}

TEST(NameRouter, AMissingWordListIsEmpty) {
  const WordFile missing("/nonexistent/words", "none");
  EXPECT_FALSE(missing.available());
  EXPECT_FALSE(missing.contains("sandwich"));
  EXPECT_TRUE(missing.words().empty());
}

// GrammarDB's lemmas (outside the repository; skipped without them), romanized the way news
// writes them: the share that routes without context. Floor: what the rules reach minus 2 points.
std::string romanize(std::u32string_view word) {
  static const std::map<char32_t, std::string> kLetters{
      {U'а', "a"},  {U'б', "b"},  {U'в', "v"},  {U'г', "h"},    {U'ґ', "g"}, {U'д', "d"},
      {U'ж', "zh"}, {U'з', "z"},  {U'і', "i"},  {U'и', "i"},    {U'й', "y"}, {U'к', "k"},
      {U'л', "l"},  {U'м', "m"},  {U'н', "n"},  {U'о', "o"},    {U'п', "p"}, {U'р', "r"},
      {U'с', "s"},  {U'т', "t"},  {U'у', "u"},  {U'ў', "u"},    {U'ф', "f"}, {U'х', "kh"},
      {U'ц', "ts"}, {U'ч', "ch"}, {U'ш', "sh"}, {U'щ', "shch"}, {U'ы', "y"}, {U'э', "e"},
      {U'ь', ""},   {U'ъ', ""},   {U'\'', ""},  {U'’', ""}};
  static const std::map<char32_t, char> kIotated{
      {U'е', 'e'}, {U'ё', 'o'}, {U'ю', 'u'}, {U'я', 'a'}};
  static const std::u32string kVowels = U"аеёіиоуыэюяў";
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char32_t letter = word[i];
    if (const auto iotated = kIotated.find(letter); iotated != kIotated.end()) {
      const bool after_consonant = i > 0 && kVowels.find(word[i - 1]) == std::u32string::npos &&
                                   word[i - 1] != U'ь' && word[i - 1] != U'\'' &&
                                   word[i - 1] != U'’';
      out += after_consonant ? 'i' : 'y';
      out += iotated->second;
      continue;
    }
    const auto found = kLetters.find(letter);
    if (found == kLetters.end()) return "";
    out += found->second;
  }
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] -= 'a' - 'A';
  return out;
}

// The code points of `utf8` (valid UTF-8).
std::u32string code_points(const std::string& utf8) {
  std::u32string out;
  for (std::size_t at = 0; at < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[at]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t i = 1; i < length && at + i < utf8.size(); ++i) {
      code = (code << 6) | (static_cast<unsigned char>(utf8[at + i]) & 0x3F);
    }
    at += length;
    out.push_back(code);
  }
  return out;
}

bool is_upper_cyrillic(char32_t code) {
  return (code >= 0x400 && code <= 0x42F) || code == U'Ў' || code == U'І';
}

char32_t lower_cyrillic(char32_t code) {
  if (code >= 0x410 && code <= 0x42F) return code + 0x20;
  if (code >= 0x400 && code <= 0x40F) return code + 0x50;
  if (code == U'Ў') return U'ў';
  return code;
}

TEST(RoutingMeasure, GrammarDbLemmasRoute) {
  const std::filesystem::path file = NARRATOR_GRAMMARDB_PROPER_NOUNS;
  if (file.empty() || !std::filesystem::exists(file)) GTEST_SKIP() << "GrammarDB not found";
  std::ifstream in(file);
  std::string line;
  std::size_t total = 0;
  std::size_t listed = 0;
  std::size_t sent = 0;
  std::size_t by_spelling = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string lemma = line.substr(0, line.find('\t'));
    std::erase(lemma, '+');
    if (lemma.find_first_of(" -.") != std::string::npos) continue;  // compounds
    std::u32string letters = code_points(lemma);
    // Abbreviations (more than one capital, "ААЭ") are left out.
    if (std::count_if(letters.begin(), letters.end(), is_upper_cyrillic) != 1) continue;
    std::transform(letters.begin(), letters.end(), letters.begin(), lower_cyrillic);
    const std::string latin = romanize(letters);
    if (latin.size() < 2) continue;
    ++total;
    if (stack().layer_of(latin) != nullptr) {
      ++listed;
    } else if (routed(latin)) {
      ++sent;
    }
    if (stack().layer_of(latin) == nullptr && stack().router().strong(latin)) ++by_spelling;
  }
  ASSERT_GT(total, 3000u);
  const double share = 100.0 * static_cast<double>(sent + listed) / static_cast<double>(total);
  std::printf(
      "GrammarDB lemmas, romanized: %zu of %zu routed, %zu listed (%.1f%% together; by spelling "
      "alone %zu routed, %.1f%% together)\n",
      sent, total, listed, share, by_spelling,
      100.0 * static_cast<double>(by_spelling + listed) / static_cast<double>(total));
  EXPECT_GE(share, 57.6);
}

}  // namespace
}  // namespace narrator
