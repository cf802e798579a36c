#include "narrator/lexicon/name_weights.hpp"

#include <charconv>
#include <set>

#include "data_table.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

constexpr std::string_view kRolePrefix = "role=";
constexpr std::string_view kItempropPrefix = "itemprop=";

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool is_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

int parse_weight(std::string_view source, const TsvRow& row) {
  const std::string& field = row.fields[1];
  int weight = 0;
  const char* end = field.data() + field.size();
  const auto [stop, error] = std::from_chars(field.data(), end, weight);
  if (field.empty() || error != std::errc() || stop != end) {
    detail::fail_at(source, row,
                    "weight '" + field + "' is not a whole number (such as 25 or -50)");
  }
  if (weight == 0 || weight < -NameWeights::kMaxWeight || weight > NameWeights::kMaxWeight) {
    detail::fail_at(source, row,
                    "weight " + field + " is out of range; use a whole number from -" +
                        std::to_string(NameWeights::kMaxWeight) + " to " +
                        std::to_string(NameWeights::kMaxWeight) +
                        ", not 0 (a name that says nothing needs no row)");
  }
  return weight;
}

}  // namespace

NameWeights load_name_weights() {
  const std::string path = "html/name_weights.tsv";
  return parse_name_weights(required_builtin_data(path), "builtin:" + path);
}

NameWeights parse_name_weights(std::string_view content, const std::string& source) {
  NameWeights weights;
  std::set<std::string, std::less<>> seen;
  for (const TsvRow& row : parse_tsv(content, source, TsvShape{2, 3})) {
    std::string_view name = row.fields[0];
    std::vector<NameWeight>* list = &weights.names;
    if (name.starts_with(kRolePrefix)) {
      name.remove_prefix(kRolePrefix.size());
      list = &weights.roles;
    } else if (name.starts_with(kItempropPrefix)) {
      name.remove_prefix(kItempropPrefix.size());
      list = &weights.itemprops;
    }
    if (!is_name(name)) {
      detail::fail_at(source, row,
                      "'" + row.fields[0] +
                          "' is not a name: write a class or id name in lower case (a-z, 0-9, "
                          "'-', '_'), or role=NAME or itemprop=NAME");
    }
    if (!seen.insert(row.fields[0]).second) {
      detail::fail_at(source, row, "duplicate entry '" + row.fields[0] + "'");
    }
    list->push_back(NameWeight{std::string(name), parse_weight(source, row), row.line});
  }
  return weights;
}

}  // namespace narrator
