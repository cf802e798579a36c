#include "narrator/lexicon/sentence_rules.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

constexpr std::array<std::pair<std::string_view, AbbreviationKind>, 2> kKindNames{{
    {"title", AbbreviationKind::kTitle},
    {"finite", AbbreviationKind::kFinite},
}};

std::string_view require_builtin(const std::string& path) {
  const std::optional<std::string_view> data = builtin_data(path);
  if (!data) {
    throw Error(ErrorCategory::kUsage,
                "no built-in data '" + path + "': the language is not supported");
  }
  return *data;
}

AbbreviationKind parse_kind(const std::string& source, const TsvRow& row) {
  const auto found = std::find_if(kKindNames.begin(), kKindNames.end(),
                                  [&](const auto& entry) { return entry.first == row.fields[1]; });
  if (found == kKindNames.end()) {
    throw Error(ErrorCategory::kInput, source + ":" + std::to_string(row.line) +
                                           ": unknown kind '" + row.fields[1] +
                                           "'; use 'title' or 'finite'");
  }
  return found->second;
}

}  // namespace

SentenceRules load_sentence_rules(std::string_view language) {
  SentenceRules rules;
  const std::string exceptions_path = std::string(language) + "/sentence_exceptions.tsv";
  const std::string exceptions_name = "builtin:" + exceptions_path;
  for (const TsvRow& row :
       parse_tsv(require_builtin(exceptions_path), exceptions_name, TsvShape{2, 3})) {
    const auto [where, inserted] =
        rules.abbreviations.emplace(row.fields[0], parse_kind(exceptions_name, row));
    if (!inserted) {
      throw Error(ErrorCategory::kInput, exceptions_name + ":" + std::to_string(row.line) +
                                             ": duplicate abbreviation '" + row.fields[0] + "'");
    }
  }
  const std::string starters_path = std::string(language) + "/sentence_starters.tsv";
  for (const TsvRow& row :
       parse_tsv(require_builtin(starters_path), "builtin:" + starters_path, TsvShape{1, 2})) {
    rules.sentence_starters.insert(row.fields[0]);
  }
  return rules;
}

}  // namespace narrator
