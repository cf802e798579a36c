// name_weights.hpp: what an HTML element's class, id, ARIA role and itemprop names say about it as
// a block of a news page (a story's body, or boilerplate), read from
// lexicon/data/html/name_weights.tsv. The table's header documents the columns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace narrator {

struct NameWeight {
  std::string name;  // lower case: a class or id name, an ARIA role or an itemprop value
  int weight = 0;    // -100..100, never 0; kOneNameWeight is one class weight
  std::size_t line = 0;
};

struct NameWeights {
  // The weight of one class weight in the table: from it up, names say "story".
  static constexpr int kOneNameWeight = 25;
  static constexpr int kMaxWeight = 100;

  std::vector<NameWeight> names;      // matched inside class and id words (see the table)
  std::vector<NameWeight> roles;      // the whole role attribute ("role=main" rows)
  std::vector<NameWeight> itemprops;  // the whole itemprop attribute ("itemprop=..." rows)
};

// The built-in table. Throws Error(kInternal) when it was not embedded.
NameWeights load_name_weights();

// The rows of a table in name_weights.tsv's format, `source` naming it in messages (a path, or
// "builtin:html/name_weights.tsv"). Throws Error(kInput) "source:line: ..." for a malformed row:
// a wrong column count, a name that is not lower-case a-z, 0-9, '-' and '_' (after "role=" or
// "itemprop=", when given), a weight that is not a whole number, is 0 or is past ±100, and a
// name given twice.
NameWeights parse_name_weights(std::string_view content, const std::string& source);

}  // namespace narrator
