// command_support.hpp: what several commands share: the article as the command line names it,
// stdin checked for read errors, and stdout written with its errors checked and its reader's
// leaving handled.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cli_options.hpp"
#include "narrator/article.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/diagnostics.hpp"

namespace narrator::cli {

// Advice for a sound-device error: the narration can still go to a file.
inline constexpr std::string_view kWriteToFileAdvice =
    "; to write the narration to a file instead, use -o FILE.mp3 (or .wav, .flac, .ogg)";

// The article's bytes as given, and what the server said about them.
struct ArticleBytes {
  std::string bytes;
  std::string content_type;  // a fetched page's Content-Type header; empty for a file or stdin
  std::string fetched_from;  // a fetched page's address after redirects; empty otherwise
};

// The article's bytes: the file, stdin for "-", or the page an http(s) URL names (fetched with
// --fetch-timeout; Error(kCancelled) when `cancel` is cancelled meanwhile). Throws Error(kInput)
// when it cannot be read or fetched.
ArticleBytes read_article_bytes(const CliOptions& options,
                                const CancelToken& cancel = CancelToken());

// The article read from `input` (what read_article_bytes() gave), with the metadata the command
// line gives and the intro and disclaimer. A fetched page's format comes from its Content-Type
// (else its content) and its charset from the header, unless --input and --encoding say. Throws
// Error(kInput) when it cannot be read.
Article load_article(const CliOptions& options, ArticleBytes input, Diagnostics& diagnostics);

// The same, reading the bytes first.
Article load_article(const CliOptions& options, Diagnostics& diagnostics);

// Throws Error(kInput) when reading std::cin failed (not at its end).
void check_stdin();

// Standard output. Every command that prints writes through these, so that a reader that goes
// away (`narrate voices | head -1`: EPIPE, as SIGPIPE is ignored) ends the command quietly with
// status 0, as it ends `cat`, wherever the write failed: a printf, or the flush at the end where
// buffered output usually fails. Inside print_until_reader_leaves() a closed pipe ends the command
// (what was not yet written is dropped); any other failure throws Error(kOutput).
void print_stdout(const char* format, ...) __attribute__((format(printf, 1, 2)));
void write_stdout(std::string_view text);
// Flushes stdout, checking every earlier write too.
void flush_stdout();

// Runs `command`, which writes stdout through the functions above and flushes it at its end, and
// returns normally when the reader of stdout has gone.
void print_until_reader_leaves(const std::function<void()>& command);

}  // namespace narrator::cli
