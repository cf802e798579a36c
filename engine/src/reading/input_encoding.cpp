// input_encoding.cpp: an article's charset found and converted to UTF-8 (ICU's converters and
// charset detector), then UTF-8 validation and --lossy repair.
#include "input_encoding.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>
#include <memory>
#include <optional>

#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"
#include "utf8.hpp"

namespace narrator::detail {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

std::string hex_byte(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", byte);
  return buffer;
}

std::string where(std::string_view source_name, std::string_view text, std::size_t offset) {
  const TextPosition position = position_of(text, offset);
  return std::string(source_name) + ":" + std::to_string(position.line) + ":" +
         std::to_string(position.column) + ": ";
}

[[noreturn]] void fail_bad_byte(std::string_view source_name, std::string_view text,
                                std::size_t offset) {
  const auto byte = static_cast<unsigned char>(text[offset]);
  const std::string at = " at byte offset " + std::to_string(offset);
  if (byte == 0) {
    throw Error(ErrorCategory::kInput,
                where(source_name, text, offset) + "NUL byte" + at +
                    ": this looks like a binary or UTF-16 file; convert it to UTF-8 text, name "
                    "its encoding with --encoding UTF-16, or pass --lossy to replace such bytes");
  }
  throw Error(ErrorCategory::kInput,
              where(source_name, text, offset) + "invalid UTF-8 (byte " + hex_byte(byte) + ")" +
                  at +
                  ": save the article as UTF-8, name its encoding with --encoding (such as "
                  "windows-1251), or pass --lossy to replace bad bytes");
}

// --- which encoding ---

struct ConverterCloser {
  void operator()(UConverter* converter) const noexcept { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

struct DetectorCloser {
  void operator()(UCharsetDetector* detector) const noexcept { ucsdet_close(detector); }
};
using DetectorPtr = std::unique_ptr<UCharsetDetector, DetectorCloser>;

// ICU's converter for `name`, or nullptr when ICU knows no such encoding.
ConverterPtr open_converter(const std::string& name) {
  if (name.empty()) return nullptr;
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name.c_str(), &status));
  if (U_FAILURE(status)) return nullptr;
  return converter;
}

// The encoding the input is read in, and what said so (for the report).
struct Charset {
  std::string name;  // an ICU converter name or alias
  std::string why;   // "a byte order mark", "<meta charset>", ...
  bool detected = false;
  bool by_default = false;  // nothing named it: `why` says why UTF-8 is read
};

// UTF-8 because nothing says otherwise.
Charset default_utf8(std::string why) { return Charset{"UTF-8", std::move(why), false, true}; }

bool is_utf8(std::string_view name) {
  const std::string lower = ascii_lower(name);
  return lower == "utf-8" || lower == "utf8";
}

// A page's label as the WHATWG Encoding standard reads it, where that differs from ICU's reading of
// the same name: browsers read these labels as the Windows code page that extends them, and pages
// labelled so use its extra characters (curly quotes in "iso-8859-1" pages).
std::string web_label(std::string_view label) {
  const std::string lower = ascii_lower(label);
  if (lower == "iso-8859-1" || lower == "iso8859-1" || lower == "latin1" || lower == "l1" ||
      lower == "us-ascii" || lower == "ascii" || lower == "x-user-defined") {
    return "windows-1252";
  }
  if (lower == "iso-8859-9" || lower == "latin5") return "windows-1254";
  if (lower == "iso-8859-11" || lower == "tis-620") return "windows-874";
  return std::string(label);
}

// The BOM's encoding, or nullopt without one.
std::optional<Charset> byte_order_mark(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) return Charset{"UTF-8", "a byte order mark"};
  if (bytes.starts_with("\xFF\xFE")) return Charset{"UTF-16LE", "a byte order mark"};
  if (bytes.starts_with("\xFE\xFF")) return Charset{"UTF-16BE", "a byte order mark"};
  return std::nullopt;
}

bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The value of attribute `name` in `tag` (lower case, the text between "<meta" and ">"), unquoted.
std::optional<std::string> attribute(std::string_view tag, std::string_view name) {
  std::size_t at = 0;
  while (at < tag.size()) {
    while (at < tag.size() && (is_html_space(tag[at]) || tag[at] == '/')) ++at;
    const std::size_t name_begin = at;
    while (at < tag.size() && !is_html_space(tag[at]) && tag[at] != '=' && tag[at] != '/') ++at;
    const std::string_view found = tag.substr(name_begin, at - name_begin);
    while (at < tag.size() && is_html_space(tag[at])) ++at;
    std::string_view value;
    if (at < tag.size() && tag[at] == '=') {
      ++at;
      while (at < tag.size() && is_html_space(tag[at])) ++at;
      if (at < tag.size() && (tag[at] == '"' || tag[at] == '\'')) {
        const char quote = tag[at++];
        const std::size_t end = std::min(tag.find(quote, at), tag.size());
        value = tag.substr(at, end - at);
        at = end + 1;
      } else {
        const std::size_t begin = at;
        while (at < tag.size() && !is_html_space(tag[at])) ++at;
        value = tag.substr(begin, at - begin);
      }
    }
    if (found == name) return std::string(value);
    if (found.empty()) ++at;
  }
  return std::nullopt;
}

