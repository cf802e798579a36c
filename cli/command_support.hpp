// command_support.hpp: what several commands share: the article as the command line names it,
// stdin checked for read errors and stdout for write errors.
#pragma once

#include <string>
#include <string_view>

#include "cli_options.hpp"
#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"

namespace narrator::cli {

// Advice for a sound-device error: the narration can still go to a file.
inline constexpr std::string_view kWriteToFileAdvice =
    "; to write the narration to a file instead, use -o FILE.mp3 (or .wav, .flac, .ogg)";

// The article's bytes as given: the file, or stdin for "-". Throws Error(kInput) when it cannot be
// read.
std::string read_article_bytes(const CliOptions& options);

// The article read from `bytes` (what read_article_bytes() gave), with the metadata the command
// line gives and the intro and disclaimer. Throws Error(kInput) when it cannot be read.
Article load_article(const CliOptions& options, std::string bytes, Diagnostics& diagnostics);

// The same, reading the bytes first.
Article load_article(const CliOptions& options, Diagnostics& diagnostics);

// Throws Error(kInput) when reading std::cin failed (not at its end).
void check_stdin();

// Flushes stdout; throws Error(kOutput) when anything written to it failed.
void flush_stdout();

}  // namespace narrator::cli
