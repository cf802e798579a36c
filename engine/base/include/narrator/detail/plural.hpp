// plural.hpp: a count with its noun in the right number, for messages and summaries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace narrator::detail {

// "1 sentence", "2 sentences", "0 sentences": `noun` is the singular; the plural adds "s"
// unless `plural` gives it ("1 match", "2 matches").
inline std::string counted(std::size_t count, std::string_view noun, std::string_view plural = {}) {
  std::string text = std::to_string(count) + " ";
  if (count == 1) return text.append(noun);
  if (!plural.empty()) return text.append(plural);
  return text.append(noun).append("s");
}

}  // namespace narrator::detail
