#include "classifier.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "number_text.hpp"
#include "utf8.hpp"
#include "verbalizer.hpp"

namespace narrator {
namespace {

using detail::all_digits;
using detail::is_all_caps;
using detail::is_capitalized;
using detail::is_digit;
using detail::parse_number;
using detail::small_integer;

constexpr int kMinYear = 1000;
constexpr int kMaxYear = 2099;
constexpr int kMaxRegnal = 40;  // above this, a Roman-looking word after a name is an acronym
constexpr std::size_t kYearDigits = 4;
constexpr std::size_t kZipDigits = 5;
constexpr int kMinRecentYear = 1900;
constexpr std::size_t kMinPhoneDigits = 7;
constexpr std::size_t kMaxPhoneDigits = 15;
constexpr std::size_t kMaxPhonePieces = 6;
constexpr std::string_view kEnDash = "\xE2\x80\x93";

constexpr std::array<int, 13> kDaysInMonth{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

bool valid_date(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= kDaysInMonth[month] &&
         (year == 0 || (year >= kMinYear && year <= 2999));
}

// A whole number read in `style`.
Quantity counted(std::string digits, NumberStyle style) {
  Quantity quantity;
  quantity.number.integer = std::move(digits);
  quantity.style = style;
  return quantity;
}

// Decades: "1990s", "1990’s", "'90s", "90s".
std::optional<Quantity> decade(std::string_view text) {
  for (const std::string_view suffix : {"s", "'s", "\xE2\x80\x99s"}) {
    if (!text.ends_with(suffix)) continue;
    std::string_view digits = text.substr(0, text.size() - suffix.size());
    for (const std::string_view mark : {"'", "\xE2\x80\x99"}) {
      if (digits.starts_with(mark)) digits.remove_prefix(mark.size());
    }
    if ((digits.size() == 4 || digits.size() == 2) && all_digits(digits) && digits.back() == '0') {
      return counted(std::string(digits), NumberStyle::kDecade);
    }
  }
  return std::nullopt;
}

std::optional<int> year_value(std::string_view text) {
  if (text.size() != kYearDigits || !all_digits(text)) return std::nullopt;
  const int value = *small_integer(text);
  if (value < kMinYear || value > kMaxYear) return std::nullopt;
  return value;
}

// "13", "13th", "1st": a day of the month.
std::optional<int> day_value(std::string_view text) {
  const std::optional<std::string> ordinal = detail::ordinal_digits(text);
  const std::string_view digits = ordinal ? std::string_view(*ordinal) : text;
  if (digits.empty() || digits.size() > 2 || !all_digits(digits)) return std::nullopt;
  const int value = *small_integer(digits);
  if (value < 1 || value > 31) return std::nullopt;
  return value;
}

// Splits "a<sep>b<sep>c" into its parts when every part is digits.
std::vector<std::string_view> digit_groups(std::string_view text, char separator) {
  std::vector<std::string_view> groups;
  std::size_t begin = 0;
  for (std::size_t at = 0; at <= text.size(); ++at) {
    if (at < text.size() && text[at] != separator) continue;
    const std::string_view group = text.substr(begin, at - begin);
    if (!all_digits(group)) return {};
    groups.push_back(group);
    begin = at + 1;
  }
  return groups;
}

std::optional<DateValue> numeric_date(std::string_view core) {
  for (const char separator : {'-', '/', '.'}) {
    const std::vector<std::string_view> groups = digit_groups(core, separator);
    if (groups.size() != 3) continue;
    const std::array<std::size_t, 3> sizes{groups[0].size(), groups[1].size(), groups[2].size()};
    const int a = *small_integer(groups[0]);
    const int b = *small_integer(groups[1]);
    const int c = *small_integer(groups[2]);
    if (sizes[0] == 4 && sizes[1] <= 2 && sizes[2] <= 2 && separator != '.') {  // 2021-07-13
      if (valid_date(a, b, c)) return DateValue{a, b, c, 0, false};
      // "1998/2/30": with slashes the year-first order says date even where the day is past the
      // month's end; read as written.
      constexpr int kMaxDay = 31;
      if (separator == '/' && valid_date(a, b, 1) && c >= 1 && c <= kMaxDay) {
        return DateValue{a, b, c, 0, false};
      }
      continue;
    }
    // "10/23/07": a two-digit year only with slashes; "10-23-07" may be a code.
    const bool short_year = sizes[2] == 2 && separator == '/';
    if (sizes[0] > 2 || sizes[1] > 2 || (sizes[2] != 4 && !short_year)) continue;
    // Day first when the first number cannot be a month, or in the European dotted style.
    const bool day_first = a > 12 || (separator == '.' && b <= 12);
    const int month = day_first ? b : a;
    const int day = day_first ? a : b;
    if (short_year && valid_date(0, month, day)) {
      DateValue date{c, month, day, 0, day_first};
      date.short_year = true;
      return date;
    }
    if (!short_year && valid_date(c, month, day)) return DateValue{c, month, day, 0, day_first};
  }
  return std::nullopt;
}

bool has_digit(std::string_view text) { return std::any_of(text.begin(), text.end(), is_digit); }
bool has_alpha(std::string_view text) {
  return std::any_of(text.begin(), text.end(), detail::is_alpha);
}

bool is_phone_char(char c) {
  return is_digit(c) || c == '-' || c == '(' || c == ')' || c == '+' || c == '.';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (detail::is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The table's entry for `label` (folded to lower case) when it is listed for `place`.
bool listed_label(const NormalizationData& data, std::string_view label, ElectronicPlace place) {
  const auto found = data.electronic_words.find(lower(label));
  return found != data.electronic_words.end() && found->second.place == place;
}

bool is_word_domain(const NormalizationData& data, std::string_view label) {
  if (label.size() == 2 && std::all_of(label.begin(), label.end(), detail::is_lower)) return true;
  return listed_label(data, label, ElectronicPlace::kDomain);
}

// "ourdailynews.abc", "gomel.xyz": a host in lower case whose last label no table lists is still
// a domain when it cannot be an abbreviation or a slip of the space bar: every label of two
// letters or more, one of three or more, the last of three to six letters ("e.g", "i.e" and
// "No.1" are not; a missing space after a period before a capital is not lower case).
bool unlisted_domain(std::string_view host, std::string_view last) {
  constexpr std::size_t kMinLabel = 2;
  constexpr std::size_t kMinLast = 3;
  constexpr std::size_t kMaxLast = 6;
  if (last.size() < kMinLast || last.size() > kMaxLast ||
      !std::all_of(last.begin(), last.end(), detail::is_lower) ||
      !std::all_of(host.begin(), host.end(), [](char c) {
        return detail::is_lower(c) || is_digit(c) || c == '-' || c == '.';
      })) {
    return false;
  }
  std::size_t begin = 0;
  bool long_label = false;
  for (std::size_t at = 0; at <= host.size(); ++at) {
    if (at < host.size() && host[at] != '.') continue;
    const std::string_view label = host.substr(begin, at - begin);
    if (label.size() < kMinLabel || !detail::is_lower(label[0])) return false;
    long_label = long_label || label.size() >= kMinLast;
    begin = at + 1;
  }
  return long_label;
}

// "example.com", "CBCNews.ca", "sub.example.org/path": a bare domain name; "report.pdf",
// "index.html": a file name with a listed extension.
bool looks_like_domain(const NormalizationData& data, std::string_view core, bool unlisted) {
  const std::string_view host = core.substr(0, core.find('/'));
  const std::size_t last_dot = host.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return false;
  std::string_view last = host.substr(last_dot + 1);
  // "wolframalpha.comDensity": a word run into the last label.
  if (const std::size_t glued = glued_label_length(data, last); glued > 0) {
    last = last.substr(0, glued);
  }
  if (!is_word_domain(data, last) && !listed_label(data, last, ElectronicPlace::kFile) &&
      !(unlisted && unlisted_domain(host, last))) {
    return false;
  }
  std::size_t begin = 0;
  bool long_label = false;
  for (std::size_t at = 0; at <= last_dot; ++at) {
    if (at < last_dot && host[at] != '.') continue;
    const std::string_view label = host.substr(begin, at - begin);
    if (label.empty()) return false;
    for (const char c : label) {
      if (!detail::is_alpha(c) && !is_digit(c) && c != '-') return false;
    }
    long_label = long_label || label.size() >= 2;
    begin = at + 1;
  }
  return long_label;
}

// `unlisted`: whether a host whose last label no table lists may be a domain (not when it is two
// words the voice's word lists hold: "left.then" is a missing space).
bool looks_electronic(const NormalizationData& data, std::string_view core, bool unlisted) {
  if (core.starts_with("www.")) return core.size() > 8;
  // "http://…", "file:///…": a listed scheme, or a word run into one ("sitehttp://…").
  if (const std::size_t scheme = core.find("://");
      scheme != std::string_view::npos && scheme > 0 &&
      (listed_label(data, core.substr(0, scheme), ElectronicPlace::kScheme) ||
       glued_scheme_length(data, core.substr(0, scheme)) > 0)) {
    return core.size() > scheme + 3;
  }
  const std::size_t at = core.find('@');
  if (at != std::string_view::npos && at > 0) {
    const std::string_view host = core.substr(at + 1, core.find('/', at) - at - 1);
    const std::size_t dot = host.rfind('.');
    return dot != std::string_view::npos && dot > 0 && dot + 2 < host.size() &&
           std::all_of(host.begin() + static_cast<std::ptrdiff_t>(dot) + 1, host.end(),
                       detail::is_alpha);
  }
  return looks_like_domain(data, core, unlisted);
}

// "july", "JULY" → "July".
std::string title_case(std::string_view text) {
  std::string out = lower(text);
  if (!out.empty() && detail::is_lower(out[0])) out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// "0317-2260", "0-312-98871-4", "978-1402894626": digit groups joined by hyphens that no count
// or range reads. A group with a leading zero, a group too long for a count, or three or more
// groups make a code; a letter may end it (a check digit "X"), more letters make a serial that
// is read as a word with numbers.
bool looks_like_code(std::string_view written) {
  std::string text;  // en dashes as hyphens
  for (std::size_t at = 0; at < written.size(); ++at) {
    if (written.substr(at).starts_with(kEnDash)) {
      text += '-';
      at += kEnDash.size() - 1;
    } else {
      text += written[at];
    }
  }
  if (!std::all_of(text.begin(), text.end(),
                   [](char c) { return is_digit(c) || detail::is_alpha(c) || c == '-'; })) {
    return false;
  }
  if (std::count_if(text.begin(), text.end(), detail::is_alpha) > 1) return false;
  const std::vector<std::string_view> groups = detail::digit_runs(text);
  constexpr std::size_t kMaxCountDigits = 7;
  bool code = false;
  for (const std::string_view group : groups) {
    code = code || (group.size() > 1 && group[0] == '0') || group.size() > kMaxCountDigits;
  }
  const auto hyphens = std::count(text.begin(), text.end(), '-');
  return groups.size() >= 2 && (code || (groups.size() >= 3 && hyphens >= 2));
}

// "978-0", "1-8090", "170 - 45190": two numbers joined by a hyphen that no count range reads.
// A range of counts does not end at zero after a number of three digits or more, and its ends
// are of like size: an end of four digits or more, not round, at least two digits longer than
// the start makes the pair an identifier, each number read alone.
bool identifier_pair(std::string_view left, std::string_view right) {
  constexpr std::size_t kMinLongEnd = 4;
  constexpr std::size_t kMinDigitGap = 2;
  constexpr std::size_t kMinZeroEndStart = 3;
  if (left.empty() || right.empty() || !all_digits(left) || !all_digits(right) ||
      (left.size() > 1 && left[0] == '0')) {
    return false;
  }
  if (right == "0") return left.size() >= kMinZeroEndStart;
  return right[0] != '0' && right.size() >= kMinLongEnd && !right.ends_with("00") &&
         right.size() >= left.size() + kMinDigitGap;
}

// The longest number read as a count in an identifier pair; a longer one is read digit by digit.
constexpr std::size_t kMaxPairCountDigits = 4;

// A plural count noun ends in "s" ("the 2000 votes"); "the 1911 strike" does not.
bool looks_plural(std::string_view word) {
  return word.size() > 2 && word.ends_with('s') && !word.ends_with("ss");
}

}  // namespace

// One classify() call: the sentence's pieces and the tokens made from them so far.
class Classifier::Run {
 public:
  Run(const Classifier& classifier, std::string_view text, std::vector<Piece> pieces)
      : classifier_(classifier),
        data_(classifier.data_),
        folded_units_(classifier.folded_units_),
        text_(text),
        pieces_(std::move(pieces)),
        quotes_{pieces_.empty() ? 0 : pieces_.front().lead_begin, 0} {}

  std::vector<Token> run();

 private:
  std::optional<Match> match_at(std::size_t i) const;
  std::optional<Match> match_possessive(std::size_t i);
  std::optional<Match> match_telephone(std::size_t i) const;
  std::optional<Match> match_date(std::size_t i) const;
  std::optional<Match> match_month_first(std::size_t i, int month) const;
  std::optional<Match> match_day_first(std::size_t i) const;
  std::optional<Match> match_weekday(std::size_t i, int weekday) const;
  std::optional<Match> match_time(std::size_t i) const;
  std::optional<Match> match_money(std::size_t i) const;
  std::optional<Match> match_number(std::size_t i) const;
  std::optional<Match> match_decade(std::size_t i) const;
  std::optional<Match> match_fraction(std::size_t i) const;
  std::optional<Match> match_dimension(std::size_t i) const;
  std::optional<Match> match_amount(std::size_t i) const;
  std::optional<Match> match_mixed_fraction(std::size_t i) const;
  std::optional<Match> match_range(std::size_t i) const;
  std::optional<Match> match_time_range(std::size_t i, std::string_view left,
                                        std::string_view right) const;
  std::optional<TimeValue> clock_time(std::string_view text, std::string meridiem) const;
  std::optional<Match> match_year_or_cardinal(std::size_t i, const Number& number) const;
  std::optional<Match> match_roman(std::size_t i) const;
  std::optional<Match> match_abbreviation(std::size_t i) const;
  std::optional<Match> match_acronym(std::size_t i) const;
  std::optional<Match> match_letter_group(std::size_t i) const;
  std::optional<Match> match_word(std::size_t i) const;
  std::string capitals_reading(std::string_view capitals) const;
  std::optional<Match> match_house_number(std::size_t i, const Number& number) const;
  std::optional<Match> match_period(std::size_t i) const;
  std::optional<Match> match_elapsed_time(std::size_t i) const;
  std::optional<Match> match_ratio(std::size_t i) const;
  bool ratio_cue_near(std::size_t i) const;
  std::optional<Match> match_symbol_parts(std::size_t i) const;
  std::optional<Match> match_signs_and_letters(std::size_t i) const;
  std::string letters_as_written(std::string_view letters) const;
  std::optional<Match> match_item_number(std::size_t i, const Number& number) const;
  std::optional<Match> match_year_slash(std::size_t i) const;
  std::optional<Match> match_temperature(std::size_t i) const;

  std::string unsayable_labels(std::string_view address) const;
  bool is_code_word(std::string_view word) const;
  bool identifier_before(std::size_t i) const;
  bool is_regnal_name(std::size_t i) const;
  bool zip_code_at(std::size_t i) const;
  bool is_street_word(std::size_t i) const;
  bool inch_mark_after(std::size_t i) const;
  std::optional<Quantity> quantity(std::string_view text) const;
  std::optional<Quantity> money_amount(std::string_view text) const;
  std::optional<Quantity> with_unit(std::size_t i, Quantity quantity, std::size_t& pieces) const;
  const Unit* glued_unit(std::string_view text, std::string_view& number_part) const;
  std::optional<CalendarWord> calendar_at(std::size_t i, CalendarKind kind) const;
  std::optional<DateValue> hyphenated_date(std::string_view text) const;
  const Unit* find_unit(std::string_view symbol) const;
  std::optional<std::string> meridiem_at(std::size_t i) const;
  std::optional<std::string> zone_at(std::size_t i) const;
  std::string_view core(std::size_t i) const {
    return i < pieces_.size() ? pieces_[i].core : std::string_view();
  }
  char first_char(std::size_t i) const { return core(i).empty() ? '\0' : core(i)[0]; }
  bool has_trail(std::size_t i) const { return pieces_[i].trail_end > pieces_[i].end; }
  bool trail_starts_with_period(std::size_t i) const {
    return has_trail(i) && text_[pieces_[i].end] == '.';
  }
  bool is_last(std::size_t i) const { return i + 1 == pieces_.size(); }
  // "a 120 km stretch": after an article, a measure describes the noun that follows.
  bool is_attributive(std::size_t i) const {
    return i > 0 && !has_trail(i - 1) && data_.number_words.articles.contains(lower(core(i - 1)));
  }
  // The core plus its period when the piece ends in one ("Mr." from "Mr" + ".").
  std::string with_period(std::size_t i) const { return std::string(core(i)) + "."; }
  std::size_t period_bytes(std::size_t i) const { return is_last(i) ? 0 : 1; }
  void emit_punctuation(std::size_t begin, std::size_t end, std::vector<Token>& out) const;

  // Numbers joined to signs and letters: equations, serials, identifier pairs.
  std::optional<Match> match_joined_numbers(std::size_t i) const;
  std::optional<Match> match_equation(std::size_t i) const;
  std::optional<Match> match_trailing_off(std::size_t i) const;
  std::optional<Match> match_section(std::size_t i) const;
  std::optional<Match> match_marked_number(std::size_t i) const;
  std::optional<Match> match_lettered_count(std::size_t i) const;
  std::optional<Match> match_spaced_decade(std::size_t i) const;
  std::optional<Match> match_identifier_pair(std::string_view left, std::string_view right) const;
  bool spaced_identifier_pair(std::size_t hyphen) const;
  bool era_at(std::size_t i) const;
  bool phrase_identifier_before(std::size_t i) const;
  std::optional<std::string> lower_case_street(std::size_t i) const;
  // The syllable tests with this language's clusters (syllable_clusters.tsv).
  bool pronounceable(std::string_view letters) const {
    return narrator::pronounceable(letters, data_.syllable_clusters);
  }
  bool sayable_start(std::string_view letters) const {
    return narrator::sayable_start(letters, data_.syllable_clusters);
  }

  const Classifier& classifier_;
  const NormalizationData& data_;
  const std::unordered_map<std::string, const Unit*>& folded_units_;
  std::string_view text_;
  std::vector<Piece> pieces_;
  // Double quotes in the sentence before `end`, inch marks not counted (inch_mark_after).
  struct QuoteCount {
    std::size_t end = 0;
    std::size_t count = 0;
  };
  mutable QuoteCount quotes_;
};

std::vector<Token> Classifier::Run::run() {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < pieces_.size()) {
    const Piece& first = pieces_[i];
    if (first.core.empty()) {
      emit_punctuation(first.lead_begin, first.begin, tokens);
      ++i;
      continue;
    }
    Match match = match_possessive(i).value_or(Match{1, TokenClass::kWord, {}, 0});
    const Piece& last = pieces_[i + match.piece_count - 1];
    const std::size_t token_end = last.end + match.extra_end;
    // A telephone number owns its brackets and plus sign: "(017) 222-11-00".
    const std::size_t token_begin =
        match.token_class == TokenClass::kTelephone ? first.lead_begin : first.begin;
    if (token_begin == first.begin) emit_punctuation(first.lead_begin, first.begin, tokens);
    tokens.push_back(Token{SourceSpan{token_begin, token_end}, match.token_class,
                           std::move(match.payload), match.possessive, match.verbatim});
    emit_punctuation(token_end, last.trail_end, tokens);
    i += match.piece_count;
  }
  return tokens;
}

// The labels of a web address to spell, space-separated: "yafc", "imdb", "espn": three or four
// lower-case letters with a vowel that English cannot say as a syllable and the voice's word lists
// do not hold ("news" and "docs" are words, though the syllable test does not know their
// endings). Labels without a vowel are spelled anyway, and listed ones as the table says.
std::string Classifier::Run::unsayable_labels(std::string_view address) const {
  constexpr std::size_t kMinLetters = 3;
  constexpr std::size_t kMaxLetters = 4;
  std::string spelled;
  std::size_t at = 0;
  while (at < address.size()) {
    std::size_t end = at;
    while (end < address.size() && detail::is_alpha(address[end])) ++end;
    const std::string_view label = address.substr(at, end - at);
    const bool bounded = end == address.size() || !is_digit(address[end]);
    if (bounded && (at == 0 || !is_digit(address[at - 1])) && label.size() >= kMinLetters &&
        label.size() <= kMaxLetters && std::all_of(label.begin(), label.end(), detail::is_lower) &&
        label.find_first_of("aeiouy") != std::string_view::npos &&
        !data_.electronic_words.contains(std::string(label)) && !pronounceable(label) &&
        !classifier_.known_word(label)) {
      spelled += (spelled.empty() ? "" : " ") + std::string(label);
    }
    at = end == at ? at + 1 : end;
  }
  return spelled;
}

// "QX", "KL", "TRBZ": a short word in capitals that no table knows (not an acronym, Roman
// numeral, currency, cue or abbreviation with a period) names a code; a number after it is read
// digit by digit. ("N" is also a compass point, but only between a house number and a street name.)
bool Classifier::Run::is_code_word(std::string_view word) const {
  constexpr std::size_t kMaxCodeLetters = 5;
  if (word.empty() || word.size() > kMaxCodeLetters ||
      !std::all_of(word.begin(), word.end(), detail::is_upper) || word == "I" || word == "A") {
    return false;
  }
  const std::string key(word);
  // A unit is a code before a number ("GB 2207"): units follow their numbers.
  return !data_.acronyms.contains(key) && !detail::roman_value(word) &&
         !data_.currencies.contains(key) && !data_.number_cues.contains(key) &&
         !data_.abbreviations.contains(key + ".") && !data_.calendar.contains(key);
}

// "ISSN 0317-2260", "QX 48213": the word before piece `i` makes it an identifier.
bool Classifier::Run::identifier_before(std::size_t i) const {
  if (i == 0 || has_trail(i - 1) || !pieces_[i].lead(text_).empty()) return false;
  return data_.has_cue(core(i - 1), NumberCue::kIdentifier) || is_code_word(core(i - 1));
}

// "CA 93711", "FL, 32801", "NY 10001-2345": five digits (and four more after a hyphen) after a
// state code are a ZIP code.
bool Classifier::Run::zip_code_at(std::size_t i) const {
  const std::string_view text = core(i);
  const bool zip =
      (text.size() == kZipDigits && all_digits(text)) ||
      (text.size() == kZipDigits + 5 && text[kZipDigits] == '-' &&
       all_digits(text.substr(0, kZipDigits)) && all_digits(text.substr(kZipDigits + 1)));
  if (!zip || i == 0 || !pieces_[i].lead(text_).empty()) return false;
  const std::string_view between = pieces_[i - 1].trail(text_);
  if (!between.empty() && between != ",") return false;
  const auto found = data_.abbreviations.find(std::string(core(i - 1)));
  return found != data_.abbreviations.end() &&
         std::any_of(found->second.begin(), found->second.end(), [](const Abbreviation& entry) {
           return entry.context == AbbreviationContext::kState;
         });
}

// "Henry", "Mary": a name that takes a regnal number.
bool Classifier::Run::is_regnal_name(std::size_t i) const {
  return i < pieces_.size() && is_capitalized(core(i)) &&
         data_.has_cue(core(i), NumberCue::kRegnalName);
}

// "St", "Expy", "Ave.": a street type after a street's name (abbreviations.tsv, street).
bool Classifier::Run::is_street_word(std::size_t i) const {
  if (i >= pieces_.size()) return false;
  for (const std::string& key : {std::string(core(i)), with_period(i)}) {
    const auto found = data_.abbreviations.find(key);
    if (found == data_.abbreviations.end()) continue;
    for (const Abbreviation& entry : found->second) {
      if (entry.context == AbbreviationContext::kStreet) return true;
    }
  }
  return false;
}

// "12\" long": a double quote right after a number, with no quotation open before it, is the
// inch mark.
bool Classifier::Run::inch_mark_after(std::size_t i) const {
  if (!has_trail(i) || text_[pieces_[i].end] != '"') return false;
  // Quotes are counted on from the last count, so a sentence of many inch marks stays linear.
  const std::size_t end = pieces_[i].end;
  if (end < quotes_.end) quotes_ = QuoteCount{pieces_.front().lead_begin, 0};
  const std::string_view more = text_.substr(quotes_.end, end - quotes_.end);
  quotes_.count += static_cast<std::size_t>(std::count(more.begin(), more.end(), '"'));
  quotes_.end = end;
  if (quotes_.count % 2 != 0) return false;
  quotes_.end = end + 1;  // an inch mark opens no quotation: "3\" wide, 4\" deep"
  return true;
}

// "KGB's", "the 1990s' boom", "29th’s": a number or an acronym with a possessive ending is
// classified without the ending, which the verbalizer adds back.
std::optional<Classifier::Match> Classifier::Run::match_possessive(std::size_t i) {
  const std::string_view text = core(i);
  std::size_t suffix = 0;
  for (const std::string_view ending : {"'s", "\xE2\x80\x99s"}) {
    if (text.size() > ending.size() && text.ends_with(ending)) suffix = ending.size();
  }
  const std::string_view stem = text.substr(0, text.size() - suffix);
  if (suffix == 0 || decade(text) || !(has_digit(stem) || is_all_caps(stem))) return match_at(i);
  Piece& piece = pieces_[i];
  const Piece whole = piece;
  piece.end -= suffix;
  piece.core = stem;
  std::optional<Match> match = match_at(i);
  piece = whole;
  if (!match || match->piece_count != 1 || match->token_class == TokenClass::kWord) {
    return match_at(i);
  }
  match->possessive = true;
  return match;
}

void Classifier::Run::emit_punctuation(std::size_t begin, std::size_t end,
                                       std::vector<Token>& out) const {
  if (end > begin) out.push_back(Token{SourceSpan{begin, end}, TokenClass::kPunctuation, {}});
}

std::optional<Classifier::Match> Classifier::Run::match_at(std::size_t i) const {
  const std::string_view text = core(i);
  if (std::optional<Match> joined = match_joined_numbers(i)) return joined;
  // Whole written forms with a fixed reading come first ("24/7", "&").
  if (const auto symbol = data_.symbols.find(std::string(text)); symbol != data_.symbols.end()) {
    return Match{1, TokenClass::kSymbol, Reading{symbol->second}, 0};
  }
  if (has_digit(text)) {
    for (const auto matcher : {&Run::match_period, &Run::match_date, &Run::match_telephone,
                               &Run::match_ratio, &Run::match_time, &Run::match_elapsed_time,
                               &Run::match_money, &Run::match_range, &Run::match_number}) {
      if (std::optional<Match> match = (this->*matcher)(i)) return match;
    }
  }
  if (text.starts_with('#') || text.starts_with('@')) {
    if (text.size() > 1 && (detail::is_alpha(text[1]) || is_digit(text[1]))) {
      return Match{1, TokenClass::kHashtag, {}, 0};
    }
  }
  // "left.then": two words the voice's lists hold, joined by a period, are a missing space (the
  // lists also hold acronyms: "test.abc" ends in letters English cannot say, a domain).
  const std::size_t dot = text.find('.');
  const bool two_words =
      dot != std::string_view::npos && text.find('.', dot + 1) == std::string_view::npos &&
      classifier_.known_word(text.substr(0, dot)) && classifier_.known_word(text.substr(dot + 1)) &&
      pronounceable(text.substr(dot + 1));
  if (looks_electronic(data_, text, !two_words) && !data_.abbreviations.contains(with_period(i))) {
    return Match{1, TokenClass::kElectronic, Reading{unsayable_labels(text)}, 0};
  }
  for (const auto matcher :
       {&Run::match_date, &Run::match_money, &Run::match_roman, &Run::match_abbreviation,
        &Run::match_acronym, &Run::match_letter_group, &Run::match_symbol_parts,
        &Run::match_word}) {
    if (std::optional<Match> match = (this->*matcher)(i)) return match;
  }
  return std::nullopt;
}

// ---- calendar -------------------------------------------------------------------------------

std::optional<CalendarWord> Classifier::Run::calendar_at(std::size_t i, CalendarKind kind) const {
  if (i >= pieces_.size() || core(i).empty()) return std::nullopt;
  // "July", and also "july" or "JULY" (read as dates only before a day number).
  for (const std::string& word : {std::string(core(i)), title_case(core(i))}) {
    for (const std::string& key : {word + ".", word}) {
      const auto found = data_.calendar.find(key);
      if (found != data_.calendar.end() && found->second.kind == kind) return found->second;
    }
  }
  return std::nullopt;
}

std::optional<Classifier::Match> Classifier::Run::match_date(std::size_t i) const {
  if (std::optional<DateValue> date = numeric_date(core(i))) {
    return Match{1, TokenClass::kDate, *date, 0};
  }
  if (const std::optional<CalendarWord> month = calendar_at(i, CalendarKind::kMonth)) {
    return match_month_first(i, month->value);
  }
  if (std::optional<DateValue> date = hyphenated_date(core(i))) {
    return Match{1, TokenClass::kDate, *date, 0};
  }
  if (const std::optional<CalendarWord> weekday = calendar_at(i, CalendarKind::kWeekday)) {
    return match_weekday(i, weekday->value);
  }
  return match_day_first(i);
}

// "Jan-15-2020", "Jan-15".
std::optional<DateValue> Classifier::Run::hyphenated_date(std::string_view text) const {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string month_word = title_case(text.substr(0, dash));
  const auto month = data_.calendar.find(month_word);
  if (month == data_.calendar.end() || month->second.kind != CalendarKind::kMonth) {
    return std::nullopt;
  }
  const std::vector<std::string_view> rest = digit_groups(text.substr(dash + 1), '-');
  if (rest.empty() || rest.size() > 2 || !day_value(rest[0])) return std::nullopt;
  DateValue date{0, month->second.value, *day_value(rest[0]), 0, false};
  if (rest.size() == 2) {
    if (!year_value(rest[1])) return std::nullopt;
    date.year = *year_value(rest[1]);
  }
  if (!valid_date(date.year, date.month, date.day)) return std::nullopt;
  return date;
}

std::optional<Classifier::Match> Classifier::Run::match_month_first(std::size_t i,
                                                                    int month) const {
  const bool period = trail_starts_with_period(i);
  if (has_trail(i) && !(period && pieces_[i].trail_end - pieces_[i].end == 1)) {
    return std::nullopt;
  }
  DateValue date{0, month, 0, 0, false};
  if (const std::optional<int> day = day_value(core(i + 1))) {
    date.day = *day;
    if (!valid_date(0, month, date.day)) return std::nullopt;
    const std::string_view after_day = pieces_[i + 1].trail(text_);
    if ((after_day.empty() || after_day == ",") && year_value(core(i + 2))) {
      date.year = *year_value(core(i + 2));
      return Match{3, TokenClass::kDate, date, 0};
    }
    return Match{2, TokenClass::kDate, date, 0};
  }
  if (!detail::is_upper(first_char(i))) return std::nullopt;
  if (const std::optional<int> year = year_value(core(i + 1))) {
    date.year = *year;
    return Match{2, TokenClass::kDate, date, 0};
  }
  return std::nullopt;
}

std::optional<Classifier::Match> Classifier::Run::match_day_first(std::size_t i) const {
  const std::optional<int> day = day_value(core(i));
  if (!day || has_trail(i)) return std::nullopt;
  const std::optional<CalendarWord> month = calendar_at(i + 1, CalendarKind::kMonth);
  if (!month || !valid_date(0, month->value, *day)) return std::nullopt;
  DateValue date{0, month->value, *day, 0, true};
  date.after_the = i > 0 && lower(core(i - 1)) == "the";
  const std::string_view after_month = pieces_[i + 1].trail(text_);
  if ((after_month.empty() || after_month == "." || after_month == ",") &&
      year_value(core(i + 2))) {
    date.year = *year_value(core(i + 2));
    return Match{3, TokenClass::kDate, date, 0};
  }
  return Match{2, TokenClass::kDate, date, 0};
}

// "Saturday (13)": the weekday and the day of the month in parentheses.
std::optional<Classifier::Match> Classifier::Run::match_weekday(std::size_t i, int weekday) const {
  if (i + 1 >= pieces_.size() || has_trail(i)) return std::nullopt;
  const Piece& next = pieces_[i + 1];
  const std::optional<int> day = day_value(next.core);
  if (!day || next.lead(text_) != "(" || !next.trail(text_).starts_with(')')) return std::nullopt;
  return Match{2, TokenClass::kDate, DateValue{0, 0, *day, weekday, false}, 1};
}

// ---- telephone ------------------------------------------------------------------------------

std::optional<Classifier::Match> Classifier::Run::match_telephone(std::size_t i) const {
  std::string joined;
  std::size_t best = 0;
  for (std::size_t k = i; k < pieces_.size() && k - i < kMaxPhonePieces; ++k) {
    std::string_view raw = pieces_[k].raw(text_);
    const std::string_view trail = pieces_[k].trail(text_);
    const bool final_piece =
        k + 1 == pieces_.size() || trail.find_first_not_of(')') != std::string_view::npos;
    while (final_piece && !raw.empty() &&
           (raw.back() == '.' || raw.back() == ',' || raw.back() == ';' || raw.back() == ':')) {
      raw.remove_suffix(1);
    }
    if (raw.empty() || !std::all_of(raw.begin(), raw.end(), is_phone_char)) break;
    if (!joined.empty()) joined += ' ';
    joined.append(raw);
    const std::vector<std::string_view> groups = detail::digit_runs(joined);
    std::size_t digit_count = 0;
    for (const std::string_view group : groups) digit_count += group.size();
    const bool international = joined.starts_with('+');
    const bool separated =
        std::count(raw.begin(), raw.end(), '-') + std::count(raw.begin(), raw.end(), '.') >=
        (k == i ? 2 : 1);
    const bool bracketed = joined.starts_with('(');
    if (digit_count >= kMinPhoneDigits && digit_count <= kMaxPhoneDigits && groups.size() >= 2 &&
        (international || bracketed || separated)) {
      best = k - i + 1;
    }
    if (final_piece) break;
  }
  if (best == 0) return std::nullopt;
  // The digits and separators belong to the token; its own leading "(" or "+" too.
  return Match{best, TokenClass::kTelephone, {}, 0};
}

// ---- time -----------------------------------------------------------------------------------

std::optional<std::string> Classifier::Run::meridiem_at(std::size_t i) const {
  if (i >= pieces_.size()) return std::nullopt;
  // "A.M.", "P.M": written in capitals with periods, looked up in lower case.
  const bool dotted_capitals = core(i).find('.') != std::string_view::npos &&
                               std::none_of(core(i).begin(), core(i).end(), detail::is_lower);
  for (const std::string& key :
       {with_period(i), std::string(core(i)), lower(with_period(i)), lower(core(i))}) {
    if (key != core(i) && key != with_period(i) && !dotted_capitals) continue;
    if (const std::string* spoken = data_.cue_spoken(key, NumberCue::kMeridiem)) return *spoken;
  }
  return std::nullopt;
}

std::optional<std::string> Classifier::Run::zone_at(std::size_t i) const {
  if (i >= pieces_.size()) return std::nullopt;
  std::string zone(core(i));
  if (!data_.has_cue(zone, NumberCue::kTimeZone)) {
    for (char& c : zone) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!std::all_of(core(i).begin(), core(i).end(), detail::is_lower) ||
        !data_.has_cue(zone, NumberCue::kTimeZone)) {
      return std::nullopt;
    }
  }
  return zone;
}

std::optional<Classifier::Match> Classifier::Run::match_time(std::size_t i) const {
  std::size_t count = 1;
  std::optional<TimeValue> time;
  if (!has_trail(i)) {
    if (const std::optional<std::string> after = meridiem_at(i + 1)) {  // "9 a.m.", "1.59 p.m."
      time = clock_time(core(i), *after);
      count = time ? 2 : 1;
    }
  }
  if (!time) time = clock_time(core(i), "");  // "15:30", "7pm"
  if (!time) return std::nullopt;
  const bool meridiem = !time->meridiem.empty();
  const std::size_t last = i + count - 1;
  if (!has_trail(last) || (meridiem && trail_starts_with_period(last))) {
    if (std::optional<std::string> zone = zone_at(last + 1)) {
      time->zone = *zone;
      ++count;
    }
  }
  // A meridiem written with periods ("a.m.", and glued: "7p.m.") takes its final period unless
  // it ends the sentence.
  const std::size_t closing = i + count - 1;
  const std::size_t suffix = core(i).find_first_not_of("0123456789:.");
  const bool dotted = count > 1 || (suffix != std::string_view::npos &&
                                    core(i).find('.', suffix) != std::string_view::npos);
  const bool takes_period =
      closing == last && meridiem && dotted && trail_starts_with_period(closing);
  return Match{count, TokenClass::kTime, *time, takes_period ? period_bytes(closing) : 0};
}

// "1:23.45": a race time in minutes and seconds with a fraction of a second, read "one minute and
// twenty-three point four five seconds" (units.tsv's "min" and "s"). No clock has a fraction.
std::optional<Classifier::Match> Classifier::Run::match_elapsed_time(std::size_t i) const {
  const std::string_view text = core(i);
  const std::size_t colon = text.find(':');
  const std::size_t point = text.find('.');
  constexpr std::size_t kMaxMinuteDigits = 2;
  constexpr std::size_t kSecondDigits = 2;
  if (colon == std::string_view::npos || colon == 0 || colon > kMaxMinuteDigits ||
      point != colon + 1 + kSecondDigits || point + 1 >= text.size() ||
      !all_digits(text.substr(0, colon)) || !all_digits(text.substr(colon + 1, kSecondDigits)) ||
      !all_digits(text.substr(point + 1))) {
    return std::nullopt;
  }
  constexpr int kMaxSeconds = 59;
  const Unit* minute = find_unit("min");
  const Unit* second = find_unit("s");
  const std::optional<Number> seconds = parse_number(text.substr(colon + 1));
  if (minute == nullptr || second == nullptr || !seconds ||
      small_integer(text.substr(colon + 1, kSecondDigits)).value_or(kMaxSeconds + 1) >
          kMaxSeconds) {
    return std::nullopt;
  }
  Quantity to;
  to.number = *seconds;
  to.unit = second;
  const std::string_view minutes = text.substr(0, colon);
  if (minutes.find_first_not_of('0') == std::string_view::npos) {  // "0:58.12": seconds only
    return Match{1, TokenClass::kMeasure, to, 0};
  }
  Quantity from = counted(std::string(minutes), NumberStyle::kCardinal);
  from.unit = minute;
  return Match{1, TokenClass::kRange, Range{from, to, "and"}, 0};
}

// ---- scores, ratios and odds ----------------------------------------------------------------

constexpr std::size_t kMaxRatioDigits = 3;

// A word that says the colon pair at piece i is a score, a ratio or the odds (number_cues.tsv's
// "ratio"): the word right before it or right after it, in the same clause ("won 12:30", "a
// 10:30 ratio"). Further away it may be a time's ("won the 3:30 race").
bool Classifier::Run::ratio_cue_near(std::size_t i) const {
  const auto cue = [&](std::size_t at) {
    return data_.has_cue(lower(core(at)), NumberCue::kRatio);
  };
  return (!has_trail(i) && i + 1 < pieces_.size() && cue(i + 1)) ||
         (i > 0 && !has_trail(i - 1) && cue(i - 1));
}

// "3:1", "won 2:0", "by a 34:1 margin", "11:10 odds": two whole numbers around a colon read as a
// score, a ratio or the odds, "three to one". A pair that cannot be a clock time (one digit after
// the colon, minutes past 59, hours past 23) is one; a pair that can is one only right beside a cue
// word, and never before "a.m." ("won 3:15 p.m.").
std::optional<Classifier::Match> Classifier::Run::match_ratio(std::size_t i) const {
  const std::string_view text = core(i);
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > kMaxRatioDigits ||
      text.size() - colon - 1 == 0 || text.size() - colon - 1 > kMaxRatioDigits ||
      !all_digits(text.substr(0, colon)) || !all_digits(text.substr(colon + 1))) {
    return std::nullopt;
  }
  if (clock_time(text, "") && (meridiem_at(i + 1) || !ratio_cue_near(i))) return std::nullopt;
  return Match{1, TokenClass::kRange,
               Range{counted(std::string(text.substr(0, colon)), NumberStyle::kCardinal),
                     counted(std::string(text.substr(colon + 1)), NumberStyle::kCardinal), "to"},
               0};
}

// ---- numbers --------------------------------------------------------------------------------

// The unit written `symbol`: exactly, or with its case folded when that is unambiguous ("KG").
const Unit* Classifier::Run::find_unit(std::string_view symbol) const {
  if (const auto exact = data_.units.find(std::string(symbol)); exact != data_.units.end()) {
    return &exact->second;
  }
  if (symbol.size() < 2) return nullptr;
  const auto folded = folded_units_.find(lower(symbol));
  return folded == folded_units_.end() ? nullptr : folded->second;
}

const Unit* Classifier::Run::glued_unit(std::string_view text,
                                        std::string_view& number_part) const {
  // Unit symbols are short: only the last few bytes can be one, so a huge token stays linear.
  constexpr std::size_t kMaxUnitBytes = 16;
  const std::size_t first = text.size() > kMaxUnitBytes ? text.size() - kMaxUnitBytes : 1;
  for (std::size_t split = first; split < text.size(); ++split) {
    const char c = text[split - 1];
    if (!is_digit(c) && c != '.') continue;
    const Unit* unit = find_unit(text.substr(split));
    if (unit == nullptr) continue;
    number_part = text.substr(0, split);
    return unit;
  }
  return nullptr;
}

// A number, possibly glued to a scale suffix ("3m", "2bn") or a percent sign.
std::optional<Quantity> Classifier::Run::quantity(std::string_view text) const {
  Quantity quantity;
  if (text.ends_with('%')) {
    quantity.percent = true;
    text.remove_suffix(1);
  }
  if (std::optional<Number> number = parse_number(text)) {
    quantity.number = *number;
    return quantity;
  }
  const std::size_t split = text.find_first_not_of("0123456789.,-");
  if (split == std::string_view::npos || split == 0 || quantity.percent) return std::nullopt;
  const std::string* scale = data_.cue_spoken(text.substr(split), NumberCue::kScale);
  const std::optional<Number> number = parse_number(text.substr(0, split));
  if (scale == nullptr || !number) return std::nullopt;
  quantity.number = *number;
  quantity.scale = *scale;
  return quantity;
}

std::optional<Quantity> Classifier::Run::money_amount(std::string_view text) const {
  for (std::size_t length = std::min<std::size_t>(text.size() - 1, 4); length > 0; --length) {
    const auto found = data_.currencies.find(std::string(text.substr(0, length)));
    if (found == data_.currencies.end() || found->second.placement == CurrencyPlacement::kSuffix) {
      continue;
    }
    std::string_view rest = text.substr(length);
    // "Rs.500": the period ends the abbreviated sign; the amount is five hundred rupees, not five
    // hundred paise.
    if (detail::is_alpha(text[length - 1]) && rest.size() > 1 && rest[0] == '.' &&
        is_digit(rest[1])) {
      rest.remove_prefix(1);
    }
    const Unit* per_unit = nullptr;
    if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
      per_unit = find_unit(rest.substr(slash + 1));  // "$20/mo"
      if (per_unit == nullptr) continue;
      rest = rest.substr(0, slash);
    }
    std::optional<Quantity> amount = quantity(rest);
    if (!amount || amount->percent) continue;
    amount->currency = &found->second;
    amount->per_unit = per_unit;
    return amount;
  }
  return std::nullopt;
}

std::optional<Classifier::Match> Classifier::Run::match_money(std::size_t i) const {
  std::optional<Quantity> amount = money_amount(core(i));
  std::size_t count = 1;
  const auto currency = data_.currencies.find(std::string(core(i)));
  if (!amount && currency != data_.currencies.end() &&
      currency->second.placement != CurrencyPlacement::kSuffix && !has_trail(i)) {
    // "Br 100", "BYN 250": the currency as its own word before the amount.
    amount = quantity(core(i + 1));
    if (!amount || amount->percent) return std::nullopt;
    amount->currency = &currency->second;
    count = 2;
  }
  if (!amount) {
    amount = quantity(core(i));
    if (!amount || amount->percent || has_trail(i)) return std::nullopt;
    std::size_t next = i + 1;
    if (const std::string* scale = data_.cue_spoken(core(next), NumberCue::kScale);
        scale != nullptr && amount->scale.empty() && !has_trail(next)) {
      amount->scale = *scale;
      ++next;
    }
    const auto suffix = data_.currencies.find(std::string(core(next)));
    if (suffix == data_.currencies.end() ||
        suffix->second.placement == CurrencyPlacement::kPrefix) {
      return std::nullopt;
    }
    amount->currency = &suffix->second;
    return Match{next - i + 1, TokenClass::kMoney, *amount, 0};
  }
  const std::size_t last = i + count - 1;
  if (amount->scale.empty() && !has_trail(last)) {
    if (const std::string* scale = data_.cue_spoken(core(last + 1), NumberCue::kScale)) {
      amount->scale = *scale;
      ++count;
    }
  }
  return Match{count, TokenClass::kMoney, *amount, 0};
}

// A measure unit after the number: glued ("12kg"), or the next one or two pieces ("50 sq km").
std::optional<Quantity> Classifier::Run::with_unit(std::size_t i, Quantity quantity,
                                                   std::size_t& pieces) const {
  pieces = 1;
  if (has_trail(i) || i + 1 >= pieces_.size()) return std::nullopt;
  std::size_t at = i + 1;
  // "100 million kg": a scale word between the number and the unit.
  if (const std::string* scale = data_.cue_spoken(core(at), NumberCue::kScale);
      scale != nullptr && quantity.scale.empty() && !has_trail(at)) {
    quantity.scale = *scale;
    ++at;
  }
  quantity.attributive = is_attributive(i);
  if (at + 1 < pieces_.size() && !has_trail(at)) {
    if (const Unit* two = find_unit(std::string(core(at)) + " " + std::string(core(at + 1)))) {
      quantity.unit = two;
      pieces = at + 2 - i;
      return quantity;
    }
  }
  std::string_view symbol = core(at);
  // "g/cm3", "kg/m2": a unit per another.
  if (const std::size_t slash = symbol.find('/');
      slash != std::string_view::npos && slash > 0 && find_unit(symbol) == nullptr) {
    const Unit* per = find_unit(symbol.substr(slash + 1));
    if (per == nullptr) return std::nullopt;
    quantity.per_unit = per;
    symbol = symbol.substr(0, slash);
  }
  const Unit* one = find_unit(symbol);
  if (one == nullptr || (one->placement != UnitPlacement::kAny && quantity.per_unit == nullptr) ||
      !pieces_[at].lead(text_).empty()) {
    return std::nullopt;
  }
  quantity.unit = one;
  pieces = at + 1 - i;
  return quantity;
}

// "10:30", "10:30:15", "7pm", "8:12p.m.", and with a given meridiem also "7" or "1.59": a clock
// time. A bare number is never a time without a meridiem.
std::optional<TimeValue> Classifier::Run::clock_time(std::string_view text,
                                                     std::string meridiem) const {
  const std::size_t split = text.find_first_not_of("0123456789:.");
  if (split != std::string_view::npos) {
    const std::string suffix(text.substr(split));
    // "21:00:00Z": ISO 8601's "Z" (UTC) after a clock time with minutes.
    if (suffix == "Z" && meridiem.empty() && split > 0 &&
        text.find(':') != std::string_view::npos) {
      std::optional<TimeValue> utc = clock_time(text.substr(0, split), "");
      if (utc) utc->zone = suffix;
      return utc;
    }
    const std::string* spoken = data_.cue_spoken(suffix, NumberCue::kMeridiem);
    if (spoken == nullptr) spoken = data_.cue_spoken(suffix + ".", NumberCue::kMeridiem);
    // "4A.M": written in capitals with periods, looked up in lower case (as meridiem_at does).
    if (spoken == nullptr && suffix.find('.') != std::string::npos &&
        std::none_of(suffix.begin(), suffix.end(), detail::is_lower)) {
      spoken = data_.cue_spoken(lower(suffix), NumberCue::kMeridiem);
    }
    if (spoken == nullptr || split == 0 || !meridiem.empty()) return std::nullopt;
    meridiem = *spoken;
    text = text.substr(0, split);
  }
  std::vector<std::string_view> parts = digit_groups(text, ':');
  if (parts.size() < 2 && !meridiem.empty()) {
    const std::vector<std::string_view> dotted = digit_groups(text, '.');
    if (dotted.size() == 2) parts = dotted;
  }
  if (parts.empty() || parts.size() > 3 || (parts.size() == 1 && meridiem.empty())) {
    return std::nullopt;
  }
  for (std::size_t at = 0; at < parts.size(); ++at) {
    if (parts[at].size() > 2 || (at > 0 && parts[at].size() != 2)) return std::nullopt;
  }
  TimeValue time;
  time.hour = *small_integer(parts[0]);
  time.minute = parts.size() > 1 ? *small_integer(parts[1]) : 0;
  time.second = parts.size() > 2 ? *small_integer(parts[2]) : -1;
  time.meridiem = meridiem;
  if (time.hour > (meridiem.empty() ? 23 : 12) || time.minute > 59 || time.second > 59) {
    return std::nullopt;
  }
  return time;
}

// "5pm-7pm", "9-11 a.m.", "10:00-18:00".
std::optional<Classifier::Match> Classifier::Run::match_time_range(std::size_t i,
                                                                   std::string_view left,
                                                                   std::string_view right) const {
  std::string after;
  std::size_t count = 1;
  if (!has_trail(i)) {
    if (std::optional<std::string> meridiem = meridiem_at(i + 1)) {
      after = *meridiem;
      count = 2;
    }
  }
  std::optional<TimeValue> to = clock_time(right, after);
  if (!to) return std::nullopt;
  std::optional<TimeValue> from = clock_time(left, "");
  if (!from && left.find(':') == std::string_view::npos && !to->meridiem.empty()) {
    from = clock_time(left, to->meridiem);  // "9-11 a.m.": the meridiem covers both
  }
  if (!from) return std::nullopt;
  const bool takes_period = count == 2 && trail_starts_with_period(i + 1);
  return Match{count, TokenClass::kRange, TimeRange{*from, *to},
               takes_period ? period_bytes(i + 1) : 0};
}

std::optional<Classifier::Match> Classifier::Run::match_range(std::size_t i) const {
  const std::string_view text = core(i);
  std::size_t dash = text.find(kEnDash);
  std::size_t dash_size = kEnDash.size();
  if (dash == std::string_view::npos) {
    dash = text.find('-', 1);
    dash_size = 1;
  }
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  // "ISSN 0317-2260", "0045-7731": a code, not a range.
  const bool season = year_value(text.substr(0, dash)) && text.size() - dash - dash_size == 2;
  if (zip_code_at(i)) return Match{1, TokenClass::kDigits, Reading{}, 0};
  if (has_digit(text) && !season &&
      (looks_like_code(text) || (identifier_before(i) && digit_groups(text, '-').size() >= 2))) {
    return Match{1, TokenClass::kDigits, Reading{}, 0};
  }
  const std::string_view left = text.substr(0, dash);
  std::string right(text.substr(dash + dash_size));
  if (dash_size == 1 && identifier_pair(left, right)) return match_identifier_pair(left, right);
  if (std::optional<Match> times = match_time_range(i, left, right)) return times;
  if (std::optional<Quantity> first = decade(left)) {  // "1960s-80s"
    std::optional<Quantity> second = decade(right);
    if (!second) return std::nullopt;
    return Match{1, TokenClass::kRange, Range{*first, *second}, 0};
  }
  std::optional<Quantity> from = money_amount(left);
  std::optional<Quantity> to = from ? money_amount(right) : std::nullopt;
  if (from && !to) return std::nullopt;
  if (!from) {
    from = quantity(left);
    std::string_view right_number = right;
    const Unit* unit = glued_unit(right, right_number);
    to = quantity(right_number);
    if (!from || !to || from->number.negative || to->number.negative) return std::nullopt;
    to->unit = unit;
  }
  const std::optional<int> from_year = year_value(left);
  if (from_year && right.size() == 2 &&
      all_digits(right)) {  // 1990-95: nineteen ninety to ninety-five; 2004-05: … to oh five
    from->style = NumberStyle::kYear;
    to->style = NumberStyle::kPairs;
  }
  if (from_year && year_value(right) && *year_value(right) > *from_year) {
    from->style = to->style = NumberStyle::kYear;
  }
  // "1279–1213 BC", "AD 600-700": years before or after an era.
  const bool era = (!has_trail(i) && data_.has_cue(core(i + 1), NumberCue::kEra)) ||
                   (i > 0 && !has_trail(i - 1) && data_.has_cue(core(i - 1), NumberCue::kEra));
  if (era && all_digits(left) && all_digits(right) && left.size() <= kYearDigits &&
      right.size() <= kYearDigits) {
    from->style = to->style = NumberStyle::kYear;
  }
  std::size_t count = 1;
  if (!to->unit && !to->currency) {
    std::size_t pieces = 1;
    if (std::optional<Quantity> measured = with_unit(i, *to, pieces)) {
      to = measured;
      count = pieces;
    }
  }
  return Match{count, TokenClass::kRange, Range{*from, *to}, 0};
}

std::optional<Classifier::Match> Classifier::Run::match_number(std::size_t i) const {
  if (const std::optional<std::string> ordinal = detail::ordinal_digits(core(i))) {
    return Match{1, TokenClass::kOrdinal, counted(*ordinal, NumberStyle::kOrdinal), 0};
  }
  if (std::optional<Match> temperature = match_temperature(i)) return temperature;
  for (const auto matcher :
       {&Run::match_decade, &Run::match_fraction, &Run::match_dimension, &Run::match_amount}) {
    if (std::optional<Match> match = (this->*matcher)(i)) return match;
  }
  return std::nullopt;
}

// "-12C", "54F", "12C (54F)": a number glued to a capital C or F is a temperature, Celsius or
// Fahrenheit, when the text says so: a minus sign, the other scale beside it in brackets, or a
// temperature cue (number_cues.tsv: "temperatures hit 65C") up to three words before it. Without
// such evidence it is one within the range weather has (-90 to 60 C, -130 to 140 F) unless the
// word before makes it a label: a name or a capitalized word ("Room 12C", "Vitamin 12C"), an
// article ("the 4C building"), a code or an identifier cue ("seat 12C").
std::optional<Classifier::Match> Classifier::Run::match_temperature(std::size_t i) const {
  const auto scale_at = [&](std::size_t k) -> char {
    const std::string_view text = core(k);
    if (text.size() < 2 || (text.back() != 'C' && text.back() != 'F') ||
        !is_digit(text[text.size() - 2]) || !parse_number(text.substr(0, text.size() - 1))) {
      return '\0';
    }
    return text.back();
  };
  const char scale = scale_at(i);
  if (scale == '\0') return std::nullopt;
  const Unit* unit = find_unit(scale == 'C' ? "\xC2\xB0"
                                              "C"
                                            : "\xC2\xB0"
                                              "F");
  const std::optional<Number> number = parse_number(core(i).substr(0, core(i).size() - 1));
  if (unit == nullptr || number->integer.size() > 3) return std::nullopt;
  const char other = scale == 'C' ? 'F' : 'C';
  const bool bracketed = (!has_trail(i) && i + 1 < pieces_.size() &&
                          pieces_[i + 1].lead(text_) == "(" && scale_at(i + 1) == other) ||
                         (i > 0 && pieces_[i].lead(text_) == "(" && scale_at(i - 1) == other);
  bool cued = false;
  constexpr std::size_t kCueWords = 3;
  for (std::size_t k = i; k > 0 && i - k < kCueWords && !cued; --k) {
    cued = data_.has_cue(lower(core(k - 1)), NumberCue::kTemperature);
  }
  const int value = (number->negative ? -1 : 1) * small_integer(number->integer).value_or(0);
  const bool in_range = scale == 'C' ? value >= -90 && value <= 60 : value >= -130 && value <= 140;
  const std::string_view before = i > 0 && !has_trail(i - 1) ? core(i - 1) : std::string_view();
  const bool label =
      !before.empty() &&
      (detail::is_upper(before[0]) || data_.number_words.articles.contains(lower(before)) ||
       data_.has_cue(lower(before), NumberCue::kYearDeterminer) || identifier_before(i));
  if (!(number->negative || bracketed || cued || (in_range && !label))) return std::nullopt;
  Quantity quantity;
  quantity.number = *number;
  quantity.unit = unit;
  return Match{1, TokenClass::kMeasure, quantity, 0};
}

// "1990s", "'90s", "mid-1990s", "mid-2020", "pre-2008" (number_words.tsv, year_prefix).
std::optional<Classifier::Match> Classifier::Run::match_decade(std::size_t i) const {
  std::string_view text = core(i);
  std::string prefix;
  if (const std::size_t hyphen = text.find('-'); hyphen != std::string_view::npos && hyphen > 0) {
    const auto listed = data_.number_words.year_prefixes.find(lower(text.substr(0, hyphen)));
    if (listed != data_.number_words.year_prefixes.end()) {
      prefix = listed->second;
      if (detail::is_upper(text[0]) && detail::is_lower(prefix[0])) {
        prefix[0] = static_cast<char>(prefix[0] - 'a' + 'A');
      }
      text.remove_prefix(hyphen + 1);
      if (year_value(text)) {
        Quantity value = counted(std::string(text), NumberStyle::kYear);
        value.prefix = prefix;
        return Match{1, TokenClass::kYear, value, 0};
      }
    }
  }
  if (std::optional<Match> spaced = match_spaced_decade(i)) return spaced;
  std::optional<Quantity> value = decade(text);
  if (!value) return std::nullopt;
  value->prefix = prefix;
  return Match{1, TokenClass::kYear, *value, 0};
}

// "½", "2½", "3/4", "1/4th"; and "245/11", a reference number.
std::optional<Classifier::Match> Classifier::Run::match_fraction(std::size_t i) const {
  const std::string_view text = core(i);
  for (const auto& [glyph, fraction] : data_.number_words.vulgar_fractions) {
    if (!text.ends_with(glyph)) continue;
    const std::string_view whole = text.substr(0, text.size() - glyph.size());
    if (!whole.empty() && !all_digits(whole)) continue;
    Quantity quantity = counted(std::string(whole), NumberStyle::kCardinal);
    const std::size_t slash = fraction.find('/');
    quantity.numerator = fraction.substr(0, slash);
    quantity.denominator = fraction.substr(slash + 1);
    return Match{1, TokenClass::kFraction, quantity, 0};
  }
  std::string_view fraction_text = text;
  for (const std::string_view suffix : {"st", "nd", "rd", "th", "ST", "ND", "RD", "TH"}) {
    if (fraction_text.ends_with(suffix) && fraction_text.find('/') != std::string_view::npos) {
      fraction_text.remove_suffix(suffix.size());
    }
  }
  const std::vector<std::string_view> slash = digit_groups(fraction_text, '/');
  if (slash.size() != 2) return fraction_text == text ? match_year_slash(i) : std::nullopt;
  // "1/100", "3/1000": a hundredth and a thousandth are fractions too.
  const bool hundredths = slash[1] == "100" || slash[1] == "1000";
  if (slash[1] != "0" && slash[0].size() <= 2 && (slash[1].size() <= 2 || hundredths)) {
    Quantity quantity;
    quantity.numerator = std::string(slash[0]);
    quantity.denominator = std::string(slash[1]);
    return Match{1, TokenClass::kFraction, quantity, 0};
  }
  if (fraction_text != text) return std::nullopt;
  return match_year_slash(i);
}

// "245/11", "10/618,543": two numbers joined by a slash that are no fraction, read with "slash";
// "1931/32", "2019/20", "1643/4": a year and the next, the first read as a year ("nineteen
// twenty-two slash thirty-three").
std::optional<Classifier::Match> Classifier::Run::match_year_slash(std::size_t i) const {
  const std::string_view text = core(i);
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const std::string_view left = text.substr(0, slash);
  const std::string_view right = text.substr(slash + 1);
  const std::optional<Number> first = parse_number(left);
  const std::optional<Number> second = parse_number(right);
  if (!first || !second || first->negative || second->negative || first->has_point ||
      second->has_point || !is_digit(left.front()) || !is_digit(right.front())) {
    return std::nullopt;
  }
  Quantity from = counted(first->integer, NumberStyle::kCardinal);
  Quantity to = counted(second->integer, NumberStyle::kCardinal);
  const std::optional<int> year = year_value(left);
  constexpr std::size_t kShortYear = 2;
  if (year && all_digits(right) && right.size() <= kShortYear) {
    from.style = NumberStyle::kYear;
    to.style = NumberStyle::kPairs;
  } else if (constexpr int kMaxYears = 10; year && year_value(right) &&
                                           *year_value(right) > *year &&
                                           *year_value(right) - *year <= kMaxYears) {
    from.style = to.style = NumberStyle::kYear;
  }
  return Match{1, TokenClass::kRange, Range{from, to, "slash"}, 0};
}

// "2x8", "2×8 m": a dimension.
std::optional<Classifier::Match> Classifier::Run::match_dimension(std::size_t i) const {
  const std::string_view text = core(i);
  for (const std::string_view times : {"x", "\xC3\x97"}) {
    const std::size_t at = text.find(times);
    if (at == std::string_view::npos || at == 0) continue;
    std::optional<Quantity> width = quantity(text.substr(0, at));
    std::optional<Quantity> height = quantity(text.substr(at + times.size()));
    if (!width || !height || width->percent || height->percent) continue;
    std::size_t pieces = 1;
    if (std::optional<Quantity> measured = with_unit(i, *height, pieces)) height = measured;
    return Match{pieces, TokenClass::kRange, Range{*width, *height, "by"}, 0};
  }
  return std::nullopt;
}

// A number with what it counts: a unit ("12kg", "5 km", "12kg/m"), a percent sign, a fraction
// after it ("2 1/2"), or nothing (a year or a cardinal).
std::optional<Classifier::Match> Classifier::Run::match_amount(std::size_t i) const {
  std::string_view text = core(i);
  const Unit* per_unit = nullptr;
  if (const std::size_t slash = text.find('/'); slash != std::string_view::npos && slash > 0) {
    per_unit = find_unit(text.substr(slash + 1));
    if (per_unit != nullptr) text = text.substr(0, slash);
  }
  std::string_view number_part = text;
  const Unit* glued = glued_unit(text, number_part);
  std::optional<Quantity> value = quantity(number_part);
  if (!value) return std::nullopt;
  value->per_unit = per_unit;
  if (value->percent) return Match{1, TokenClass::kPercent, *value, 0};
  if (glued != nullptr || per_unit != nullptr) {
    value->unit = glued;
    value->attributive = glued != nullptr && is_attributive(i);
    return Match{1, TokenClass::kMeasure, *value, 0};
  }
  if (!has_trail(i) && core(i + 1) == "%") {
    value->percent = true;
    return Match{2, TokenClass::kPercent, *value, 0};
  }
  if (std::optional<Match> house = match_house_number(i, value->number)) return house;
  if (inch_mark_after(i)) {
    if (const Unit* inch = find_unit("\""); inch != nullptr) {
      value->unit = inch;
      value->attributive = is_attributive(i);
      return Match{1, TokenClass::kMeasure, *value, 1};
    }
  }
  std::size_t pieces = 1;
  if (std::optional<Quantity> measured = with_unit(i, *value, pieces)) {
    return Match{pieces, TokenClass::kMeasure, *measured, 0};
  }
  if (all_digits(text)) {
    if (std::optional<Match> mixed = match_mixed_fraction(i)) return mixed;
  }
  if (!value->scale.empty()) return Match{1, TokenClass::kCardinal, *value, 0};
  return match_year_or_cardinal(i, value->number);
}

// "2 1/2", "4 1/2 lbs": a whole number and a fraction.
std::optional<Classifier::Match> Classifier::Run::match_mixed_fraction(std::size_t i) const {
  const std::vector<std::string_view> next_slash = digit_groups(core(i + 1), '/');
  if (has_trail(i) || next_slash.size() != 2 || next_slash[1] == "0" || next_slash[0].size() > 2 ||
      next_slash[1].size() > 2) {
    return std::nullopt;
  }
  Quantity fraction = counted(std::string(core(i)), NumberStyle::kCardinal);
  fraction.numerator = std::string(next_slash[0]);
  fraction.denominator = std::string(next_slash[1]);
  std::size_t unit_pieces = 1;
  if (std::optional<Quantity> measured = with_unit(i + 1, fraction, unit_pieces)) {
    return Match{1 + unit_pieces, TokenClass::kMeasure, *measured, 0};
  }
  return Match{2, TokenClass::kFraction, fraction, 0};
}

// "in 2005" is a year and "2005 people" a count: the words around the number decide.
std::optional<Classifier::Match> Classifier::Run::match_year_or_cardinal(
    std::size_t i, const Number& number) const {
  Quantity value;
  value.number = number;
  if (number.has_point) return Match{1, TokenClass::kDecimal, value, 0};
  if (number.integer.size() > 1 && number.integer[0] == '0') {
    return Match{1, TokenClass::kDigits, value, 0};
  }
  if (std::optional<Match> item = match_item_number(i, number)) return item;
  // "ISSN 1234", "QX 48213": a code, read digit by digit.
  constexpr std::size_t kMinCodeDigits = 3;
  // A round number ("FTSE 100", "ATP 250") or a recent year ("EURO 2024") after a code word is
  // the name's count or year; an identifier cue makes any number a code.
  const std::string_view digits = core(i);
  const bool round = digits.ends_with("00") || (digits.size() == 3 && digits.ends_with('0'));
  const bool recent_year = year_value(digits) && *year_value(digits) >= kMinRecentYear;
  const bool cued =
      i > 0 && !has_trail(i - 1) && data_.has_cue(core(i - 1), NumberCue::kIdentifier);
  if (zip_code_at(i) ||
      (!number.negative && all_digits(digits) && digits.size() >= kMinCodeDigits &&
       identifier_before(i) && (cued || (!round && !recent_year)))) {
    return Match{1, TokenClass::kDigits, value, 0};
  }
  // "170 - 45190": the long end of an identifier pair; "card ending in 8876".
  const bool long_pair_end = i >= 2 && digits.size() > kMaxPairCountDigits && core(i - 1) == "-" &&
                             spaced_identifier_pair(i - 1);
  if (long_pair_end || (phrase_identifier_before(i) && !recent_year)) {
    return Match{1, TokenClass::kDigits, value, 0};
  }
  // "340 A.D", "AD 79": a number of up to three digits next to an era is a year, read in pairs
  // ("three forty").
  if (!number.negative && all_digits(digits) && digits.size() < kYearDigits &&
      ((!has_trail(i) && era_at(i + 1)) || (i > 0 && !has_trail(i - 1) && era_at(i - 1)))) {
    value.style = NumberStyle::kPairs;
    return Match{1, TokenClass::kYear, value, 0};
  }
  if (!number.negative && core(i).size() == kYearDigits && year_value(core(i))) {
    const std::string_view before = i > 0 && !has_trail(i - 1) ? core(i - 1) : std::string_view();
    const std::string_view after = core(i + 1);
    // "in 2005"; "june,1998": a month name before it, even across a comma.
    const bool cue_before =
        (!before.empty() && data_.has_cue(lower(before), NumberCue::kYearBefore)) ||
        (i > 0 && calendar_at(i - 1, CalendarKind::kMonth));
    // "the 1911 strike" is a year, "the 2000 votes" a count.
    const bool determiner = !before.empty() &&
                            data_.has_cue(lower(before), NumberCue::kYearDeterminer) &&
                            !looks_plural(after) && !data_.has_cue(after, NumberCue::kCountAfter);
    const bool counted = !has_trail(i) && !after.empty() && detail::is_lower(after[0]) &&
                         !data_.has_cue(after, NumberCue::kYearAfter) && !determiner;
    const bool scaled = !after.empty() && data_.has_cue(after, NumberCue::kScale);
    const bool era = !has_trail(i) && era_at(i + 1);
    if (era || cue_before || (!counted && !scaled)) {
      value.style = NumberStyle::kYear;
      return Match{1, TokenClass::kYear, value, 0};
    }
  }
  return Match{1, TokenClass::kCardinal, value, 0};
}

// "1630 Bancroft Expy", "940 W Juniper Ave": a house number before a street's name and type,
// read in pairs ("twenty-seven eighty-eight"); five digits and more digit by digit.
std::optional<Classifier::Match> Classifier::Run::match_house_number(std::size_t i,
                                                                     const Number& number) const {
  constexpr std::size_t kMaxStreetWords = 4;
  constexpr std::size_t kMaxPairedDigits = 4;
  const auto street_name = [&](std::size_t k) {
    return detail::is_upper(first_char(k)) || detail::ordinal_digits(core(k));  // "N 1st St"
  };
  if (number.negative || !all_digits(core(i)) || has_trail(i) || !street_name(i + 1)) {
    return std::nullopt;
  }
  for (std::size_t k = i + 1; k < pieces_.size() && k <= i + kMaxStreetWords; ++k) {
    if (k > i + 1 && is_street_word(k)) {
      Quantity value;
      value.number = number;
      if (core(i).size() > kMaxPairedDigits) return Match{1, TokenClass::kDigits, value, 0};
      value.style = NumberStyle::kPairs;
      return Match{1, TokenClass::kCardinal, value, 0};
    }
    if (!street_name(k) || (has_trail(k) && !trail_starts_with_period(k))) {
      break;
    }
  }
  return std::nullopt;
}

// "Boeing 747", "the 405 freeway": three or four digits after a maker of numbered models, or
// between "the" and a road (number_names.tsv), are a name read digit by digit; "e 57342": a long
// number after a lone lower-case letter (not the article "a") is an item number, as a journal
// article's. A round hundred before a plural noun is a count ("Boeing 300 jobs", "the 300 road
// deaths"); "Boeing 787 jets" and "Nokia 3310 phones" are models.
std::optional<Classifier::Match> Classifier::Run::match_item_number(std::size_t i,
                                                                    const Number& number) const {
  constexpr std::size_t kMinModelDigits = 3;
  constexpr std::size_t kMaxModelDigits = 4;
  constexpr std::size_t kMinItemDigits = 5;
  const std::string_view digits = core(i);
  if (i == 0 || has_trail(i - 1) || !pieces_[i].lead(text_).empty() || number.negative ||
      !all_digits(digits)) {
    return std::nullopt;
  }
  // A plural count noun: "jobs", "deaths"; not "was", "this" or "plus".
  const auto plural_noun = [&](std::size_t k) {
    constexpr std::size_t kMinPlural = 4;
    const std::string_view word = core(k);
    return word.size() >= kMinPlural && std::all_of(word.begin(), word.end(), detail::is_lower) &&
           word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") &&
           !word.ends_with("is");
  };
  const auto name_word = [&](std::size_t k, NumberNamePlace place) {
    const auto found = data_.number_names.find(lower(core(k)));
    return found != data_.number_names.end() && found->second == place;
  };
  const bool round = digits.ends_with("00");
  const bool road = !has_trail(i) && lower(core(i - 1)) == "the" && !year_value(digits) &&
                    name_word(i + 1, NumberNamePlace::kAfter) &&
                    !(round && !has_trail(i + 1) && plural_noun(i + 2));
  const bool maker =
      name_word(i - 1, NumberNamePlace::kBefore) && !(round && !has_trail(i) && plural_noun(i + 1));
  const bool model =
      digits.size() >= kMinModelDigits && digits.size() <= kMaxModelDigits && (maker || road);
  const std::string_view before = core(i - 1);
  const bool item = digits.size() >= kMinItemDigits && before.size() == 1 &&
                    detail::is_lower(before[0]) && before != "a";
  if (!model && !item) return std::nullopt;
  Quantity value;
  value.number = number;
  return Match{1, TokenClass::kDigits, value, 0};
}

// "Q3", "2Q22", "Q3 2024", "H1 2025": a reporting period (periods.tsv) read "third quarter of
// twenty twenty-four", with "the" after a preposition ("in the third quarter"). A year glued after
// the period ("2Q22", "Q3'24", "Q3-2024") or written next to it belongs to it; a period without a
// year is read only where the table allows it, and not after a maker's name ("Audi Q3" is a model).
std::optional<Classifier::Match> Classifier::Run::match_period(std::size_t i) const {
  const std::string_view text = core(i);
  constexpr std::size_t kCodeBytes = 2;
  if (text.size() < kCodeBytes) return std::nullopt;
  const bool letter_first = detail::is_upper(text[0]) && is_digit(text[1]);
  const bool digit_first = is_digit(text[0]) && detail::is_upper(text[1]);
  if (!letter_first && !digit_first) return std::nullopt;
  const auto period = data_.periods.find(std::string(1, letter_first ? text[0] : text[1]));
  const int index = letter_first ? text[1] - '0' : text[0] - '0';
  if (period == data_.periods.end() || index < 1 || index > period->second.per_year) {
    return std::nullopt;
  }
  std::string_view year = text.substr(kCodeBytes);
  if (!year.empty() && (year[0] == '\'' || year[0] == '-' || year[0] == '/')) {
    year.remove_prefix(1);
  }
  std::size_t count = 1;
  if (year.empty() && !has_trail(i) && core(i + 1).size() == kYearDigits &&
      year_value(core(i + 1))) {
    year = core(i + 1);
    count = 2;
  }
  constexpr std::size_t kShortYear = 2;
  if (!year.empty() && !(all_digits(year) && (year.size() == kShortYear ||
                                              (year.size() == kYearDigits && year_value(year))))) {
    return std::nullopt;
  }
  const auto maker = i > 0 && !has_trail(i - 1) ? data_.number_names.find(lower(core(i - 1)))
                                                : data_.number_names.end();
  const bool after_maker =
      maker != data_.number_names.end() && maker->second == NumberNamePlace::kBefore;
  if (year.empty() && (!period->second.alone || after_maker)) return std::nullopt;
  Quantity which = counted(std::to_string(index), NumberStyle::kOrdinal);
  which.scale = period->second.spoken;
  // "in Q3": the third quarter, with its article after a preposition (period_articles.tsv).
  if (i > 0 && !has_trail(i - 1) && data_.period_articles.contains(lower(core(i - 1)))) {
    which.prefix = "the";
  }
  if (year.empty()) return Match{1, TokenClass::kOrdinal, which, 0};
  // "2Q22": a year written in two digits is read as written ("of twenty-two", "of oh five"),
  // since its century is not; "Q3 2024" is "of twenty twenty-four".
  const NumberStyle year_style =
      year.size() == kShortYear ? NumberStyle::kPairs : NumberStyle::kYear;
  return Match{count, TokenClass::kRange,
               Range{which, counted(std::string(year), year_style), "of"}, 0};
}

// ---- words ----------------------------------------------------------------------------------

std::optional<Classifier::Match> Classifier::Run::match_roman(std::size_t i) const {
  const std::string_view text = core(i);
  const std::optional<int> value = detail::roman_value(text);
  if (!value || data_.acronyms.contains(std::string(text))) return std::nullopt;
  Quantity quantity = counted(std::to_string(*value), NumberStyle::kCardinal);
  const bool after_word = i > 0 && !has_trail(i - 1);
  const std::string_view before = after_word ? core(i - 1) : std::string_view();
  if (after_word && (data_.has_cue(before, NumberCue::kRomanCardinal) ||
                     data_.has_cue(title_case(before), NumberCue::kRomanCardinal))) {
    return Match{1, TokenClass::kRoman, quantity, 0};
  }
  const bool small =
      text.find_first_not_of("IVX") == std::string_view::npos && *value <= kMaxRegnal;
  // "Henry V", "Mary I", "John Paul II": after a monarch's or pope's name, the Nth; also
  // after a surname that follows such a name ("John Smith III").
  const bool regnal = after_word && (is_regnal_name(i - 1) ||
                                     (text.size() >= 2 && is_capitalized(before) && i >= 2 &&
                                      !has_trail(i - 2) && is_regnal_name(i - 2)));
  if (small && regnal) {
    quantity.style = NumberStyle::kRegnal;
    return Match{1, TokenClass::kRoman, quantity, 0};
  }
  // After any other capitalized word ("the ship Marisol II", "Rocky IV") a numeral of two or more
  // letters is a plain number, and "II" or "III" is a number anywhere ("types II and III"): never
  // spelled as letters.
  const bool only_ones = text.size() >= 2 && text.find_first_not_of('I') == std::string_view::npos;
  // "The IV drip": an article is no name.
  const bool article = data_.has_cue(lower(before), NumberCue::kYearDeterminer) ||
                       data_.number_words.articles.contains(lower(before));
  if (small && text.size() >= 2 && (only_ones || (is_capitalized(before) && !article))) {
    return Match{1, TokenClass::kRoman, quantity, 0};
  }
  return std::nullopt;
}

std::optional<Classifier::Match> Classifier::Run::match_abbreviation(std::size_t i) const {
  bool period = trail_starts_with_period(i);
  auto found = data_.abbreviations.find(period ? with_period(i) : std::string(core(i)));
  if (found == data_.abbreviations.end() && period) {
    // "Dayton, OH.": a form written without a period, before the sentence's own.
    found = data_.abbreviations.find(std::string(core(i)));
    period = false;
  }
  if (found == data_.abbreviations.end()) {
    if (std::optional<std::string> street = lower_case_street(i)) {
      return Match{1, TokenClass::kAbbreviation, Reading{*street}, period ? period_bytes(i) : 0};
    }
  }
  if (found == data_.abbreviations.end()) return std::nullopt;
  const std::string_view next = has_trail(i) && !period ? std::string_view() : core(i + 1);
  const bool before_name = !next.empty() && detail::is_upper(next[0]);
  const bool before_number = !next.empty() && is_digit(next[0]);
  const bool after_name = i > 0 && detail::is_upper(first_char(i - 1)) && !has_trail(i - 1);
  const bool after_house_number = (before_name || detail::ordinal_digits(next)) && i > 0 &&
                                  all_digits(core(i - 1)) && !has_trail(i - 1);
  // "Fresno, CA 93711", "12 Elm St, Dayton, OH": a state after a place name and its comma,
  // before a ZIP code, or at the end of a clause after a street ("Fine, OK." stays as written).
  // Looked at only for a state code, so that a sentence of abbreviations stays linear.
  const auto in_address = [&] {
    if (i == 0 || !is_capitalized(core(i - 1)) || pieces_[i - 1].trail(text_) != ",") {
      return false;
    }
    if (i + 1 < pieces_.size() && zip_code_at(i + 1)) return true;
    if (!has_trail(i) && !is_last(i)) return false;
    for (std::size_t k = 0; k + 1 < i; ++k) {
      if (is_street_word(k)) return true;
    }
    return false;
  };
  const auto fits = [&](const Abbreviation& entry) {
    switch (entry.context) {
      case AbbreviationContext::kAfterHouseNumber:
        return after_house_number;
      case AbbreviationContext::kState:
        return in_address();
      case AbbreviationContext::kStreet:  // "Main St", "1st St"
        return after_name || (i > 0 && !has_trail(i - 1) && detail::ordinal_digits(core(i - 1)));
      case AbbreviationContext::kTitle:
        return before_name;
      case AbbreviationContext::kNumber:
        return before_number;
      case AbbreviationContext::kAfterName:
        return after_name;
      case AbbreviationContext::kAny:
        return true;
    }
    return false;
  };
  const std::vector<Abbreviation>& entries = found->second;
  auto chosen = std::find_if(entries.begin(), entries.end(), fits);
  if (chosen == entries.end()) {
    // Without a period, or with the sentence's final period, the written form may be an ordinary
    // word ("No", "Mass", "say no."): keep it. Two or more lower-case letters without a vowel are
    // no word ("1998, pp."): the sentence's period is theirs too ("the letter p." keeps its own).
    const bool no_word = core(i).size() >= 2 &&
                         std::all_of(core(i).begin(), core(i).end(), detail::is_lower) &&
                         lower(core(i)).find_first_of("aeiouy") == std::string::npos;
    if (!period || (is_last(i) && !no_word)) return std::nullopt;
    chosen = entries.begin();
  }
  return Match{1, TokenClass::kAbbreviation, Reading{chosen->spoken}, period ? period_bytes(i) : 0};
}

std::optional<Classifier::Match> Classifier::Run::match_acronym(std::size_t i) const {
  const std::string_view text = core(i);
  const bool period = trail_starts_with_period(i);
  // "U.S.", "U.N.": single letters with periods, spelled; capitals also without their last
  // period ("A.D").
  const bool dotted = text.size() >= 3 && text.size() % 2 == 1 && [&] {
    for (std::size_t at = 0; at < text.size(); ++at) {
      if (at % 2 == 0 ? !(period ? detail::is_alpha(text[at]) : detail::is_upper(text[at]))
                      : text[at] != '.') {
        return false;
      }
    }
    return true;
  }();
  if (dotted) {
    const auto listed = data_.acronyms.find(with_period(i));
    std::string spoken = listed != data_.acronyms.end() ? listed->second.spoken : "";
    return Match{1, TokenClass::kAcronym, Reading{spoken}, period ? period_bytes(i) : 0};
  }
  const auto listed = data_.acronyms.find(std::string(text));
  if (listed != data_.acronyms.end()) {
    const Acronym& acronym = listed->second;
    const bool word = acronym.reading == AcronymReading::kWord;
    return Match{1, TokenClass::kAcronym,
                 Reading{acronym.spoken.empty() && word ? std::string(text) : acronym.spoken}, 0};
  }
  if (!is_all_caps(text)) return std::nullopt;
  // A run of capitals is shouted text ("BREAKING NEWS"), read as words; a neighbour that cannot be
  // a word ("ISBN") does not make a run.
  const auto shouted = [&](std::size_t k) {
    return k < pieces_.size() && is_all_caps(core(k)) && core(k).size() > 3 &&
           !data_.acronyms.contains(std::string(core(k))) && !capitals_reading(core(k)).empty();
  };
  std::string reading = capitals_reading(text);
  const bool in_shouting = (i > 0 && shouted(i - 1)) || shouted(i + 1);
  if (!reading.empty() && in_shouting) reading = lower(text);
  // "NEWS: NO DEAL": a short word in the run is a word too when English can say it and the voice's
  // word lists hold it; listed acronyms ("UN", "WHO") never get here, and a lone "NO?" outside a
  // run stays spelled (the lists hold acronyms as well).
  if (reading.empty() && in_shouting && text.size() >= 2 && pronounceable(text) &&
      classifier_.known_word(text)) {
    reading = lower(text);
  }
  return Match{1, TokenClass::kAcronym, Reading{reading}, 0};
}

// Capitals no table lists: empty (spelled) or the word form the voice reads as a word ("Nasa").
// The evidence: up to three letters are spelled ("BBC"); letters English can say as syllables are
// a word ("CERN"); letters that begin like a word but end in a cluster the test does not know are
// a word when the voice's word lists hold them ("STRENGTHS"); any others are spelled ("FCDO"). The
// exceptions both ways are acronyms.tsv.
std::string Classifier::Run::capitals_reading(std::string_view capitals) const {
  constexpr std::size_t kMaxSpelled = 3;
  if (capitals.size() <= kMaxSpelled ||
      !std::all_of(capitals.begin(), capitals.end(), detail::is_upper)) {
    return "";
  }
  // The word lists fold case and also hold acronyms ("HTML", "IEEE" are entries), so they are
  // asked only about letters that begin like a word and have a vowel in every run English
  // allows; the syllable test cannot say those are not words.
  if (!pronounceable(capitals) && !(sayable_start(capitals) && classifier_.known_word(capitals))) {
    return "";
  }
  std::string word = lower(capitals);
  word[0] = capitals[0];
  return word;
}

// Letter groups that are not words: symbols and abbreviations in mixed or lower case ("pH",
// "PbS", "mRNA", "tv") are spelled, and acronyms joined by hyphens are read part by part
// ("MS-DOS", "CO-oximeter").
std::optional<Classifier::Match> Classifier::Run::match_letter_group(std::size_t i) const {
  const std::string_view text = core(i);
  if (text.empty() || !std::all_of(text.begin(), text.end(),
                                   [](char c) { return detail::is_alpha(c) || c == '-'; })) {
    return std::nullopt;
  }
  if (text.find('-') != std::string_view::npos) {
    // Parts of letters; at least one of two or more capitals that is not a word.
    std::vector<std::string_view> parts;
    for (std::size_t at = 0; at <= text.size();) {
      const std::size_t end = std::min(text.find('-', at), text.size());
      parts.push_back(text.substr(at, end - at));
      at = end + 1;
    }
    bool spelled = false;
    for (const std::string_view part : parts) {
      if (part.empty()) return std::nullopt;
      const auto listed = data_.acronyms.find(std::string(part));
      spelled = spelled || (listed != data_.acronyms.end()
                                ? listed->second.reading == AcronymReading::kLetters
                                : is_all_caps(part) && capitals_reading(part).empty());
    }
    if (!spelled) return std::nullopt;
    std::string spoken;
    for (const std::string_view part : parts) {
      std::string said;
      if (const auto listed = data_.acronyms.find(std::string(part));
          listed != data_.acronyms.end()) {
        said = !listed->second.spoken.empty()                    ? listed->second.spoken
               : listed->second.reading == AcronymReading::kWord ? std::string(part)
                                                                 : spell_letters(part);
      } else if (is_all_caps(part)) {
        said = capitals_reading(part);
        if (said.empty()) said = spell_letters(part);
      } else {
        said = part;
      }
      spoken += (spoken.empty() ? "" : " ") + said;
    }
    return Match{1, TokenClass::kAcronym, Reading{spoken}, 0};
  }
  // "BMPs": the plural of spelled capitals, its "s" said after the last letter.
  const std::string_view stem = text.substr(0, text.size() - 1);
  if (text.back() == 's' && is_all_caps(stem) && !data_.acronyms.contains(std::string(stem)) &&
      capitals_reading(stem).empty()) {
    return Match{1, TokenClass::kAcronym, Reading{spell_letters(stem) + "s"}, 0};
  }
  const std::string key(text);
  std::string capitalized = lower(text);  // "st" is the abbreviation "St"
  capitalized[0] = static_cast<char>(capitalized[0] - 'a' + 'A');
  const auto abbreviation = [&](const std::string& form) {
    return data_.abbreviations.contains(form) || data_.abbreviations.contains(form + ".");
  };
  // A unit's symbol in another case ("Pb" for "PB") is not that unit away from a number: "Pb"
  // before a number is the element.
  const bool folded_unit = folded_units_.contains(lower(text)) && !is_capitalized(text);
  const bool listed = folded_unit || data_.units.contains(key) || abbreviation(key) ||
                      abbreviation(capitalized) || data_.symbols.contains(key);
  // "tv", "Ph", "dtv": a short group without a vowel letter that no table reads (a unit, an
  // abbreviation; the acronym table lists the few words without one, "hmm") is spelled.
  constexpr std::size_t kMaxVowelless = 4;
  if (text.size() >= 2 && text.size() <= kMaxVowelless && !listed &&
      lower(text).find_first_of("aeiouy") == std::string::npos) {
    return Match{1, TokenClass::kAcronym, Reading{}, 0};
  }
  const bool mixed = std::any_of(text.begin() + 1, text.end(), detail::is_upper) &&
                     std::any_of(text.begin(), text.end(), detail::is_lower);
  if (!mixed || listed || camel_word(text)) return std::nullopt;
  // Split before each capital: "PbS" → "Pb" "S", "mRNA" → "m" "RNA" (a run of capitals is one
  // part). Only when every part is a symbol (one or two letters) or a run of capitals is the
  // group spelled; "iPhone", "McCain", "eBay" have a part that is a word.
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = at + 1;
    if (detail::is_upper(text[at]) && end < text.size() && detail::is_upper(text[end])) {
      while (end < text.size() && detail::is_upper(text[end])) ++end;
      if (end < text.size()) --end;  // "RNAs": the capital before a lower-case run starts it
    } else {
      while (end < text.size() && detail::is_lower(text[end])) ++end;
    }
    const std::string_view part = text.substr(at, end - at);
    if (part.size() > 2 && !is_all_caps(part)) return std::nullopt;
    at = end;
  }
  return Match{1, TokenClass::kAcronym, Reading{}, 0};
}