// "text/html; charset=windows-1251" → "windows-1251" (the HTML standard's algorithm for a
// Content-Type value, lower case in), or "" without one.
std::string charset_of_content_type(std::string_view content) {
  const std::size_t key = content.find("charset");
  if (key == std::string_view::npos) return "";
  std::size_t at = content.find_first_not_of(" \t\n\r\f", key + 7);
  if (at == std::string_view::npos || content[at] != '=') return "";
  at = content.find_first_not_of(" \t\n\r\f", at + 1);
  if (at == std::string_view::npos) return "";
  if (content[at] == '"' || content[at] == '\'') {
    const std::size_t end = content.find(content[at], at + 1);
    return end == std::string_view::npos ? "" : std::string(content.substr(at + 1, end - at - 1));
  }
  const std::size_t end = content.find_first_of(" \t\n\r\f;", at);
  return std::string(content.substr(at, end == std::string_view::npos ? end : end - at));
}

// How far into a page its <meta> charset is looked for. The HTML standard's prescan reads 1024
// bytes; pages with long heads declare it later, and reading the head costs little.
constexpr std::size_t kCharsetScanBytes = 64 * 1024;

// The charset a page's <meta> declares, or nullopt. Comments are skipped; the scan stops at <body.
std::optional<Charset> meta_charset(std::string_view bytes) {
  const std::string head = ascii_lower(bytes.substr(0, kCharsetScanBytes));
  std::size_t at = 0;
  while ((at = head.find('<', at)) != std::string::npos) {
    if (head.compare(at, 4, "<!--") == 0) {
      at = head.find("-->", at + 4);
      if (at == std::string::npos) break;
      continue;
    }
    if (head.compare(at, 5, "<body") == 0) break;
    const std::size_t end = head.find('>', at);
    if (end == std::string::npos) break;
    if (head.compare(at, 5, "<meta") == 0 && at + 5 < end && is_html_space(head[at + 5])) {
      const std::string_view tag = std::string_view(head).substr(at + 5, end - at - 5);
      if (std::optional<std::string> charset = attribute(tag, "charset");
          charset && !charset->empty()) {
        return Charset{*charset, "<meta charset>"};
      }
      const std::optional<std::string> equiv = attribute(tag, "http-equiv");
      const std::optional<std::string> content = attribute(tag, "content");
      if (equiv == "content-type" && content) {
        if (std::string charset = charset_of_content_type(*content); !charset.empty()) {
          return Charset{charset, "<meta http-equiv=\"Content-Type\">"};
        }
      }
    }
    at = end + 1;
  }
  return std::nullopt;
}

// Whether `bytes` are UTF-8 with at most a few bad bytes: valid, or with ten multi-byte characters
// for each bad byte. Text in a legacy encoding makes a valid multi-byte sequence only by chance
// (Belarusian "Мі" in windows-1251 is one), far less often than a bad byte; a UTF-8 page with a
// stray byte is still UTF-8, and detection would read all of its text wrong.
bool mostly_utf8(std::string_view bytes) {
  std::size_t multibyte = 0;
  std::size_t bad = 0;
  for (std::size_t offset = 0; offset < bytes.size();) {
    const std::optional<std::size_t> length = utf8_sequence_length(bytes, offset);
    if (!length) {
      ++bad;
      ++offset;
      continue;
    }
    multibyte += *length > 1 ? 1 : 0;
    offset += *length;
  }
  return bad == 0 || multibyte >= 10 * bad;
}

// How much of a page the detector reads: enough text for its statistics.
constexpr std::size_t kDetectionBytes = 256 * 1024;

