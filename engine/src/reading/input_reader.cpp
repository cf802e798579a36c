// input_reader.cpp: which reader an input goes to (text, HTML or SSML).
#include <algorithm>

#include "html_reader.hpp"
#include "input_encoding.hpp"
#include "narrator/article.hpp"
#include "narrator/detail/ascii.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/lexicon/page_furniture.hpp"
#include "page_cleaner.hpp"
#include "ssml_reader.hpp"

namespace narrator {
namespace {

std::string extension_of(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return detail::ascii_lower(path.substr(dot + 1));
}

// The document's first markup, past a BOM, whitespace, an XML declaration and comments.
std::string first_tag(std::string_view bytes) {
  std::size_t at = bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  for (int skipped = 0; skipped < 8; ++skipped) {
    at = bytes.find_first_not_of(" \t\r\n", at);
    if (at == std::string_view::npos || bytes[at] != '<') return "";
    const bool declaration = bytes.substr(at, 5) == "<?xml" || bytes.substr(at, 4) == "<!--";
    if (!declaration) break;
    const std::size_t end = bytes.find('>', at);
    if (end == std::string_view::npos) return "";
    at = end + 1;
  }
  return detail::ascii_lower(bytes.substr(at, 16));
}

// An HTML article, then the page-furniture rules over its blocks as over copied page text (players,
// share bars and captions inside <article> are common), with drops reported at their HTML lines.
Article read_html_page(std::string bytes, std::string source_name, const ReadOptions& options,
                       Diagnostics& diagnostics) {
  bytes =
      detail::decode_input(std::move(bytes), InputFormat::kHtml, source_name, options, diagnostics);
  std::vector<std::size_t> line_starts{0};
  for (std::size_t at = bytes.find('\n'); at != std::string::npos; at = bytes.find('\n', at + 1)) {
    line_starts.push_back(at + 1);
  }
  Article article = read_html(std::move(bytes), std::move(source_name), options, diagnostics);
  if (options.keep_page_furniture) return article;
  const auto line_of = [&](std::size_t text_byte) -> std::size_t {
    const std::size_t input = original_byte_of(article, text_byte).value_or(0);
    return static_cast<std::size_t>(
        std::upper_bound(line_starts.begin(), line_starts.end(), input) - line_starts.begin());
  };
  const PageCleaner cleaner(load_page_furniture(options.language));
  cleaner.clean(article, diagnostics, line_of);
  return article;
}

}  // namespace

InputFormat detect_input_format(std::string_view path, std::string_view bytes) noexcept {
  const std::string extension = extension_of(path);
  if (extension == "html" || extension == "htm" || extension == "xhtml") return InputFormat::kHtml;
  if (extension == "ssml") return InputFormat::kSsml;
  if (extension == "txt" || extension == "text") return InputFormat::kText;
  const std::string tag = first_tag(bytes);
  if (tag.starts_with("<speak")) return InputFormat::kSsml;
  if (tag.starts_with("<!doctype html") || tag.starts_with("<html")) return InputFormat::kHtml;
  return InputFormat::kText;
}

Article read_input(std::string bytes, std::string source_name, InputFormat format,
                   const ReadOptions& options, Diagnostics& diagnostics) {
  switch (format) {
    case InputFormat::kHtml:
      return read_html_page(std::move(bytes), std::move(source_name), options, diagnostics);
    case InputFormat::kSsml:
      return read_ssml(std::move(bytes), std::move(source_name), diagnostics);
    case InputFormat::kText:
      break;
  }
  return read_article(std::move(bytes), std::move(source_name), options, diagnostics);
}

std::optional<std::size_t> original_byte_of(const Article& article,
                                            std::size_t text_byte) noexcept {
  if (text_byte >= article.generated_from) return std::nullopt;
  if (article.origins.empty()) return text_byte;
  const auto after = std::upper_bound(
      article.origins.begin(), article.origins.end(), text_byte,
      [](std::size_t byte, const TextOrigin& origin) { return byte < origin.text_byte; });
  if (after == article.origins.begin()) return article.origins.front().input_byte;
  const TextOrigin& origin = *std::prev(after);
  return origin.input_byte + (text_byte - origin.text_byte);
}

Article read_input_file(const std::string& path, std::optional<InputFormat> format,
                        const ReadOptions& options, Diagnostics& diagnostics) {
  std::string bytes = detail::read_file(path, "article");
  const InputFormat chosen = format.value_or(detect_input_format(path, bytes));
  return read_input(std::move(bytes), path, chosen, options, diagnostics);
}

}  // namespace narrator
