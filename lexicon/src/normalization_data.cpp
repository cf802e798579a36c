#include "narrator/lexicon/normalization_data.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <unordered_set>
#include <utility>

#include "data_table.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

constexpr std::array<std::pair<std::string_view, AbbreviationContext>, 7> kContexts{{
    {"state", AbbreviationContext::kState},
    {"title", AbbreviationContext::kTitle},
    {"street", AbbreviationContext::kStreet},
    {"after_house_number", AbbreviationContext::kAfterHouseNumber},
    {"number", AbbreviationContext::kNumber},
    {"after_name", AbbreviationContext::kAfterName},
    {"any", AbbreviationContext::kAny},
}};
constexpr std::array<std::pair<std::string_view, AcronymReading>, 2> kReadings{{
    {"letters", AcronymReading::kLetters},
    {"word", AcronymReading::kWord},
}};
constexpr std::array<std::pair<std::string_view, UnitPlacement>, 2> kUnitPlacements{{
    {"any", UnitPlacement::kAny},
    {"attached", UnitPlacement::kAttached},
}};
constexpr std::array<std::pair<std::string_view, CurrencyPlacement>, 3> kCurrencyPlacements{{
    {"prefix", CurrencyPlacement::kPrefix},
    {"suffix", CurrencyPlacement::kSuffix},
    {"both", CurrencyPlacement::kBoth},
}};
constexpr std::array<std::pair<std::string_view, CalendarKind>, 2> kCalendarKinds{{
    {"month", CalendarKind::kMonth},
    {"weekday", CalendarKind::kWeekday},
}};
constexpr std::array<std::pair<std::string_view, NumberCue>, 13> kCues{{
    {"year_before", NumberCue::kYearBefore},
    {"year_after", NumberCue::kYearAfter},
    {"scale", NumberCue::kScale},
    {"roman_cardinal", NumberCue::kRomanCardinal},
    {"meridiem", NumberCue::kMeridiem},
    {"time_zone", NumberCue::kTimeZone},
    {"regnal_name", NumberCue::kRegnalName},
    {"year_determiner", NumberCue::kYearDeterminer},
    {"era", NumberCue::kEra},
    {"identifier", NumberCue::kIdentifier},
    {"count_after", NumberCue::kCountAfter},
    {"temperature", NumberCue::kTemperature},
    {"ratio", NumberCue::kRatio},
}};
constexpr std::array<std::pair<std::string_view, ElectronicPlace>, 4> kElectronicPlaces{{
    {"domain", ElectronicPlace::kDomain},
    {"file", ElectronicPlace::kFile},
    {"scheme", ElectronicPlace::kScheme},
    {"separator", ElectronicPlace::kSeparator},
}};
constexpr std::array<std::pair<std::string_view, ElectronicReading>, 3> kElectronicReadings{{
    {"word", ElectronicReading::kWord},
    {"letters", ElectronicReading::kLetters},
    {"spoken", ElectronicReading::kSpoken},
}};

// One table: its rows, and its name for messages.
struct Table {
  std::string name;
  std::vector<TsvRow> rows;
};

Table read_table(std::string_view language, std::string_view file, TsvShape shape) {
  const std::string path = std::string(language) + "/" + std::string(file);
  Table table{"builtin:" + path, {}};
  table.rows = parse_tsv(detail::require_builtin(path), table.name, shape);
  return table;
}

// Field `column`, or "" when the row stops before it.
const std::string& field_or_empty(const TsvRow& row, std::size_t column) {
  static const std::string kEmpty;
  return column < row.fields.size() ? row.fields[column] : kEmpty;
}

// "-" marks an empty field in tables whose later columns must stay aligned.
std::string optional_field(const TsvRow& row, std::size_t column) {
  const std::string& value = field_or_empty(row, column);
  return value == "-" ? std::string() : value;
}

template <typename Value>
void insert_unique(std::unordered_map<std::string, Value>& map, const Table& table,
                   const TsvRow& row, Value value) {
  if (!map.emplace(row.fields[0], std::move(value)).second) {
    detail::fail_at(table.name, row, "duplicate entry '" + row.fields[0] + "'");
  }
}

void require_text(const Table& table, const TsvRow& row, std::size_t column) {
  if (field_or_empty(row, column).empty()) {
    detail::fail_at(table.name, row, "column " + std::to_string(column + 1) + " is empty");
  }
}