// ICU's guess at the encoding of `bytes` (markup filtered out), or nullopt when it has none.
std::optional<Charset> detect_charset(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  const DetectorPtr detector(ucsdet_open(&status));
  if (U_FAILURE(status)) {
    throw Error(ErrorCategory::kInternal,
                std::string("ICU cannot open its charset detector: ") + u_errorName(status));
  }
  ucsdet_enableInputFilter(detector.get(), 1);
  const std::string_view sample = bytes.substr(0, kDetectionBytes);
  ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
  if (U_FAILURE(status) || match == nullptr) return std::nullopt;
  const char* name = ucsdet_getName(match, &status);
  const int32_t confidence = ucsdet_getConfidence(match, &status);
  if (U_FAILURE(status) || name == nullptr) return std::nullopt;
  const std::string evidence = "confidence " + std::to_string(confidence) + " of 100";
  if (is_utf8(name)) {
    return default_utf8("the page declares no encoding, and detection found UTF-8, " + evidence);
  }
  return Charset{web_label(name), "detection, " + evidence + ", as the page declares none",
                 /*detected=*/true};
}

std::string given_why(const ReadOptions& options) {
  return options.encoding_source == EncodingSource::kContentType
             ? "the server's Content-Type charset"
             : "the encoding given";
}

// The encoding of an input: see decode_input().
std::optional<Charset> find_charset(std::string_view bytes, InputFormat format,
                                    const ReadOptions& options) {
  if (format != InputFormat::kHtml) {
    if (options.encoding.empty()) return default_utf8("the default for text");
    return Charset{options.encoding, given_why(options)};
  }
  if (std::optional<Charset> mark = byte_order_mark(bytes)) return mark;
  if (!options.encoding.empty()) return Charset{web_label(options.encoding), given_why(options)};
  if (std::optional<Charset> declared = meta_charset(bytes)) {
    // A page whose <meta> could be read as ASCII is not UTF-16 (the HTML standard: read as UTF-8).
    const std::string lower = ascii_lower(declared->name);
    declared->name = lower.starts_with("utf-16") ? "UTF-8" : web_label(declared->name);
    return declared;
  }
  if (mostly_utf8(bytes)) {
    return default_utf8("the page declares no encoding, and its bytes are UTF-8");
  }
  if (std::optional<Charset> detected = detect_charset(bytes)) return detected;
  return default_utf8("the page declares no encoding, and detection found none");
}

// --- conversion ---

bool is_conversion_error(UErrorCode status) {
  return status == U_INVALID_CHAR_FOUND || status == U_ILLEGAL_CHAR_FOUND ||
         status == U_TRUNCATED_CHAR_FOUND;
}

// Appends `units` (UTF-16) to `out` as UTF-8, keeping a final lead surrogate in `pending` for the
// next call (ICU may end a chunk between the two halves of a pair).
void append_utf8(std::u16string& pending, const UChar* units, std::size_t count, std::string& out) {
  pending.append(units, count);
  std::size_t whole = pending.size();
  if (whole > 0 && U16_IS_LEAD(pending[whole - 1])) --whole;
  icu::UnicodeString(false, pending.data(), static_cast<int32_t>(whole)).toUTF8String(out);
  pending.erase(0, whole);
}

// ICU's converter for `charset`, set to stop at a byte that is no character.
ConverterPtr open_stopping_converter(const Charset& charset, std::string_view source_name) {
  ConverterPtr converter = open_converter(charset.name);
  if (!converter) {
    throw Error(ErrorCategory::kInput, std::string(source_name) + ": the encoding '" +
                                           charset.name + "' (from " + charset.why +
                                           ") is not one narrate knows; pass --encoding NAME");
  }
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCategory::kInternal, std::string(source_name) +
                                              ": ICU cannot set up the converter for " +
                                              charset.name + ": " + u_errorName(status));
  }
  return converter;
}

// "byte 0xD2 at byte offset 5 is not a character in windows-1253 (from ...)": the bytes the
// converter stopped at, which end just before `source`.
std::string bad_bytes_text(UConverter* converter, std::string_view bytes, const char* source,
                           const Charset& charset) {
  char bad[32];
  int8_t bad_length = sizeof bad;
  UErrorCode ignored = U_ZERO_ERROR;  // the length is 0 when ICU cannot tell
  ucnv_getInvalidChars(converter, bad, &bad_length, &ignored);
  const std::size_t offset =
      static_cast<std::size_t>(source - bytes.data()) - static_cast<std::size_t>(bad_length);
  const auto byte = static_cast<unsigned char>(offset < bytes.size() ? bytes[offset] : 0);
  return "byte " + hex_byte(byte) + " at byte offset " + std::to_string(offset) +
         " is not a character in " + charset.name + " (from " + charset.why + ")";
}

