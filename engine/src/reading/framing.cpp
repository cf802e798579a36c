// framing.cpp: the optional intro ("Headline. From Publication.") and closing disclaimer, and the
// metadata as readers see it (clean bylines, readable dates).
#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/detail/ascii.hpp"
#include "text_scan.hpp"

namespace narrator {
namespace {

// The template with its placeholders filled; a sentence whose placeholder is empty is dropped.
std::string fill(std::string_view pattern, const ArticleMetadata& metadata,
                 std::string_view language) {
  const std::string date = metadata.date.empty() ? "" : readable_date(metadata.date, language);
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"{title}", &metadata.title},
      {"{publication}", &metadata.publication},
      {"{byline}", &metadata.byline},
      {"{date}", &date}};
  std::string out;
  while (!pattern.empty()) {
    std::size_t end = pattern.find_first_of(".!?");
    end = end == std::string_view::npos ? pattern.size() : end + 1;
    std::string sentence(pattern.substr(0, end));
    pattern.remove_prefix(end);
    bool known = true;
    for (const auto& [placeholder, value] : fields) {
      for (std::size_t at; (at = sentence.find(placeholder)) != std::string::npos;) {
        known = known && !value->empty();
        sentence.replace(at, placeholder.size(), *value);
      }
    }
    if (known) out += sentence;
  }
  return detail::collapse_spaces(out);
}

// Appends `text` after everything in Article::text and returns its span there.
SourceSpan append_text(Article& article, const std::string& text) {
  if (article.generated_from == std::string::npos) article.generated_from = article.text.size();
  article.text += "\n\n";
  const std::size_t begin = article.text.size();
  article.text += text;
  return SourceSpan{begin, article.text.size()};
}

// What may stand before or after a byline's names: spaces and the separators pages put between
// a byline and the date or outlet next to it.
constexpr std::string_view kBylineEdges[] = {" ",      "\u00A0", "\u00B7", "\u2022", "\u2014",
                                             "\u2013", "|",      "-",      ",",      ";"};

std::string_view trim_byline_edges(std::string_view text) {
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    for (const std::string_view edge : kBylineEdges) {
      if (text.starts_with(edge)) text.remove_prefix(edge.size()), trimmed = true;
      if (text.ends_with(edge)) text.remove_suffix(edge.size()), trimmed = true;
    }
  }
  return text;
}

// ---- dates

struct IsoDate {
  int year = 0;
  int month = 0;  // 1-12
  int day = 0;
  std::optional<int> hour;
  int minute = 0;
  int second = 0;
  int offset_minutes = 0;  // east of UTC; 0 for "Z" and for a time without an offset
};

// Reads `count` digits at `at`, moving past them.
std::optional<int> digits(std::string_view text, std::size_t& at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  at += count;
  return value;
}

bool take(std::string_view text, std::size_t& at, char c) {
  if (at >= text.size() || text[at] != c) return false;
  ++at;
  return true;
}

// "HH:MM[:SS[.fff]][Z|±HH[:]MM]" from `at` to the end.
bool parse_iso_time(std::string_view text, std::size_t at, IsoDate& date) {
  const std::optional<int> hour = digits(text, at, 2);
  if (!hour || !take(text, at, ':')) return false;
  const std::optional<int> minute = digits(text, at, 2);
  if (!minute) return false;
  date.hour = *hour;
  date.minute = *minute;
  if (take(text, at, ':')) {
    const std::optional<int> second = digits(text, at, 2);
    if (!second) return false;
    date.second = *second;
    if (take(text, at, '.') && !digits(text, at, 1)) return false;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
  }
  if (take(text, at, 'Z')) return at == text.size();
  if (at == text.size()) return true;
  const int sign = text[at] == '+' ? 1 : text[at] == '-' ? -1 : 0;
  if (sign == 0) return false;
  ++at;
  const std::optional<int> offset_hours = digits(text, at, 2);
  take(text, at, ':');
  const std::optional<int> offset_minutes = digits(text, at, 2);
  if (!offset_hours || !offset_minutes || at != text.size()) return false;
  date.offset_minutes = sign * (*offset_hours * 60 + *offset_minutes);
  return true;
}

