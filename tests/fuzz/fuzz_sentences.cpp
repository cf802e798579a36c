// Fuzz target: the sentence splitter (ICU's BreakIterator, the abbreviation exceptions and the cut
// of overlong sentences) over article text read as it is, without page-furniture removal. Any
// input must either read or fail with narrator::Error; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "narrator/article.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "narrator/options.hpp"
#include "sentence_splitter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The engine's default sentence bound, so that overlong sentences are cut as in a narration.
  static const narrator::SentenceSplitter splitter("en", narrator::load_sentence_rules("en"),
                                                   narrator::EngineConfig{}.max_sentence_bytes);
  narrator::NullDiagnostics quiet;
  const narrator::ReadOptions options{.lossy = true, .keep_page_furniture = true};
  try {
    const narrator::Article article = narrator::read_article(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz", options, quiet);
    splitter.split(article);
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
