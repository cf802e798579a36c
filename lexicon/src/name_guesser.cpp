#include "narrator/lexicon/name_guesser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "data_table.hpp"
#include "letter_pattern.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

constexpr std::string_view kBuiltinRules = "names/guesser_rules.tsv";
constexpr std::string_view kBuiltinStress = "names/stress_rules.tsv";
constexpr std::string_view kLearnedLatin = "latn:";  // the learned rows the guesser reads
// A learned row of at least kSureSupport names, kSurePercent of them agreeing, is stressed where it
// says even when the word has one weak anchor (е): with the data's 3,978 names in ten folds, the
// learned row is right more often than the е (learn_stress eval, +0.3 points). learn_stress
// (sure()) uses the same numbers: it keeps a sure row whose shorter row is not sure.
constexpr int kSureSupport = 10;
constexpr int kSurePercent = 90;
// Learned rows by syllable count ("latn:enka:3") go up to 5, which stands for 5 or more.
constexpr int kMaxSyllableClass = 5;
constexpr std::string_view kPrimaryStress = "ˈ";
constexpr std::string_view kSecondaryStress = "ˌ";

using detail::Letters;
using detail::Pattern;
using detail::split_letters;
using detail::Symbol;
using detail::SymbolKind;

// The realizations of a vowel rule, in the order of the rule's value.
enum VowelForm : std::size_t { kStressed, kUnstressed, kFinal, kSecondary, kPretonic, kFormCount };

// What a letter rule says: consonants (none for a silent letter), or one vowel with its forms.
// An empty kFinal or kPretonic form falls back to kUnstressed, an empty kSecondary one to
// kStressed.
struct Sound {
  bool vowel = false;
  std::vector<std::string> consonants;        // IPA, one per consonant
  std::array<std::string, kFormCount> forms;  // vowel only
};

// The row a rule came from, for explain(): its key, value and note.
struct RuleOrigin {
  std::string key;
  std::string value;
  std::string note;
};

// Where a rule applies: the letters FOCUS, after LEFT and before RIGHT.
struct Site {
  Pattern left;
  Pattern focus;  // letters only
  Pattern right;
};

struct LetterRule {
  Site site;
  Sound sound;
  int weight = 0;
  bool native = false;  // applies only to words in a native Latin spelling
  RuleOrigin origin = {};
};

// How surely a vowel carries the stress: ё always does (kAlways); native Belarusian spelling writes
// о and э only under stress (kNative) and е mostly so (kWeak).
enum class Anchor { kNone, kAlways, kNative, kWeak };

constexpr std::array<std::pair<std::string_view, Anchor>, 4> kAnchors{{
    {"none", Anchor::kNone},
    {"always", Anchor::kAlways},
    {"native", Anchor::kNative},
    {"weak", Anchor::kWeak},
}};

struct AnchorRule {
  Site site;
  Anchor anchor = Anchor::kNone;
  RuleOrigin origin = {};
};

struct StressRule {
  Pattern pattern;  // ends with kEdge
  int syllable_from_end = 2;
  int weight = 0;
  bool firm = true;  // false ("~N"): a stress anchor decides first
  RuleOrigin origin = {};
};

// How a spelling writes what the news romanization writes otherwise, for the stress rules only:
// the stress: patterns and the learned endings match the word's key, in which "č", "c", "ja" and
// "-ovichi" read as "ch", "ts", "ya" and "-avichy".
struct SpellingRule {
  Site site;
  Letters key;  // the news-romanization letters
};

struct Marker {
  Pattern pattern;
  int weight = 0;
  bool foreign = false;  // a foreign_sign: the word's native and weak anchors do not count
  RuleOrigin origin = {};
};

enum class RuleKind {
  kLetter,
  kNative,
  kNativeSign,
  kForeignSign,
  kAnchor,
  kStress,
  kMarker,
  kOnset,
  kSpelling,
  kVoicing,
  kSetting
};

constexpr std::array<std::pair<std::string_view, RuleKind>, 11> kRuleKinds{{
    {"letter", RuleKind::kLetter},
    {"native", RuleKind::kNative},
    {"native_sign", RuleKind::kNativeSign},
    {"foreign_sign", RuleKind::kForeignSign},
    {"anchor", RuleKind::kAnchor},
    {"stress", RuleKind::kStress},
    {"marker", RuleKind::kMarker},
    {"onset", RuleKind::kOnset},
    {"spelling", RuleKind::kSpelling},
    {"voicing", RuleKind::kVoicing},
    {"setting", RuleKind::kSetting},
}};

// What a voicing pair does to its left: a voiceless obstruent before the voiced member of a "full"
// pair is voiced; the voiced member of a "devoice" pair (в, г read as English h) is itself
// devoiced but voices nothing before it.
enum class Voicing { kFull, kDevoice };

constexpr std::array<std::pair<std::string_view, Voicing>, 2> kVoicings{{
    {"full", Voicing::kFull},
    {"devoice", Voicing::kDevoice},
}};

// One member of a voicing pair: the IPA of its partner, and whether this member is the voiced one.
struct VoicingMember {
  std::string partner;
  bool voiced = false;
  Voicing voicing = Voicing::kFull;
  std::size_t line = 0;  // of the voicing row, for the duplicate error
};

