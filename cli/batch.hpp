// batch.hpp: `narrate batch FILES…|DIR --out-dir D -j N`.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cli_options.hpp"
#include "narrator/cancel_token.hpp"

namespace narrator::cli {

// Narrates every article into D/NAME.FORMAT with D/NAME.json beside it, in up to -j worker
// processes, skipping articles whose manifest records the same input and settings and whose audio
// is the one the manifest describes (its size and SHA-256). Prints a
// table (status, time, article, error). Throws Error(kInput) when any article failed, after all
// were tried; Error(kCancelled) on Ctrl-C (the workers stop and remove their partial files).
// Throws Error(kOutput) naming --out-dir when the folder cannot be made or written in, before any
// worker starts.
void run_batch(const CliOptions& options, const CancelToken& cancel);

// The articles run_batch narrates, in order: the files named, and the articles found in each
// folder named (not in its subfolders); with options.shard (K of N), only those whose key hashes
// to K (shard_of()): the key of an article found in a folder is its file name, so that machines
// mounting the folder at different paths agree; a file named by itself is keyed by its path as
// given. Throws Error(kUsage) when there are no articles at all (an empty shard is no error), or
// when two would write the same NAME.`format` (before sharding, so every shard refuses alike).
std::vector<std::filesystem::path> select_articles(const CliOptions& options,
                                                   std::string_view format);

// Whether batch narrates a file found in a folder: .txt, .html, .htm or .ssml.
bool is_article_path(const std::filesystem::path& path);

// The pieces of a worker, for their tests. open_worker_log() returns an unlinked temporary file,
// close-on-exec, to hold one worker's stderr (the caller closes it); spawn_worker() runs `args`
// (args[0] is the program's path) with that file as its stderr and /dev/null as its stdin, and
// returns its process id. Throws Error(kOutput) or Error(kInternal).
int open_worker_log();
pid_t spawn_worker(const std::vector<std::string>& args, int log_fd);

}  // namespace narrator::cli
