// Terminal bytes to playback keys, from tests/data/keys/keys.tsv: plain keys, arrows in both
// cursor modes, escape sequences split across reads, and bytes that are no key.
#include "terminal_keys.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "golden_table.hpp"

namespace narrator::cli {
namespace {

std::string key_name(Key key) {
  switch (key) {
    case Key::kPauseResume:
      return "pause";
    case Key::kNextSentence:
      return "next-sentence";
    case Key::kPreviousSentence:
      return "previous-sentence";
    case Key::kNextParagraph:
      return "next-paragraph";
    case Key::kPreviousParagraph:
      return "previous-paragraph";
    case Key::kQuit:
      return "quit";
  }
  return "?";
}

// "\e" becomes ESC; "|" separates reads.
std::vector<std::string> reads_of(const std::string& field) {
  std::vector<std::string> reads(1);
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '|') {
      reads.emplace_back();
    } else if (field.compare(i, 2, "\\e") == 0) {
      reads.back() += '\x1b';
      ++i;
    } else {
      reads.back() += field[i];
    }
  }
  return reads;
}

class KeyDecoderTable : public ::testing::TestWithParam<test::GoldenRow> {};

TEST_P(KeyDecoderTable, DecodesTheBytes) {
  const test::GoldenRow& row = GetParam();
  KeyDecoder decoder;
  std::string got;
  for (const std::string& read : reads_of(row.input)) {
    for (const Key key : decoder.feed(read)) {
      if (!got.empty()) got += ',';
      got += key_name(key);
    }
  }
  EXPECT_EQ(got, row.expected) << row.file << ":" << row.line;
}

INSTANTIATE_TEST_SUITE_P(Keys, KeyDecoderTable,
                         ::testing::ValuesIn(test::load_golden_table("keys/keys.tsv")),
                         test::golden_row_name);

}  // namespace
}  // namespace narrator::cli
