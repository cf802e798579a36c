// serve_process.hpp: a `narrate serve` process for the service tests: started on a free port,
// its stderr (the "listening" line, the access log) collected line by line as it comes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace narrator::test {

class ServeProcess {
 public:
  // Runs `narrate serve --listen 127.0.0.1:0 ARGS...` with NARRATOR_SERVE_TEST_HOOKS=1 and waits
  // for the line saying where it listens; fails the test (and port() is 0) when it does not come.
  explicit ServeProcess(const std::vector<std::string>& args);
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess();  // kills the server if it still runs

  int port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }

  // The first stderr line from `from` on that contains `part`, waiting for it until `guard`.
  std::optional<std::string> wait_for_line(const std::string& part, std::size_t from = 0,
                                           std::chrono::seconds guard = std::chrono::seconds(30));
  std::size_t line_count();
  std::vector<std::string> lines();

  void send_signal(int signal);
  // Waits for the server to end; its exit status, or -1 when a signal ended it.
  int wait_exit(std::chrono::seconds guard = std::chrono::seconds(30));

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  bool reaped_ = false;
  int stderr_fd_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable grew_;
  std::vector<std::string> lines_;
  bool ended_ = false;
};

}  // namespace narrator::test