enum class Setting { kMinScore, kSecondaryStress };

constexpr std::array<std::pair<std::string_view, Setting>, 2> kSettings{{
    {"min_score", Setting::kMinScore},
    {"secondary_stress", Setting::kSecondaryStress},
}};

// A learned ending: the syllable it stresses (from the end), and whether it is sure enough to
// outrank a weak anchor.
struct LearnedRow {
  int syllable_from_end = 2;
  bool sure = false;
  std::string key;  // the table's key, for explain()
  int support = 0;  // names stressed there
  int total = 0;    // names with the ending
};

}  // namespace

namespace detail {

struct GuesserRules {
  std::vector<LetterRule> letters;  // best first: longest focus, native, most context
  // The indexes in `letters` of the rules whose focus begins with a letter, best first: a word
  // is read by looking only at the rules for the letter at hand.
  std::map<std::string, std::vector<std::size_t>> letters_by_first;
  std::vector<AnchorRule> anchors;      // best first: longest focus, most context
  std::vector<StressRule> stress;       // best first: longest pattern
  std::vector<SpellingRule> spellings;  // best first: longest focus, most context
  std::vector<Marker> markers;
  std::set<std::string> native_signs;
  std::set<std::pair<std::string, std::string>> onsets;
  std::map<std::string, VoicingMember> voicing;  // both members of every voicing pair, by IPA
  std::set<std::string> vowel_letters;
  // Learned endings (names/stress_rules.tsv, latn: rows): news-romanized suffix, alone or with a
  // syllable count ("enka:3") → syllable from the end. They decide where no stress rule but the
  // default matches.
  std::map<std::string, LearnedRow> learned_stress;
  std::size_t longest_learned = 0;  // letters in the longest learned suffix
  std::optional<int> min_score;
  int secondary_stress = 0;  // syllable (from the start) from which the first one gets ˌ; 0 never

  bool is_vowel(const std::string& letter) const { return vowel_letters.contains(letter); }
};

}  // namespace detail

