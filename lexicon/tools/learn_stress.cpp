// learn_stress: derives the name guesser's stress rules from a list of Belarusian proper nouns
// with their stress (GrammarDB's proper nouns, CC BY-SA 4.0: lemmas in Cyrillic with '+' after
// the stressed vowel, a tag and a category path), and measures them by cross-validation.
//
//   learn_stress learn PROPER_NOUNS.tsv OUT.tsv   writes the rules
//   (lexicon/data/names/stress_rules.tsv) learn_stress cv PROPER_NOUNS.tsv [--floor
//   CATEGORY=PERCENT]...
//                                                 10-fold cross-validation by lemma (fixed seed);
//                                                 prints the accuracy overall and per category
//                                                 and exits 1 when one is below its floor
//   learn_stress check PROPER_NOUNS.tsv TABLE.tsv  exits 1 when TABLE is not what learn writes
//   learn_stress eval PROPER_NOUNS.tsv GUESSER_RULES.tsv [--floor SPELLING:CATEGORY=PERCENT]...
//                                                 the same folds, measuring the name guesser
//                                                 itself (the hand-written rules plus the table
//                                                 learned on nine folds) on the names of the
//                                                 tenth, in the news, national, Łacinka and
//                                                 Russian spellings, and (news-be) the news
//                                                 names the guesser takes for Belarusian;
//                                                 exits 1 below a floor;
//                                                 --misses prints each wrong guess (spelling,
//                                                 category, word, IPA, the right syllable, and
//                                                 news-be for a news name taken for Belarusian)
//   learn_stress rows PROPER_NOUNS.tsv GUESSER_RULES.tsv
//                                                 each hand-written stress: row against the
//                                                 data: the names whose key ends in its
//                                                 pattern, how many it stresses right
// Without the PROPER_NOUNS file, cv, check, eval and rows exit 77 (skipped).
//
// A rule says: a word ending in SUFFIX (the last 1-5 Cyrillic letters, or the last 1-6 letters of
// its news romanization), of any syllable count or of one (SUFFIX:N), is stressed on syllable N
// counted from the end. A rule is kept only with at least kMinSupport words, kMinPurity of them
// agreeing and kMinMargin more agreeing than not, and only where it says something the shorter
// rules do not. Words no suffix rule covers fall back to the most common stress of their category
// and syllable count. Prediction takes the longest matching suffix. The tool is a build-time
// helper: it prints, and it is not part of the library.
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/name_guesser.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace {

constexpr int kMinSupport = 2;         // words behind a suffix rule
constexpr double kMinPurity = 0.6;     // share of them stressed on the rule's syllable
constexpr int kMinMargin = 2;          // names agreeing, less those that do not
constexpr int kMinDefaultSupport = 3;  // words behind a category/syllable-count default
constexpr int kFoldCount = 10;
constexpr std::uint32_t kFoldSeed = 20;  // fixed: the folds are the same on every run
constexpr int kSkipped = 77;             // cv without its data (ctest SKIP_RETURN_CODE)
constexpr std::size_t kMinCyrillicSuffix = 1;
constexpr std::size_t kMaxCyrillicSuffix = 5;
constexpr std::size_t kMinLatinSuffix = 1;
constexpr std::size_t kMaxLatinSuffix = 6;  // romanization spends up to 4 letters on one (шч)
constexpr int kMaxSyllableClass = 5;        // suffix rules by syllable count: 2, 3, 4, 5 or more

enum class Category { kSurname, kGivenName, kPlace, kOther };
constexpr std::array<std::string_view, 4> kCategoryNames{"surname", "given", "place", "other"};

struct Lemma {
  std::u32string cyrillic;  // lower case, no '+'
  std::string latin;        // the key spelling of the latn: rules, ASCII
  std::string news;         // news romanization, ASCII
  Category category = Category::kOther;
  int syllables = 0;
  int stress_from_end = 0;  // 1 = last syllable
};

bool is_vowel(char32_t c) {
  return std::u32string_view(U"аеёіоуыэюя").find(c) != std::u32string_view::npos;
}

bool is_cyrillic_letter(char32_t c) {
  return (c >= 0x430 && c <= 0x44F) || c == U'ё' || c == U'і' || c == U'ў' || c == U'\'';
}

std::string utf8(const std::u32string& text) {
  std::string out;
  for (char32_t c : text) icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(out);
  return out;
}

// News romanization, as English-language media write Belarusian names: ia/ie/iu/io after a
// consonant (Bialiatski), ya/ye/yu/yo at the start, after a vowel or a sign (Yauhen, Darya);
// ў and у as u, г as h, х as kh, ц as ts, ж as zh, шч as shch; the soft sign is dropped.
// The key spelling of the latn: rules (`key`) writes е after a consonant as "e", as news often
// does ("Yauhen", "Karatkevich"): the guesser reads "ie" there as "e" before it looks an ending
// up (its spelling: rows).
std::string romanize(const std::u32string& word, bool key) {
  static constexpr std::array<std::pair<char32_t, std::string_view>, 28> kPlain{{
      {U'а', "a"},  {U'б', "b"},  {U'в', "v"}, {U'г', "h"}, {U'ґ', "g"},  {U'д', "d"},
      {U'ж', "zh"}, {U'з', "z"},  {U'і', "i"}, {U'й', "i"}, {U'к', "k"},  {U'л', "l"},
      {U'м', "m"},  {U'н', "n"},  {U'о', "o"}, {U'п', "p"}, {U'р', "r"},  {U'с', "s"},
      {U'т', "t"},  {U'у', "u"},  {U'ў', "u"}, {U'ф', "f"}, {U'х', "kh"}, {U'ц', "ts"},
      {U'ч', "ch"}, {U'ш', "sh"}, {U'ы', "y"}, {U'э', "e"},
  }};
  static constexpr std::array<std::pair<char32_t, std::string_view>, 4> kIotated{
      {{U'я', "a"}, {U'е', "e"}, {U'ё', "o"}, {U'ю', "u"}}};
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char32_t c = word[i];
    const char32_t before = i == 0 ? U'\0' : word[i - 1];
    const auto iotated =
        std::find_if(kIotated.begin(), kIotated.end(), [&](const auto& e) { return e.first == c; });
    if (iotated != kIotated.end()) {
      const bool glide = i == 0 || is_vowel(before) || before == U'ь' || before == U'\'' ||
                         before == U'ў' || before == U'й';
      if (!(key && !glide && c == U'е')) out += glide ? "y" : "i";
      out += iotated->second;
      continue;
    }
    if (c == U'й' && i == 0) {
      out += "y";
      continue;
    }
    const auto plain =
        std::find_if(kPlain.begin(), kPlain.end(), [&](const auto& e) { return e.first == c; });
    if (plain != kPlain.end()) out += plain->second;  // ь and ' leave nothing
  }
  return out;
}

