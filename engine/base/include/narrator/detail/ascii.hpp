// ascii.hpp: ASCII case folding for names, keywords and file extensions: the one copy every
// layer uses. Only A-Z change; other bytes, UTF-8 sequences included, pass through unchanged, so
// the result never depends on the process locale.
#pragma once

#include <string>
#include <string_view>

namespace narrator::detail {

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace narrator::detail
