#include "narrator/lexicon/page_furniture.hpp"

#include <array>
#include <utility>

#include "data_table.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

constexpr std::array<std::pair<std::string_view, FurnitureAction>, 6> kActionNames{{
    {"drop", FurnitureAction::kDrop},
    {"drop-video", FurnitureAction::kVideo},
    {"drop-list", FurnitureAction::kList},
    {"drop-form", FurnitureAction::kForm},
    {"metadata", FurnitureAction::kMetadata},
    {"section", FurnitureAction::kSection},
}};

}  // namespace

std::vector<FurnitureRule> load_page_furniture(std::string_view language) {
  const std::string path = std::string(language) + "/page_furniture.tsv";
  return parse_page_furniture(detail::require_builtin(path), "builtin:" + path);
}

std::vector<FurnitureRule> parse_page_furniture(std::string_view content,
                                                const std::string& source) {
  std::vector<FurnitureRule> rules;
  for (const TsvRow& row : parse_tsv(content, source, TsvShape{3, 4})) {
    if (row.fields[2].empty()) detail::fail_at(source, row, "empty pattern");
    rules.push_back(FurnitureRule{row.fields[0], detail::parse_enum(source, row, 1, kActionNames),
                                  row.fields[2], source, row.line});
  }
  return rules;
}

}  // namespace narrator