Category category_of(const std::string& theme) {
  // The first category path decides ("…/антрапонімы/прозвішчы", "…/тапонімы/…").
  const std::string first = theme.substr(0, theme.find(';'));
  if (first.find("прозвішчы") != std::string::npos) return Category::kSurname;
  if (first.find("антрапонімы/імёны") != std::string::npos) return Category::kGivenName;
  if (first.find("тапонімы") != std::string::npos) return Category::kPlace;
  return Category::kOther;
}

// The lemma of one row, or nothing for a lemma the rules cannot use: a compound (space, hyphen),
// an abbreviation (upper case after the first letter), no stress mark or more than one.
std::optional<Lemma> parse_lemma(const narrator::TsvRow& row) {
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(row.fields[0]);
  Lemma lemma;
  int stressed_vowel = -1;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 code = text.char32At(i);
    i += U16_LENGTH(code);
    if (code == U'+') {
      if (stressed_vowel >= 0 || lemma.syllables == 0 || !is_vowel(lemma.cyrillic.back())) {
        return std::nullopt;
      }
      stressed_vowel = lemma.syllables;
      continue;
    }
    if (!lemma.cyrillic.empty() && u_isupper(code)) return std::nullopt;
    const auto lower = static_cast<char32_t>(u_tolower(code));
    if (!is_cyrillic_letter(lower)) return std::nullopt;
    lemma.cyrillic += lower;
    if (is_vowel(lower)) ++lemma.syllables;
  }
  if (stressed_vowel < 0) return std::nullopt;
  lemma.stress_from_end = lemma.syllables - stressed_vowel + 1;
  lemma.latin = romanize(lemma.cyrillic, /*key=*/true);
  lemma.news = romanize(lemma.cyrillic, /*key=*/false);
  lemma.category = category_of(row.fields.size() > 2 ? row.fields[2] : std::string());
  return lemma;
}

std::vector<Lemma> read_lemmas(const std::string& path) {
  const std::string content = narrator::detail::read_file(path, "proper noun list");
  std::vector<Lemma> lemmas;
  for (const narrator::TsvRow& row : narrator::parse_tsv(content, path, narrator::TsvShape{2, 3})) {
    if (std::optional<Lemma> lemma = parse_lemma(row)) lemmas.push_back(std::move(*lemma));
  }
  return lemmas;
}

// ---------------------------------------------------------------------------------------------
// Learning.

struct Rule {
  int syllable_from_end = 0;
  int support = 0;  // words with the suffix stressed there
  int total = 0;    // words with the suffix
};

// Counts: key → (syllable from end → words).
using Counts = std::map<std::string, std::map<int, int>>;

struct Rules {
  std::map<std::string, Rule> cyrillic;  // suffix → rule
  std::map<std::string, Rule> latin;
  std::map<std::pair<Category, int>, Rule> defaults;  // (category, syllables) → rule
  std::map<int, Rule> syllable_defaults;              // syllables → rule, any category
};

std::string suffix_utf8(const std::u32string& word, std::size_t n) {
  return utf8(word.substr(word.size() - n));
}

Rule best_of(const std::map<int, int>& votes) {
  Rule rule;
  for (const auto& [syllable, count] : votes) {
    rule.total += count;
    if (count > rule.support) {
      rule.syllable_from_end = syllable;
      rule.support = count;
    }
  }
  return rule;
}

bool supported(const Rule& rule) {
  return rule.support >= kMinSupport && 2 * rule.support - rule.total >= kMinMargin &&
         static_cast<double>(rule.support) >= kMinPurity * static_cast<double>(rule.total);
}

// Whether the name guesser lets `rule` outrank a weak anchor (е): at least 10 names, 90% of them
// agreeing (kSureSupport, kSurePercent in lexicon/src/name_guesser.cpp).
bool sure(const Rule& rule) { return rule.support >= 10 && 100 * rule.support >= 90 * rule.total; }

// What a rule tells the guesser: its syllable, and whether it is sure (0, false for no rule).
std::pair<int, bool> reading_of(const Rule* rule) {
  return rule == nullptr ? std::pair{0, false} : std::pair{rule->syllable_from_end, sure(*rule)};
}