// "TNF-α", "β-carotene": words joined by hyphens to a letter of another script that the symbol
// table names (a Greek letter), each part read: the letter by its name, capitals as the acronym
// table or the capitals rule says, any other word as written.
std::optional<Classifier::Match> Classifier::Run::match_symbol_parts(std::size_t i) const {
  const std::string_view text = core(i);
  if (text.find('-') == std::string_view::npos) return std::nullopt;
  std::string spoken;
  bool named = false;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t end = std::min(text.find('-', at), text.size());
    const std::string part(text.substr(at, end - at));
    at = end + 1;
    std::string said = part;
    const auto symbol = data_.symbols.find(part);
    if (symbol != data_.symbols.end() && static_cast<unsigned char>(part[0]) >= 0x80) {
      said = symbol->second;
      named = true;
    } else if (part.empty() || !std::all_of(part.begin(), part.end(), detail::is_alpha)) {
      return std::nullopt;
    } else if (const auto listed = data_.acronyms.find(part); listed != data_.acronyms.end()) {
      said = !listed->second.spoken.empty()                    ? listed->second.spoken
             : listed->second.reading == AcronymReading::kWord ? part
                                                               : spell_letters(part);
    } else if (is_all_caps(part)) {
      said = capitals_reading(part);
      if (said.empty()) said = spell_letters(part);
    }
    spoken += (spoken.empty() ? "" : " ") + said;
  }
  if (!named) return std::nullopt;
  return Match{1, TokenClass::kSymbol, Reading{spoken}, 0};
}

