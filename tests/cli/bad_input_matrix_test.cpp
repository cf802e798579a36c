// The bad-input matrix (tests/data/bad_input/matrix.tsv): each row's input is generated, narrate
// runs on it end to end, and the exit code, the message and the absence of output are checked.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <sstream>

#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

struct MatrixRow {
  std::size_t line = 0;
  std::string name, input_file, generator, arguments, message;
  int exit_code = 0;
};

void PrintTo(const MatrixRow& row, std::ostream* out) { *out << "matrix.tsv:" << row.line; }

std::vector<MatrixRow> matrix() {
  std::istringstream in(test::read_file(fs::path(NARRATOR_TEST_DATA_DIR) / "bad_input/matrix.tsv"));
  std::vector<MatrixRow> rows;
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    if (fields.size() != 6)
      throw std::runtime_error("matrix.tsv:" + std::to_string(number) + ": 6 columns");
    rows.push_back(MatrixRow{number, fields[0], fields[1], fields[2], fields[3], fields[5],
                             std::stoi(fields[4])});
  }
  return rows;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text.compare(at, 2, "\\n") == 0) {
      out += '\n';
      ++at;
    } else {
      out += text[at];
    }
  }
  return out;
}

std::string generate(const std::string& generator) {
  const std::size_t colon = generator.find(':');
  const std::string kind = generator.substr(0, colon);
  const std::string value = colon == std::string::npos ? "" : generator.substr(colon + 1);
  if (kind == "text") return unescape(value);
  if (kind == "binary") {
    std::mt19937 random(12345);
    std::string bytes(std::stoul(value), '\0');
    for (char& byte : bytes) byte = static_cast<char>(random() & 0xFF);
    bytes[0] = '\xFF';  // never valid UTF-8, whatever the seed gives
    return bytes;
  }
  if (kind == "utf16") {
    std::string bytes = "\xFF\xFE";
    for (const char c : value) {
      bytes += c;
      bytes += '\0';
    }
    return bytes;
  }
  if (kind == "nested-html" || kind == "nested-ssml") {
    const bool html = kind == "nested-html";
    const std::size_t depth = std::stoul(value);
    std::string doc = html ? "<html><body>" : "<speak>";
    for (std::size_t i = 0; i < depth; ++i) doc += html ? "<div>" : "<p>";
    return doc;  // never closed: the readers must cope without recursion blowing up
  }
  if (kind == "entity-bomb") {
    std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE speak [\n <!ENTITY a \"lol\">\n";
    for (char c = 'b'; c <= 'j'; ++c) {
      doc += " <!ENTITY ";
      doc += c;
      doc += " \"";
      for (int i = 0; i < 10; ++i) {
        doc += '&';
        doc += static_cast<char>(c - 1);
        doc += ';';
      }
      doc += "\">\n";
    }
    doc += "]>\n<speak>&j;</speak>\n";
    return doc;
  }
  throw std::runtime_error("unknown generator " + generator);
}

class BadInputMatrix : public ::testing::TestWithParam<MatrixRow> {};

TEST_P(BadInputMatrix, FailsClearlyWithNoOutput) {
  const MatrixRow& row = GetParam();
  const test::TempDir dir;
  const fs::path input = dir.path() / row.input_file;
  test::write_file(input, generate(row.generator));
  std::vector<std::string> args;
  std::istringstream words(row.arguments);
  for (std::string word; words >> word;) {
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"{in}", input.string()},
                                     {"{missing}", (dir.path() / "not here.txt").string()},
                                     {"{dir}", dir.path().string()}}) {
      for (std::size_t at; (at = word.find(key)) != std::string::npos;)
        word.replace(at, key.size(), value);
    }
    args.push_back(word);
  }
  const test::ProcessResult result = test::run_narrate(args);
  EXPECT_EQ(result.exit_code, row.exit_code) << "matrix.tsv:" << row.line << " " << result.err;
  EXPECT_NE(result.err.find(row.message), std::string::npos)
      << "matrix.tsv:" << row.line << ": stderr lacks '" << row.message << "':\n"
      << result.err;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    EXPECT_FALSE(name.starts_with("out.") || name.find(".part") != std::string::npos)
        << "matrix.tsv:" << row.line << ": left " << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, BadInputMatrix, ::testing::ValuesIn(matrix()), [](const auto& info) {
  std::string name = info.param.name;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

}  // namespace
}  // namespace narrator