// Whether `rule` tells the guesser something `fallback` (the rule it would use without it, or
// none) does not: another syllable, or the same one surely where the fallback is not sure.
bool says_more(const Rule* rule, const Rule* fallback) {
  const auto [syllable, is_sure] = reading_of(rule);
  const auto [fallback_syllable, fallback_sure] = reading_of(fallback);
  return syllable != fallback_syllable || (is_sure && !fallback_sure);
}

// The syllable-count class of a rule key: "SUFFIX:N" holds the names of N syllables (N from 2 to
// kMaxSyllableClass; the last class is that many or more).
int syllable_class(int syllables) { return std::min(syllables, kMaxSyllableClass); }

std::string class_key(const std::string& suffix, int syllables) {
  return suffix + ":" + std::to_string(syllable_class(syllables));
}

// Keeps the supported rules that change a prediction. A word is stressed by its longest suffix
// with a rule, and at that length by the rule for its syllable count ("SUFFIX:N") before the
// suffix's own ("SUFFIX"). A suffix rule is kept where, for some syllable count, the shorter
// rules would say otherwise; a syllable-count rule where its suffix's rule, or failing that the
// shorter rules, would say otherwise. "Otherwise" is another syllable, or a rule the guesser
// takes as sure where the other is not, or the reverse. Dropping the others changes no
// prediction.
std::map<std::string, Rule> select_rules(const Counts& counts, std::size_t min_letters,
                                         std::size_t max_letters, bool cyrillic) {
  std::map<std::string, Rule> kept;
  const auto letters = [&](const std::string& key) {
    return cyrillic ? static_cast<std::size_t>(icu::UnicodeString::fromUTF8(key).countChar32())
                    : key.size();
  };
  const auto shorter = [&](const std::string& key, std::size_t n) {
    if (!cyrillic) return key.substr(key.size() - n);
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(key);
    std::string out;
    text.tempSubString(text.moveIndex32(text.length(), -static_cast<int32_t>(n))).toUTF8String(out);
    return out;
  };
  // What the kept rules shorter than n letters say for a word ending in `suffix` of `syllables`.
  const auto inherited = [&](const std::string& suffix, std::size_t n,
                             int syllables) -> const Rule* {
    for (std::size_t m = n - 1; m >= min_letters; --m) {
      const std::string part = shorter(suffix, m);
      for (const std::string& key : {class_key(part, syllables), part}) {
        const auto found = kept.find(key);
        if (found != kept.end()) return &found->second;
      }
    }
    return nullptr;
  };
  for (std::size_t n = min_letters; n <= max_letters; ++n) {
    for (const bool by_class : {false, true}) {
      for (const auto& [key, votes] : counts) {
        const std::size_t colon = key.find(':');
        if ((colon != std::string::npos) != by_class) continue;
        const std::string suffix = key.substr(0, colon);
        if (letters(suffix) != n) continue;
        const Rule rule = best_of(votes);
        if (!supported(rule)) continue;
        bool differs = false;
        if (by_class) {
          const auto own = kept.find(suffix);
          const Rule* fallback = own != kept.end()
                                     ? &own->second
                                     : inherited(suffix, n, std::stoi(key.substr(colon + 1)));
          differs = says_more(&rule, fallback);
        } else {
          for (int syllables = 2; syllables <= kMaxSyllableClass && !differs; ++syllables)
            differs = says_more(&rule, inherited(suffix, n, syllables));
        }
        if (differs) kept.emplace(key, rule);
      }
    }
  }
  return kept;
}

Rules learn(const std::vector<const Lemma*>& lemmas) {
  Counts cyrillic;
  Counts latin;
  std::map<std::pair<Category, int>, std::map<int, int>> by_category;
  std::map<int, std::map<int, int>> by_syllables;
  for (const Lemma* lemma : lemmas) {
    ++by_category[{lemma->category, lemma->syllables}][lemma->stress_from_end];
    ++by_syllables[lemma->syllables][lemma->stress_from_end];
    // A one-syllable name can be stressed nowhere else: it says nothing about its ending.
    if (lemma->syllables < 2) continue;
    for (std::size_t n = kMinCyrillicSuffix;
         n <= std::min(kMaxCyrillicSuffix, lemma->cyrillic.size()); ++n) {
      const std::string suffix = suffix_utf8(lemma->cyrillic, n);
      ++cyrillic[suffix][lemma->stress_from_end];
      ++cyrillic[class_key(suffix, lemma->syllables)][lemma->stress_from_end];
    }
    for (std::size_t n = kMinLatinSuffix; n <= std::min(kMaxLatinSuffix, lemma->latin.size());
         ++n) {
      const std::string suffix = lemma->latin.substr(lemma->latin.size() - n);
      ++latin[suffix][lemma->stress_from_end];
      ++latin[class_key(suffix, lemma->syllables)][lemma->stress_from_end];
    }
  }
  Rules rules;
  rules.cyrillic = select_rules(cyrillic, kMinCyrillicSuffix, kMaxCyrillicSuffix, true);
  rules.latin = select_rules(latin, kMinLatinSuffix, kMaxLatinSuffix, false);
  for (const auto& [key, votes] : by_category) {
    const Rule rule = best_of(votes);
    if (rule.support >= kMinDefaultSupport) rules.defaults.emplace(key, rule);
  }
  for (const auto& [key, votes] : by_syllables)
    rules.syllable_defaults.emplace(key, best_of(votes));
  return rules;
}