std::optional<Classifier::Match> Classifier::Run::match_word(std::size_t i) const {
  const std::string_view text = core(i);
  if (text == "-") {
    // A spaced hyphen: "10 - 15" is a range, "Minsk - the capital" a pause.
    const bool after_number = i > 0 && (has_digit(core(i - 1)) || meridiem_at(i - 1));
    const bool between_numbers = after_number && has_digit(core(i + 1));
    if (between_numbers && spaced_identifier_pair(i)) {
      return Match{1, TokenClass::kPunctuation, {}, 0};  // "170 - 45190": a pause
    }
    if (between_numbers) return Match{1, TokenClass::kSymbol, Reading{"to"}, 0};
    return Match{1, TokenClass::kPunctuation, {}, 0};
  }
  if (has_digit(text) && has_alpha(text)) {
    if (looks_like_code(text)) return Match{1, TokenClass::kDigits, Reading{}, 0};
    return Match{1, TokenClass::kDigits, {}, 0};
  }
  // "$", "¶-", "€$%": signs alone, each read by its name (a currency sign by its currency's);
  // a hyphen among them is silent. A sign no table names leaves the token as written.
  if (!has_digit(text) && !has_alpha(text)) {
    std::string spoken;
    std::size_t at = 0;
    while (at < text.size()) {
      const std::size_t length = detail::utf8_sequence_length(text, at).value_or(1);
      const std::string sign(text.substr(at, length));
      at += length;
      if (sign == "-") continue;
      const auto symbol = data_.symbols.find(sign);
      const auto currency = data_.currencies.find(sign);
      if (symbol != data_.symbols.end()) {
        spoken += (spoken.empty() ? "" : " ") + symbol->second;
      } else if (currency != data_.currencies.end()) {
        spoken += (spoken.empty() ? "" : " ") + currency->second.major_singular;
      } else {
        return Match{1, TokenClass::kWord, {}, 0};
      }
    }
    if (!spoken.empty()) return Match{1, TokenClass::kSymbol, Reading{spoken}, 0};
  }
  // "a=b", "x+y": letters joined by plus or equals signs, read with their names.
  if (!has_digit(text) && text.find_first_of("=+") != std::string_view::npos &&
      std::all_of(text.begin(), text.end(),
                  [](char c) { return detail::is_alpha(c) || c == '=' || c == '+'; }) &&
      std::any_of(text.begin(), text.end(), detail::is_alpha)) {
    return Match{1, TokenClass::kDigits, {}, 0};
  }
  // "C++", "A+": letters followed by signs the symbol table reads.
  if (const std::size_t signs =
          text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
      signs != std::string_view::npos && signs > 0 && signs + 3 >= text.size() &&
      std::all_of(text.begin() + static_cast<std::ptrdiff_t>(signs), text.end(),
                  [&](char c) { return c == '+'; })) {
    return Match{1, TokenClass::kDigits, {}, 0};
  }
  // "4+7", "9-4=5": numbers joined by symbols the table can read.
  if (has_digit(text) && std::all_of(text.begin(), text.end(), [&](char c) {
        return is_digit(c) || c == '-' || c == '.' || data_.symbols.contains(std::string(1, c));
      })) {
    return Match{1, TokenClass::kDigits, {}, 0};
  }
  // "upgrade/update": words joined by slashes are read with "slash".
  if (text.find('/') != std::string_view::npos && !has_digit(text) &&
      std::all_of(text.begin(), text.end(),
                  [](char c) { return detail::is_alpha(c) || c == '/'; }) &&
      text.front() != '/' && text.back() != '/') {
    return Match{1, TokenClass::kElectronic, {}, 0};
  }
  if (has_digit(text)) {
    // "$12@12%": numbers among signs that the tables all name, read one after the other as a
    // word of letters and digits is (reported as a fallback); any other sign: as written.
    bool named = false;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t length = detail::utf8_sequence_length(text, at).value_or(1);
      const std::string sign(text.substr(at, length));
      at += length;
      if (length == 1 && (detail::is_alpha(sign[0]) || is_digit(sign[0]) || sign == "-" ||
                          sign == "." || sign == "'")) {
        continue;
      }
      if (!data_.symbols.contains(sign) && !data_.currencies.contains(sign)) return std::nullopt;
      named = true;
    }
    if (!named) return std::nullopt;
    Match match{1, TokenClass::kDigits, {}, 0};
    match.verbatim = true;
    return match;
  }
  if (std::optional<Match> signs = match_signs_and_letters(i)) return signs;
  return Match{1, TokenClass::kWord, {}, 0};
}

