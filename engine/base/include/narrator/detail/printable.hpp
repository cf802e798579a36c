// printable.hpp: text as it may be shown in a message. Control characters (C0, DEL and C1: U+0000
// to U+001F, U+007F to U+009F) are written as "<U+0007>", so that a bell, a terminal escape
// sequence or a line break inside a lexicon entry or an article can neither act on the terminal
// that shows the message nor hide what is wrong. Everything else, invalid UTF-8 included, is kept.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace narrator::detail {

// The code point of the control character at text[at] and its length in bytes, or 0 bytes.
inline std::size_t control_at(std::string_view text, std::size_t at, unsigned& code_point) {
  const auto byte = static_cast<unsigned char>(text[at]);
  if (byte < 0x20 || byte == 0x7F) {
    code_point = byte;
    return 1;
  }
  if (byte == 0xC2 && at + 1 < text.size()) {  // U+0080-U+009F: C2 80 to C2 9F
    const auto next = static_cast<unsigned char>(text[at + 1]);
    if (next >= 0x80 && next <= 0x9F) {
      code_point = next;
      return 2;
    }
  }
  return 0;
}

// True when `text` holds a control character.
inline bool has_control_character(std::string_view text) {
  unsigned code_point = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (control_at(text, at, code_point) != 0) return true;
  }
  return false;
}

// `text` with each control character written as "<U+XXXX>".
inline std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  unsigned code_point = 0;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = control_at(text, at, code_point);
    if (length == 0) {
      out += text[at++];
      continue;
    }
    char escaped[sizeof "<U+0000>"];
    std::snprintf(escaped, sizeof escaped, "<U+%04X>", code_point);
    out += escaped;
    at += length;
  }
  return out;
}

}  // namespace narrator::detail