namespace {

using Rules = detail::GuesserRules;

bool matches_at(const Rules& rules, const Pattern& pattern, const Letters& letters,
                std::ptrdiff_t start) {
  return detail::matches_at(pattern, letters, start, rules.vowel_letters);
}

bool occurs_in(const Rules& rules, const Pattern& pattern, const Letters& letters) {
  return detail::occurs_in(pattern, letters, rules.vowel_letters);
}

bool ends_with(const Rules& rules, const Pattern& pattern, const Letters& letters) {
  return detail::ends_with(pattern, letters, rules.vowel_letters);
}

// Whether `site` matches `letters` with its focus at `pos`.
bool site_matches(const Rules& rules, const Site& site, const Letters& letters, std::size_t pos) {
  const auto at = static_cast<std::ptrdiff_t>(pos);
  const auto focus = static_cast<std::ptrdiff_t>(site.focus.size());
  const auto left = static_cast<std::ptrdiff_t>(site.left.size());
  return matches_at(rules, site.focus, letters, at) &&
         matches_at(rules, site.left, letters, at - left) &&
         matches_at(rules, site.right, letters, at + focus);
}

// The letter rule that reads `letters` at `pos`, or nullptr.
const LetterRule* rule_at(const Rules& rules, const Letters& letters, std::size_t pos,
                          bool native) {
  const auto candidates = rules.letters_by_first.find(letters[pos]);
  if (candidates == rules.letters_by_first.end()) return nullptr;
  for (const std::size_t index : candidates->second) {
    const LetterRule& rule = rules.letters[index];
    if (rule.native && !native) continue;
    if (site_matches(rules, rule.site, letters, pos)) return &rule;
  }
  return nullptr;
}

// How surely the vowel read at `pos` carries the stress.
Anchor anchor_at(const Rules& rules, const Letters& letters, std::size_t pos) {
  for (const AnchorRule& rule : rules.anchors) {
    if (site_matches(rules, rule.site, letters, pos)) return rule.anchor;
  }
  return Anchor::kNone;
}

// ---------------------------------------------------------------------------------------------
// Reading a word: letters → sounds, the stressed syllable, and how Belarusian it looks.

struct Unit {
  bool vowel = false;
  std::string consonant;                                       // IPA, for a consonant
  const std::array<std::string, kFormCount>* forms = nullptr;  // for a vowel
  Anchor anchor = Anchor::kNone;                               // for a vowel
};

// What read_word() decided, for explain(): filled only when asked for.
struct Trace {
  struct Group {
    std::string letters;
    const LetterRule* rule = nullptr;
    const AnchorRule* anchor = nullptr;  // for a vowel
  };
  std::vector<Group> groups;
  const StressRule* stress = nullptr;   // the ending rule that matched
  const LearnedRow* learned = nullptr;  // the learned ending that set syllable_from_end
  std::vector<const Marker*> markers;   // every marker and foreign_sign that occurs
};

struct Reading {
  std::vector<Unit> units;
  int score = 0;
  int syllable_from_end = 2;  // what the word's ending says
  bool firm_ending = false;   // the ending decides, whatever the anchors say
  bool foreign = false;       // a foreign_sign occurs: only kAlways anchors count
  bool sure_ending = false;   // a sure learned ending: a weak anchor does not count
};

// The word as the stress rules read it: each spelling rule that matches (the best one first)
// writes its key in place of its letters; other letters stay.
Letters stress_key(const Rules& rules, const Letters& letters) {
  Letters key;
  for (std::size_t pos = 0; pos < letters.size();) {
    const auto found = std::find_if(
        rules.spellings.begin(), rules.spellings.end(),
        [&](const SpellingRule& s) { return site_matches(rules, s.site, letters, pos); });
    if (found == rules.spellings.end()) {
      key.push_back(letters[pos++]);
      continue;
    }
    key.insert(key.end(), found->key.begin(), found->key.end());
    pos += found->site.focus.size();
  }
  return key;
}

// The syllable (from the end) of the longest learned ending of `letters`, if one matches: at that
// length, the row for the word's syllable count ("enka:3") before the ending's own ("enka").
const LearnedRow* learned_stress(const Rules& rules, const Letters& letters, int syllables) {
  const std::string syllable_class = ":" + std::to_string(std::min(syllables, kMaxSyllableClass));
  std::string ending;
  std::vector<std::string> endings;  // shortest first
  for (std::size_t i = letters.size(); i > 0 && endings.size() < rules.longest_learned; --i) {
    ending.insert(0, letters[i - 1]);
    endings.push_back(ending);
  }
  for (auto it = endings.rbegin(); it != endings.rend(); ++it) {
    for (const std::string& key : {*it + syllable_class, *it}) {
      const auto found = rules.learned_stress.find(key);
      if (found != rules.learned_stress.end()) return &found->second;
    }
  }
  return nullptr;
}

// The voicing member that `unit` is, or nullptr (a vowel, a sonorant, a glide).
const VoicingMember* voicing_of(const Rules& rules, const Unit& unit) {
  if (unit.vowel) return nullptr;
  const auto found = rules.voicing.find(unit.consonant);
  return found == rules.voicing.end() ? nullptr : &found->second;
}

// Voicing assimilation and final devoicing (voicing: rows), right to left so that a cluster
// takes the voicing of its last obstruent ("-zhd" → ʃt): a voiced obstruent at the word's end or
// before a voiceless one is devoiced ("Stoubtsy" b → p); a voiceless one before the voiced member
// of a full pair is voiced (s → z before b). Vowels, sonorants and glides (ў read as w or a
// diphthong) neither change nor cause a change.
void assimilate_voicing(const Rules& rules, std::vector<Unit>& units) {
  for (std::size_t i = units.size(); i-- > 0;) {
    const VoicingMember* member = voicing_of(rules, units[i]);
    if (member == nullptr) continue;
    const VoicingMember* next = i + 1 < units.size() ? voicing_of(rules, units[i + 1]) : nullptr;
    const bool at_end = i + 1 == units.size();
    const bool devoice = member->voiced && (at_end || (next != nullptr && !next->voiced));
    const bool voice =
        !member->voiced && next != nullptr && next->voiced && next->voicing == Voicing::kFull;
    if (devoice || voice) units[i].consonant = member->partner;
  }
}

std::optional<Reading> read_word(const Rules& rules, const Letters& letters,
                                 Trace* trace = nullptr) {
  const bool native = std::any_of(letters.begin(), letters.end(), [&](const std::string& l) {
    return rules.native_signs.contains(l);
  });
  Reading reading;
  for (std::size_t pos = 0; pos < letters.size();) {
    const LetterRule* rule = rule_at(rules, letters, pos, native);
    if (rule == nullptr) return std::nullopt;
    if (trace != nullptr) {
      Trace::Group& group = trace->groups.emplace_back(Trace::Group{{}, rule, nullptr});
      for (std::size_t i = 0; i < rule->site.focus.size(); ++i) group.letters += letters[pos + i];
      if (rule->sound.vowel) {
        const auto anchor = std::find_if(
            rules.anchors.begin(), rules.anchors.end(),
            [&](const AnchorRule& a) { return site_matches(rules, a.site, letters, pos); });
        if (anchor != rules.anchors.end()) group.anchor = &*anchor;
      }
    }
    if (rule->sound.vowel) {
      reading.units.push_back(Unit{true, {}, &rule->sound.forms, anchor_at(rules, letters, pos)});
    } else {
      for (const std::string& consonant : rule->sound.consonants)
        reading.units.push_back(Unit{false, consonant, nullptr, Anchor::kNone});
    }
    reading.score += rule->weight;
    pos += rule->site.focus.size();
  }
  if (std::none_of(reading.units.begin(), reading.units.end(),
                   [](const Unit& unit) { return unit.vowel; })) {
    return std::nullopt;
  }
  assimilate_voicing(rules, reading.units);
  // The ending as written scores; the ending as the news romanization writes it (the key) sets
  // the stress, so "-avičy" and "-ovichi" are stressed as "-avichy" is.
  const Letters key = stress_key(rules, letters);
  const auto ending_of = [&](const Letters& word) {
    return std::find_if(rules.stress.begin(), rules.stress.end(),
                        [&](const StressRule& s) { return ends_with(rules, s.pattern, word); });
  };
  const auto written = ending_of(letters);
  if (written != rules.stress.end()) reading.score += written->weight;
  const auto stress = ending_of(key);
  if (stress != rules.stress.end()) {
    reading.syllable_from_end = stress->syllable_from_end;
    reading.firm_ending = stress->firm && stress->pattern.size() > 1;
    if (trace != nullptr) trace->stress = &*stress;
  }
  if (stress == rules.stress.end() || stress->pattern.size() == 1) {
    const auto syllables = static_cast<int>(std::count_if(
        reading.units.begin(), reading.units.end(), [](const Unit& unit) { return unit.vowel; }));
    if (const LearnedRow* learned = learned_stress(rules, key, syllables)) {
      // Not firm: the word's anchors decide first (a sure row: its о, э and ё only).
      reading.syllable_from_end = learned->syllable_from_end;
      reading.sure_ending = learned->sure;
      if (trace != nullptr) trace->learned = learned;
    }
  }
  for (const Marker& marker : rules.markers) {
    if (!occurs_in(rules, marker.pattern, letters)) continue;
    reading.score += marker.weight;
    if (trace != nullptr) trace->markers.push_back(&marker);
    reading.foreign = reading.foreign || marker.foreign;
  }
  return reading;
}

// Which of the word's vowels (unit indexes in `vowels`) carries the primary stress: a word's one
// ё; else what a firm ending says; else, in native spelling, which writes о and э only under
// stress, the word's one о or э, or failing those its one е in the last three syllables (unless a
// sure learned ending says otherwise). A word with more of them (a Russian spelling, a compound) or
// none is stressed where its ending says.
// `by_anchor`, when given, is set to whether an anchor (rather than the ending) decided.
std::size_t stressed_vowel(const Reading& reading, const std::vector<std::size_t>& vowels,
                           bool* by_anchor = nullptr) {
  std::array<std::vector<std::size_t>, kAnchors.size()> anchored;
  for (std::size_t i = 0; i < vowels.size(); ++i)
    anchored[static_cast<std::size_t>(reading.units[vowels[i]].anchor)].push_back(i);
  const auto& always = anchored[static_cast<std::size_t>(Anchor::kAlways)];
  const auto& native = anchored[static_cast<std::size_t>(Anchor::kNative)];
  const auto& weak = anchored[static_cast<std::size_t>(Anchor::kWeak)];
  const auto anchor_decides = [&](std::size_t vowel) {
    if (by_anchor != nullptr) *by_anchor = true;
    return vowel;
  };
  if (by_anchor != nullptr) *by_anchor = false;
  if (always.size() == 1) return anchor_decides(always.front());
  if (!reading.firm_ending && !reading.foreign && always.empty()) {
    if (native.size() == 1) return anchor_decides(native.front());
    // Native spelling writes е after the stress too ("Valeuka" Ва́леўка), but rarely further
    // than two syllables after it: the word's one е decides only in its last three syllables.
    if (!reading.sure_ending && native.empty() && weak.size() == 1 &&
        vowels.size() - weak.front() <= 3) {
      return anchor_decides(weak.front());
    }
  }
  const auto from_end = static_cast<std::size_t>(reading.syllable_from_end);
  return vowels.size() - std::min(from_end, vowels.size());
}

// Where the stress mark goes before the vowel unit `vowel`: after the previous vowel, a cluster
// keeps in the syllable's onset only the consonants that may begin a syllable together.
std::size_t onset_start(const Rules& rules, const std::vector<Unit>& units, std::size_t vowel) {
  std::size_t first = vowel;
  while (first > 0 && !units[first - 1].vowel) --first;
  if (first == 0 || first == vowel) return first;
  std::size_t start = vowel - 1;
  while (start > first &&
         rules.onsets.contains({units[start - 1].consonant, units[start].consonant})) {
    --start;
  }
  return start;
}

const std::string& vowel_form(const Unit& unit, VowelForm form) {
  const std::array<std::string, kFormCount>& forms = *unit.forms;
  if ((form == kFinal || form == kPretonic) && forms[form].empty()) return forms[kUnstressed];
  if (form == kSecondary && forms[kSecondary].empty()) return forms[kStressed];
  return forms[form];
}

// The IPA of `reading`, which has at least one vowel. A long word's first syllable takes a
// secondary stress (setting:secondary_stress) and its full vowel.
std::string render(const Rules& rules, const Reading& reading) {
  const std::vector<Unit>& units = reading.units;
  std::vector<std::size_t> vowels;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (units[i].vowel) vowels.push_back(i);
  }
  const std::size_t primary = stressed_vowel(reading, vowels);
  const bool secondary = rules.secondary_stress > 0 && primary > 0 &&
                         primary + 1 >= static_cast<std::size_t>(rules.secondary_stress);
  const std::size_t mark = onset_start(rules, units, vowels[primary]);
  const std::size_t secondary_mark = secondary ? onset_start(rules, units, vowels.front()) : 0;
  std::string ipa;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& unit = units[i];
    if (secondary && i == secondary_mark) ipa += kSecondaryStress;
    if (i == mark) ipa += kPrimaryStress;
    if (!unit.vowel) {
      ipa += unit.consonant;
    } else if (i == vowels[primary]) {
      ipa += vowel_form(unit, kStressed);
    } else if (secondary && i == vowels.front()) {
      ipa += vowel_form(unit, kSecondary);
    } else if (i + 1 == units.size()) {
      ipa += vowel_form(unit, kFinal);
    } else {
      ipa += vowel_form(unit, i < vowels[primary] ? kPretonic : kUnstressed);
    }
  }
  return ipa;
}