// "&hi", "/$€BB¥%AA", "dfsd#sfgsfd$": letters mixed with signs that no rule reads are read as
// written, never passed raw to the voice: each sign symbols.tsv or currencies.tsv names by its
// name, each run of letters as the letter rules read it. Apostrophes, hyphens and periods stay
// inside the words and clause marks (",;:!?") are silent. A sign no table names leaves the token
// as written. Reported as a fallback.
std::optional<Classifier::Match> Classifier::Run::match_signs_and_letters(std::size_t i) const {
  const std::string_view text = core(i);
  // "<noise/>": a markup tag left in plain text (an annotation, not a word) stays as written.
  if (text.find_first_of("<>") != std::string_view::npos) return std::nullopt;
  std::string spoken;
  bool named = false;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = at;
    while (end < text.size() && (detail::is_alpha(text[end]) || text[end] == '\'' ||
                                 text[end] == '-' || text[end] == '.')) {
      ++end;
    }
    if (end > at) {
      std::string_view letters = text.substr(at, end - at);
      while (!letters.empty() && !detail::is_alpha(letters.back())) letters.remove_suffix(1);
      while (!letters.empty() && !detail::is_alpha(letters.front())) letters.remove_prefix(1);
      if (!letters.empty()) spoken += (spoken.empty() ? "" : " ") + letters_as_written(letters);
      at = end;
      continue;
    }
    const std::size_t length = detail::utf8_sequence_length(text, at).value_or(1);
    const std::string sign(text.substr(at, length));
    at += length;
    const auto symbol = data_.symbols.find(sign);
    const auto currency = data_.currencies.find(sign);
    if (symbol != data_.symbols.end()) {
      spoken += (spoken.empty() ? "" : " ") + symbol->second;
    } else if (currency != data_.currencies.end()) {
      spoken += (spoken.empty() ? "" : " ") + currency->second.major_singular;
    } else if (sign.size() == 1 &&
               std::string_view(",;:!?").find(sign[0]) != std::string_view::npos) {
      continue;  // "&hi;&hi": a clause mark inside the token is silent
    } else {
      return std::nullopt;
    }
    named = true;
  }
  if (!named || spoken.empty()) return std::nullopt;
  Match match{1, TokenClass::kSymbol, Reading{spoken}, 0};
  // "R&D", "Procter&Gamble": names joined by an ampersand are a rule of their own, not a fallback.
  match.verbatim =
      text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'-.&") !=
      std::string_view::npos;
  return match;
}

