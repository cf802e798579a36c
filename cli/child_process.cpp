#include "child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cstring>

#include "narrator/error.hpp"

extern char** environ;

namespace narrator::cli {

pid_t spawn_child(const std::vector<std::string>& args, const std::vector<InheritedFd>& inherited,
                  int close_from, std::string_view what) {
  std::vector<std::string> copies = args;
  std::vector<char*> argv;
  for (std::string& arg : copies) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (const InheritedFd& fd : inherited) {
    posix_spawn_file_actions_adddup2(&actions, fd.parent_fd, fd.child_fd);
  }
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (close_from >= 0) posix_spawn_file_actions_addclosefrom_np(&actions, close_from);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawn(&pid, copies.front().c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw Error(ErrorCategory::kInternal, std::string(what) + ": " + std::strerror(spawned));
  }
  return pid;
}

}  // namespace narrator::cli
