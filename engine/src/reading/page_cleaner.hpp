// page_cleaner.hpp: removes a news page's furniture from copied page text, by the rules in
// lexicon/data/<language>/page_furniture.tsv, and keeps bylines and timestamps as metadata.
#pragma once

#include <unicode/regex.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/lexicon/page_furniture.hpp"

namespace narrator {

class PageCleaner {
 public:
  // Compiles the rules. Throws Error(kInput) naming the table's file:line for a bad pattern.
  explicit PageCleaner(const std::vector<FurnitureRule>& rules);
  PageCleaner(const PageCleaner&) = delete;
  PageCleaner& operator=(const PageCleaner&) = delete;
  ~PageCleaner();

  // Splits blocks around furniture lines, removes furniture blocks (each recorded in
  // article.dropped with its rule), fills article.metadata from bylines and timestamps, and takes
  // the first remaining heading as the title. Throws Error(kInput) when nothing is left to read.
  // `line_of` gives the input line of a text byte when Article::text is not the input (HTML).
  void clean(Article& article,
             const std::function<std::size_t(std::size_t)>& line_of = nullptr) const;

  struct Match {
    const FurnitureRule* rule = nullptr;
    // The named groups "byline", "publication" and "date", empty when absent or unmatched.
    std::string byline;
    std::string publication;
    std::string date;
  };
  // The first rule whose pattern matches all of `text` (whitespace already collapsed).
  std::optional<Match> match(std::string_view text) const;

 private:
  struct Compiled;
  std::vector<Compiled> rules_;
};

}  // namespace narrator