// ---------------------------------------------------------------------------------------------
// Prediction: the longest matching suffix, else the category's default for the syllable count,
// else any category's, else the penultimate. Never beyond the word's first syllable.

enum class Script { kCyrillic, kLatin };

// The rule of the longest suffix that has one: for the word's syllable count, else the suffix's.
int lookup(const std::map<std::string, Rule>& rules, const std::string& suffix, int syllables) {
  for (const std::string& key : {class_key(suffix, syllables), suffix}) {
    const auto found = rules.find(key);
    if (found != rules.end()) return found->second.syllable_from_end;
  }
  return 0;
}

int predict(const Rules& rules, const Lemma& lemma, Script script) {
  int from_end = 0;
  if (script == Script::kLatin) {
    for (std::size_t n = std::min(kMaxLatinSuffix, lemma.latin.size());
         n >= kMinLatinSuffix && from_end == 0; --n) {
      from_end = lookup(rules.latin, lemma.latin.substr(lemma.latin.size() - n), lemma.syllables);
    }
  } else {
    for (std::size_t n = std::min(kMaxCyrillicSuffix, lemma.cyrillic.size());
         n >= kMinCyrillicSuffix && from_end == 0; --n) {
      from_end = lookup(rules.cyrillic, suffix_utf8(lemma.cyrillic, n), lemma.syllables);
    }
  }
  if (from_end == 0) {
    const auto by_category = rules.defaults.find({lemma.category, lemma.syllables});
    const auto by_syllables = rules.syllable_defaults.find(lemma.syllables);
    if (by_category != rules.defaults.end()) {
      from_end = by_category->second.syllable_from_end;
    } else if (by_syllables != rules.syllable_defaults.end()) {
      from_end = by_syllables->second.syllable_from_end;
    } else {
      from_end = 2;
    }
  }
  return std::clamp(from_end, 1, std::max(lemma.syllables, 1));
}

// ---------------------------------------------------------------------------------------------
// Output.

void write_rule(std::ostream& out, const std::string& key, const Rule& rule) {
  out << key << '\t' << rule.syllable_from_end << '\t' << rule.support << '\t' << rule.total
      << '\n';
}

