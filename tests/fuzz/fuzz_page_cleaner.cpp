// Fuzz target: the page-furniture cleaner. The input is read as article text with the furniture
// kept, so that PageCleaner::clean() itself runs on it, and is matched as one block against every
// rule (PageCleaner::match() on the raw bytes). Any input must either be cleaned or fail with
// narrator::Error; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "narrator/article.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/page_furniture.hpp"
#include "page_cleaner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Compiled once: read_article() would compile the furniture rules for every input.
  static const narrator::PageCleaner cleaner(narrator::load_page_furniture("en"));
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cleaner.match(bytes);
  narrator::NullDiagnostics quiet;
  const narrator::ReadOptions options{.lossy = true, .keep_page_furniture = true};
  try {
    narrator::Article article = narrator::read_article(std::string(bytes), "fuzz", options, quiet);
    cleaner.clean(article);
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
