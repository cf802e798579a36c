#include "pieces.hpp"

#include <array>

#include "text_scan.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

constexpr std::string_view kEmDash = "\xE2\x80\x94";
constexpr std::string_view kEnDash = "\xE2\x80\x93";
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

// Opening punctuation peeled from the front of a piece.
constexpr std::array<std::string_view, 15> kOpeners{"(",
                                                    "[",
                                                    "{",
                                                    "\"",
                                                    "'",
                                                    "`",
                                                    "\xE2\x80\x9C" /* “ */,
                                                    "\xE2\x80\x98" /* ‘ */,
                                                    "\xC2\xAB" /* « */,
                                                    "\xE2\x80\x9E" /* „ */,
                                                    "\xC2\xBF" /* ¿ */,
                                                    "\xC2\xA1" /* ¡ */,
                                                    "*",
                                                    kEmDash,
                                                    kEnDash};

// Closing punctuation peeled from the end of a piece.
constexpr std::array<std::string_view, 19> kClosers{".",
                                                    ",",
                                                    ";",
                                                    ":",
                                                    "!",
                                                    "?",
                                                    ")",
                                                    "]",
                                                    "}",
                                                    "\"",
                                                    "'",
                                                    "`",
                                                    "*",
                                                    "\xE2\x80\x9D" /* ” */,
                                                    "\xE2\x80\x99" /* ’ */,
                                                    "\xC2\xBB" /* » */,
                                                    kEllipsis,
                                                    kEmDash,
                                                    kEnDash};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Bytes of a character that separates pieces (whitespace or a control character), or 0.
std::size_t separator_length(std::string_view text, std::size_t offset) {
  std::size_t length = 0;
  if (detail::is_space_at(text, offset, length)) return length;
  const auto byte = static_cast<unsigned char>(text[offset]);
  if (byte < 0x20 || byte == 0x7F) return 1;
  if (byte == 0xC2 && offset + 1 < text.size()) {  // C1 controls U+0080–U+009F
    const auto next = static_cast<unsigned char>(text[offset + 1]);
    if (next >= 0x80 && next <= 0x9F) return 2;
  }
  return 0;
}

// Bytes of a mark that stands alone as a piece at `offset`, or 0. An en dash between digits is
// part of a range ("2020–2022") and stays inside its piece.
std::size_t standalone_length(std::string_view text, std::size_t offset, std::size_t begin) {
  const std::string_view rest = text.substr(offset);
  if (rest.starts_with(kEmDash) || rest.starts_with(kEllipsis)) return kEmDash.size();
  if (rest.starts_with(kEnDash)) {
    const bool digit_before = offset > begin && is_digit(text[offset - 1]);
    const bool digit_after =
        offset + kEnDash.size() < text.size() &&
        (is_digit(text[offset + kEnDash.size()]) || text[offset + kEnDash.size()] == '$');
    if (!(digit_before && digit_after)) return kEnDash.size();
  }
  return 0;
}

bool is_lower_ascii(char c) { return c >= 'a' && c <= 'z'; }

bool is_ascii_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Where a piece glued to the next by closing punctuation ends: "june,1987" and "2019).Then" are
// two pieces each, a word and a number with no space after the comma or bracket, and so is
// "5,2010", a comma that groups no thousands. Returns the offset after the punctuation run at
// `offset`, or 0. Letters on both sides ("and/or", "a,b") or a thousands comma ("3,000") stay one
// piece.
std::size_t glued_end(std::string_view text, std::size_t offset, std::size_t begin) {
  constexpr std::string_view kOpeningMarks = ",;)]";
  constexpr std::string_view kRunMarks = ",;)].:!?";
  if (offset == begin || !is_ascii_alnum(text[offset - 1])) return 0;
  // "Why?Because": a question or exclamation mark run into a capitalized word ends the first;
  // "news?id=1" (a web address's query) stays one piece.
  if ((text[offset] == '?' || text[offset] == '!') && is_lower_ascii(text[offset - 1]) &&
      offset + 2 < text.size() && text[offset + 1] >= 'A' && text[offset + 1] <= 'Z' &&
      is_lower_ascii(text[offset + 2])) {
    return offset + 1;
  }
  if (kOpeningMarks.find(text[offset]) == std::string_view::npos) return 0;
  std::size_t end = offset;
  while (end < text.size() && kRunMarks.find(text[end]) != std::string_view::npos) ++end;
  if (end == text.size() || !is_ascii_alnum(text[end])) return 0;
  // "12(4):e5531": a bracket opened inside the piece belongs to it.
  if (text.substr(begin, offset - begin).find_first_of("([") != std::string_view::npos) return 0;
  if (is_digit(text[offset - 1]) != is_digit(text[end])) return end;
  // "5pm,then", "12kg;the": a number glued to its letters (a meridiem, a unit) and a comma before
  // a word; letters after letters ("a,b") stay one piece when the piece has no number.
  if (text[offset] != ')' && is_digit(text[begin]) && !is_digit(text[offset - 1]) &&
      is_lower_ascii(text[end]) && end + 1 < text.size() && is_lower_ascii(text[end + 1])) {
    return end;
  }
  // "May 5,2010": a comma between digits that does not group thousands (three digits after it).
  if (is_digit(text[offset - 1]) && text[offset] == ',' && end == offset + 1) {
    std::size_t digits_after = end;
    while (digits_after < text.size() && is_digit(text[digits_after])) ++digits_after;
    constexpr std::size_t kGroupDigits = 3;
    if (digits_after - end != kGroupDigits) return end;
  }
  return 0;
}

