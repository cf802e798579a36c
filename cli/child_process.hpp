// child_process.hpp: starting narrate's own worker processes (batch's and the server's).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace narrator::cli {

// A descriptor of the parent's that the child gets under another number.
struct InheritedFd {
  int parent_fd = -1;
  int child_fd = -1;
};

// Runs args[0] with `args` (posix_spawn, the parent's environment), its stdin /dev/null, each of
// `inherited` dup2'd to its number in the child, and, when `close_from` >= 0, every descriptor
// from `close_from` up closed in the child (so that it holds nothing else of the parent's, such
// as a client's socket). Returns the child's process id. Throws Error(kInternal) "WHAT: reason"
// when the process cannot be started.
pid_t spawn_child(const std::vector<std::string>& args, const std::vector<InheritedFd>& inherited,
                  int close_from, std::string_view what);

}  // namespace narrator::cli