std::optional<IsoDate> parse_iso_date(std::string_view text) {
  IsoDate date;
  std::size_t at = 0;
  const std::optional<int> year = digits(text, at, 4);
  if (!year || !take(text, at, '-')) return std::nullopt;
  const std::optional<int> month = digits(text, at, 2);
  if (!month || !take(text, at, '-')) return std::nullopt;
  const std::optional<int> day = digits(text, at, 2);
  if (!day) return std::nullopt;
  date.year = *year;
  date.month = *month;
  date.day = *day;
  if (at == text.size()) return date;
  if (!take(text, at, 'T') && !take(text, at, ' ')) return std::nullopt;
  if (!parse_iso_time(text, at, date)) return std::nullopt;
  return date;
}

// "GMT+01:00": ICU's custom zone for a fixed offset, so the time shows as the page wrote it.
std::unique_ptr<icu::TimeZone> fixed_zone(int offset_minutes) {
  const int size = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char id[16];
  std::snprintf(id, sizeof id, "GMT%c%02d:%02d", offset_minutes < 0 ? '-' : '+', size / 60,
                size % 60);
  return std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone(id));
}

std::optional<std::string> format_iso_date(const IsoDate& iso, std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(std::string(language), status);
  if (U_FAILURE(status) || language.empty()) {
    status = U_ZERO_ERROR;
    locale = icu::Locale::getEnglish();
  }
  const std::unique_ptr<icu::TimeZone> zone = fixed_zone(iso.offset_minutes);
  icu::GregorianCalendar calendar(*zone, locale, status);
  if (U_FAILURE(status)) return std::nullopt;
  calendar.setLenient(false);
  calendar.clear();
  calendar.set(iso.year, iso.month - 1, iso.day, iso.hour.value_or(0), iso.minute, iso.second);
  const UDate moment = calendar.getTime(status);  // non-lenient: fails for 31 February or 25:00
  if (U_FAILURE(status)) return std::nullopt;
  const std::unique_ptr<icu::DateFormat> format(
      iso.hour ? icu::DateFormat::createDateTimeInstance(icu::DateFormat::kLong,
                                                         icu::DateFormat::kShort, locale)
               : icu::DateFormat::createDateInstance(icu::DateFormat::kLong, locale));
  if (format == nullptr) return std::nullopt;
  format->setTimeZone(*zone);
  icu::UnicodeString text;
  format->format(moment, text);
  // CLDR puts a narrow no-break space before "AM"; a plain one reads the same everywhere.
  text.findAndReplace(icu::UnicodeString(static_cast<UChar>(0x202F)),
                      icu::UnicodeString(static_cast<UChar>(0x20)));
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

std::string clean_byline(std::string_view byline) {
  std::string text = detail::collapse_spaces(byline);
  std::string_view rest = trim_byline_edges(text);
  for (const std::string_view by : {"by ", "by:"}) {
    if (rest.size() > by.size() && detail::ascii_lower(rest.substr(0, by.size())) == by) {
      rest = trim_byline_edges(rest.substr(by.size()));
      break;
    }
  }
  return std::string(trim_byline_edges(rest));
}

std::string readable_date(std::string_view date, std::string_view language) {
  const std::string text = detail::collapse_spaces(date);
  const std::optional<IsoDate> iso = parse_iso_date(text);
  if (!iso) return std::string(date);
  return format_iso_date(*iso, language).value_or(std::string(date));
}

void add_framing(Article& article, const Framing& framing, Diagnostics& diagnostics) {
  if (framing.intro) {
    const std::string intro = fill(framing.intro_text, article.metadata, framing.language);
    if (intro.empty()) {
      diagnostics.report(Diagnostic{Severity::kWarning, "input.no_intro", SourceSpan{0, 0},
                                    article.source_name +
                                        ": no intro: the article's title and publication are "
                                        "unknown; give them with --title and --publication"});
    } else {
      const SourceSpan span = append_text(article, intro);
      article.blocks.insert(article.blocks.begin(), Block{span, BlockKind::kHeading});
    }
  }
  if (framing.disclaimer) {
    const std::string disclaimer =
        fill(framing.disclaimer_text, article.metadata, framing.language);
    if (!disclaimer.empty()) {
      article.blocks.push_back(Block{append_text(article, disclaimer), BlockKind::kParagraph});
    }
  }
}

}  // namespace narrator