// Letters inside a token read as written: a listed acronym as the table says, capitals as the
// capitals rule reads them (spelled up to three letters: "BB"), a short lower-case group without
// a vowel spelled, any other word as it is.
std::string Classifier::Run::letters_as_written(std::string_view letters) const {
  const auto listed = data_.acronyms.find(std::string(letters));
  if (listed != data_.acronyms.end()) {
    return !listed->second.spoken.empty()                    ? listed->second.spoken
           : listed->second.reading == AcronymReading::kWord ? std::string(letters)
                                                             : spell_letters(letters);
  }
  if (std::all_of(letters.begin(), letters.end(), detail::is_upper)) {
    const std::string word = capitals_reading(letters);
    return word.empty() ? spell_letters(letters) : word;
  }
  constexpr std::size_t kMaxVowelless = 4;
  if (letters.size() == 1 || (letters.size() <= kMaxVowelless &&
                              std::all_of(letters.begin(), letters.end(), detail::is_lower) &&
                              lower(letters).find_first_of("aeiouy") == std::string::npos)) {
    return spell_letters(letters);
  }
  return std::string(letters);
}

// ---- numbers joined to signs and letters ------------------------------------------------------

std::optional<Classifier::Match> Classifier::Run::match_joined_numbers(std::size_t i) const {
  for (const auto matcher : {&Run::match_equation, &Run::match_trailing_off, &Run::match_section,
                             &Run::match_marked_number, &Run::match_lettered_count}) {
    if (std::optional<Match> match = (this->*matcher)(i)) return match;
  }
  return std::nullopt;
}