template <std::size_t N>
std::size_t match_any_prefix(std::string_view text, const std::array<std::string_view, N>& marks) {
  for (const std::string_view mark : marks) {
    if (text.starts_with(mark)) return mark.size();
  }
  return 0;
}

template <std::size_t N>
std::size_t match_any_suffix(std::string_view text, const std::array<std::string_view, N>& marks) {
  for (const std::string_view mark : marks) {
    if (text.ends_with(mark)) return mark.size();
  }
  return 0;
}

bool is_apostrophe(std::string_view mark) { return mark == "'" || mark == "\xE2\x80\x99"; }

// A leading quote mark that is really part of the word: '90s, ’til.
bool keeps_leading_apostrophe(std::string_view core) {
  for (const std::string_view mark : {std::string_view("'"), std::string_view("\xE2\x80\x99")}) {
    if (core.starts_with(mark) && core.size() > mark.size() && is_digit(core[mark.size()])) {
      return true;
    }
  }
  return false;
}

Piece peel(std::string_view text, std::size_t begin, std::size_t end) {
  std::string_view core = text.substr(begin, end - begin);
  while (!core.empty() && !keeps_leading_apostrophe(core)) {
    const std::size_t length = match_any_prefix(core, kOpeners);
    if (length == 0) break;
    core.remove_prefix(length);
  }
  if (core.empty()) return Piece{begin, end, end, end, {}};  // all punctuation: all "leading"
  Piece piece{begin, end - core.size(), end, end, {}};
  while (!core.empty()) {
    const std::size_t length = match_any_suffix(core, kClosers);
    if (length == 0) break;
    const std::string_view mark = core.substr(core.size() - length);
    // A plural possessive keeps its apostrophe: "prisoners’ families".
    if (is_apostrophe(mark) && core.size() > length && core[core.size() - length - 1] == 's') {
      break;
    }
    core.remove_suffix(length);
  }
  if (core.empty()) return Piece{begin, end, end, end, {}};
  piece.end = piece.begin + core.size();
  piece.core = text.substr(piece.begin, core.size());
  return piece;
}

// "2019-04-12T21:00:00Z": an ISO 8601 date and time joined by "T". Returns the offset of the "T"
// in `core`, or 0. The date and the time are read as two pieces and the "T" is silent.
std::size_t iso_time_separator(std::string_view core) {
  constexpr std::string_view kDateShape = "dddd-dd-ddTdd:dd";
  constexpr std::size_t kSeparator = 10;
  if (core.size() < kDateShape.size()) return 0;
  for (std::size_t at = 0; at < kDateShape.size(); ++at) {
    const char shape = kDateShape[at];
    if (shape == 'd' ? !is_digit(core[at]) : core[at] != shape) return 0;
  }
  return kSeparator;
}

}  // namespace

std::vector<Piece> cut_pieces(std::string_view text, SourceSpan span) {
  std::vector<Piece> pieces;
  std::size_t piece_begin = span.begin_byte;
  const auto close = [&](std::size_t end) {
    if (end <= piece_begin) return;
    Piece piece = peel(text, piece_begin, end);
    if (const std::size_t separator = iso_time_separator(piece.core); separator > 0) {
      Piece date{piece.lead_begin, piece.begin, piece.begin + separator,
                 piece.begin + separator + 1, piece.core.substr(0, separator)};
      piece.lead_begin = piece.begin = date.trail_end;
      piece.core.remove_prefix(separator + 1);
      pieces.push_back(date);
    }
    pieces.push_back(piece);
  };
  std::size_t offset = span.begin_byte;
  while (offset < span.end_byte) {
    if (const std::size_t length = separator_length(text, offset); length > 0) {
      close(offset);
      offset += length;
      piece_begin = offset;
    } else if (const std::size_t glued = glued_end(text, offset, piece_begin);
               glued > 0 && glued <= span.end_byte) {
      close(glued);
      offset = glued;
      piece_begin = offset;
    } else if (const std::size_t mark = standalone_length(text, offset, span.begin_byte);
               mark > 0) {
      close(offset);
      pieces.push_back(peel(text, offset, offset + mark));
      offset += mark;
      piece_begin = offset;
    } else {
      offset += detail::utf8_sequence_length(text, offset).value_or(1);
    }
  }
  close(span.end_byte);
  return pieces;
}

}  // namespace narrator
