#include "command_support.hpp"

#include <stdio_ext.h>

#include <cerrno>
#include <cstdarg>
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

// The reader of stdout has closed its end. An Error(kOutput) in case it ever escapes
// print_until_reader_leaves(), where it ends the command quietly.
class ReaderGone final : public Error {
 public:
  ReaderGone()
      : Error(ErrorCategory::kOutput,
              "standard output: the program reading it has stopped; nothing more was written") {}
};

// After a failed write to stdout with this errno: the reader gone (EPIPE) drops what stdio still
// holds, so that exit() does not try to write it again, and throws ReaderGone; any other errno is
// an Error.
[[noreturn]] void stdout_failed(int error_number) {
  if (error_number == EPIPE) {
    __fpurge(stdout);
    std::clearerr(stdout);
    throw ReaderGone();
  }
  throw Error(ErrorCategory::kOutput,
              std::string("cannot write to standard output: ") + std::strerror(error_number));
}

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

void print_stdout(const char* format, ...) {
  std::va_list arguments;
  va_start(arguments, format);
  const int written = std::vfprintf(stdout, format, arguments);
  va_end(arguments);
  if (written < 0) stdout_failed(errno);
}

void write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) stdout_failed(errno);
}

void flush_stdout() {
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) stdout_failed(errno);
}

void print_until_reader_leaves(const std::function<void()>& command) {
  try {
    command();
  } catch (const ReaderGone&) {
    // The reader has all it wanted (`head -1`); nothing is left to do, as for `cat`.
  }
}

}  // namespace narrator::cli
