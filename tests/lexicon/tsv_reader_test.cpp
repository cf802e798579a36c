#include "narrator/lexicon/tsv_reader.hpp"

#include <gtest/gtest.h>

#include "narrator/error.hpp"

namespace narrator {
namespace {

TEST(TsvReader, SkipsCommentsAndBlankLinesAndKeepsLineNumbers) {
  const std::vector<TsvRow> rows =
      parse_tsv("# header\n\nMr.\ttitle\tnote\r\n  \nU.S.\tfinite\n", "x.tsv", TsvShape{2, 3});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 3u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"Mr.", "title", "note"}));
  EXPECT_EQ(rows[1].line, 5u);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"U.S.", "finite"}));
}

TEST(TsvReader, WrongColumnCountNamesFileAndLine) {
  try {
    parse_tsv("# header\nMr.\ttitle\nDr.\n", "house.tsv", TsvShape{2, 3});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_NE(std::string(error.what()).find("house.tsv:3:"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("found 1"), std::string::npos) << error.what();
  }
}

TEST(TsvReader, EmptyKeyIsAnError) {
  EXPECT_THROW(parse_tsv("\ttitle\n", "k.tsv", TsvShape{2, 2}), Error);
}

}  // namespace
}  // namespace narrator
