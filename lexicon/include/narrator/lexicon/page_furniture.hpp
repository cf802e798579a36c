// page_furniture.hpp: the rules that find a news page's furniture (players, share bars, captions,
// related-story lists, comment forms, cookie notices, bylines, timestamps) in copied page text,
// read from lexicon/data/<language>/page_furniture.tsv. The table's header documents the columns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace narrator {

enum class FurnitureAction {
  kDrop,      // remove the block
  kVideo,     // remove it and the video's title, description and duration after it
  kList,      // remove it and the list of headlines after it
  kForm,      // remove it and the short form lines after it
  kMetadata,  // its named groups byline, publication and date become the article's metadata
  kSection,   // a kicker or section label above the headline (first block only)
};

struct FurnitureRule {
  std::string name;  // reported with every removal
  FurnitureAction action = FurnitureAction::kDrop;
  std::string pattern;  // ICU regular expression, matched case-insensitively against a block
  std::string source;   // "builtin:en/page_furniture.tsv"
  std::size_t line = 0;
};

// The built-in rules for `language`, in table order. Throws Error(kInput) naming file:line for a
// malformed row, and Error(kUsage) when the language has no table.
std::vector<FurnitureRule> load_page_furniture(std::string_view language);

// The rules of a table in page_furniture.tsv's format, `source` naming it in messages (a path, or
// "builtin:en/page_furniture.tsv"). Throws Error(kInput) naming source:line for a malformed row.
std::vector<FurnitureRule> parse_page_furniture(std::string_view content,
                                                const std::string& source);

}  // namespace narrator
