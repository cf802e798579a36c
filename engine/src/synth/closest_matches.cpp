#include "closest_matches.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

#include "narrator/detail/ascii.hpp"

namespace narrator::detail {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<std::string> closest_matches(std::string_view wanted,
                                         const std::vector<std::string>& candidates,
                                         std::size_t limit) {
  const std::string key = ascii_lower(wanted);
  const std::size_t max_distance = std::max<std::size_t>(2, key.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(key, ascii_lower(candidate));
    if (distance <= max_distance) scored.emplace_back(distance, candidate);
  }
  // Stable, so among equally close candidates the caller's order decides; candidates that differ
  // only in case are offered once, in the first spelling seen.
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> result;
  std::vector<std::string> seen;
  for (const auto& [distance, candidate] : scored) {
    if (result.size() == limit) break;
    std::string folded = ascii_lower(candidate);
    if (std::find(seen.begin(), seen.end(), folded) == seen.end()) {
      seen.push_back(std::move(folded));
      result.push_back(candidate);
    }
  }
  return result;
}

}  // namespace narrator::detail
