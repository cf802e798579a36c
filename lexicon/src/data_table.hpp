// data_table.hpp: helpers shared by the readers of the built-in language tables.
#pragma once

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator::detail {

// The embedded table at `path` ("en/units.tsv"). Throws Error(kUsage) when the language has none.
inline std::string_view require_builtin(const std::string& path) {
  const std::optional<std::string_view> data = builtin_data(path);
  if (!data) {
    throw Error(ErrorCategory::kUsage,
                "no built-in data '" + path + "': the language is not supported");
  }
  return *data;
}

// "source:line: message" as an input error.
[[noreturn]] inline void fail_at(std::string_view source, const TsvRow& row,
                                 const std::string& message) {
  throw Error(ErrorCategory::kInput,
              std::string(source) + ":" + std::to_string(row.line) + ": " + message);
}

// The enumerator named by field `column` of `row`, from a table of {name, value} pairs.
template <typename Enum, std::size_t N>
Enum parse_enum(std::string_view source, const TsvRow& row, std::size_t column,
                const std::array<std::pair<std::string_view, Enum>, N>& names) {
  const std::string& field = row.fields[column];
  const auto found = std::find_if(names.begin(), names.end(),
                                  [&](const auto& entry) { return entry.first == field; });
  if (found != names.end()) return found->second;
  std::string allowed;
  for (const auto& [name, value] : names)
    allowed += (allowed.empty() ? "'" : ", '") + std::string(name) + "'";
  fail_at(source, row,
          "unknown value '" + field + "' in column " + std::to_string(column + 1) +
              "; use one of " + allowed);
}

}  // namespace narrator::detail
