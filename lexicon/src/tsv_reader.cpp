#include "narrator/lexicon/tsv_reader.hpp"

#include <string>

#include "narrator/error.hpp"

namespace narrator {
namespace {

// Throws, or with `problems` records the problem and lets the caller skip the row.
void fail(std::string_view source_name, std::size_t line, const std::string& what,
          std::vector<std::string>* problems) {
  std::string message = std::string(source_name) + ":" + std::to_string(line) + ": " + what;
  if (problems == nullptr) throw Error(ErrorCategory::kInput, std::move(message));
  problems->push_back(std::move(message));
}

std::vector<std::string> split_fields(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.emplace_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

std::vector<TsvRow> parse_tsv(std::string_view content, std::string_view source_name,
                              TsvShape shape) {
  return parse_tsv(content, source_name, shape, nullptr);
}

std::vector<TsvRow> parse_tsv(std::string_view content, std::string_view source_name,
                              TsvShape shape, std::vector<std::string>* problems) {
  std::vector<TsvRow> rows;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line) || line.front() == '#') continue;

    std::vector<std::string> fields = split_fields(line);
    // "\#" at the start of a row is a literal '#' (a bare one starts a comment).
    if (fields.front().starts_with("\\#")) fields.front().erase(0, 1);
    if (fields.size() < shape.min_columns || fields.size() > shape.max_columns) {
      fail(source_name, line_number,
           "expected " + std::to_string(shape.min_columns) + "-" +
               std::to_string(shape.max_columns) + " tab-separated columns, found " +
               std::to_string(fields.size()) + "; separate columns with one TAB character",
           problems);
      continue;
    }
    if (fields.front().empty()) {
      fail(source_name, line_number,
           "the first column is empty; every row needs a key: write the word first", problems);
      continue;
    }
    rows.push_back(TsvRow{line_number, std::move(fields)});
  }
  return rows;
}

}  // namespace narrator