int parse_int(const Table& table, const TsvRow& row, std::size_t column, int min, int max) {
  const std::string& text = row.fields[column];
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    detail::fail_at(table.name, row,
                    "'" + text + "' is not a number from " + std::to_string(min) + " to " +
                        std::to_string(max));
  }
  return value;
}

// ---- number words, syllable clusters and possessive endings ----------------------------------

enum class NumberWordKind { kDigit, kScale, kVulgarFraction, kYearPrefix, kOperator, kArticle };
constexpr std::array<std::pair<std::string_view, NumberWordKind>, 6> kNumberWordKinds{{
    {"digit", NumberWordKind::kDigit},
    {"scale", NumberWordKind::kScale},
    {"vulgar_fraction", NumberWordKind::kVulgarFraction},
    {"year_prefix", NumberWordKind::kYearPrefix},
    {"operator", NumberWordKind::kOperator},
    {"article", NumberWordKind::kArticle},
}};

enum class ClusterPlace { kOnset, kCoda, kOnsetCoda, kInitialVowels };
constexpr std::array<std::pair<std::string_view, ClusterPlace>, 4> kClusterPlaces{{
    {"onset", ClusterPlace::kOnset},
    {"coda", ClusterPlace::kCoda},
    {"onset_coda", ClusterPlace::kOnsetCoda},
    {"initial_vowels", ClusterPlace::kInitialVowels},
}};

