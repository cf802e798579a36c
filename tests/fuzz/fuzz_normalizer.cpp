// Fuzz target: the normalizer (classify, then verbalize) over the sentences of article text read
// as it is. Any input must either read or fail with narrator::Error; nothing may crash, hang or
// leak.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "narrator/article.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/normalization_data.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "narrator/options.hpp"
#include "normalizer.hpp"
#include "sentence_splitter.hpp"

namespace {

// Only the first KB of an input is read: the normalizer costs about ten times as much per byte as
// reading and splitting (about 2.5 ms a KB under the sanitizers), and it works one sentence at a
// time, keeping nothing from one to the next, so a longer input mostly repeats what its first
// sentences reached. A KB still holds a sentence of the longest length the splitter passes on
// (EngineConfig::max_sentence_bytes, 600). A character cut at the end is read as U+FFFD (lossy).
// Reading and splitting whole inputs are fuzz_sentences' job.
constexpr std::size_t kMaxInputBytes = 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const narrator::NormalizationData normalization = narrator::load_normalization_data("en");
  // The engine's default sentence bound, so that overlong sentences are cut as in a narration.
  static const narrator::SentenceSplitter splitter("en", narrator::load_sentence_rules("en"),
                                                   narrator::EngineConfig{}.max_sentence_bytes);
  static const narrator::Normalizer normalizer(normalization, "en");
  narrator::NullDiagnostics quiet;
  const narrator::ReadOptions options{.lossy = true, .keep_page_furniture = true};
  try {
    const narrator::Article article = narrator::read_article(
        std::string(reinterpret_cast<const char*>(data), std::min(size, kMaxInputBytes)), "fuzz",
        options, quiet);
    for (const narrator::Sentence& sentence : splitter.split(article)) {
      normalizer.normalize(article.text, sentence, quiet);
    }
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
