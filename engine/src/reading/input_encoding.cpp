// input_encoding.cpp: UTF-8 validation and --lossy repair of an article's input bytes.
#include "input_encoding.hpp"

#include <cstdio>
#include <optional>

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
                    ": this looks like a binary or UTF-16 file; convert it to UTF-8 text, or "
                    "pass --lossy to replace such bytes");
  }
  throw Error(ErrorCategory::kInput,
              where(source_name, text, offset) + "invalid UTF-8 (byte " + hex_byte(byte) + ")" +
                  at + ": save the article as UTF-8, or pass --lossy to replace bad bytes");
}

}  // namespace

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