// "9- 4 = 5", "3 - 1 = 2", "10/2 = 5", "x - 1 = 5": numbers, single letters and signs up to an
// equals sign and the operand after it are one equation, read as "9-4=5" is (a hyphen in it is a
// minus sign). It needs a digit; words (two letters in a row) end it.
std::optional<Classifier::Match> Classifier::Run::match_equation(std::size_t i) const {
  constexpr std::size_t kMaxEquationPieces = 12;
  const auto equation_piece = [&](std::string_view text) {
    for (std::size_t at = 0; at < text.size(); ++at) {
      const char c = text[at];
      const bool letter = detail::is_alpha(c);
      if (letter && at > 0 && detail::is_alpha(text[at - 1])) return false;
      if (!letter && !is_digit(c) && c != '.' && c != ',' &&
          !data_.number_words.operators.contains(std::string(1, c))) {
        return false;
      }
    }
    return !text.empty();
  };
  // A piece of the equation: its core, or a sign the piece cutter took as punctuation ("*").
  const auto piece_text = [&](std::size_t k) {
    return core(k).empty() ? pieces_[k].raw(text_) : core(k);
  };
  // Cheap test first: the sentence goes on with a sign, a number or a letter.
  if (core(i).empty() || has_trail(i) || i + 1 >= pieces_.size() || !equation_piece(core(i)) ||
      !equation_piece(piece_text(i + 1))) {
    return std::nullopt;
  }
  bool equals = false;
  bool digit = false;
  std::size_t last = 0;  // pieces up to the last operand after the equals sign
  for (std::size_t k = i; k < pieces_.size() && k < i + kMaxEquationPieces; ++k) {
    const std::string_view text = piece_text(k);
    const bool sign_only = core(k).empty();
    if (!equation_piece(text) || (k > i && !sign_only && !pieces_[k].lead(text_).empty())) break;
    equals = equals || text.find('=') != std::string_view::npos;
    digit = digit || has_digit(text);
    if (equals && digit && (is_digit(text.back()) || detail::is_alpha(text.back()))) {
      last = k - i + 1;
    }
    if (!sign_only && has_trail(k)) break;
  }
  if (last < 2) return std::nullopt;
  return Match{last, TokenClass::kDigits, {}, 0};
}

