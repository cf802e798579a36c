// given_metadata.hpp: the title, byline, publication and date a command line or a request gives
// take the place of what was read from the article (narrate's --title etc., the service's
// fields); a field not given keeps what the page said.
#pragma once

#include <string>
#include <utility>

#include "narrator/article.hpp"

namespace narrator::cli {

inline void apply_given_metadata(ArticleMetadata& read, const ArticleMetadata& given) {
  const std::pair<std::string*, const std::string*> fields[] = {
      {&read.title, &given.title},
      {&read.byline, &given.byline},
      {&read.publication, &given.publication},
      {&read.date, &given.date}};
  for (const auto& [field, value] : fields) {
    if (!value->empty()) *field = *value;
  }
}

}  // namespace narrator::cli
