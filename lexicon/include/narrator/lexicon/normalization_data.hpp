// normalization_data.hpp: the word lists a language's text normalizer reads, loaded from the
// built-in tables in lexicon/data/<language>/ (abbreviations, acronyms, units, currencies,
// symbols, calendar words, number cues, web address words, number words and syllable clusters).
// Each table's header documents its columns.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace narrator {

// Where an abbreviation's reading applies (abbreviations.tsv, column 3).
enum class AbbreviationContext {
  kTitle,      // before a capitalized name: "Dr. Smith" → doctor
  kNumber,     // before a number: "No. 5" → number
  kAfterName,  // after a capitalized word: "Main St." → street
  kAny,        // anywhere: "etc." → et cetera
  kStreet,  // a street type after a capitalized word: "Main St." → street, "Larkspur Ct" → court
  kAfterHouseNumber,  // between a house number and a street name: "940 W Juniper Ave" → East
  kState,             // after a place name and comma: "Fresno, CA 93711" → California
};

struct Abbreviation {
  std::string spoken;
  AbbreviationContext context = AbbreviationContext::kAny;
};

enum class AcronymReading { kLetters, kWord };

struct Acronym {
  AcronymReading reading = AcronymReading::kLetters;
  std::string spoken;  // how the voice should read it; empty: the written form (letters spelled)
};

enum class UnitPlacement {
  kAny,       // "5 km" and "5km"
  kAttached,  // only glued to the number ("5s", "10in"): the bare word is ambiguous
};

struct Unit {
  std::string singular;
  std::string plural;
  UnitPlacement placement = UnitPlacement::kAny;
};

enum class CurrencyPlacement { kPrefix, kSuffix, kBoth };

struct Currency {
  CurrencyPlacement placement = CurrencyPlacement::kPrefix;
  std::string major_singular;
  std::string major_plural;
  std::string minor_singular;  // empty when the currency has no minor unit in use
  std::string minor_plural;
};

// The words and signs the number reader uses (number_words.tsv).
struct NumberWords {
  std::array<std::string, 10> digits;  // "zero" … "nine"
  // Scale words by power of ten / 3: scales[1] "thousand", scales[2] "million"; empty where the
  // table has no word.
  std::vector<std::string> scales;
  // Fraction characters and their "numerator/denominator" ("½" → "1/2"), in table order.
  std::vector<std::pair<std::string, std::string>> vulgar_fractions;
  std::unordered_map<std::string, std::string> year_prefixes;  // "mid" → "mid"
  std::unordered_map<std::string, std::string> operators;      // "-" → "minus" (in equations)
  std::unordered_set<std::string> articles;                    // "a", "an"
};

// Letter clusters of English syllables (syllable_clusters.tsv), lower case.
struct SyllableClusters {
  std::unordered_set<std::string> onsets;               // "str", "bl"
  std::unordered_set<std::string> codas;                // "nd", "ght"
  std::unordered_set<std::string> initial_vowel_pairs;  // "eu", "ou"
};

enum class CalendarKind { kMonth, kWeekday };

struct CalendarWord {
  CalendarKind kind = CalendarKind::kMonth;
  int value = 0;  // month 1–12 or weekday 1–7 (Monday = 1)
};

// What a word next to a number says about it (number_cues.tsv).
enum class NumberCue {
  kYearBefore,      // "in 2005": the number after it is a year
  kYearAfter,       // "2020 election": a year stays a year before it
  kScale,           // "million", "bn": multiplies the number before it
  kRomanCardinal,   // "Chapter IV": the Roman numeral after it is a plain number
  kMeridiem,        // "a.m."
  kTimeZone,        // "ET"
  kRegnalName,      // "Henry V": a Roman numeral after this name is a regnal ordinal
  kYearDeterminer,  // "the 1911 strike": a year before a word that is not a plural noun
  kEra,             // "1279–1213 BC": the numbers before it are years
  kIdentifier,      // "ISSN 0317-2260": the number after it is a code, read digit by digit
  kCountAfter,      // "the 2000 people": a plural without "s" that keeps the number a count
  kTemperature,     // "highs of 12C": a number glued to C or F after it is a temperature
  kRatio,           // "won 3:1", "odds of 5:2": a colon pair near it is a score, ratio or odds
};