// `bytes` from `charset` into UTF-8: see decode_input().
std::string convert(std::string_view bytes, const Charset& charset, std::string_view source_name,
                    bool text, const ReadOptions& options, Diagnostics& diagnostics) {
  const ConverterPtr converter = open_stopping_converter(charset, source_name);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  std::u16string pending;
  std::array<UChar, 8192> buffer{};
  const char* source = bytes.data();
  const char* const source_end = bytes.data() + bytes.size();
  while (true) {
    UChar* target = buffer.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_toUnicode(converter.get(), &target, buffer.data() + buffer.size(), &source, source_end,
                   nullptr, /*flush=*/1, &status);
    append_utf8(pending, buffer.data(), static_cast<std::size_t>(target - buffer.data()), out);
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_SUCCESS(status)) break;
    if (!is_conversion_error(status)) {
      throw Error(ErrorCategory::kInput, std::string(source_name) + ": cannot convert from " +
                                             charset.name + ": " + u_errorName(status));
    }
    const std::string what = bad_bytes_text(converter.get(), bytes, source, charset);
    if (!options.lossy) {
      throw Error(ErrorCategory::kInput,
                  std::string(source_name) + ": " + what +
                      "; name the right encoding with --encoding, or pass --lossy to replace it");
    }
    append_utf8(pending, nullptr, 0, out);
    const std::size_t replaced_at = out.size();
    out.append(kReplacementCharacter);
    diagnostics.report(Diagnostic{Severity::kWarning, "input.bytes_replaced",
                                  text ? SourceSpan{replaced_at, out.size()} : SourceSpan{},
                                  std::string(source_name) + ": " + what + "; replaced by U+FFFD"});
    ucnv_resetToUnicode(converter.get());
  }
  append_utf8(pending, nullptr, 0, out);
  if (!pending.empty()) out.append(kReplacementCharacter);  // a lone lead surrogate at the end
  return out;
}

}  // namespace

std::string decode_input(std::string bytes, InputFormat format, std::string_view source_name,
                         const ReadOptions& options, Diagnostics& diagnostics) {
  if (!options.encoding.empty() && !is_known_encoding(options.encoding)) {
    throw Error(ErrorCategory::kUsage, "ReadOptions::encoding '" + options.encoding +
                                           "' is not an encoding ICU knows; use a name such as "
                                           "windows-1251, KOI8-R, ISO-8859-5 or UTF-16");
  }
  const std::optional<Charset> charset = find_charset(bytes, format, options);
  if (!charset) return bytes;
  const bool utf8 = is_utf8(charset->name);
  const std::string why = charset->by_default ? charset->why : "from " + charset->why;
  diagnostics.report(Diagnostic{
      charset->detected ? Severity::kWarning : Severity::kInfo, "input.encoding", SourceSpan{},
      std::string(source_name) + ": read as " + charset->name + " (" + why + ")" +
          (charset->detected ? "; if the text reads wrong, name the encoding with --encoding"
                             : "")});
  if (utf8) return bytes;
  return convert(bytes, *charset, source_name, format != InputFormat::kHtml, options, diagnostics);
}

std::string validate_encoding(std::string bytes, std::string_view source_name,
                              const ReadOptions& options, Diagnostics& diagnostics) {
  std::string repaired;
  std::size_t copied_up_to = 0;  // bytes [copied_up_to, offset) still to copy into `repaired`
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const std::optional<std::size_t> length = utf8_sequence_length(bytes, offset);
    if (length && bytes[offset] != '\0') {
      offset += *length;
      continue;
    }
    if (!options.lossy) fail_bad_byte(source_name, bytes, offset);
    const std::size_t run_begin = offset;
    while (offset < bytes.size() &&
           (bytes[offset] == '\0' || !utf8_sequence_length(bytes, offset))) {
      ++offset;
    }
    repaired.append(bytes, copied_up_to, run_begin - copied_up_to);
    const std::size_t repaired_begin = repaired.size();
    repaired.append(kReplacementCharacter);
    copied_up_to = offset;
    diagnostics.report(Diagnostic{
        Severity::kWarning, "input.bytes_replaced", SourceSpan{repaired_begin, repaired.size()},
        where(source_name, bytes, run_begin) + std::to_string(offset - run_begin) +
            " invalid or NUL byte(s) at byte offset " + std::to_string(run_begin) +
            " replaced by U+FFFD"});
  }
  if (copied_up_to == 0) return bytes;
  repaired.append(bytes, copied_up_to, std::string::npos);
  return repaired;
}

}  // namespace narrator::detail

namespace narrator {

bool is_known_encoding(std::string_view name) noexcept {
  try {
    return detail::open_converter(std::string(name)) != nullptr;
  } catch (const std::bad_alloc&) {
    return false;
  }
}

std::string content_type_charset(std::string_view content_type) {
  return detail::charset_of_content_type(detail::ascii_lower(content_type));
}

}  // namespace narrator
