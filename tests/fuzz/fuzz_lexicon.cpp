// Fuzz target: the TSV and PLS lexicon readers (the first byte picks one) and IPA conversion of
// every entry they accept.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ipa_to_espeak.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/lexicon.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const narrator::IpaToEspeak ipa;
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const narrator::Lexicon lexicon =
        data[0] % 2 == 0 ? narrator::Lexicon::from_tsv(content, "fuzz", "fuzz.tsv")
                         : narrator::Lexicon::from_pls(content, "fuzz", "fuzz.pls");
    for (const narrator::LexiconEntry& entry : lexicon.entries()) ipa.convert(entry.ipa);
  } catch (const narrator::Error&) {
  }
  ipa.convert(content);  // raw bytes as IPA too
  return 0;
}
