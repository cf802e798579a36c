#include "golden_table.hpp"

#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "temp_dir.hpp"

namespace narrator::test {
namespace {

std::string unescape(const std::string& field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 1 < field.size() && (field[i + 1] == 'n' || field[i + 1] == 't')) {
      out += field[i + 1] == 'n' ? '\n' : '\t';
      ++i;
    } else {
      out += field[i];
    }
  }
  return out;
}

}  // namespace

std::vector<GoldenRow> load_golden_table(const std::string& relative_path) {
  const std::filesystem::path path = std::filesystem::path(NARRATOR_TEST_DATA_DIR) / relative_path;
  std::istringstream in(read_file(path));
  std::vector<GoldenRow> rows;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos || line.find('\t', tab + 1) != std::string::npos) {
      throw std::runtime_error(path.string() + ":" + std::to_string(number) +
                               ": expected input<TAB>expected");
    }
    rows.push_back(GoldenRow{path.filename().string(), number, unescape(line.substr(0, tab)),
                             unescape(line.substr(tab + 1))});
  }
  return rows;
}

std::string golden_row_name(const ::testing::TestParamInfo<GoldenRow>& info) {
  std::string name = info.param.file + "_" + std::to_string(info.param.line);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace narrator::test