// "1/2": a fraction's numerator and denominator, each one or two digits.
void require_fraction(const Table& table, const TsvRow& row, std::size_t column) {
  const std::string& value = field_or_empty(row, column);
  const std::size_t slash = value.find('/');
  const auto digits = [](std::string_view text) {
    return !text.empty() && text.size() <= 2 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (slash == std::string::npos || !digits(std::string_view(value).substr(0, slash)) ||
      !digits(std::string_view(value).substr(slash + 1))) {
    detail::fail_at(table.name, row, "'" + value + "' is not a fraction like 1/2");
  }
}

void add_number_word(const Table& table, const TsvRow& row, NumberWords& words) {
  const std::string& written = row.fields[0];
  switch (detail::parse_enum(table.name, row, 1, kNumberWordKinds)) {
    case NumberWordKind::kDigit: {
      if (written.size() != 1 || written[0] < '0' || written[0] > '9') {
        detail::fail_at(table.name, row, "a digit row is written as one digit 0-9");
      }
      require_text(table, row, 2);
      words.digits[static_cast<std::size_t>(written[0] - '0')] = row.fields[2];
      break;
    }
    case NumberWordKind::kScale: {
      constexpr int kMaxPower = 99;
      constexpr int kGroup = 3;
      require_text(table, row, 2);
      const int power = parse_int(table, row, 2, kGroup, kMaxPower);
      if (power % kGroup != 0)
        detail::fail_at(table.name, row, "a scale's power is a multiple of 3");
      const auto index = static_cast<std::size_t>(power / kGroup);
      if (words.scales.size() <= index) words.scales.resize(index + 1);
      if (!words.scales[index].empty()) {
        detail::fail_at(table.name, row, "a second word for the power " + row.fields[2]);
      }
      words.scales[index] = written;
      break;
    }
    case NumberWordKind::kVulgarFraction:
      require_fraction(table, row, 2);
      words.vulgar_fractions.emplace_back(written, row.fields[2]);
      break;
    case NumberWordKind::kYearPrefix:
      require_text(table, row, 2);
      words.year_prefixes.emplace(written, row.fields[2]);
      break;
    case NumberWordKind::kOperator:
      require_text(table, row, 2);
      words.operators.emplace(written, row.fields[2]);
      break;
    case NumberWordKind::kArticle:
      words.articles.insert(written);
      break;
  }
}

NumberWords number_words_from(const Table& table) {
  NumberWords words;
  std::unordered_set<std::string> seen;
  for (const TsvRow& row : table.rows) {
    if (!seen.insert(row.fields[0]).second) {
      detail::fail_at(table.name, row, "duplicate entry '" + row.fields[0] + "'");
    }
    add_number_word(table, row, words);
  }
  for (std::size_t digit = 0; digit < words.digits.size(); ++digit) {
    if (words.digits[digit].empty()) {
      throw Error(ErrorCategory::kInput,
                  table.name + ": no row for the digit " + std::to_string(digit) + "; add one");
    }
  }
  return words;
}

SyllableClusters syllable_clusters_from(const Table& table) {
  SyllableClusters clusters;
  for (const TsvRow& row : table.rows) {
    const std::string& cluster = row.fields[0];
    if (!std::all_of(cluster.begin(), cluster.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      detail::fail_at(table.name, row, "'" + cluster + "' is not lower-case letters a-z");
    }
    const ClusterPlace place = detail::parse_enum(table.name, row, 1, kClusterPlaces);
    const bool fresh = !clusters.onsets.contains(cluster) && !clusters.codas.contains(cluster) &&
                       !clusters.initial_vowel_pairs.contains(cluster);
    if (!fresh) detail::fail_at(table.name, row, "duplicate entry '" + cluster + "'");
    if (place == ClusterPlace::kOnset || place == ClusterPlace::kOnsetCoda) {
      clusters.onsets.insert(cluster);
    }
    if (place == ClusterPlace::kCoda || place == ClusterPlace::kOnsetCoda) {
      clusters.codas.insert(cluster);
    }
    if (place == ClusterPlace::kInitialVowels) clusters.initial_vowel_pairs.insert(cluster);
  }
  return clusters;
}

PossessiveEndings possessive_endings_from(const Table& table) {
  PossessiveEndings endings;
  std::unordered_set<std::string> seen;
  for (const TsvRow& row : table.rows) {
    require_text(table, row, 0);
    require_text(table, row, 1);
    if (!seen.insert(row.fields[0]).second) {
      detail::fail_at(table.name, row, "duplicate entry '" + row.fields[0] + "'");
    }
    endings.emplace_back(row.fields[0], row.fields[1]);
  }
  std::stable_sort(endings.begin(), endings.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return endings;
}

constexpr TsvShape kNumberWordsShape{2, 4};
constexpr TsvShape kSyllableClustersShape{2, 3};
constexpr TsvShape kPossessiveEndingsShape{2, 3};

void load_abbreviations(std::string_view language, NormalizationData& data) {
  const Table table = read_table(language, "abbreviations.tsv", TsvShape{3, 4});
  for (const TsvRow& row : table.rows) {
    require_text(table, row, 1);
    data.abbreviations[row.fields[0]].push_back(
        Abbreviation{row.fields[1], detail::parse_enum(table.name, row, 2, kContexts)});
  }
}

void load_acronyms(std::string_view language, NormalizationData& data) {
  const Table table = read_table(language, "acronyms.tsv", TsvShape{2, 4});
  for (const TsvRow& row : table.rows) {
    const AcronymReading reading = detail::parse_enum(table.name, row, 1, kReadings);
    insert_unique(data.acronyms, table, row, Acronym{reading, field_or_empty(row, 2)});
  }
}

void load_units(std::string_view language, NormalizationData& data) {
  const Table table = read_table(language, "units.tsv", TsvShape{4, 5});
  for (const TsvRow& row : table.rows) {
    require_text(table, row, 1);
    require_text(table, row, 2);
    insert_unique(data.units, table, row,
                  Unit{row.fields[1], row.fields[2],
                       detail::parse_enum(table.name, row, 3, kUnitPlacements)});
  }
}

void load_currencies(std::string_view language, NormalizationData& data) {
  const Table table = read_table(language, "currencies.tsv", TsvShape{6, 7});
  for (const TsvRow& row : table.rows) {
    require_text(table, row, 2);
    require_text(table, row, 3);
    insert_unique(
        data.currencies, table, row,
        Currency{detail::parse_enum(table.name, row, 1, kCurrencyPlacements), row.fields[2],
                 row.fields[3], optional_field(row, 4), optional_field(row, 5)});
  }
}

void load_symbols(std::string_view language, NormalizationData& data) {
  const Table table = read_table(language, "symbols.tsv", TsvShape{2, 3});
  for (const TsvRow& row : table.rows) {
    require_text(table, row, 1);
    insert_unique(data.symbols, table, row, row.fields[1]);
  }
}

void load_calendar(std::string_view language, NormalizationData& data) {
  const Table table = read_table(language, "calendar.tsv", TsvShape{3, 4});
  for (const TsvRow& row : table.rows) {
    const CalendarKind kind = detail::parse_enum(table.name, row, 1, kCalendarKinds);
    const int value = parse_int(table, row, 2, 1, kind == CalendarKind::kMonth ? 12 : 7);
    insert_unique(data.calendar, table, row, CalendarWord{kind, value});
  }
}

void load_number_cues(std::string_view language, NormalizationData& data) {
  const Table table = read_table(language, "number_cues.tsv", TsvShape{2, 4});
  for (const TsvRow& row : table.rows) {
    const NumberCue cue = detail::parse_enum(table.name, row, 1, kCues);
    if (cue == NumberCue::kScale || cue == NumberCue::kMeridiem) require_text(table, row, 2);
    std::vector<NumberCueEntry>& entries = data.number_cues[row.fields[0]];
    if (std::any_of(entries.begin(), entries.end(),
                    [&](const NumberCueEntry& entry) { return entry.cue == cue; })) {
      detail::fail_at(table.name, row, "duplicate cue for '" + row.fields[0] + "'");
    }
    entries.push_back(NumberCueEntry{cue, field_or_empty(row, 2)});
  }
}

void load_electronic_words(std::string_view language, NormalizationData& data) {
  const Table table = read_table(language, "electronic_words.tsv", TsvShape{3, 5});
  for (const TsvRow& row : table.rows) {
    const ElectronicReading reading = detail::parse_enum(table.name, row, 1, kElectronicReadings);
    if (reading == ElectronicReading::kSpoken) require_text(table, row, 3);
    insert_unique(data.electronic_words, table, row,
                  ElectronicWord{reading, detail::parse_enum(table.name, row, 2, kElectronicPlaces),
                                 optional_field(row, 3)});
  }
}

// Numbers read as names and reporting periods (number_names.tsv, periods.tsv).
void load_number_names(std::string_view language, NormalizationData& data) {
  constexpr std::array<std::pair<std::string_view, NumberNamePlace>, 2> kPlaces{{
      {"before", NumberNamePlace::kBefore},
      {"after", NumberNamePlace::kAfter},
  }};
  const Table table = read_table(language, "number_names.tsv", TsvShape{2, 3});
  for (const TsvRow& row : table.rows) {
    insert_unique(data.number_names, table, row, detail::parse_enum(table.name, row, 1, kPlaces));
  }
}

void load_periods(std::string_view language, NormalizationData& data) {
  constexpr int kMaxPeriods = 12;
  constexpr std::array<std::pair<std::string_view, bool>, 2> kAlone{{{"yes", true}, {"no", false}}};
  const Table table = read_table(language, "periods.tsv", TsvShape{4, 4});
  for (const TsvRow& row : table.rows) {
    require_text(table, row, 1);
    insert_unique(data.periods, table, row,
                  Period{row.fields[1], parse_int(table, row, 2, 1, kMaxPeriods),
                         detail::parse_enum(table.name, row, 3, kAlone)});
  }
  const Table articles = read_table(language, "period_articles.tsv", TsvShape{1, 2});
  for (const TsvRow& row : articles.rows) {
    insert_unique(data.period_articles, articles, row, field_or_empty(row, 1));
  }
}

}  // namespace

const std::string* NormalizationData::cue_spoken(std::string_view word, NumberCue cue) const {
  const auto found = number_cues.find(std::string(word));
  if (found == number_cues.end()) return nullptr;
  for (const NumberCueEntry& entry : found->second) {
    if (entry.cue == cue) return &entry.spoken;
  }
  return nullptr;
}

bool NormalizationData::has_cue(std::string_view word, NumberCue cue) const {
  return cue_spoken(word, cue) != nullptr;
}

NormalizationData load_normalization_data(std::string_view language) {
  NormalizationData data;
  data.number_words =
      number_words_from(read_table(language, "number_words.tsv", kNumberWordsShape));
  data.syllable_clusters =
      syllable_clusters_from(read_table(language, "syllable_clusters.tsv", kSyllableClustersShape));
  load_abbreviations(language, data);
  load_acronyms(language, data);
  load_units(language, data);
  load_currencies(language, data);
  load_symbols(language, data);
  load_calendar(language, data);
  load_number_cues(language, data);
  load_electronic_words(language, data);
  load_number_names(language, data);
  load_periods(language, data);
  return data;
}

NumberWords parse_number_words(std::string_view content, std::string_view source) {
  return number_words_from(
      Table{std::string(source), parse_tsv(content, source, kNumberWordsShape)});
}

SyllableClusters parse_syllable_clusters(std::string_view content, std::string_view source) {
  return syllable_clusters_from(
      Table{std::string(source), parse_tsv(content, source, kSyllableClustersShape)});
}

PossessiveEndings parse_possessive_endings(std::string_view content, std::string_view source) {
  return possessive_endings_from(
      Table{std::string(source), parse_tsv(content, source, kPossessiveEndingsShape)});
}

PossessiveEndings load_possessive_endings(std::string_view language) {
  return possessive_endings_from(
      read_table(language, "possessive_endings.tsv", kPossessiveEndingsShape));
}

}  // namespace narrator
