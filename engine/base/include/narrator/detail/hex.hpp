// hex.hpp: bytes as lower-case hexadecimal (two digits a byte), as digests and UUIDs are written:
// the one copy every layer uses.
#pragma once

#include <string>
#include <string_view>

namespace narrator::detail {

inline std::string lower_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0F];
  }
  return out;
}

}  // namespace narrator::detail
