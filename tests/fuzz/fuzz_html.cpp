// Fuzz target: the HTML reader (libgumbo, the choice of the part read, text and origins).
// Malformed markup must be read leniently or refused with narrator::Error (nothing readable left);
// nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "html_reader.hpp"
#include "narrator/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  narrator::NullDiagnostics quiet;
  const narrator::ReadOptions options{.lossy = true};
  try {
    narrator::read_html(std::string(reinterpret_cast<const char*>(data), size), "fuzz.html",
                        options, quiet);
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
