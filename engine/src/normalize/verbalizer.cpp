#include "verbalizer.hpp"

#include <unicode/utf8.h>

#include <algorithm>

#include "classifier.hpp"
#include "number_text.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

using detail::is_digit;
using detail::is_lower;
using detail::is_upper;

// Sequences the voice must never receive: U+FFFD (a lossy read's replacement) and eSpeak NG's
// phoneme-input brackets, which would turn article text into raw phonemes.
constexpr std::array<std::string_view, 3> kUnspeakable{"\xEF\xBF\xBD", "[[", "]]"};

constexpr std::string_view kProsodyMarks = ",.;:!?";

std::string remove_unspeakable(std::string_view token, bool& removed) {
  std::string out(token);
  for (const std::string_view bad : kUnspeakable) {
    for (std::size_t at = out.find(bad); at != std::string::npos; at = out.find(bad, at)) {
      out.erase(at, bad.size());
      removed = true;
    }
  }
  return out;
}

// What a run of punctuation does to the voice: end a sentence or clause, pause, or nothing.
// Dashes, brackets and ellipses become commas; quotes are silent.
std::string_view prosody_mark(std::string_view punctuation) {
  if (punctuation.find("...") != std::string_view::npos ||
      punctuation.find("\xE2\x80\xA6") != std::string_view::npos) {
    return ",";
  }
  for (const char mark : {'?', '!', '.', ';', ':', ','}) {
    if (punctuation.find(mark) != std::string_view::npos)
      return punctuation.substr(punctuation.find(mark), 1);
  }
  for (const std::string_view pause : {"(", ")", "[", "]", "\xE2\x80\x94", "\xE2\x80\x93", "-"}) {
    if (punctuation.find(pause) != std::string_view::npos) return ",";
  }
  return "";
}

bool is_stop(char mark) { return mark == '.' || mark == '?' || mark == '!'; }

// Attaches a prosody mark to the last word; a stronger mark replaces a comma, and marks never
// double up.
void attach_mark(std::vector<SpokenWord>& words, std::string_view mark) {
  if (mark.empty() || words.empty()) return;
  std::string& last = words.back().text;
  if (!last.empty() && kProsodyMarks.find(last.back()) != std::string_view::npos) {
    if (last.back() == ',' && is_stop(mark[0])) last.back() = mark[0];
    return;
  }
  last += mark;
}

std::string plural_of_last_word(std::string words) {
  if (words.ends_with('y')) return words.substr(0, words.size() - 1) + "ies";
  if (words.ends_with('x')) return words + "es";
  return words + "s";
}

void append_words(std::string& out, std::string_view words) {
  if (words.empty()) return;
  if (!out.empty()) out += ' ';
  out += words;
}

bool is_name_char(char c) { return detail::is_alpha(c) || is_digit(c); }

// True when `word` is one of the space-separated words of `list`.
bool listed_in(std::string_view list, std::string_view word) {
  for (std::size_t at = 0; at < list.size();) {
    const std::size_t end = std::min(list.find(' ', at), list.size());
    if (list.substr(at, end - at) == word) return true;
    at = end + 1;
  }
  return false;
}