// "114...48": numbers on both sides of three periods, a pause between two numbers.
std::optional<Classifier::Match> Classifier::Run::match_trailing_off(std::size_t i) const {
  const std::string_view text = core(i);
  const std::size_t dots = text.find("...");
  if (dots == std::string_view::npos || dots == 0) return std::nullopt;
  std::size_t after = dots;
  while (after < text.size() && text[after] == '.') ++after;
  std::optional<Quantity> from = quantity(text.substr(0, dots));
  std::optional<Quantity> to = quantity(text.substr(after));
  if (!from || !to) return std::nullopt;
  return Match{1, TokenClass::kRange, Range{*from, *to, ""}, 0};
}

// "401(k)", "403(b)": a section of a code, its number read in pairs and its letter spelled.
std::optional<Classifier::Match> Classifier::Run::match_section(std::size_t i) const {
  constexpr std::size_t kSectionDigits = 3;
  const std::string_view text = core(i);
  const std::size_t open = text.find('(');
  if (open != kSectionDigits || text.size() != open + 2 || !all_digits(text.substr(0, open)) ||
      !detail::is_lower(text[open + 1]) || !pieces_[i].trail(text_).starts_with(')')) {
    return std::nullopt;
  }
  Quantity section = counted(std::string(text.substr(0, open)), NumberStyle::kPairs);
  section.scale = spell_letters(text.substr(open + 1));  // the letter after the number
  return Match{1, TokenClass::kCardinal, section, 1};
}

