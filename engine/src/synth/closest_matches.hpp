// closest_matches.hpp: "did you mean ...?" suggestions for a mistyped name.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace narrator::detail {

// Up to `limit` candidates closest to `wanted` by case-insensitive edit distance, nearest first,
// keeping only those within a distance that makes a typo plausible. Duplicates are removed.
std::vector<std::string> closest_matches(std::string_view wanted,
                                         const std::vector<std::string>& candidates,
                                         std::size_t limit);

}  // namespace narrator::detail