// The table as `learn` writes it.
std::string format_rules(const Rules& rules, std::size_t lemma_count) {
  std::ostringstream out;
  out << "# stress_rules.tsv: where Belarusian names are stressed, learned from data.\n"
         "# A name ending in a suffix is stressed on the given syllable, counted from the\n"
         "# end (1 = last).\n"
         "# columns: key<TAB>syllable_from_end<TAB>support<TAB>total\n"
         "#   key: cyrl:SUFFIX (Belarusian Cyrillic, lower case),\n"
         "#        latn:SUFFIX (news romanization: ia/iu/io after a consonant, e for\n"
         "#        е and э after one, ya/ye/yu/yo elsewhere, u for ў, h for г, kh, ts,\n"
         "#        zh, ch, sh, shch; the soft sign dropped; the guesser reads other\n"
         "#        spellings this way first: its spelling: rows),\n"
         "#        cyrl:SUFFIX:N, latn:SUFFIX:N (a name of N syllables with the suffix;\n"
         "#        N from 2 to 5, and 5 is five or more),\n"
         "#        default:CATEGORY:SYLLABLES (a name of that category, surname, given,\n"
         "#        place or other, and syllable count that no suffix rule covers),\n"
         "#        default:any:SYLLABLES (any category).\n"
         "#   support: names with the key stressed there; total: names with the key.\n"
         "# The longest matching suffix wins, and at its length the row for the name's\n"
         "# syllable count before the suffix's own. A row is kept with at least 2 names\n"
         "# of two syllables or more, 60% of them agreeing and 2 more agreeing than\n"
         "# not (2 of 2, 3 of 4, 4 of 6), and only where the shorter\n"
         "# rows (for a syllable-count row: its suffix's row) say otherwise, or where\n"
         "# it is sure (10 names or more, 90% agreeing) and they are not. The name\n"
         "# guesser reads the latn: rows: the longest matching one sets the stress\n"
         "# where no hand-written ending does; a sure one outranks a weak anchor (е).\n"
      << "# learned from " << lemma_count
      << " lemmas of the GrammarDB proper nouns\n"
         "#   (github.com/Belarus/GrammarDB, NP.xml, commit 94b1b26c, 2022), CC BY-SA 4.0;\n"
         "#   this table is an adaptation under the same licence (CC BY-SA 4.0). No names\n"
         "#   are copied here, only suffixes and counts.\n"
         "# regenerate (do not edit by hand):\n"
         "#   build/lexicon/learn_stress learn DIR/proper-nouns.tsv\n"
         "#     lexicon/data/names/stress_rules.tsv\n"
         "# sorted by key (C locale byte order)\n";
  std::vector<std::pair<std::string, Rule>> rows;
  for (const auto& [suffix, rule] : rules.cyrillic) rows.emplace_back("cyrl:" + suffix, rule);
  for (const auto& [suffix, rule] : rules.latin) rows.emplace_back("latn:" + suffix, rule);
  for (const auto& [key, rule] : rules.defaults) {
    rows.emplace_back(
        "default:" + std::string(kCategoryNames[static_cast<std::size_t>(key.first)]) + ":" +
            std::to_string(key.second),
        rule);
  }
  for (const auto& [syllables, rule] : rules.syllable_defaults) {
    if (rule.support >= kMinDefaultSupport) {
      rows.emplace_back("default:any:" + std::to_string(syllables), rule);
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [key, rule] : rows) write_rule(out, key, rule);
  return out.str();
}

void write_rules(const Rules& rules, std::size_t lemma_count, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw narrator::Error(narrator::ErrorCategory::kOutput, path + ": cannot write");
  out << format_rules(rules, lemma_count);
  out.close();
  if (!out) throw narrator::Error(narrator::ErrorCategory::kOutput, path + ": write failed");
}

// ---------------------------------------------------------------------------------------------
// Cross-validation.

struct Score {
  int right = 0;
  int total = 0;
  double percent() const { return total == 0 ? 0.0 : 100.0 * right / total; }
};

// Fold of each lemma: the distinct spellings are shuffled with a fixed seed and dealt round
// the folds, so that one spelling (with two stresses, two categories) never trains its own test.
std::vector<int> assign_folds(const std::vector<Lemma>& lemmas) {
  std::vector<std::u32string> spellings;
  for (const Lemma& lemma : lemmas) spellings.push_back(lemma.cyrillic);
  std::sort(spellings.begin(), spellings.end());
  spellings.erase(std::unique(spellings.begin(), spellings.end()), spellings.end());
  std::mt19937 random(kFoldSeed);  // mt19937's sequence is fixed by the standard
  for (std::size_t i = spellings.size(); i > 1; --i) {
    std::swap(spellings[i - 1], spellings[random() % i]);
  }
  std::map<std::u32string, int> fold_of;
  for (std::size_t i = 0; i < spellings.size(); ++i) {
    fold_of.emplace(spellings[i], static_cast<int>(i % kFoldCount));
  }
  std::vector<int> folds;
  for (const Lemma& lemma : lemmas) folds.push_back(fold_of.at(lemma.cyrillic));
  return folds;
}

struct CvResult {
  std::array<Score, 4> latin_by_category;
  Score latin;
  Score cyrillic;
};

CvResult cross_validate(const std::vector<Lemma>& lemmas) {
  const std::vector<int> folds = assign_folds(lemmas);
  CvResult result;
  for (int fold = 0; fold < kFoldCount; ++fold) {
    std::vector<const Lemma*> train;
    for (std::size_t i = 0; i < lemmas.size(); ++i) {
      if (folds[i] != fold) train.push_back(&lemmas[i]);
    }
    const Rules rules = learn(train);
    for (std::size_t i = 0; i < lemmas.size(); ++i) {
      if (folds[i] != fold) continue;
      const Lemma& lemma = lemmas[i];
      const bool latin_right = predict(rules, lemma, Script::kLatin) == lemma.stress_from_end;
      const bool cyrillic_right = predict(rules, lemma, Script::kCyrillic) == lemma.stress_from_end;
      Score& category = result.latin_by_category[static_cast<std::size_t>(lemma.category)];
      category.right += latin_right;
      ++category.total;
      result.latin.right += latin_right;
      ++result.latin.total;
      result.cyrillic.right += cyrillic_right;
      ++result.cyrillic.total;
    }
  }
  return result;
}

void print_score(std::string_view name, const Score& score) {
  std::printf("  %-9s %5.1f%%  (%d of %d)\n", std::string(name).c_str(), score.percent(),
              score.right, score.total);
}

// "--floor place=80.5" pairs; "all" is the overall romanized accuracy.
int run_cv(const std::vector<Lemma>& lemmas, const std::vector<std::string>& floors) {
  const CvResult result = cross_validate(lemmas);
  std::printf(
      "stress on the right syllable, %d-fold cross-validation by lemma (seed %u), %zu "
      "lemmas\nromanized spelling:\n",
      kFoldCount, static_cast<unsigned>(kFoldSeed), lemmas.size());
  print_score("all", result.latin);
  for (std::size_t c = 0; c < kCategoryNames.size(); ++c) {
    print_score(kCategoryNames[c], result.latin_by_category[c]);
  }
  std::printf("Cyrillic spelling:\n");
  print_score("all", result.cyrillic);
  int failures = 0;
  for (const std::string& floor : floors) {
    const std::size_t equals = floor.find('=');
    const std::string name = floor.substr(0, equals);
    const double minimum = std::stod(floor.substr(equals + 1));
    const Score* score = name == "all" ? &result.latin : nullptr;
    for (std::size_t c = 0; c < kCategoryNames.size(); ++c) {
      if (kCategoryNames[c] == name) score = &result.latin_by_category[c];
    }
    if (score == nullptr || equals == std::string::npos) {
      throw narrator::Error(narrator::ErrorCategory::kUsage,
                            "--floor " + floor +
                                ": write CATEGORY=PERCENT, CATEGORY one of all, "
                                "surname, given, place, other");
    }
    if (score->percent() < minimum) {
      std::printf("FAIL: %s %.1f%% is below its floor %.1f%%\n", name.c_str(), score->percent(),
                  minimum);
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

// Whether the table at `table_path` is what `learn` makes from the data now.
int check_table(const std::string& data_path, const std::string& table_path) {
  const std::vector<Lemma> lemmas = read_lemmas(data_path);
  std::vector<const Lemma*> all;
  for (const Lemma& lemma : lemmas) all.push_back(&lemma);
  const std::filesystem::path fresh =
      std::filesystem::temp_directory_path() /
      ("learn_stress_check_" + std::to_string(std::random_device{}()) + ".tsv");
  write_rules(learn(all), lemmas.size(), fresh.string());
  const bool same = narrator::detail::read_file(fresh.string(), "learned table") ==
                    narrator::detail::read_file(table_path, "stress table");
  std::filesystem::remove(fresh);
  if (!same) {
    std::printf(
        "FAIL: %s is not what the tool learns from %s now; regenerate it with\n"
        "  learn_stress learn %s %s\n",
        table_path.c_str(), data_path.c_str(), data_path.c_str(), table_path.c_str());
  }
  return same ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// The guesser, measured end to end: on the same folds, the table learned on nine of them and the
// hand-written rules build a NameGuesser, which reads the tenth fold's names in each spelling.

enum class Spelling { kNews, kNational, kLacinka, kRussian };
// The last "spelling" is the news spelling again, counting only the names the guesser itself
// takes for Belarusian (looks_belarusian): the native names, without the foreign places and
// loanwords of the data, as news would route them.
constexpr std::array<std::string_view, 5> kSpellingNames{"news", "national", "lacinka", "russian",
                                                         "news-be"};
constexpr std::size_t kNewsLooksBelarusian = 4;

bool is_iotated(char32_t c) {
  return std::u32string_view(U"еёюя").find(c) != std::u32string_view::npos;
}

// The Belarusian national romanization (2007: c, č, š, ž, ŭ, ch for х, ie/ia after a consonant
// and je/ja elsewhere, ź ś ń ć ĺ for a consonant before ь) and Łacinka (the same, but hard л is
// ł, soft л is l with no i after it: ля la, ль l).
std::string romanize_native(const std::u32string& word, bool lacinka) {
  static constexpr std::array<std::pair<char32_t, std::string_view>, 27> kPlain{{
      {U'а', "a"}, {U'б', "b"},  {U'в', "v"}, {U'г', "h"}, {U'ґ', "g"}, {U'д', "d"}, {U'ж', "ž"},
      {U'з', "z"}, {U'і', "i"},  {U'й', "j"}, {U'к', "k"}, {U'л', "l"}, {U'м', "m"}, {U'н', "n"},
      {U'о', "o"}, {U'п', "p"},  {U'р', "r"}, {U'с', "s"}, {U'т', "t"}, {U'у', "u"}, {U'ў', "ŭ"},
      {U'ф', "f"}, {U'х', "ch"}, {U'ц', "c"}, {U'ч', "č"}, {U'ш', "š"}, {U'ы', "y"},
  }};
  static constexpr std::array<std::pair<char32_t, std::string_view>, 5> kSoft{
      {{U'з', "ź"}, {U'с', "ś"}, {U'н', "ń"}, {U'ц', "ć"}, {U'л', "ĺ"}}};
  static constexpr std::array<std::pair<char32_t, std::string_view>, 4> kIotated{
      {{U'я', "a"}, {U'е', "e"}, {U'ё', "o"}, {U'ю', "u"}}};
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char32_t c = word[i];
    const char32_t before = i == 0 ? U'\0' : word[i - 1];
    const char32_t after = i + 1 < word.size() ? word[i + 1] : U'\0';
    if (c == U'э') {
      out += "e";
      continue;
    }
    const auto iotated =
        std::find_if(kIotated.begin(), kIotated.end(), [&](const auto& e) { return e.first == c; });
    if (iotated != kIotated.end()) {
      const bool glide = i == 0 || is_vowel(before) || before == U'ь' || before == U'\'' ||
                         before == U'ў' || before == U'й';
      if (!(lacinka && before == U'л')) out += glide ? "j" : "i";
      out += iotated->second;
      continue;
    }
    if (c == U'л' && lacinka) {
      const bool soft = after == U'ь' || after == U'і' || is_iotated(after);
      out += soft ? "l" : "ł";
      continue;
    }
    const auto soft =
        std::find_if(kSoft.begin(), kSoft.end(), [&](const auto& e) { return e.first == c; });
    if (soft != kSoft.end() && after == U'ь') {
      out += soft->second;
      continue;
    }
    const auto plain =
        std::find_if(kPlain.begin(), kPlain.end(), [&](const auto& e) { return e.first == c; });
    if (plain != kPlain.end()) out += plain->second;  // ь and ' leave nothing
  }
  return out;
}

// The Russian form of a news-romanized name, by its common endings (Lukashenka → Lukashenko
// and -chanka → -chenko for surnames only: Russian keeps places in -енка; Baranavichy →
// Baranovichi, Ivanou → Ivanov, Kalinouski → Kalinousky, Stanislau → Stanislav); empty when
// none applies.
std::string russian_form(const std::string& latin, Category category) {
  struct Ending {
    std::string_view belarusian;
    std::string_view russian;
    bool surnames_only;
  };
  static constexpr std::array<Ending, 10> kEndings{{
      {"avichy", "ovichi", false},
      {"slau", "slav", false},
      {"chanka", "chenko", true},
      {"ichy", "ichi", false},
      {"enka", "enko", true},
      {"ieu", "iev", false},
      {"au", "ov", false},
      {"ou", "ov", false},
      {"eu", "ev", false},
      {"ski", "sky", false},
  }};
  for (const Ending& ending : kEndings) {
    if (ending.surnames_only && category != Category::kSurname) continue;
    if (latin.ends_with(ending.belarusian)) {
      return latin.substr(0, latin.size() - ending.belarusian.size()) + std::string(ending.russian);
    }
  }
  return {};
}

// The syllable (from the start, 0 = first) that `ipa` stresses: the syllable nuclei before ˈ. A
// nucleus is a vowel with its length mark and the second half of a diphthong (aɪ, eɪ, ɔɪ, uːɪ,
// aʊ, oʊ); two vowels side by side otherwise are two syllables ("ljɛəˈniːt").
int stressed_syllable(const std::string& ipa) {
  const icu::UnicodeString before = icu::UnicodeString::fromUTF8(ipa.substr(0, ipa.find("ˈ")));
  static const icu::UnicodeString kVowels = icu::UnicodeString::fromUTF8("aeiouæɑɒɔəɛɪʊʌɜ");
  int nuclei = 0;
  char16_t previous = 0;  // the last vowel of the nucleus being read, 0 after a consonant
  for (int32_t i = 0; i < before.length(); ++i) {
    const char16_t c = before.charAt(i);
    if (c == u'ː') continue;
    if (kVowels.indexOf(c) < 0) {
      previous = 0;
      continue;
    }
    const bool second_half = (c == u'ɪ' && (previous == u'a' || previous == u'e' ||
                                            previous == u'ɔ' || previous == u'u')) ||
                             (c == u'ʊ' && (previous == u'a' || previous == u'o'));
    if (!second_half) ++nuclei;
    previous = c;
  }
  return nuclei;
}

// Spelling → category → score; the last category slot is all of them.
using EvalResult = std::array<std::array<Score, kCategoryNames.size() + 1>, kSpellingNames.size()>;

EvalResult evaluate_guesser(const std::vector<Lemma>& lemmas, const std::string& rules_path,
                            bool show_misses) {
  const std::string rules_text = narrator::detail::read_file(rules_path, "guesser rules");
  const std::vector<int> folds = assign_folds(lemmas);
  EvalResult result;
  for (int fold = 0; fold < kFoldCount; ++fold) {
    std::vector<const Lemma*> train;
    for (std::size_t i = 0; i < lemmas.size(); ++i) {
      if (folds[i] != fold) train.push_back(&lemmas[i]);
    }
    const std::string table = format_rules(learn(train), train.size());
    const narrator::NameGuesser guesser(rules_text, rules_path, table,
                                        "fold " + std::to_string(fold) + " stress table");
    for (std::size_t i = 0; i < lemmas.size(); ++i) {
      if (folds[i] != fold) continue;
      const Lemma& lemma = lemmas[i];
      const std::array<std::string, 4> spellings{lemma.news, romanize_native(lemma.cyrillic, false),
                                                 romanize_native(lemma.cyrillic, true),
                                                 russian_form(lemma.news, lemma.category)};
      for (std::size_t s = 0; s < spellings.size(); ++s) {
        if (spellings[s].empty()) continue;
        const std::optional<std::string> ipa = guesser.guess(spellings[s], /*force=*/true);
        const bool right =
            ipa && stressed_syllable(*ipa) == lemma.syllables - lemma.stress_from_end;
        const bool looks_belarusian = s == 0 && guesser.looks_belarusian(spellings[s]);
        if (looks_belarusian) {
          for (const std::size_t c :
               {static_cast<std::size_t>(lemma.category), kCategoryNames.size()}) {
            result[kNewsLooksBelarusian][c].right += right;
            ++result[kNewsLooksBelarusian][c].total;
          }
        }
        if (show_misses && !right) {
          std::printf("miss\t%s\t%s\t%s\t%s\t%d of %d%s\n", std::string(kSpellingNames[s]).c_str(),
                      std::string(kCategoryNames[static_cast<std::size_t>(lemma.category)]).c_str(),
                      spellings[s].c_str(), ipa.value_or("(none)").c_str(),
                      lemma.syllables - lemma.stress_from_end + 1, lemma.syllables,
                      looks_belarusian ? "\tnews-be" : "");
        }
        for (const std::size_t c :
             {static_cast<std::size_t>(lemma.category), kCategoryNames.size()}) {
          result[s][c].right += right;
          ++result[s][c].total;
        }
      }
    }
  }
  return result;
}

// "--floor news:place=80.5" triples; the category "all" is every name in that spelling.
int run_eval(const std::vector<Lemma>& lemmas, const std::string& rules_path,
             const std::vector<std::string>& floors, bool show_misses) {
  const EvalResult result = evaluate_guesser(lemmas, rules_path, show_misses);
  std::printf(
      "the name guesser's stressed syllable (forced), %d-fold cross-validation by lemma (seed "
      "%u), %zu lemmas\n%-9s",
      kFoldCount, static_cast<unsigned>(kFoldSeed), lemmas.size(), "");
  for (const std::string_view category : kCategoryNames)
    std::printf(" %16s", std::string(category).c_str());
  std::printf(" %16s\n", "all");
  for (std::size_t s = 0; s < kSpellingNames.size(); ++s) {
    std::printf("%-9s", std::string(kSpellingNames[s]).c_str());
    for (const Score& score : result[s]) {
      std::printf(" %5.1f%% (%4d/%4d)", score.percent(), score.right, score.total);
    }
    std::printf("\n");
  }
  int failures = 0;
  for (const std::string& floor : floors) {
    const std::size_t colon = floor.find(':');
    const std::size_t equals = floor.find('=');
    const Score* score = nullptr;
    if (colon != std::string::npos && equals != std::string::npos && colon < equals) {
      const std::string spelling = floor.substr(0, colon);
      const std::string category = floor.substr(colon + 1, equals - colon - 1);
      for (std::size_t s = 0; s < kSpellingNames.size(); ++s) {
        for (std::size_t c = 0; c <= kCategoryNames.size(); ++c) {
          const std::string_view name = c == kCategoryNames.size() ? "all" : kCategoryNames[c];
          if (kSpellingNames[s] == spelling && name == category) score = &result[s][c];
        }
      }
    }
    if (score == nullptr) {
      throw narrator::Error(
          narrator::ErrorCategory::kUsage,
          "--floor " + floor +
              ": write SPELLING:CATEGORY=PERCENT, SPELLING one of news, "
              "national, lacinka, russian, news-be, CATEGORY one of all, surname, "
              "given, place, other");
    }
    const double minimum = std::stod(floor.substr(equals + 1));
    if (score->percent() < minimum) {
      std::printf("FAIL: %s %.1f%% is below its floor %.1f%%\n", floor.substr(0, equals).c_str(),
                  score->percent(), minimum);
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// The hand-written ending rows (stress: in guesser_rules.tsv) against the data: for each, the
// names whose key ends in its pattern and where they are stressed.

// Whether the key spelling `word` ends in `pattern` (letters, C any consonant letter, V any
// vowel letter, . any letter, ending in #). A pattern with a letter outside a-z never matches a
// key.
bool key_ends_with(const std::string& word, const std::string& pattern) {
  const std::string_view body = std::string_view(pattern).substr(0, pattern.size() - 1);
  const bool anchored_start = body.starts_with('#');
  const std::string_view symbols = anchored_start ? body.substr(1) : body;
  if (symbols.size() > word.size()) return false;
  if (anchored_start && symbols.size() != word.size()) return false;
  const std::string_view tail = std::string_view(word).substr(word.size() - symbols.size());
  constexpr std::string_view kVowels = "aeiouy";
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const char symbol = symbols[i];
    const bool vowel = kVowels.find(tail[i]) != std::string_view::npos;
    if (symbol == '.') continue;
    if (symbol == 'C' && !vowel) continue;
    if (symbol == 'V' && vowel) continue;
    if (symbol != tail[i]) return false;
  }
  return true;
}

int check_rows(const std::vector<Lemma>& lemmas, const std::string& rules_path) {
  const std::string content = narrator::detail::read_file(rules_path, "guesser rules");
  std::printf("row\tvalue\tnames\tagreeing\tby syllable from the end\n");
  for (const narrator::TsvRow& row :
       narrator::parse_tsv(content, rules_path, narrator::TsvShape{3, 4})) {
    const std::string& key = row.fields[0];
    if (!key.starts_with("stress:") || key == "stress:#") continue;
    const std::string pattern = key.substr(std::string_view("stress:").size());
    const std::string& value = row.fields[1];
    const int syllable = std::stoi(value.starts_with('~') ? value.substr(1) : value);
    std::map<int, int> votes;
    int names = 0;
    int agreeing = 0;
    for (const Lemma& lemma : lemmas) {
      if (lemma.syllables < 2 || !key_ends_with(lemma.latin, pattern)) continue;
      ++names;
      ++votes[lemma.stress_from_end];
      // The guesser stresses a shorter word on its first syllable.
      agreeing += lemma.stress_from_end == std::min(syllable, lemma.syllables);
    }
    std::string spread;
    for (const auto& [from_end, count] : votes) {
      spread.append(" ").append(std::to_string(from_end)).append(":").append(std::to_string(count));
    }
    std::printf("%s\t%s\t%d\t%d\t%s\n", key.c_str(), value.c_str(), names, agreeing,
                spread.c_str());
  }
  return 0;
}

int usage() {
  std::fputs(
      "usage: learn_stress learn PROPER_NOUNS.tsv OUT.tsv\n"
      "       learn_stress cv PROPER_NOUNS.tsv [--floor CATEGORY=PERCENT]...\n"
      "       learn_stress check PROPER_NOUNS.tsv TABLE.tsv\n"
      "       learn_stress eval PROPER_NOUNS.tsv GUESSER_RULES.tsv "
      "[--floor SPELLING:CATEGORY=PERCENT]... [--misses]\n"
      "       learn_stress rows PROPER_NOUNS.tsv GUESSER_RULES.tsv\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "learn") {
      const std::vector<Lemma> lemmas = read_lemmas(args[1]);
      std::vector<const Lemma*> all;
      for (const Lemma& lemma : lemmas) all.push_back(&lemma);
      write_rules(learn(all), lemmas.size(), args[2]);
      return 0;
    }
    const bool eval = args.size() >= 3 && args[0] == "eval";
    if (args.size() == 3 && args[0] == "rows") {
      if (!std::filesystem::exists(args[1])) {
        std::fprintf(stderr, "learn_stress: %s: no such file; skipped\n", args[1].c_str());
        return kSkipped;
      }
      return check_rows(read_lemmas(args[1]), args[2]);
    }
    if ((args.size() >= 2 && args[0] == "cv") || (args.size() == 3 && args[0] == "check") || eval) {
      if (!std::filesystem::exists(args[1])) {
        std::fprintf(stderr, "learn_stress: %s: no such file; skipped\n", args[1].c_str());
        return kSkipped;
      }
      if (args[0] == "check") return check_table(args[1], args[2]);
      std::vector<std::string> floors;
      bool show_misses = false;
      for (std::size_t i = eval ? 3 : 2; i < args.size(); ++i) {
        if (eval && args[i] == "--misses") {
          show_misses = true;
          continue;
        }
        if (args[i] != "--floor" || i + 1 == args.size()) return usage();
        floors.push_back(args[++i]);
      }
      if (eval) return run_eval(read_lemmas(args[1]), args[2], floors, show_misses);
      return run_cv(read_lemmas(args[1]), floors);
    }
    return usage();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "learn_stress: error: %s\n", error.what());
    return 2;
  }
}
