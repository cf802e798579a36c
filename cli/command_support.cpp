#include "command_support.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>

#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

std::string read_stdin() {
  std::string bytes{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  check_stdin();
  return bytes;
}

Article read_command_input(const CliOptions& options, Diagnostics& diagnostics) {
  ReadOptions read_options;
  read_options.lossy = options.lossy;
  read_options.keep_page_furniture = options.keep_page_furniture;
  read_options.language = options.engine.language;
  if (options.article == "-") {
    std::string bytes = read_stdin();
    const InputFormat format = options.input_format.value_or(detect_input_format("", bytes));
    return read_input(std::move(bytes), "<stdin>", format, read_options, diagnostics);
  }
  return read_input_file(options.article, options.input_format, read_options, diagnostics);
}

}  // namespace

Article load_article(const CliOptions& options, Diagnostics& diagnostics) {
  Article article = read_command_input(options, diagnostics);
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
