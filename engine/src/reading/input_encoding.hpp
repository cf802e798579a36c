// input_encoding.hpp: an article's input bytes as UTF-8: the charset found and converted (ICU), and
// the UTF-8 check every article reader runs.
#pragma once

#include <string>
#include <string_view>

#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"

namespace narrator::detail {

// `bytes` converted to UTF-8 from the encoding they are in, with ICU's converters. Which encoding:
// - text: UTF-8 (unchanged), unless options.encoding names another;
// - HTML (as browsers decide): a byte order mark (UTF-8, UTF-16LE, UTF-16BE); else
//   options.encoding (--encoding, or the server's Content-Type charset); else the page's own
//   <meta charset> or <meta http-equiv="Content-Type" content="...; charset=...">, read as the
//   WHATWG Encoding standard reads the label (iso-8859-1 and us-ascii are windows-1252, a utf-16
//   label in a page that could be read as ASCII is UTF-8); else UTF-8 when the bytes are valid
//   UTF-8 but for a few bad bytes (ten multi-byte characters for each); else ICU's charset
//   detector (ucsdet) over the page's text.
// An "input.encoding" diagnostic says which encoding and why (which of a byte order mark, the
// encoding given, the server's Content-Type, the page's <meta>, detection with its confidence, or
// the UTF-8 default chose it): a note, but a warning when detected (the guess can be wrong). Bytes
// with no character in the encoding throw Error(kInput) "source_name: ... byte offset N ...",
// unless options.lossy: then each becomes U+FFFD with an "input.bytes_replaced" warning (its span
// covers the U+FFFD in the result for text, and is empty for HTML, whose markup is not
// Article::text). UTF-8 input comes back as it was, for validate_encoding() to check. Throws
// Error(kUsage) when options.encoding names no encoding.
std::string decode_input(std::string bytes, InputFormat format, std::string_view source_name,
                         const ReadOptions& options, Diagnostics& diagnostics);

// Returns `bytes` when they are valid UTF-8 without NUL bytes. Otherwise throws Error(kInput) with
// "source_name:line:column: ..." and the byte offset, unless options.lossy: then returns a copy in
// which every run of NUL bytes and bytes that start no valid sequence is replaced by U+FFFD, and
// reports each run as an "input.bytes_replaced" warning whose span covers its U+FFFD in the copy.
std::string validate_encoding(std::string bytes, std::string_view source_name,
                              const ReadOptions& options, Diagnostics& diagnostics);

}  // namespace narrator::detail
