// A batch worker's process: its stderr log is its own, and no worker inherits another's.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "batch.hpp"

namespace narrator::cli {
namespace {

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, got);
  return text;
}

// `fd` moved to a number at least `at`, keeping its close-on-exec flag as it was: far above the
// low numbers the worker's own shell opens.
int moved_up(int fd, int at) {
  const int moved = ::fcntl(fd, F_DUPFD, at);
  ::fcntl(moved, F_SETFD, ::fcntl(fd, F_GETFD));
  ::close(fd);
  return moved;
}

TEST(BatchWorker, LogsAreCloseOnExec) {
  const int log = open_worker_log();
  EXPECT_NE(::fcntl(log, F_GETFD) & FD_CLOEXEC, 0);
  ::close(log);
}

// Two workers' logs are open at once, as with -j 2: the worker started with the first sees its
// stderr, and the second log's descriptor is not open in it.
TEST(BatchWorker, SeesItsOwnLogAndNotAnothers) {
  const int mine = moved_up(open_worker_log(), 100);
  const int other = moved_up(open_worker_log(), 110);
  ASSERT_GE(mine, 100);
  ASSERT_GE(other, 110);
  // The shell lists its own open descriptors (a glob, expanded without a new process).
  const pid_t pid = spawn_worker(
      {"/bin/sh", "-c", "for fd in /proc/$$/fd/*; do echo \"${fd##*/}\"; done >&2"}, mine);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::vector<std::string> open_fds;
  std::istringstream lines(read_all(mine));
  for (std::string line; std::getline(lines, line);) open_fds.push_back(line);
  EXPECT_NE(std::find(open_fds.begin(), open_fds.end(), "2"), open_fds.end())
      << "the worker's stderr is its log";
  EXPECT_EQ(std::find(open_fds.begin(), open_fds.end(), std::to_string(other)), open_fds.end())
      << "descriptor " << other << " (another worker's log) leaked into the worker";
  EXPECT_EQ(std::find(open_fds.begin(), open_fds.end(), std::to_string(mine)), open_fds.end())
      << "the log is the worker's stderr, not also descriptor " << mine;
  ::close(mine);
  ::close(other);
}

}  // namespace
}  // namespace narrator::cli