// ---------------------------------------------------------------------------------------------
// Loading the rules.

struct RowSource {
  std::string_view source;
  const TsvRow& row;
};

[[noreturn]] void fail(const RowSource& at, const std::string& message) {
  detail::fail_at(at.source, at.row, message);
}

// The number in field `column`, after `skip` leading bytes (a prefix the caller has read).
int parse_int(const RowSource& at, std::size_t column, int min, int max, std::size_t skip = 0) {
  const std::string& text = at.row.fields[column];
  int value = 0;
  const char* begin = text.data() + skip;
  if (text.size() > skip && *begin == '+') ++begin;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (text.size() <= skip || error != std::errc() || end != text.data() + text.size() ||
      value < min || value > max) {
    fail(at, "column " + std::to_string(column + 1) + ": '" + text + "' is not a number from " +
                 std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

Pattern parse_pattern(const RowSource& at, std::string_view text) {
  return detail::parse_pattern(at.source, at.row, text);
}

bool only_letters(const Pattern& pattern) {
  return std::all_of(pattern.begin(), pattern.end(),
                     [](const Symbol& s) { return s.kind == SymbolKind::kLetter; });
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// "ɑː|ə|ə|æ" (a vowel), "ʃ tʃ" (consonants) or "-" (a silent letter).
Sound parse_sound(const RowSource& at, const std::string& value) {
  if (value.find(kPrimaryStress) != std::string::npos ||
      value.find(kSecondaryStress) != std::string::npos) {
    fail(at, "value '" + value + "' has a stress mark; the guesser places stress itself");
  }
  Sound sound;
  if (value == "-") return sound;
  sound.vowel = value.find('|') != std::string::npos;
  const std::vector<std::string> parts = split(value, sound.vowel ? '|' : ' ');
  const bool bad_count = sound.vowel && (parts.size() < 2 || parts.size() > kFormCount);
  const bool empty_part =
      std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); });
  if (bad_count || empty_part || (sound.vowel && value.find(' ') != std::string::npos)) {
    fail(at, "value '" + value +
                 "' is neither a vowel (stressed|unstressed[|final[|secondary[|pretonic]]]), "
                 "consonants separated by single spaces, nor '-' (silent)");
  }
  if (sound.vowel) {
    std::copy(parts.begin(), parts.end(), sound.forms.begin());
  } else {
    sound.consonants = parts;
  }
  return sound;
}

// "FOCUS" or "FOCUS/LEFT_RIGHT".
Site parse_site(const RowSource& at, std::string_view key) {
  Site site;
  const std::size_t slash = key.find('/');
  site.focus = parse_pattern(at, key.substr(0, slash));
  if (!only_letters(site.focus)) fail(at, "the letters before '/' must be letters only");
  if (slash != std::string_view::npos) {
    const std::vector<std::string> sides = split(key.substr(slash + 1), '_');
    if (sides.size() != 2) fail(at, "write a context as FOCUS/LEFT_RIGHT with one '_'");
    if (!sides[0].empty()) site.left = parse_pattern(at, sides[0]);
    if (!sides[1].empty()) site.right = parse_pattern(at, sides[1]);
    if ((site.left.size() > 1 && site.left.back().kind == SymbolKind::kEdge) ||
        (site.right.size() > 1 && site.right.front().kind == SymbolKind::kEdge)) {
      fail(at, "'#' must be on the outer side of a context (\"#_\" or \"_#\")");
    }
  }
  return site;
}

void add_setting(Rules& rules, const RowSource& at, std::string_view name) {
  const auto found = std::find_if(kSettings.begin(), kSettings.end(),
                                  [&](const auto& entry) { return entry.first == name; });
  if (found == kSettings.end()) {
    fail(at, "unknown setting '" + std::string(name) +
                 "'; use setting:min_score or setting:secondary_stress");
  }
  switch (found->second) {
    case Setting::kMinScore:
      rules.min_score = parse_int(at, 1, -99, 99);
      return;
    case Setting::kSecondaryStress:
      rules.secondary_stress = parse_int(at, 1, 0, 9);
      return;
  }
}

// "voicing:VOICED+VOICELESS", value full or devoice: both members are single consonants, and
// no consonant is in two pairs.
void add_voicing(Rules& rules, const RowSource& at, std::string_view key) {
  const std::vector<std::string> pair = split(key, '+');
  const auto bad = [](const std::string& ipa) {
    return ipa.empty() || ipa.find_first_of(" |-") != std::string::npos ||
           ipa.find(kPrimaryStress) != std::string::npos ||
           ipa.find(kSecondaryStress) != std::string::npos;
  };
  if (pair.size() != 2 || bad(pair[0]) || bad(pair[1]) || pair[0] == pair[1]) {
    fail(at,
         "write a voicing pair as VOICED+VOICELESS, two different consonants in IPA, for example "
         "voicing:b+p");
  }
  const Voicing voicing = detail::parse_enum(at.source, at.row, 1, kVoicings);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto [found, inserted] =
        rules.voicing.emplace(pair[i], VoicingMember{pair[1 - i], i == 0, voicing, at.row.line});
    if (!inserted) {
      fail(at, "'" + pair[i] + "' is already in the voicing pair on line " +
                   std::to_string(found->second.line) + "; a consonant has one voicing partner");
    }
  }
}

