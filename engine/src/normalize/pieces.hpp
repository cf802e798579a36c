// pieces.hpp: a sentence cut at whitespace into pieces, each with its surrounding punctuation
// peeled off. The classifier reads pieces; every byte of the sentence except whitespace belongs
// to exactly one piece's leading punctuation, core or trailing punctuation.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "narrator/source_span.hpp"

namespace narrator {

struct Piece {
  std::size_t lead_begin = 0;  // leading punctuation: [lead_begin, begin)
  std::size_t begin = 0;       // core: [begin, end)
  std::size_t end = 0;
  std::size_t trail_end = 0;  // trailing punctuation: [end, trail_end)
  std::string_view core;      // view into the article text (owned by the Article)

  std::string_view raw(std::string_view text) const {
    return text.substr(lead_begin, trail_end - lead_begin);
  }
  std::string_view lead(std::string_view text) const {
    return text.substr(lead_begin, begin - lead_begin);
  }
  std::string_view trail(std::string_view text) const { return text.substr(end, trail_end - end); }
};

// Cuts `span` of `text` into pieces. Whitespace and control characters separate pieces; an em
// dash, a horizontal ellipsis and an en dash between non-digits are pieces of their own. A piece
// whose bytes are all punctuation has an empty core, and all of it is leading punctuation.
std::vector<Piece> cut_pieces(std::string_view text, SourceSpan span);

}  // namespace narrator
