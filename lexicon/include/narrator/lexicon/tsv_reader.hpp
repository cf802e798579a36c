// tsv_reader.hpp: the one reader for Narrator's tab-separated data files.
//
// Format: UTF-8, one record per line, fields separated by TAB, '#' starts a comment line, blank
// lines are skipped. A row whose first field starts with '#' writes it as "\#". Built-in tables
// and user files go through the same reader.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace narrator {

struct TsvRow {
  std::size_t line = 0;             // 1-based line number in the source
  std::vector<std::string> fields;  // at least the minimum column count asked for
};

struct TsvShape {
  std::size_t min_columns = 1;
  std::size_t max_columns = 1;
};

// Parses `content`. `source_name` (a path or "builtin:en/x.tsv") appears in error messages.
// Throws Error(kInput) "source:line: ..." when a row has too few or too many columns, an empty
// first field, or invalid UTF-8. A trailing '\r' on a line is ignored.
std::vector<TsvRow> parse_tsv(std::string_view content, std::string_view source_name,
                              TsvShape shape);

// As above, but when `problems` is not null a malformed row is appended to it ("source:line:
// ...") and left out instead of thrown, so that every bad row of a file is found at once.
std::vector<TsvRow> parse_tsv(std::string_view content, std::string_view source_name,
                              TsvShape shape, std::vector<std::string>* problems);

}  // namespace narrator