void require_dash(const RowSource& at) {
  if (at.row.fields[1] != "-") fail(at, "the value of this kind is '-'");
}

void add_rule(Rules& rules, const RowSource& at, RuleKind kind, std::string_view pattern,
              int weight) {
  switch (kind) {
    case RuleKind::kLetter:
    case RuleKind::kNative:
      rules.letters.push_back(LetterRule{parse_site(at, pattern), parse_sound(at, at.row.fields[1]),
                                         weight, kind == RuleKind::kNative});
      return;
    case RuleKind::kAnchor:
      rules.anchors.push_back(
          AnchorRule{parse_site(at, pattern), detail::parse_enum(at.source, at.row, 1, kAnchors)});
      return;
    case RuleKind::kNativeSign: {
      require_dash(at);
      const Pattern letter = parse_pattern(at, pattern);
      if (letter.size() != 1 || !only_letters(letter)) fail(at, "a native sign is one letter");
      rules.native_signs.insert(letter.front().letter);
      return;
    }
    case RuleKind::kStress: {
      Pattern suffix = parse_pattern(at, pattern);
      if (suffix.back().kind != SymbolKind::kEdge) fail(at, "a stress pattern ends with '#'");
      const bool firm = !at.row.fields[1].starts_with('~');
      rules.stress.push_back(
          StressRule{std::move(suffix), parse_int(at, 1, 1, 9, firm ? 0 : 1), weight, firm});
      return;
    }
    case RuleKind::kMarker:
    case RuleKind::kForeignSign:
      require_dash(at);
      rules.markers.push_back(
          Marker{parse_pattern(at, pattern), weight, kind == RuleKind::kForeignSign});
      return;
    case RuleKind::kOnset: {
      require_dash(at);
      const std::vector<std::string> pair = split(pattern, '+');
      if (pair.size() != 2 || pair[0].empty() || pair[1].empty()) {
        fail(at, "write an onset as IPA+IPA, for example onset:s+t");
      }
      rules.onsets.insert({pair[0], pair[1]});
      return;
    }
    case RuleKind::kSpelling: {
      std::optional<Letters> key = split_letters(at.row.fields[1]);
      const bool plain = key && std::all_of(key->begin(), key->end(), [](const std::string& l) {
                           return l.size() == 1 && l[0] >= 'a' && l[0] <= 'z';
                         });
      if (!plain) fail(at, "the value of a spelling rule is lower-case letters a-z");
      rules.spellings.push_back(SpellingRule{parse_site(at, pattern), std::move(*key)});
      return;
    }
    case RuleKind::kVoicing:
      add_voicing(rules, at, pattern);
      return;
    case RuleKind::kSetting:
      add_setting(rules, at, pattern);
      return;
  }
}