struct NumberCueEntry {
  NumberCue cue = NumberCue::kYearBefore;
  std::string spoken;  // the reading for kScale and kMeridiem ("billion", "A-M")
};

// How a label of a web address or file name is read (electronic_words.tsv).
enum class ElectronicReading {
  kWord,     // "com", "org", "news": said as a word
  kLetters,  // "pdf", "html": spelled
  kSpoken,   // "jpg" → "jay peg": the table's spoken column
};

// Where a label is known: the last label of a host name, a file name's extension, a scheme
// before "://", or a mark between labels ("." dot, "@" at).
enum class ElectronicPlace { kDomain, kFile, kScheme, kSeparator };

struct ElectronicWord {
  ElectronicReading reading = ElectronicReading::kWord;
  ElectronicPlace place = ElectronicPlace::kDomain;
  std::string spoken;  // kSpoken only
};

// Where a word stands to make a number beside it a name read digit by digit (number_names.tsv).
enum class NumberNamePlace {
  kBefore,  // a maker before its model: "Boeing 747"
  kAfter,   // a road after its number: "the 405 freeway"
};

// A reporting period written as a letter and a number ("Q3": the third quarter).
struct Period {
  std::string spoken;  // "quarter"
  int per_year = 0;    // 4: the numbers Q1 to Q4
  bool alone = false;  // also read without a year ("in Q3"); "H2" alone is hydrogen
};

struct NormalizationData {
  // Keys are the written forms, case-sensitive. Alternatives keep the table's order; the first
  // is the default.
  std::unordered_map<std::string, std::vector<Abbreviation>> abbreviations;
  std::unordered_map<std::string, Acronym> acronyms;
  std::unordered_map<std::string, Unit> units;
  std::unordered_map<std::string, Currency> currencies;
  std::unordered_map<std::string, std::string> symbols;
  std::unordered_map<std::string, CalendarWord> calendar;
  std::unordered_map<std::string, std::vector<NumberCueEntry>> number_cues;
  std::unordered_map<std::string, ElectronicWord> electronic_words;  // lower case
  std::unordered_map<std::string, NumberNamePlace> number_names;     // lower case ("boeing")
  std::unordered_map<std::string, Period> periods;                   // "Q", "H"
  std::unordered_map<std::string, std::string> period_articles;      // "in": "in the third quarter"

  bool has_cue(std::string_view word, NumberCue cue) const;
  // The spoken form of `word` for `cue`, or nullptr when the word has no such cue.
  const std::string* cue_spoken(std::string_view word, NumberCue cue) const;

  NumberWords number_words;            // number_words.tsv
  SyllableClusters syllable_clusters;  // syllable_clusters.tsv
};

// The built-in tables for `language` ("en"). Throws Error(kInput) naming file:line when a table
// is malformed (column count, unknown enum value, duplicate key, bad number), and Error(kUsage)
// when the language has no tables.
NormalizationData load_normalization_data(std::string_view language);

// The possessive ending ('s) by a pronunciation's last sound (possessive_endings.tsv): {last
// sound, ending} in IPA, longest last sound first.
using PossessiveEndings = std::vector<std::pair<std::string, std::string>>;

// The built-in possessive endings for `language`. Throws as load_normalization_data does.
PossessiveEndings load_possessive_endings(std::string_view language);

// One table's rows from `content`, named `source` in errors: Error(kInput) "source:line: what"
// for a malformed row (column count, unknown kind or place, a digit row that is not one digit, a
// scale power that is not a multiple of 3, a fraction not like 1/2, a duplicate key, a missing
// digit). The built-in tables load through these.
NumberWords parse_number_words(std::string_view content, std::string_view source);
SyllableClusters parse_syllable_clusters(std::string_view content, std::string_view source);
PossessiveEndings parse_possessive_endings(std::string_view content, std::string_view source);

}  // namespace narrator
