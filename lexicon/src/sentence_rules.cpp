#include "narrator/lexicon/sentence_rules.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "data_table.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

constexpr std::array<std::pair<std::string_view, AbbreviationKind>, 2> kKindNames{{
    {"title", AbbreviationKind::kTitle},
    {"finite", AbbreviationKind::kFinite},
}};

}  // namespace

SentenceRules load_sentence_rules(std::string_view language) {
  SentenceRules rules;
  const std::string exceptions_path = std::string(language) + "/sentence_exceptions.tsv";
  const std::string exceptions_name = "builtin:" + exceptions_path;
  for (const TsvRow& row :
       parse_tsv(detail::require_builtin(exceptions_path), exceptions_name, TsvShape{2, 3})) {
    const auto [where, inserted] = rules.abbreviations.emplace(
        row.fields[0], detail::parse_enum(exceptions_name, row, 1, kKindNames));
    if (!inserted) {
      detail::fail_at(exceptions_name, row, "duplicate abbreviation '" + row.fields[0] + "'");
    }
  }
  // Every abbreviation the normalizer expands keeps its period inside the sentence too: a title
  // always ("Lt.-Col. Ivanou"), any other only before a sentence starter.
  const std::string expansions_path = std::string(language) + "/abbreviations.tsv";
  std::unordered_map<std::string, bool> expansions;  // written form → every reading is a title
  for (const TsvRow& row : parse_tsv(detail::require_builtin(expansions_path),
                                     "builtin:" + expansions_path, TsvShape{3, 4})) {
    if (!row.fields[0].ends_with('.')) continue;
    const bool title = row.fields[2] == "title" || row.fields[2] == "number";
    const auto [where, inserted] = expansions.emplace(row.fields[0], title);
    if (!inserted) where->second = where->second && title;  // "St.": saint or street
  }
  for (const auto& [written, title] : expansions) {
    rules.abbreviations.emplace(written,
                                title ? AbbreviationKind::kTitle : AbbreviationKind::kFinite);
  }
  const std::string starters_path = std::string(language) + "/sentence_starters.tsv";
  for (const TsvRow& row : parse_tsv(detail::require_builtin(starters_path),
                                     "builtin:" + starters_path, TsvShape{1, 2})) {
    rules.sentence_starters.insert(row.fields[0]);
  }
  return rules;
}

}  // namespace narrator
