// framing.cpp: the optional intro ("Headline. From Publication.") and closing disclaimer.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "narrator/article.hpp"
#include "text_scan.hpp"

namespace narrator {
namespace {

// The template with its placeholders filled; a sentence whose placeholder is empty is dropped.
std::string fill(std::string_view pattern, const ArticleMetadata& metadata) {
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"{title}", &metadata.title},
      {"{publication}", &metadata.publication},
      {"{byline}", &metadata.byline},
      {"{date}", &metadata.date}};
  std::string out;
  while (!pattern.empty()) {
    std::size_t end = pattern.find_first_of(".!?");
    end = end == std::string_view::npos ? pattern.size() : end + 1;
    std::string sentence(pattern.substr(0, end));
    pattern.remove_prefix(end);
    bool known = true;
    for (const auto& [placeholder, value] : fields) {
      for (std::size_t at; (at = sentence.find(placeholder)) != std::string::npos;) {
        known = known && !value->empty();
        sentence.replace(at, placeholder.size(), *value);
      }
    }
    if (known) out += sentence;
  }
  return detail::collapse_spaces(out);
}

// Appends `text` after everything in Article::text and returns its span there.
SourceSpan append_text(Article& article, const std::string& text) {
  if (article.generated_from == std::string::npos) article.generated_from = article.text.size();
  article.text += "\n\n";
  const std::size_t begin = article.text.size();
  article.text += text;
  return SourceSpan{begin, article.text.size()};
}

}  // namespace

void add_framing(Article& article, const Framing& framing, Diagnostics& diagnostics) {
  if (framing.intro) {
    const std::string intro = fill(framing.intro_text, article.metadata);
    if (intro.empty()) {
      diagnostics.report(Diagnostic{Severity::kWarning, "input.no_intro", SourceSpan{0, 0},
                                    article.source_name +
                                        ": no intro: the article's title and publication are "
                                        "unknown; give them with --title and --publication"});
    } else {
      const SourceSpan span = append_text(article, intro);
      article.blocks.insert(article.blocks.begin(), Block{span, BlockKind::kHeading});
    }
  }
  if (framing.disclaimer) {
    const std::string disclaimer = fill(framing.disclaimer_text, article.metadata);
    if (!disclaimer.empty()) {
      article.blocks.push_back(Block{append_text(article, disclaimer), BlockKind::kParagraph});
    }
  }
}

}  // namespace narrator
