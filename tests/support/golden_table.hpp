// golden_table.hpp: rows of `input<TAB>expected` tables for value-parameterized tests, named by
// file and line so a failure reads "sentences.tsv:17".
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace narrator::test {

struct GoldenRow {
  std::string file;  // file name, for messages
  std::size_t line = 0;
  std::string input;
  std::string expected;
};

// Rows of tests/data/<relative_path>. Columns: input<TAB>expected; '#' comments; "\n" and "\t" in a
// field stand for a newline and a tab. Throws std::runtime_error on a malformed row.
std::vector<GoldenRow> load_golden_table(const std::string& relative_path);

// "sentences_tsv_17": a valid GoogleTest name for the row.
std::string golden_row_name(const ::testing::TestParamInfo<GoldenRow>& info);

inline void PrintTo(const GoldenRow& row, std::ostream* out) {
  *out << row.file << ":" << row.line << ": \"" << row.input << "\"";
}

}  // namespace narrator::test
