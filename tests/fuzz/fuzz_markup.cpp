// Fuzz target: the HTML and SSML readers (the first byte picks one), then the SSML stage's
// sentence cutting. Malformed markup must be read leniently (HTML) or refused with
// narrator::Error (SSML), never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "html_reader.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "sentence_splitter.hpp"
#include "ssml_reader.hpp"
#include "ssml_stage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const narrator::SentenceSplitter splitter("en", narrator::load_sentence_rules("en"), 600);
  narrator::NullDiagnostics quiet;
  narrator::ReadOptions options;
  options.lossy = true;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const narrator::Article article =
        data[0] % 2 == 0 ? narrator::read_html(std::move(bytes), "fuzz.html", options, quiet)
                         : narrator::read_ssml(std::move(bytes), "fuzz.ssml", quiet);
    narrator::apply_breaks(article, splitter.split(article));
  } catch (const narrator::Error&) {
  }
  return 0;
}