bool is_hex(char c) { return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::string spell_letters(std::string_view letters) {
  std::string out;
  for (const char c : letters) {
    if (!detail::is_alpha(c)) continue;
    if (!out.empty()) out += '-';
    out += static_cast<char>(is_lower(c) ? c - 'a' + 'A' : c);
  }
  return out;
}

bool camel_word(std::string_view letters) {
  constexpr std::size_t kShortPart = 2;
  if (letters.size() < 2 || !std::all_of(letters.begin(), letters.end(), detail::is_alpha) ||
      !std::any_of(letters.begin() + 1, letters.end(), is_upper) ||
      !std::any_of(letters.begin(), letters.end(), is_lower)) {
    return false;
  }
  bool short_part = false;
  std::size_t at = 0;
  while (at < letters.size()) {
    std::size_t end = at + 1;
    while (end < letters.size() && is_lower(letters[end])) ++end;
    const std::string_view part = letters.substr(at, end - at);
    if (part.size() == 1 && is_upper(part[0]) && end < letters.size()) return false;  // "RNA"
    bool vowel = false;
    for (const char c : part)
      vowel = vowel || std::string_view("aeiouyAEIOUY").find(c) != std::string_view::npos;
    if (!vowel || (part.size() == 1 && is_upper(part[0]))) return false;
    short_part = short_part || part.size() <= kShortPart;
    at = end;
  }
  return short_part;
}

std::size_t glued_label_length(const NormalizationData& data, std::string_view label) {
  constexpr std::size_t kMinLabel = 2;
  std::size_t split = 0;
  while (split < label.size() && is_lower(label[split])) ++split;
  if (split < kMinLabel || split + 1 >= label.size() || !is_upper(label[split]) ||
      !std::all_of(label.begin() + static_cast<std::ptrdiff_t>(split) + 1, label.end(), is_lower)) {
    return 0;
  }
  const auto listed = data.electronic_words.find(std::string(label.substr(0, split)));
  if (listed == data.electronic_words.end() || (listed->second.place != ElectronicPlace::kDomain &&
                                                listed->second.place != ElectronicPlace::kFile)) {
    return 0;
  }
  return split;
}

std::size_t glued_scheme_length(const NormalizationData& data, std::string_view label) {
  for (std::size_t split = 1; split < label.size(); ++split) {
    if (!detail::is_alpha(label[split - 1])) return 0;
    std::string scheme(label.substr(split));
    for (char& c : scheme) {
      if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
    }
    const auto listed = data.electronic_words.find(scheme);
    if (listed != data.electronic_words.end() && listed->second.place == ElectronicPlace::kScheme) {
      return label.size() - split;
    }
  }
  return 0;
}

Verbalizer::Verbalizer(const NormalizationData& data, std::string_view locale)
    : data_(data), speller_(locale, data.number_words) {
  // The spoken name of each month and weekday: its longest written form without a period.
  for (const auto& [word, entry] : data_.calendar) {
    if (word.find('.') != std::string::npos) continue;
    std::string& name = entry.kind == CalendarKind::kMonth ? month_names_[entry.value]
                                                           : weekday_names_[entry.value];
    if (word.size() > name.size()) name = word;
  }
}

std::vector<SpokenWord> Verbalizer::verbalize(std::string_view text,
                                              const std::vector<Token>& tokens,
                                              Diagnostics& diagnostics) const {
  std::vector<SpokenWord> words;
  words.reserve(tokens.size());
  for (std::size_t index = 0; index < tokens.size(); ++index) {
    const Token& token = tokens[index];
    const std::string_view written = text.substr(token.span.begin_byte, token.span.size_bytes());
    if (token.token_class == TokenClass::kPunctuation) {
      attach_mark(words, prosody_mark(written));
      continue;
    }
    if (token.verbatim || (token.token_class == TokenClass::kWord &&
                           std::any_of(written.begin(), written.end(), is_digit))) {
      diagnostics.report(Diagnostic{
          Severity::kWarning, "tn.verbatim_fallback", token.span,
          "no reading rule fits '" + std::string(written) + "'; it is spoken as written"});
    }
    bool removed = false;
    std::string spoken;
    if (token.possessive) {
      const std::size_t ending = written.ends_with("'s") ? 2 : 4;  // 's or ’s
      spoken = speak(written.substr(0, written.size() - ending), token) + "'s";
    } else {
      spoken = speak(written, token);
    }
    spoken = remove_unspeakable(spoken, removed);
    if (removed) {
      diagnostics.report(Diagnostic{
          Severity::kWarning, "tn.unspeakable_removed", token.span,
          "removed characters the voice cannot read from '" + std::string(written) + "'"});
    }
    if (spoken.empty()) continue;
    words.push_back(SpokenWord{std::move(spoken), index, token.span, true,
                               token.token_class == TokenClass::kWord, std::nullopt});
  }
  // A pause has nothing to separate at the end: "(a)" ends "a", not "a,".
  if (!words.empty() && words.back().text.ends_with(',')) words.back().text.pop_back();
  return words;
}

std::string Verbalizer::speak(std::string_view written, const Token& token) const {
  const Quantity* quantity = std::get_if<Quantity>(&token.payload);
  switch (token.token_class) {
    case TokenClass::kMoney:
      return money(*quantity);
    case TokenClass::kRange: {
      if (const TimeRange* times = std::get_if<TimeRange>(&token.payload)) {
        return time(times->from) + " to " + time(times->to);
      }
      const Range& range = std::get<Range>(token.payload);
      const auto side = [&](const Quantity& q) {
        return q.currency ? money(q) : this->quantity(q);
      };
      // No joiner: two numbers side by side ("978-0", "114...48"), with a pause between.
      if (range.joiner.empty()) return side(range.from) + ", " + side(range.to);
      return side(range.from) + " " + range.joiner + " " + side(range.to);
    }
    case TokenClass::kDate:
      return date(std::get<DateValue>(token.payload));
    case TokenClass::kTime:
      return time(std::get<TimeValue>(token.payload));
    case TokenClass::kTelephone:
      return telephone(written);
    case TokenClass::kElectronic: {
      const Reading* spelled = std::get_if<Reading>(&token.payload);
      return electronic(written, spelled != nullptr ? spelled->spoken : std::string_view());
    }
    case TokenClass::kHashtag:
      return hashtag(written);
    case TokenClass::kAcronym:
      return acronym(written, std::get<Reading>(token.payload));
    case TokenClass::kAbbreviation: {
      // A capitalized abbreviation is a title or a name part: "Dr." → "Doctor".
      std::string spoken = std::get<Reading>(token.payload).spoken;
      if (!is_upper(written[0])) return spoken;
      for (std::size_t at = 0; at < spoken.size(); ++at) {
        if ((at == 0 || spoken[at - 1] == ' ') && is_lower(spoken[at])) {
          spoken[at] = static_cast<char>(spoken[at] - 'a' + 'A');
        }
      }
      return spoken;
    }
    case TokenClass::kSymbol:
      return std::get<Reading>(token.payload).spoken;
    case TokenClass::kDigits:
      if (std::holds_alternative<Reading>(token.payload)) return code(written);
      return quantity != nullptr ? speller_.digits(quantity->number.integer)
                                 : alphanumeric(written);
    case TokenClass::kCharacters:
      return characters(written);
    case TokenClass::kCardinal:
      // "987,654,321,012,345,678,901": a count written with thousands separators is read as a
      // count however long.
      if (quantity != nullptr && written.find(',') != std::string_view::npos &&
          quantity->scale.empty() && !quantity->number.has_point && quantity->prefix.empty()) {
        return (quantity->number.negative ? "minus " : "") +
               speller_.grouped_cardinal(quantity->number.integer);
      }
      return this->quantity(*quantity);
    case TokenClass::kWord:
    case TokenClass::kPunctuation:
      return std::string(written);
    default:
      return this->quantity(*quantity);
  }
}

std::string Verbalizer::number(const Number& value, NumberStyle style) const {
  std::string out = value.negative ? "minus" : "";
  if (!value.integer.empty() || !value.has_point) {
    std::string words;
    switch (style) {
      case NumberStyle::kCardinal:
        words = speller_.cardinal(value.integer);
        break;
      case NumberStyle::kYear:
        words = speller_.year(value.integer);
        break;
      case NumberStyle::kOrdinal:
        words = speller_.ordinal(value.integer);
        break;
      case NumberStyle::kRegnal:
        words = "the " + speller_.ordinal(value.integer);
        break;
      case NumberStyle::kPairs:
        words = pairs(value.integer);
        break;
      case NumberStyle::kDecade:
        words = plural_of_last_word(value.integer.size() == 4 ? speller_.year(value.integer)
                                                              : speller_.cardinal(value.integer));
        break;
    }
    append_words(out, words);
  }
  if (value.has_point) {
    append_words(out, "point");
    append_words(out, speller_.digits(value.fraction));
  }
  return out;
}

std::string Verbalizer::quantity(const Quantity& value) const {
  std::string out = value.prefix;
  append_words(out,
               value.denominator.empty() ? number(value.number, value.style) : fraction(value));
  append_words(out, value.scale);
  if (value.percent) append_words(out, "percent");
  if (value.unit != nullptr) {
    const bool one = value.number.integer == "1" && !value.number.has_point &&
                     value.scale.empty() && value.denominator.empty();
    append_words(out, one || value.attributive ? value.unit->singular : value.unit->plural);
  }
  if (value.per_unit != nullptr) append_words(out, "per " + value.per_unit->singular);
  return out;
}

std::string Verbalizer::money(const Quantity& value) const {
  const Currency& currency = *value.currency;
  const Number& amount = value.number;
  std::string fraction = amount.fraction;
  while (fraction.size() > 2 && fraction.back() == '0') fraction.pop_back();
  const bool in_minor_units = value.scale.empty() && amount.has_point && fraction.size() <= 2 &&
                              !currency.minor_plural.empty();
  if (!in_minor_units) {
    std::string out = number(amount, NumberStyle::kCardinal);
    append_words(out, value.scale);
    const bool one = amount.integer == "1" && !amount.has_point && value.scale.empty();
    append_words(out, one ? currency.major_singular : currency.major_plural);
    if (value.per_unit != nullptr) append_words(out, "per " + value.per_unit->singular);
    return out;
  }
  // "$20.50": twenty dollars fifty cents.
  if (fraction.size() == 1) fraction += '0';
  const std::string major = amount.integer.empty() ? "0" : amount.integer;
  const int minor = *detail::small_integer(fraction);
  std::string out = amount.negative ? "minus" : "";
  if (major != "0" || minor == 0) {
    append_words(out, speller_.cardinal(major));
    append_words(out, major == "1" ? currency.major_singular : currency.major_plural);
  }
  if (minor != 0) {
    append_words(out, speller_.cardinal(static_cast<long long>(minor)));
    append_words(out, minor == 1 ? currency.minor_singular : currency.minor_plural);
  }
  if (value.per_unit != nullptr) append_words(out, "per " + value.per_unit->singular);
  return out;
}

// Digits read in pairs, as house numbers and two-digit years are: "05" → "oh five", "123" → "one
// twenty-three", "100" → "one hundred", "1940" → "nineteen forty".
std::string Verbalizer::pairs(std::string_view digits) const {
  if (digits.size() == 2) {
    if (digits == "00") return "hundred";
    if (digits[0] == '0') return "oh " + speller_.digits(digits.substr(1));
    return speller_.cardinal(digits);
  }
  if (digits.size() == 3) {
    if (digits.substr(1) == "00") return speller_.cardinal(digits);
    return speller_.digits(digits.substr(0, 1)) + " " + pairs(digits.substr(1));
  }
  if (digits.size() == 4) return speller_.year(digits);
  return speller_.cardinal(digits);
}

// A code: digit groups digit by digit, letters spelled or read as a name part, and a pause where
// a hyphen or slash joins two groups ("0317-2260" → "zero three one seven, two two six zero").
std::string Verbalizer::code(std::string_view written) const {
  std::string out;
  std::size_t at = 0;
  while (at < written.size()) {
    std::size_t end = at + 1;
    if (is_digit(written[at])) {
      while (end < written.size() && is_digit(written[end])) ++end;
      append_words(out, speller_.digits(written.substr(at, end - at)));
    } else if (is_name_char(written[at])) {
      while (end < written.size() && is_name_char(written[end]) && !is_digit(written[end])) ++end;
      append_words(out, name_part(written.substr(at, end - at)));
    } else if (!out.empty() && out.back() != ',') {
      out += ',';
    }
    at = end;
  }
  if (out.ends_with(',')) out.pop_back();
  return out;
}

std::string Verbalizer::fraction(const Quantity& value) const {
  const int numerator = detail::small_integer(value.numerator).value_or(0);
  const int denominator = detail::small_integer(value.denominator).value_or(0);
  std::string part;
  if (denominator == 2) {
    part = numerator == 1 ? "half" : "halves";
  } else if (denominator == 4) {
    part = numerator == 1 ? "quarter" : "quarters";
  } else {
    part = speller_.ordinal(value.denominator) + (numerator == 1 ? "" : "s");
  }
  const bool whole = !value.number.integer.empty();
  std::string out = whole ? number(value.number, NumberStyle::kCardinal) + " and" : "";
  append_words(out, whole && numerator == 1 ? "a" : speller_.cardinal(value.numerator));
  append_words(out, part);
  return out;
}

std::string Verbalizer::date(const DateValue& value) const {
  const std::string day = value.day > 0 ? speller_.ordinal(std::to_string(value.day)) : "";
  std::string year = value.year > 0 ? speller_.year(std::to_string(value.year)) : "";
  if (value.short_year)
    year = pairs(value.year < 10 ? "0" + std::to_string(value.year) : std::to_string(value.year));
  const std::string& month = month_names_[static_cast<std::size_t>(value.month)];
  if (value.weekday > 0) {
    return weekday_names_[static_cast<std::size_t>(value.weekday)] + " the " + day;
  }
  if (value.day_first && !day.empty()) {
    std::string out = (value.after_the ? "" : "the ") + day + " of " + month;
    append_words(out, year);
    return out;
  }
  if (day.empty()) {
    std::string out = month;
    append_words(out, year);
    return out;
  }
  return month + " " + day + (year.empty() ? "" : ", " + year);
}

std::string Verbalizer::time(const TimeValue& value) const {
  std::string out = speller_.cardinal(static_cast<long long>(value.hour));
  if (value.second >= 0) {
    out += value.hour == 1 ? " hour " : " hours ";
    out += speller_.cardinal(static_cast<long long>(value.minute));
    out += value.minute == 1 ? " minute and " : " minutes and ";
    out += speller_.cardinal(static_cast<long long>(value.second));
    out += value.second == 1 ? " second" : " seconds";
  } else if (value.minute == 0) {
    if (value.meridiem.empty()) out += " o'clock";
  } else {
    if (value.minute < 10) out += " oh";
    append_words(out, speller_.cardinal(static_cast<long long>(value.minute)));
  }
  append_words(out, value.meridiem);
  append_words(out, spell_letters(value.zone));
  return out;
}

std::string Verbalizer::telephone(std::string_view written) const {
  // "192.168.0.1": four groups joined by dots are an address, read with "dot".
  const std::vector<std::string_view> groups = detail::digit_runs(written);
  if (groups.size() == 4 && written.find_first_not_of("0123456789.") == std::string_view::npos) {
    std::string address;
    for (const std::string_view group : groups) {
      append_words(address, address.empty() ? "" : "dot");
      append_words(address, speller_.digits(group));
    }
    return address;
  }
  std::string out = written.find('+') != std::string_view::npos ? "plus" : "";
  for (const std::string_view group : detail::digit_runs(written)) {
    if (!out.empty()) out += out == "plus" ? " " : ", ";
    out += speller_.digits(group);
  }
  return out;
}

// A name inside an address or tag: "CBCNews" → "C-B-C News", "viasna96" → "viasna nine six".
std::string Verbalizer::name_part(std::string_view part) const {
  if (camel_word(part)) return std::string(part);  // "NeMo"
  std::string out;
  std::size_t at = 0;
  while (at < part.size()) {
    std::size_t end = at + 1;
    if (is_digit(part[at])) {
      while (end < part.size() && is_digit(part[end])) ++end;
      append_words(out, speller_.digits(part.substr(at, end - at)));
    } else if (is_upper(part[at]) && end < part.size() && is_upper(part[end])) {
      while (end < part.size() && is_upper(part[end])) ++end;
      if (end < part.size() && is_lower(part[end])) --end;  // "CBCNews": N starts "News"
      append_words(out, capitals_in_name(part.substr(at, end - at)));
    } else {
      while (end < part.size() && !is_digit(part[end]) && !is_upper(part[end])) ++end;
      append_words(out, letters_in_name(part.substr(at, end - at)));
    }
    at = end;
  }
  return out;
}

// Letters in lower case inside a name (after a capital: "Db" in "IMDb"): as written, but spelled
// when two or more of them have no vowel letter ("tt" in "tt0123456") and the acronym table does
// not list them as a word ("hmm").
std::string Verbalizer::letters_in_name(std::string_view letters) const {
  std::string folded(letters);
  for (char& c : folded) {
    if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  const bool ascii = std::all_of(letters.begin(), letters.end(), detail::is_alpha);
  const auto listed = data_.acronyms.find(folded);
  if (!ascii || letters.size() < 2 || folded.find_first_of("aeiouy") != std::string::npos ||
      (listed != data_.acronyms.end() && listed->second.reading == AcronymReading::kWord)) {
    return std::string(letters);
  }
  return spell_letters(letters);
}

// Capitals inside a name: a word when the acronym table says so, else spelled; a spelled acronym
// the table lists run into a word English can say is read as both ("BBCTODAY" → "B-B-C today").
std::string Verbalizer::capitals_in_name(std::string_view capitals) const {
  const std::string caps(capitals);
  const auto listed = data_.acronyms.find(caps);
  if (listed != data_.acronyms.end() && listed->second.reading == AcronymReading::kWord) {
    return listed->second.spoken.empty() ? caps : listed->second.spoken;
  }
  constexpr std::size_t kMinPrefix = 2;
  constexpr std::size_t kMaxPrefix = 4;
  constexpr std::size_t kMinWord = 4;
  // The longest listed prefix: "BBCTODAY" is "BBC" and "TODAY", not "BB" and "CTODAY".
  for (std::size_t split = kMaxPrefix; listed == data_.acronyms.end() && split >= kMinPrefix;
       --split) {
    if (split + kMinWord > capitals.size()) continue;
    const auto prefix = data_.acronyms.find(caps.substr(0, split));
    const std::string_view rest = capitals.substr(split);
    if (prefix != data_.acronyms.end() && prefix->second.reading == AcronymReading::kLetters &&
        prefix->second.spoken.empty() && pronounceable(rest, data_.syllable_clusters)) {
      std::string word(rest);
      for (char& c : word) c = static_cast<char>(c - 'A' + 'a');
      return spell_letters(capitals.substr(0, split)) + " " + word;
    }
  }
  return spell_letters(capitals);
}

// A label listed for `place` (electronic_words.tsv) as the table says; an unlisted two-letter
// top-level domain spelled; any other label (and any label of a path, `place` nullopt) read as
// a name part, or spelled when it is lower case with no vowel ("xkcd", "pdf").
std::string Verbalizer::address_label(std::string_view label, std::optional<ElectronicPlace> place,
                                      std::string_view spelled) const {
  std::string folded(label);
  for (char& c : folded) {
    if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  const auto listed = data_.electronic_words.find(folded);
  if (place && listed != data_.electronic_words.end() && listed->second.place == *place) {
    switch (listed->second.reading) {
      case ElectronicReading::kWord:
        return folded;
      case ElectronicReading::kLetters:
        return spell_letters(label);
      case ElectronicReading::kSpoken:
        return listed->second.spoken;
    }
  }
  if (place == ElectronicPlace::kDomain && label.size() == 2) return spell_letters(label);
  // "comDensity", "pdfFollowing": a label run into the next word, left for the voice as written.
  if (const std::size_t glued = glued_label_length(data_, label); glued > 0) {
    return std::string(label.substr(0, glued)) + " " + name_part(label.substr(glued));
  }
  const bool lower_letters = std::all_of(label.begin(), label.end(), is_lower);
  if (lower_letters && folded.find_first_of("aeiouy") == std::string::npos) {
    return spell_letters(label);
  }
  if (lower_letters && listed_in(spelled, label)) return spell_letters(label);
  return name_part(label);
}

std::string Verbalizer::electronic(std::string_view written, std::string_view spelled) const {
  std::string out;
  if (const std::size_t scheme = written.find("://");
      scheme != std::string_view::npos && scheme > 0 &&
      std::all_of(written.begin(), written.begin() + static_cast<std::ptrdiff_t>(scheme),
                  detail::is_alpha)) {
    out = scheme_label(written.substr(0, scheme), spelled) + " colon slash slash";
    written.remove_prefix(scheme + 3);
  }
  while (written.ends_with('/')) written.remove_suffix(1);
  // "//web.archive.org/…": a host after a leading "//" (an address without its scheme).
  const std::size_t host_begin = written.starts_with("//") ? 2 : 0;
  std::size_t host_end = std::min(written.find('/', host_begin), written.size());
  int date_parts = 0;  // path segments left of a date ("/2014/06/19/")
  std::size_t at = 0;
  while (at < written.size()) {
    // "…/web/2011/http://example.edu/…": an address inside the path has a host of its own.
    if (written.substr(at).starts_with("://")) {
      host_end = std::min(written.find('/', at + 3), written.size());
    }
    // "%20": a percent-encoded byte, read as written.
    if (written[at] == '%' && at + 2 < written.size() && is_hex(written[at + 1]) &&
        is_hex(written[at + 2])) {
      append_words(out, "percent");
      const std::string_view hex = written.substr(at + 1, 2);
      append_words(out, detail::all_digits(hex) ? speller_.cardinal(hex) : spell_letters(hex));
      at += 3;
      continue;
    }
    if (!is_name_char(written[at])) {
      const auto mark = data_.electronic_words.find(std::string(1, written[at]));
      if (mark != data_.electronic_words.end() &&
          mark->second.place == ElectronicPlace::kSeparator) {
        append_words(out, mark->second.spoken);
      }
      ++at;
      continue;
    }
    std::size_t end = at;
    while (end < written.size() && is_name_char(written[end])) ++end;
    const std::string_view label = written.substr(at, end - at);
    const bool after_dot = at > 0 && written[at - 1] == '.';
    const bool path_digits = detail::all_digits(label) && at > 0 && written[at - 1] == '/';
    if (!path_digits) date_parts = 0;  // a date's parts follow one another
    if (written.substr(end).starts_with("://")) {
      append_words(out, scheme_label(label, spelled));
    } else if (path_digits) {
      append_words(out, electronic_digits(written, at, end, date_parts));
    } else if (label == "www") {
      append_words(out, "W-W-W");
    } else if (after_dot && end == host_end) {
      append_words(out, address_label(label, ElectronicPlace::kDomain, spelled));
    } else if (after_dot && end == written.size()) {
      append_words(out, address_label(label, ElectronicPlace::kFile, spelled));
    } else {
      append_words(out, address_label(label, std::nullopt, spelled));
    }
    at = end;
  }
  return out;
}

// The label before "://": a listed scheme as the table says; a word run into one is read before it
// ("corporatehttp" → "corporate H-T-T-P").
std::string Verbalizer::scheme_label(std::string_view label, std::string_view spelled) const {
  const std::size_t glued = glued_scheme_length(data_, label);
  if (glued == 0) return address_label(label, ElectronicPlace::kScheme, spelled);
  return name_part(label.substr(0, label.size() - glued)) + " " +
         address_label(label.substr(label.size() - glued), ElectronicPlace::kScheme, spelled);
}

// A path segment of digits: digit by digit, except a date ("/2014/06/19/": twenty fourteen slash
// oh six slash nineteen), a year followed by a month and maybe a day. `date_parts` counts the
// segments of the date still to come.
std::string Verbalizer::electronic_digits(std::string_view written, std::size_t at, std::size_t end,
                                          int& date_parts) const {
  const std::string_view digits = written.substr(at, end - at);
  constexpr std::size_t kPartDigits = 2;
  if (date_parts > 0 && digits.size() <= kPartDigits) {
    --date_parts;
    return pairs(digits);
  }
  date_parts = 0;
  constexpr std::size_t kYearDigits = 4;
  constexpr int kMinYear = 1900;
  constexpr int kMaxYear = 2099;
  constexpr int kMonths = 12;
  const std::string_view after = written.substr(end);
  const std::size_t month_digits =
      after.starts_with('/') ? std::min(after.find_first_not_of("0123456789", 1), after.size()) - 1
                             : 0;
  const int year = detail::small_integer(digits).value_or(0);
  const int month = month_digits == 0 || month_digits > kPartDigits
                        ? 0
                        : detail::small_integer(after.substr(1, month_digits)).value_or(0);
  const bool month_ends =
      month_digits > 0 && (1 + month_digits == after.size() || after[1 + month_digits] == '/');
  if (digits.size() == kYearDigits && year >= kMinYear && year <= kMaxYear && month >= 1 &&
      month <= kMonths && month_ends) {
    date_parts = 2;
    return speller_.year(digits);
  }
  return speller_.digits(digits);
}

std::string Verbalizer::hashtag(std::string_view written) const {
  std::string out = written.starts_with('#') ? "hashtag" : "at";
  std::string_view body = written.substr(1);
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t end = at;
    while (end < body.size() && is_name_char(body[end])) ++end;
    append_words(out, name_part(body.substr(at, end - at)));
    at = end + 1;  // '_' and other joiners are silent
  }
  return out;
}

// A number inside a word of letters and digits, at [at, end) of `written`. A number set off by
// hyphens is a count ("100-day"); one glued to letters is a code ("A320"), read digit by digit
// unless it is short. Five digits or more, or four after capitals and a hyphen, are a code too
// ("51872-K", "NB-4096"), unless a word follows the hyphen ("20000-strong"); "1986a" is a year
// with a letter.
std::string Verbalizer::number_in_word(std::string_view written, std::size_t at, std::size_t end,
                                       const Number& value) const {
  const auto joiner = [&](std::size_t offset) {
    return offset >= written.size() || written[offset] == '-' || written[offset] == '/';
  };
  const bool standalone = (at == 0 || joiner(at - 1)) && joiner(end);
  const bool counted = value.integer[0] != '0' || value.integer.size() == 1;
  constexpr std::size_t kCodeDigits = 5;
  constexpr std::size_t kYearDigits = 4;
  const bool word_after =
      end + 1 < written.size() && written[end] == '-' && is_lower(written[end + 1]);
  const bool year = value.integer.size() == kYearDigits &&
                    (value.integer.starts_with("19") || value.integer.starts_with("20"));
  const bool after_capitals = at >= 2 && written[at - 1] == '-' && is_upper(written[at - 2]);
  const bool code = !value.has_point && !word_after &&
                    (value.integer.size() >= kCodeDigits ||
                     (after_capitals && value.integer.size() == kYearDigits && !year));
  if (year && at == 0 && end + 1 == written.size() && is_lower(written[end])) {
    return number(value, NumberStyle::kYear);
  }
  const bool as_count =
      !code && (value.has_point || (counted && (standalone || value.integer.size() <= 2)));
  return as_count ? number(value, NumberStyle::kCardinal) : speller_.digits(value.integer);
}

// Letters and digits mixed in one word: "F-16", "MH17", "COVID-19", "abc123def".
std::string Verbalizer::alphanumeric(std::string_view written) const {
  if (written.find('=') != std::string_view::npos) return equation(written);
  // In an equation a hyphen is a minus sign.
  const bool math = written.find_first_of("=+") != std::string_view::npos;
  // "1.1.3": a version number, its points read "dot".
  const bool version = std::count(written.begin(), written.end(), '.') >= 2;
  std::string out;
  std::size_t at = 0;
  while (at < written.size()) {
    std::size_t end = at + 1;
    if (is_digit(written[at])) {
      while (end < written.size() && is_digit(written[end])) ++end;
      Number value;
      value.integer = std::string(written.substr(at, end - at));
      if (!version && end + 1 < written.size() && written[end] == '.' &&
          is_digit(written[end + 1])) {
        std::size_t fraction_end = end + 1;
        while (fraction_end < written.size() && is_digit(written[fraction_end])) ++fraction_end;
        value.has_point = true;
        value.fraction = std::string(written.substr(end + 1, fraction_end - end - 1));
        end = fraction_end;
      }
      append_words(out, number_in_word(written, at, end, value));
    } else if (written[at] == '.' && version) {
      append_words(out, "dot");
    } else if (written[at] == '-' && math) {
      append_words(out, "minus");
    } else if (written[at] == '-') {
      // A hyphen between letters and digits is silent: "F-16".
    } else if (const auto symbol = data_.symbols.find(std::string(1, written[at]));
               symbol != data_.symbols.end()) {
      append_words(out, symbol->second);
    } else if (const std::size_t length = detail::utf8_sequence_length(written, at).value_or(1);
               length > 1 && data_.symbols.contains(std::string(written.substr(at, length)))) {
      // "45º&C": a sign of another script the table names ("º" after a number is degrees).
      append_words(out, data_.symbols.at(std::string(written.substr(at, length))));
      end = at + length;
    } else if (const auto currency = data_.currencies.find(std::string(written.substr(at, length)));
               currency != data_.currencies.end()) {
      append_words(out, currency->second.major_singular);  // "$12@12%": dollar twelve …
      end = at + length;
    } else {
      // A run of letters (any script).
      while (end < written.size() &&
             (detail::is_alpha(written[end]) || static_cast<unsigned char>(written[end]) >= 0x80)) {
        ++end;
      }
      const std::string letters(written.substr(at, end - at));
      const auto listed = data_.acronyms.find(letters);
      if (listed != data_.acronyms.end()) {
        append_words(out,
                     acronym(letters, Reading{listed->second.reading == AcronymReading::kWord &&
                                                      listed->second.spoken.empty()
                                                  ? letters
                                                  : listed->second.spoken}));
      } else if (detail::is_all_caps(letters) || letters.size() == 1) {
        append_words(out, letters.size() <= 3 ? spell_letters(letters) : letters);
      } else {
        append_words(out, letters);
      }
    }
    at = end;
  }
  return out;
}

// Spelled out: letters one by one, joined by hyphens within a run ("QX7" → "Q-X seven"), digits
// one by one, symbols by name ("R&D" → "R and D"). Other marks are silent; a space ends a run.
std::string Verbalizer::characters(std::string_view written) const {
  std::string out;
  bool in_letters = false;
  std::size_t at = 0;
  while (at < written.size()) {
    const std::size_t begin = at;
    const char c = written[at];
    U8_FWD_1(written.data(), at, written.size());
    if (detail::is_alpha(c)) {
      out += in_letters ? "-" : out.empty() ? "" : " ";
      out += static_cast<char>(is_lower(c) ? c - 'a' + 'A' : c);
      in_letters = true;
      continue;
    }
    if (c == ' ') in_letters = false;
    if (is_digit(c)) {
      append_words(out, speller_.digits(written.substr(begin, 1)));
      in_letters = false;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      append_words(out, written.substr(begin, at - begin));  // a letter of another script
      in_letters = false;
    } else if (const auto symbol = data_.symbols.find(std::string(1, c));
               symbol != data_.symbols.end()) {
      append_words(out, symbol->second);
      in_letters = false;
    }
  }
  return out;
}

std::string Verbalizer::acronym(std::string_view written, const Reading& reading) const {
  if (!reading.spoken.empty()) return reading.spoken;
  return spell_letters(written);
}

// An equation ("9- 4 = 5", "y = 2x - 3", "a+b=c"): numbers as counts, letters spelled, and the
// signs by their names in an equation (number_words.tsv, operator: a hyphen is minus); spaces
// are silent.
std::string Verbalizer::equation(std::string_view written) const {
  std::string out;
  std::size_t at = 0;
  while (at < written.size()) {
    std::size_t end = at + 1;
    if (is_digit(written[at]) ||
        (written[at] == '.' && end < written.size() && is_digit(written[end]))) {
      while (end < written.size() && (is_digit(written[end]) || written[end] == '.')) ++end;
      const std::optional<Number> value = detail::parse_number(written.substr(at, end - at));
      append_words(out, value ? number(*value, NumberStyle::kCardinal)
                              : speller_.digits(written.substr(at, end - at)));
    } else if (const auto sign = data_.number_words.operators.find(std::string(1, written[at]));
               sign != data_.number_words.operators.end()) {
      append_words(out, sign->second);
    } else if (detail::is_alpha(written[at])) {
      append_words(out, spell_letters(written.substr(at, 1)));
    } else if (const auto symbol = data_.symbols.find(std::string(1, written[at]));
               symbol != data_.symbols.end()) {
      append_words(out, symbol->second);
    }
    at = end;
  }
  return out;
}

}  // namespace narrator
