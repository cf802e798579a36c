// Fuzz target: the page-furniture cleaner. The input is read as article text with the furniture
// kept, so that PageCleaner::clean() itself runs on it, and is matched as one block against every
// rule (PageCleaner::match() on the raw bytes). Any input must either be cleaned or fail with
// narrator::Error; nothing may crash, hang or leak.
//
// The rules run without their match limit (a limit would hide a rule that backtracks), so a
// catastrophic rule shows as a libFuzzer timeout (-timeout). NARRATOR_FUZZ_EXTRA_RULES names a
// table in page_furniture.tsv's format whose rules are added after the built-in ones: the test
// that plants a catastrophic rule (tests/fuzz/CMakeLists.txt) uses it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/page_furniture.hpp"
#include "page_cleaner.hpp"

namespace {

std::vector<narrator::FurnitureRule> rules() {
  std::vector<narrator::FurnitureRule> all = narrator::load_page_furniture("en");
  if (const char* extra = std::getenv("NARRATOR_FUZZ_EXTRA_RULES")) {
    for (narrator::FurnitureRule& rule : narrator::parse_page_furniture(
             narrator::detail::read_file(extra, "furniture rules"), extra)) {
      all.push_back(std::move(rule));
    }
  }
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Compiled once: read_article() would compile the furniture rules for every input. No match
  // limit (0): a slow rule must be slow here.
  static const narrator::PageCleaner cleaner(rules(), 0);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  narrator::NullDiagnostics quiet;
  cleaner.match(bytes, quiet);
  const narrator::ReadOptions options{.lossy = true, .keep_page_furniture = true};
  try {
    narrator::Article article = narrator::read_article(std::string(bytes), "fuzz", options, quiet);
    cleaner.clean(article, quiet);
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
