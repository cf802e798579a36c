// process.hpp: run the narrate binary as a user would, and observe it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace narrator::test {

struct ProcessResult {
  int exit_code = -1;   // the exit status, or -1 when killed by a signal
  int term_signal = 0;  // the signal that killed it, or 0
  std::string out;      // everything written to stdout
  std::string err;      // everything written to stderr
  long max_rss_kb = 0;  // peak resident set size
};

struct ProcessOptions {
  std::string stdin_data;                  // written to the child's stdin, then closed
  std::map<std::string, std::string> env;  // added to (or replacing in) the environment
  std::string working_dir;                 // empty: the current one
  std::string stdout_path;                 // the child's stdout is this file (e.g. /dev/full)
  std::size_t stdout_limit = SIZE_MAX;     // read this many bytes of stdout, then close the pipe
};

// A running child. The destructor kills and reaps it if wait() was never called.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& args, const ProcessOptions& options = {});
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  void send_signal(int signal);
  pid_t pid() const noexcept { return pid_; }
  // Collects output until the child exits. `guard` only fails a hung child (it is killed).
  ProcessResult wait(std::chrono::seconds guard = std::chrono::seconds(600));

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stdin_data_;
  std::size_t stdout_limit_ = SIZE_MAX;
  bool reaped_ = false;
};

// Runs narrate (the binary built with the tests) with `args` and waits for it.
ProcessResult run_narrate(const std::vector<std::string>& args, const ProcessOptions& options = {});

// The path of the narrate binary under test.
std::string narrate_path();

// The first executable `program` in a folder of $PATH (for the npm clients' `node`), or "" when
// there is none.
std::string find_on_path(const std::string& program);

}  // namespace narrator::test