// Names the rule add_rule() has just added after its row, for explain().
void set_origin(Rules& rules, RuleKind kind, RuleOrigin origin) {
  switch (kind) {
    case RuleKind::kLetter:
    case RuleKind::kNative:
      rules.letters.back().origin = std::move(origin);
      return;
    case RuleKind::kAnchor:
      rules.anchors.back().origin = std::move(origin);
      return;
    case RuleKind::kStress:
      rules.stress.back().origin = std::move(origin);
      return;
    case RuleKind::kMarker:
    case RuleKind::kForeignSign:
      rules.markers.back().origin = std::move(origin);
      return;
    case RuleKind::kNativeSign:
    case RuleKind::kOnset:
    case RuleKind::kSpelling:
    case RuleKind::kVoicing:
    case RuleKind::kSetting:
      return;
  }
}

void add_row(Rules& rules, std::string_view source, const TsvRow& row) {
  const RowSource at{source, row};
  const std::string& key = row.fields[0];
  const std::size_t colon = key.find(':');
  if (colon == std::string::npos) {
    fail(at, "key '" + key + "' has no kind; write kind:pattern, for example letter:kh");
  }
  const TsvRow kind_field{row.line, {key.substr(0, colon)}};
  const RuleKind kind = detail::parse_enum(source, kind_field, 0, kRuleKinds);
  add_rule(rules, at, kind, std::string_view(key).substr(colon + 1), parse_int(at, 2, -9, 9));
  set_origin(rules, kind,
             RuleOrigin{key, row.fields[1], row.fields.size() > 3 ? row.fields[3] : ""});
}

