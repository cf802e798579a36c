// Fuzz target: the SSML reader (libxml2), then the SSML stage's sentence cutting at breaks and at
// the edges of prosody and language spans. Malformed SSML must be refused with narrator::Error;
// nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "narrator/error.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "narrator/options.hpp"
#include "sentence_splitter.hpp"
#include "ssml_reader.hpp"
#include "ssml_stage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The engine's default sentence bound, so that overlong sentences are cut as in a narration.
  static const narrator::SentenceSplitter splitter("en", narrator::load_sentence_rules("en"),
                                                   narrator::EngineConfig{}.max_sentence_bytes);
  narrator::NullDiagnostics quiet;
  try {
    const narrator::Article article = narrator::read_ssml(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.ssml", quiet);
    for (const narrator::Sentence& sentence :
         narrator::apply_breaks(article, splitter.split(article))) {
      narrator::voice_runs(article, sentence);
    }
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
