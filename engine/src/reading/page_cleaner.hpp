// page_cleaner.hpp: removes a news page's furniture from copied page text, by the rules in
// lexicon/data/<language>/page_furniture.tsv, and keeps bylines and timestamps as metadata.
#pragma once

#include <unicode/regex.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/lexicon/page_furniture.hpp"

namespace narrator {

class PageCleaner {
 public:
  // The work one rule may do on one block, in ICU's time-limit steps (RegexMatcher::setTimeLimit;
  // a step is about ten thousand operations of the regex engine, a fraction of a millisecond).
  // The built-in rules need at most twelve steps on any block up to the size cap, adversarial
  // ones included (tests/engine/page_cleaner_test.cpp); a rule that needs more than this
  // backtracks catastrophically, and is skipped for that block with a warning. 0: no limit.
  static constexpr std::int32_t kDefaultMatchSteps = 40;

  // Compiles the rules. Throws Error(kInput) naming the table's file:line for a bad pattern.
  explicit PageCleaner(const std::vector<FurnitureRule>& rules,
                       std::int32_t match_steps = kDefaultMatchSteps);
  PageCleaner(const PageCleaner&) = delete;
  PageCleaner& operator=(const PageCleaner&) = delete;
  ~PageCleaner();

  // Splits blocks around furniture lines, removes furniture blocks (each recorded in
  // article.dropped with its rule; a block that is only the publication's name as "site-name"),
  // fills article.metadata from bylines and timestamps, and takes the first remaining heading as
  // the title. Throws Error(kInput) when nothing is left to read. `line_of` gives the input line of
  // a text byte when Article::text is not the input (HTML). A rule that exceeds its match limit on
  // a block is skipped for that block and reported as a warning "input.furniture_rule_skipped"
  // naming the rule, its file:line and the block's line.
  void clean(Article& article, Diagnostics& diagnostics,
             const std::function<std::size_t(std::size_t)>& line_of = nullptr) const;

  struct Match {
    const FurnitureRule* rule = nullptr;
    // The named groups "byline", "publication" and "date", empty when absent or unmatched.
    std::string byline;
    std::string publication;
    std::string date;
  };
  // The first rule whose pattern matches all of `text` (whitespace already collapsed), or, when
  // none does and `text` is set in brackets or parentheses ("[Related: …]"), all of what they
  // enclose. A rule that exceeds the match limit is skipped, reported to `diagnostics` with `span`
  // and with what `where` gives ("page.txt:12: ", the block's place; asked only then) before the
  // message.
  std::optional<Match> match(std::string_view text, Diagnostics& diagnostics, SourceSpan span = {},
                             const std::function<std::string()>& where = nullptr) const;

 private:
  std::optional<Match> match_rules(std::string_view text, Diagnostics& diagnostics, SourceSpan span,
                                   const std::function<std::string()>& where) const;
  struct Compiled;
  std::vector<Compiled> rules_;
};

}  // namespace narrator