// Vowel letters are those whose plain one-letter rule reads a vowel.
void find_vowel_letters(Rules& rules) {
  for (const LetterRule& rule : rules.letters) {
    const Site& site = rule.site;
    if (!rule.native && rule.sound.vowel && site.focus.size() == 1 && site.left.empty() &&
        site.right.empty()) {
      rules.vowel_letters.insert(site.focus.front().letter);
    }
  }
}

std::size_t letter_count(const Pattern& pattern) {
  return static_cast<std::size_t>(
      std::count_if(pattern.begin(), pattern.end(),
                    [](const Symbol& s) { return s.kind == SymbolKind::kLetter; }));
}

// Longest focus first, then the one with more context.
bool more_specific(const Site& a, const Site& b) {
  if (a.focus.size() != b.focus.size()) return a.focus.size() > b.focus.size();
  return a.left.size() + a.right.size() > b.left.size() + b.right.size();
}

void order_rules(Rules& rules) {
  std::stable_sort(rules.letters.begin(), rules.letters.end(),
                   [](const LetterRule& a, const LetterRule& b) {
                     if (a.site.focus.size() != b.site.focus.size() || a.native == b.native) {
                       return more_specific(a.site, b.site);
                     }
                     return a.native;
                   });
  std::stable_sort(
      rules.anchors.begin(), rules.anchors.end(),
      [](const AnchorRule& a, const AnchorRule& b) { return more_specific(a.site, b.site); });
  std::stable_sort(
      rules.spellings.begin(), rules.spellings.end(),
      [](const SpellingRule& a, const SpellingRule& b) { return more_specific(a.site, b.site); });
  std::stable_sort(rules.stress.begin(), rules.stress.end(),
                   [](const StressRule& a, const StressRule& b) {
                     if (a.pattern.size() != b.pattern.size()) {
                       return a.pattern.size() > b.pattern.size();
                     }
                     return letter_count(a.pattern) > letter_count(b.pattern);
                   });
}

Rules load_rules(std::string_view content, std::string_view source) {
  Rules rules;
  std::set<std::string> keys;
  for (const TsvRow& row : parse_tsv(content, source, TsvShape{3, 4})) {
    if (!keys.insert(row.fields[0]).second) {
      detail::fail_at(source, row, "duplicate key '" + row.fields[0] + "'");
    }
    add_row(rules, source, row);
  }
  const bool has_default = std::any_of(rules.stress.begin(), rules.stress.end(),
                                       [](const StressRule& s) { return s.pattern.size() == 1; });
  if (!has_default || !rules.min_score) {
    throw Error(ErrorCategory::kInput,
                std::string(source) +
                    ": the rules need the default stress rule 'stress:#' and the setting "
                    "'setting:min_score'");
  }
  find_vowel_letters(rules);
  order_rules(rules);
  for (std::size_t i = 0; i < rules.letters.size(); ++i)
    rules.letters_by_first[rules.letters[i].site.focus.front().letter].push_back(i);
  return rules;
}

// The latn: rows of the learned stress table (key, syllable_from_end, support, total).
void add_learned_stress(Rules& rules, std::string_view content, std::string_view source) {
  for (const TsvRow& row : parse_tsv(content, source, TsvShape{4, 4})) {
    const std::string& key = row.fields[0];
    if (!key.starts_with(kLearnedLatin)) continue;
    const RowSource at{source, row};
    const int support = parse_int(at, 2, 1, 1'000'000);
    const std::string rule_key = key.substr(kLearnedLatin.size());
    const std::size_t colon = rule_key.find(':');
    const std::string suffix = rule_key.substr(0, colon);
    if (suffix.empty() ||
        !std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      fail(at, "the suffix of a latn: row is lower-case letters a-z");
    }
    const std::string count = colon == std::string::npos ? "2" : rule_key.substr(colon + 1);
    if (count.size() != 1 || count[0] < '2' || count[0] > '0' + kMaxSyllableClass) {
      fail(at, "the syllable count after ':' in '" + key + "' is a number from 2 to " +
                   std::to_string(kMaxSyllableClass) + " (" + std::to_string(kMaxSyllableClass) +
                   ": that many or more)");
    }
    const int total = parse_int(at, 3, support, 1'000'000);
    const bool sure = support >= kSureSupport && 100 * support >= kSurePercent * total;
    rules.learned_stress.emplace(rule_key,
                                 LearnedRow{parse_int(at, 1, 1, 9), sure, key, support, total});
    rules.longest_learned = std::max(rules.longest_learned, suffix.size());
  }
}

Rules load_builtin_rules() {
  Rules rules = load_rules(detail::require_builtin(std::string(kBuiltinRules)),
                           "builtin:" + std::string(kBuiltinRules));
  add_learned_stress(rules, detail::require_builtin(std::string(kBuiltinStress)),
                     "builtin:" + std::string(kBuiltinStress));
  return rules;
}

}  // namespace

NameGuesser::NameGuesser() : rules_(std::make_shared<const Rules>(load_builtin_rules())) {}

