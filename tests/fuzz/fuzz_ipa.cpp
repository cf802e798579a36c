// Fuzz target: IPA → eSpeak conversion (IpaToEspeak::convert) on raw bytes, including invalid
// UTF-8. Conversion never throws: it answers nullopt and names the unknown symbol; nothing may
// crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ipa_to_espeak.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const narrator::IpaToEspeak ipa;
  std::string unknown;
  ipa.convert(std::string_view(reinterpret_cast<const char*>(data), size), &unknown);
  return 0;
}
