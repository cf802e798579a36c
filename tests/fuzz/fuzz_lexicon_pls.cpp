// Fuzz target: the W3C PLS lexicon reader (libxml2, lexemes, graphemes, phonemes and aliases), and
// IPA conversion of every entry it accepts. Any input must either load or fail with
// narrator::Error; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ipa_to_espeak.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/lexicon.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const narrator::IpaToEspeak ipa;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  try {
    const narrator::Lexicon lexicon = narrator::Lexicon::from_pls(content, "fuzz", "fuzz.pls");
    for (const narrator::LexiconEntry& entry : lexicon.entries()) ipa.convert(entry.ipa);
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