NameGuesser::NameGuesser(std::string_view rules_tsv, std::string_view source_name)
    : rules_(std::make_shared<const Rules>(load_rules(rules_tsv, source_name))) {}

NameGuesser::NameGuesser(std::string_view rules_tsv, std::string_view rules_source,
                         std::string_view stress_tsv, std::string_view stress_source)
    : rules_(std::make_shared<const Rules>([&] {
        Rules rules = load_rules(rules_tsv, rules_source);
        add_learned_stress(rules, stress_tsv, stress_source);
        return rules;
      }())) {}

bool NameGuesser::looks_belarusian(std::string_view word) const {
  const std::optional<Letters> letters = split_letters(word);
  if (!letters) return false;
  const std::optional<Reading> reading = read_word(*rules_, *letters);
  return reading && reading->score >= *rules_->min_score;
}

std::optional<std::string> NameGuesser::guess(std::string_view word, bool force) const {
  const std::optional<Letters> letters = split_letters(word);
  if (!letters) return std::nullopt;
  const std::optional<Reading> reading = read_word(*rules_, *letters);
  if (!reading || (!force && reading->score < *rules_->min_score)) return std::nullopt;
  return render(*rules_, *reading);
}

std::optional<int> NameGuesser::spelling_score(std::string_view word) const {
  const std::optional<Letters> letters = split_letters(word);
  if (!letters) return std::nullopt;
  const std::optional<Reading> reading = read_word(*rules_, *letters);
  if (!reading) return std::nullopt;
  return reading->score;
}

int NameGuesser::min_score() const noexcept { return *rules_->min_score; }

namespace {

std::string anchor_name(Anchor anchor) {
  for (const auto& [name, value] : kAnchors) {
    if (value == anchor) return std::string(name);
  }
  return "none";
}

void explain_stress(const Rules& rules, const Reading& reading, const Trace& trace,
                    GuessExplanation& out) {
  std::vector<std::size_t> vowels;
  for (std::size_t i = 0; i < reading.units.size(); ++i) {
    if (reading.units[i].vowel) vowels.push_back(i);
  }
  bool by_anchor = false;
  const std::size_t primary = stressed_vowel(reading, vowels, &by_anchor);
  // The letter group of the stressed vowel: the primary-th vowel group.
  std::size_t seen = 0;
  for (GuessExplanation::Sound& sound : out.sounds) {
    if (sound.value.find('|') == std::string::npos) continue;
    sound.stressed = seen++ == primary;
  }
  const std::string place = std::to_string(vowels.size() - primary) + " from the end";
  if (by_anchor) {
    std::size_t vowel_group = 0;
    for (const Trace::Group& group : trace.groups) {
      if (!group.rule->sound.vowel) continue;
      if (vowel_group++ != primary || group.anchor == nullptr) continue;
      out.stress_rule = group.anchor->origin.key;
      out.stress_detail = anchor_name(group.anchor->anchor) + ": syllable " + place;
      if (!group.anchor->origin.note.empty()) out.stress_detail += "; " + group.anchor->origin.note;
      return;
    }
  }
  if (trace.learned != nullptr) {
    const LearnedRow& row = *trace.learned;
    out.stress_rule = row.key;
    out.stress_detail = "learned: syllable " + place + ", " + std::to_string(row.support) + " of " +
                        std::to_string(row.total) + " names";
    return;
  }
  const auto is_default = [](const StressRule& s) { return s.pattern.size() == 1; };
  const auto fallback = std::find_if(rules.stress.begin(), rules.stress.end(), is_default);
  const StressRule& rule = trace.stress != nullptr ? *trace.stress : *fallback;
  out.stress_rule = rule.origin.key;
  out.stress_detail = "syllable " + place;
  if (!rule.origin.note.empty()) out.stress_detail += "; " + rule.origin.note;
}

}  // namespace

GuessExplanation NameGuesser::explain(std::string_view word) const {
  GuessExplanation out;
  out.min_score = *rules_->min_score;
  const std::optional<Letters> letters = split_letters(word);
  if (!letters) return out;
  Trace trace;
  const std::optional<Reading> reading = read_word(*rules_, *letters, &trace);
  if (!reading) return out;
  out.readable = true;
  out.score = reading->score;
  for (const Trace::Group& group : trace.groups) {
    const RuleOrigin& origin = group.rule->origin;
    out.sounds.push_back(GuessExplanation::Sound{group.letters, origin.key, origin.value, false});
    if (group.rule->weight != 0) {
      out.weights.push_back(GuessExplanation::Weight{origin.key, group.rule->weight, origin.note});
    }
  }
  if (trace.stress != nullptr && trace.stress->weight != 0) {
    out.weights.push_back(GuessExplanation::Weight{trace.stress->origin.key, trace.stress->weight,
                                                   trace.stress->origin.note});
  }
  for (const Marker* marker : trace.markers) {
    if (marker->weight == 0) continue;
    out.weights.push_back(
        GuessExplanation::Weight{marker->origin.key, marker->weight, marker->origin.note});
  }
  explain_stress(*rules_, *reading, trace, out);
  out.ipa = render(*rules_, *reading);
  return out;
}

}  // namespace narrator
