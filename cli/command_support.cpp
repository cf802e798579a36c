#include "command_support.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>

#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

std::string read_stdin() {
  std::string bytes{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  check_stdin();
  return bytes;
}

constexpr std::string_view kStdin = "-";

}  // namespace

std::string read_article_bytes(const CliOptions& options) {
  return options.article == kStdin ? read_stdin() : detail::read_file(options.article, "article");
}

Article load_article(const CliOptions& options, std::string bytes, Diagnostics& diagnostics) {
  ReadOptions read_options;
  read_options.lossy = options.lossy;
  read_options.keep_page_furniture = options.keep_page_furniture;
  read_options.language = options.engine.language;
  const bool from_stdin = options.article == kStdin;
  // The extension decides a file's format; stdin's is told by its content.
  const InputFormat format =
      options.input_format.value_or(detect_input_format(from_stdin ? "" : options.article, bytes));
  Article article = read_input(std::move(bytes), from_stdin ? "<stdin>" : options.article, format,
                               read_options, diagnostics);
  const std::pair<std::string*, const std::string*> overrides[] = {
      {&article.metadata.title, &options.metadata.title},
      {&article.metadata.byline, &options.metadata.byline},
      {&article.metadata.publication, &options.metadata.publication},
      {&article.metadata.date, &options.metadata.date}};
  for (const auto& [field, given] : overrides) {
    if (!given->empty()) *field = *given;
  }
  add_framing(article, options.framing, diagnostics);
  return article;
}

Article load_article(const CliOptions& options, Diagnostics& diagnostics) {
  return load_article(options, read_article_bytes(options), diagnostics);
}

void check_stdin() {
  if (std::cin.bad()) {
    throw Error(ErrorCategory::kInput,
                std::string("<stdin>: cannot read: ") + std::strerror(errno));
  }
}

void flush_stdout() {
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    throw Error(ErrorCategory::kOutput,
                std::string("cannot write to standard output: ") + std::strerror(errno));
  }
}

}  // namespace narrator::cli