// "'4" (a quote mark before a number), "'05" (a year in two digits), "@12" (at twelve).
std::optional<Classifier::Match> Classifier::Run::match_marked_number(std::size_t i) const {
  const std::string_view text = core(i);
  if (text.starts_with('@') && text.size() > 1 && all_digits(text.substr(1))) {
    Quantity value = counted(std::string(text.substr(1)), NumberStyle::kCardinal);
    value.prefix = data_.symbols.contains("@") ? data_.symbols.at("@") : "";
    return Match{1, TokenClass::kCardinal, value, 0};
  }
  for (const std::string_view mark : {"'", "\xE2\x80\x99"}) {
    if (!text.starts_with(mark)) continue;
    const std::string_view digits = text.substr(mark.size());
    if (digits.empty() || !all_digits(digits)) return std::nullopt;
    constexpr std::size_t kShortYear = 2;
    if (digits.size() == kShortYear) {
      return Match{1, TokenClass::kYear, counted(std::string(digits), NumberStyle::kPairs), 0};
    }
    return Match{1, TokenClass::kCardinal, counted(std::string(digits), NumberStyle::kCardinal), 0};
  }
  return std::nullopt;
}

// "T2000", "A300": a round number glued after a few letters is a count, the letters spelled
// before it (not a currency, "EUR500", or an era, "AD1000").
std::optional<Classifier::Match> Classifier::Run::match_lettered_count(std::size_t i) const {
  constexpr std::size_t kMaxLetters = 3;
  constexpr std::size_t kMinRoundDigits = 3;
  const std::string_view text = core(i);
  const std::size_t split = text.find_first_of("0123456789");
  if (split == 0 || split == std::string_view::npos || split > kMaxLetters) return std::nullopt;
  const std::string_view letters = text.substr(0, split);
  const std::string_view digits = text.substr(split);
  if (!std::all_of(letters.begin(), letters.end(), detail::is_alpha) || !all_digits(digits) ||
      digits.size() < kMinRoundDigits || digits[0] == '0' || !digits.ends_with("00") ||
      data_.currencies.contains(std::string(letters)) || data_.has_cue(letters, NumberCue::kEra)) {
    return std::nullopt;
  }
  Quantity count = counted(std::string(digits), NumberStyle::kCardinal);
  count.prefix = spell_letters(letters);
  return Match{1, TokenClass::kCardinal, count, 0};
}

// "1980 s": a decade with its "s" set apart.
std::optional<Classifier::Match> Classifier::Run::match_spaced_decade(std::size_t i) const {
  if (has_trail(i) || core(i + 1) != "s" || !pieces_[i + 1].lead(text_).empty() ||
      core(i).size() != kYearDigits) {
    return std::nullopt;
  }
  std::optional<Quantity> value = decade(std::string(core(i)) + "s");
  if (!value) return std::nullopt;
  return Match{2, TokenClass::kYear, *value, 0};
}

// "978-0": each number alone, with a pause between; "170-45190", with a long end: a code.
std::optional<Classifier::Match> Classifier::Run::match_identifier_pair(
    std::string_view left, std::string_view right) const {
  if (right.size() > kMaxPairCountDigits) return Match{1, TokenClass::kDigits, Reading{}, 0};
  return Match{1, TokenClass::kRange,
               Range{counted(std::string(left), NumberStyle::kCardinal),
                     counted(std::string(right), NumberStyle::kCardinal), ""},
               0};
}

// Whether the spaced hyphen at piece `hyphen` joins an identifier pair ("170 - 45190").
bool Classifier::Run::spaced_identifier_pair(std::size_t hyphen) const {
  return hyphen > 0 && !has_trail(hyphen - 1) && !has_trail(hyphen) &&
         identifier_pair(core(hyphen - 1), core(hyphen + 1));
}

// "AD", "B.C.", and "A.D" without its last period.
bool Classifier::Run::era_at(std::size_t i) const {
  if (i >= pieces_.size() || core(i).empty()) return false;
  return data_.has_cue(core(i), NumberCue::kEra) || data_.has_cue(with_period(i), NumberCue::kEra);
}

// "ending in 8876": a two-word identifier cue (number_cues.tsv, words joined by a space) before
// the last four digits of a card or an account; "ending in 3500 arrests" is a count ("was" and
// "has" are no plurals).
bool Classifier::Run::phrase_identifier_before(std::size_t i) const {
  constexpr std::size_t kLastDigits = 4;
  constexpr std::size_t kMinPlural = 4;  // letters of a plural noun after a count ("days")
  if (i < 2 || has_trail(i - 2) || has_trail(i - 1) || !pieces_[i].lead(text_).empty() ||
      core(i).size() != kLastDigits ||
      (!has_trail(i) && looks_plural(core(i + 1)) && core(i + 1).size() >= kMinPlural)) {
    return false;
  }
  const std::string phrase = lower(core(i - 2)) + " " + lower(core(i - 1));
  return data_.has_cue(phrase, NumberCue::kIdentifier);
}

// "12 S 1st st": a street type in lower case after a house number and a street name.
std::optional<std::string> Classifier::Run::lower_case_street(std::size_t i) const {
  constexpr std::size_t kMaxStreetWords = 4;
  const std::string_view text = core(i);
  if (i < 2 || text.empty() || !std::all_of(text.begin(), text.end(), detail::is_lower) ||
      has_trail(i - 1)) {
    return std::nullopt;
  }
  const std::string capitalized = title_case(text);
  std::optional<std::string> spoken;
  for (const std::string& key : {capitalized, capitalized + "."}) {
    const auto found = data_.abbreviations.find(key);
    if (found == data_.abbreviations.end()) continue;
    for (const Abbreviation& entry : found->second) {
      if (entry.context == AbbreviationContext::kStreet && !spoken) spoken = entry.spoken;
    }
  }
  if (!spoken) return std::nullopt;
  // Back over the street's name (capitalized words or an ordinal) to the house number.
  for (std::size_t k = i - 1; k >= 1 && i - k <= kMaxStreetWords; --k) {
    const bool name = detail::is_upper(first_char(k)) || detail::ordinal_digits(core(k));
    if (!name || has_trail(k)) return std::nullopt;
    if (all_digits(core(k - 1)) && !has_trail(k - 1)) return spoken;
  }
  return std::nullopt;
}

namespace {

// A numeric date in SSML's format ("mdy", "dmy", "ymd", "md", "dm", "my", "ym", "m", "y"), one
// digit group per letter. A year alone is a year; a day needs its month.
std::optional<Token> date_as(const std::vector<std::string_view>& groups, std::string_view order,
                             SourceSpan span) {
  if (groups.size() != order.size()) return std::nullopt;
  if (order == "y") {
    Quantity year;
    year.number.integer = std::string(groups[0]);
    year.style = NumberStyle::kYear;
    return Token{span, TokenClass::kYear, year};
  }
  DateValue date;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::optional<int> value = detail::small_integer(groups[i]);
    if (!value) return std::nullopt;
    if (order[i] == 'd') date.day = *value;
    if (order[i] == 'm') date.month = *value;
    if (order[i] == 'y') date.year = *value;
  }
  constexpr int kMonths = 12;
  constexpr int kMaxDay = 31;
  if (date.month < 1 || date.month > kMonths || date.day < 0 || date.day > kMaxDay) {
    return std::nullopt;
  }
  return Token{span, TokenClass::kDate, date};
}

// SSML <say-as> "cardinal": a whole number as written, with an optional sign, thousands commas
// or spaces in groups of three, and a decimal fraction ("-5", "+12", "1,204", "1 204", "3.5").
// Not "1e308", "5-7" or "12abc".
std::optional<Number> cardinal_as(std::string_view text) {
  std::string written(text);
  if (written.starts_with('+')) written.erase(0, 1);
  std::replace(written.begin(), written.end(), ' ', ',');  // "1 204" as "1,204"
  std::optional<Number> number = parse_number(written);
  if (!number || (number->integer.empty() && number->fraction.empty())) return std::nullopt;
  return number;
}

// SSML <say-as> "ordinal": a whole number that is not negative, with or without the suffix that
// fits it ("3", "21st", "1,000th"). Not "1e3", "-2" or "3.5".
std::optional<std::string> ordinal_as(std::string_view text) {
  if (std::optional<std::string> digits = detail::ordinal_digits(text)) return digits;
  const std::optional<Number> number = cardinal_as(text);
  if (!number || number->negative || number->has_point || text.starts_with('+')) {
    return std::nullopt;
  }
  return number->integer;
}

}  // namespace

std::optional<Token> classify_as(std::string_view text, const SayAs& say_as) {
  const SourceSpan span{0, text.size()};
  const std::vector<std::string_view> groups = detail::digit_runs(text);
  switch (say_as.kind) {
    case SayAsKind::kCharacters:
      return Token{span, TokenClass::kCharacters, std::monostate{}};
    case SayAsKind::kCardinal: {
      std::optional<Number> number = cardinal_as(text);
      if (!number) return std::nullopt;
      Quantity quantity;
      quantity.number = std::move(*number);
      quantity.style = NumberStyle::kCardinal;
      return Token{span, TokenClass::kCardinal, quantity};
    }
    case SayAsKind::kOrdinal: {
      std::optional<std::string> digits = ordinal_as(text);
      if (!digits) return std::nullopt;
      Quantity quantity;
      quantity.number.integer = std::move(*digits);
      quantity.style = NumberStyle::kOrdinal;
      return Token{span, TokenClass::kOrdinal, quantity};
    }
    case SayAsKind::kDate:
      return date_as(groups, say_as.format.empty() ? "mdy" : say_as.format, span);
    case SayAsKind::kTelephone:
      if (groups.empty()) return std::nullopt;
      return Token{span, TokenClass::kTelephone, std::monostate{}};
  }
  return std::nullopt;
}

std::vector<Token> Classifier::classify(std::string_view text, const Sentence& sentence) const {
  return Run(*this, text, cut_pieces(text, sentence.span)).run();
}

namespace {

bool listed(const std::unordered_set<std::string>& list, std::string_view cluster) {
  return list.contains(std::string(cluster));
}

bool is_vowel_letter(std::string_view word, std::size_t at) {
  const char c = word[at];
  if (c == 'y') return at > 0;  // "y" begins a word as a consonant ("YALTA")
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// Clusters English begins and ends syllables with (syllable_clusters.tsv): phonotactic rules, not
// words. Any consonant alone also begins or ends a syllable.
bool onset(std::string_view cluster, const SyllableClusters& clusters) {
  return cluster.size() <= 1 || listed(clusters.onsets, cluster);
}

bool coda(std::string_view cluster, const SyllableClusters& clusters) {
  constexpr std::size_t kPair = 2;
  const bool doubled = cluster.size() == kPair && cluster[0] == cluster[1];  // "ICANN"
  return cluster.empty() || (cluster.size() == 1 && cluster != "q") || doubled ||
         listed(clusters.codas, cluster);
}

// A consonant cluster between vowels splits into a coda and an onset ("UNESCO": "s" + "c";
// "DARPA": "r" + "p"), or is a doubled letter.
bool medial(std::string_view cluster, const SyllableClusters& clusters) {
  constexpr std::size_t kMaxMedial = 4;
  if (cluster.size() > kMaxMedial) return false;
  for (std::size_t split = 0; split <= cluster.size(); ++split) {
    if (coda(cluster.substr(0, split), clusters) && onset(cluster.substr(split), clusters)) {
      return true;
    }
  }
  return false;
}

}  // namespace

namespace {

// The syllable test of pronounceable(); with `whole` false it checks only what no English word
// breaks (a vowel, the onset, the vowel runs) and leaves the clusters inside and at the end, which
// rare words do break ("STRENGTHS"), to other evidence.
bool syllables_fit(std::string_view letters, bool whole, const SyllableClusters& clusters) {
  const std::string word = lower(letters);
  if (word.empty() || !std::all_of(word.begin(), word.end(), detail::is_lower)) return false;
  // Alternating runs of consonants and vowels.
  std::vector<std::pair<std::string_view, bool>> runs;  // (run, vowels)
  for (std::size_t at = 0; at < word.size();) {
    const bool vowels = is_vowel_letter(word, at);
    std::size_t end = at + 1;
    while (end < word.size() && is_vowel_letter(word, end) == vowels) ++end;
    runs.emplace_back(std::string_view(word).substr(at, end - at), vowels);
    at = end;
  }
  constexpr std::size_t kMaxVowels = 2;
  bool any_vowel = false;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto& [run, vowels] = runs[k];
    const bool first = k == 0;
    const bool last = k + 1 == runs.size();
    if (vowels) {
      any_vowel = true;
      if (run.size() > kMaxVowels) return false;
      if (first && run.size() == kMaxVowels && !listed(clusters.initial_vowel_pairs, run)) {
        return false;
      }
    } else if (first && last) {
      return false;
    } else if (first ? !onset(run, clusters)
                     : whole && (last ? !coda(run, clusters) : !medial(run, clusters))) {
      return false;
    }
  }
  return any_vowel;
}

}  // namespace

bool pronounceable(std::string_view letters, const SyllableClusters& clusters) {
  return syllables_fit(letters, true, clusters);
}

bool sayable_start(std::string_view letters, const SyllableClusters& clusters) {
  return syllables_fit(letters, false, clusters);
}

bool Classifier::known_word(std::string_view word) const {
  const std::string folded = lower(word);
  return std::any_of(words_.begin(), words_.end(),
                     [&](const auto& list) { return list->contains(folded); });
}

Classifier::Classifier(const NormalizationData& data,
                       std::vector<std::shared_ptr<const WordList>> words)
    : data_(data), words_(std::move(words)) {
  for (const auto& [symbol, unit] : data_.units) {
    const auto [where, inserted] = folded_units_.emplace(lower(symbol), &unit);
    if (!inserted && where->second != &unit) where->second = nullptr;  // "mm" vs "Mm": ambiguous
  }
}

}  // namespace narrator
