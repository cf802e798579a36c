// Fuzz target: article text through reading, page-furniture removal, sentence splitting and
// normalization (everything before the voice). Any input must either read or fail with
// narrator::Error; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "narrator/article.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/normalization_data.hpp"
#include "narrator/lexicon/page_furniture.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "normalizer.hpp"
#include "page_cleaner.hpp"
#include "sentence_splitter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const narrator::NormalizationData normalization = narrator::load_normalization_data("en");
  static const narrator::SentenceSplitter splitter("en", narrator::load_sentence_rules("en"), 600);
  static const narrator::Normalizer normalizer(normalization, "en");
  // Compiled once: read_article() would compile the furniture rules for every input.
  static const narrator::PageCleaner cleaner(narrator::load_page_furniture("en"));
  narrator::NullDiagnostics quiet;
  narrator::ReadOptions options;
  options.lossy = true;
  options.keep_page_furniture = true;
  try {
    narrator::Article article = narrator::read_article(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz", options, quiet);
    cleaner.clean(article);
    for (const narrator::Sentence& sentence : splitter.split(article)) {
      normalizer.normalize(article.text, sentence, quiet);
    }
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
