// What narrate prints for each bad option value and usage error (tests/data/cli/messages.tsv):
// all of stderr and the exit status, compared exactly, and no output written.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "golden_table.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

std::string with_paths(std::string text, const test::TempDir& dir) {
  const std::string story = dir.file("story.txt");
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"{in}", story},
                                    std::pair<std::string, std::string>{"{dir}", dir.path()}}) {
    for (std::size_t at = text.find(name); at != std::string::npos;
         at = text.find(name, at + value.size())) {
      text.replace(at, name.size(), value);
    }
  }
  return text;
}

class CliMessages : public ::testing::TestWithParam<test::GoldenRow> {};

TEST_P(CliMessages, NameTheOptionItsRangeAndTheValue) {
  const test::GoldenRow& row = GetParam();
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "Hello there.\n");
  std::vector<std::string> args;
  if (row.input != "(no arguments)") {
    std::istringstream words(with_paths(row.input, dir));
    for (std::string word; words >> word;) args.push_back(word);
  }
  const std::size_t space = row.expected.find(' ');
  ASSERT_NE(space, std::string::npos) << row.file << ":" << row.line;
  const int exit_code = std::stoi(row.expected.substr(0, space));
  const std::string expected = with_paths(row.expected.substr(space + 1), dir);

  const test::ProcessResult result = test::run_narrate(args);
  EXPECT_EQ(result.exit_code, exit_code) << row.file << ":" << row.line << ": " << result.err;
  EXPECT_EQ(result.err, expected) << row.file << ":" << row.line;
  EXPECT_TRUE(result.out.empty()) << result.out;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename(), "story.txt") << "written despite the error";
  }
}

INSTANTIATE_TEST_SUITE_P(Table, CliMessages,
                         ::testing::ValuesIn(test::load_golden_table("cli/messages.tsv")),
                         test::golden_row_name);

}  // namespace
}  // namespace narrator
