#include "narrator/lexicon/normalization_data.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
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
constexpr std::array<std::pair<std::string_view, NumberCue>, 11> kCues{{
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

}  // namespace narrator
