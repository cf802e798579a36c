#include "command_support.hpp"

#include <stdio_ext.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>

#include "given_metadata.hpp"
#include "narrator/detail/ascii.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"
#include "url_fetcher.hpp"

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

// A fetched page's format from its Content-Type ("text/html; charset=utf-8"); the extension
// decides a file's; stdin's, and a page's of another type, is told by the content.
InputFormat input_format(const CliOptions& options, const ArticleBytes& input) {
  const std::string type =
      detail::ascii_lower(input.content_type.substr(0, input.content_type.find(';')));
  if (type == "text/html" || type == "application/xhtml+xml") return InputFormat::kHtml;
  if (type == "application/ssml+xml") return InputFormat::kSsml;
  if (type == "text/plain") return InputFormat::kText;
  const bool named_by_path = options.article != kStdin && input.fetched_from.empty();
  return detect_input_format(named_by_path ? options.article : "", input.bytes);
}

// The charset of a fetched page's Content-Type, when ICU knows it; a charset it does not know is
// reported, and the page's own declaration decides.
std::string server_charset(const ArticleBytes& input, Diagnostics& diagnostics) {
  std::string charset = content_type_charset(input.content_type);
  if (charset.empty() || is_known_encoding(charset)) return charset;
  diagnostics.report(
      Diagnostic{Severity::kWarning, "input.encoding", SourceSpan{},
                 input.fetched_from + ": the server names the charset '" + charset +
                     "', which narrate does not know; the page's own declaration decides (or pass "
                     "--encoding)"});
  return "";
}

}  // namespace

ArticleBytes read_article_bytes(const CliOptions& options, const CancelToken& cancel) {
  if (options.article == kStdin) return ArticleBytes{read_stdin(), "", ""};
  if (!is_url(options.article)) {
    return ArticleBytes{detail::read_file(options.article, "article"), "", ""};
  }
  FetchOptions fetch;
  fetch.total_timeout = std::chrono::seconds(options.fetch_timeout_s);
  fetch.connect_timeout = std::min(fetch.connect_timeout, fetch.total_timeout);
  FetchedPage page = fetch_url(options.article, fetch, cancel);
  return ArticleBytes{std::move(page.body), std::move(page.content_type), std::move(page.url)};
}

Article load_article(const CliOptions& options, ArticleBytes input, Diagnostics& diagnostics) {
  ReadOptions read_options;
  read_options.lossy = options.lossy;
  read_options.keep_page_furniture = options.keep_page_furniture;
  read_options.language = options.engine.language;
  read_options.encoding = options.encoding;
  const std::string source_name = options.article == kStdin ? "<stdin>" : options.article;
  const InputFormat format = options.input_format.value_or(input_format(options, input));
  if (read_options.encoding.empty()) {
    read_options.encoding = server_charset(input, diagnostics);
    read_options.encoding_source = EncodingSource::kContentType;
  }
  if (!input.fetched_from.empty() && input.fetched_from != options.article) {
    diagnostics.report(Diagnostic{Severity::kInfo, "input.redirected", SourceSpan{},
                                  source_name + ": the page was found at " + input.fetched_from});
  }
  Article article =
      read_input(std::move(input.bytes), source_name, format, read_options, diagnostics);
  apply_given_metadata(article.metadata, options.metadata);
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
