#include "serve_process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "process.hpp"

extern char** environ;

namespace narrator::test {

ServeProcess::ServeProcess(const std::vector<std::string>& args) {
  std::vector<std::string> argv_text{narrate_path(), "serve", "--listen", "127.0.0.1:0"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text{"NARRATOR_SERVE_TEST_HOOKS=1"};
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "NARRATOR_SERVE_TEST_HOOKS=", 26) != 0) env_text.emplace_back(*entry);
  }
  std::vector<char*> envp;
  for (std::string& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return;
  }
  // fork and exec rather than posix_spawn: the server must die with the test (PR_SET_PDEATHSIG),
  // or a test that crashes would leave it running, holding ctest's output pipe open.
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {  // only async-signal-safe calls from here to execve
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    ::execve(argv.front(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  stderr_fd_ = pipe_fds[0];
  if (pid_ < 0) {
    ADD_FAILURE() << "cannot start narrate serve: " << std::strerror(errno);
    return;
  }
  reader_ = std::thread([this] {
    std::string pending;
    char buffer[4096];
    for (;;) {
      const ssize_t got = ::read(stderr_fd_, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      const std::lock_guard lock(mutex_);
      if (got <= 0) {
        if (!pending.empty()) lines_.push_back(pending);
        ended_ = true;
        grew_.notify_all();
        return;
      }
      pending.append(buffer, static_cast<std::size_t>(got));
      for (std::size_t end; (end = pending.find('\n')) != std::string::npos;) {
        lines_.push_back(pending.substr(0, end));
        pending.erase(0, end + 1);
      }
      grew_.notify_all();
    }
  });
  const std::optional<std::string> listening = wait_for_line("narrate serve: listening on http://");
  if (!listening) {
    ADD_FAILURE() << "narrate serve did not say where it listens; stderr:\n"
                  << testing::PrintToString(lines());
    return;
  }
  port_ = std::stoi(listening->substr(listening->rfind(':') + 1));
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (reader_.joinable()) reader_.join();
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

std::optional<std::string> ServeProcess::wait_for_line(const std::string& part, std::size_t from,
                                                       std::chrono::seconds guard) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + guard;
  for (std::size_t next = from;;) {
    for (; next < lines_.size(); ++next) {
      if (lines_[next].find(part) != std::string::npos) return lines_[next];
    }
    if (ended_) return std::nullopt;
    if (grew_.wait_until(lock, deadline) == std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
  }
}

std::size_t ServeProcess::line_count() {
  const std::lock_guard lock(mutex_);
  return lines_.size();
}

std::vector<std::string> ServeProcess::lines() {
  const std::lock_guard lock(mutex_);
  return lines_;
}

void ServeProcess::send_signal(int signal) {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal);
}

int ServeProcess::wait_exit(std::chrono::seconds guard) {
  if (pid_ <= 0 || reaped_) return -1;
  const auto deadline = std::chrono::steady_clock::now() + guard;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      ADD_FAILURE() << "narrate serve did not end within " << guard.count() << " s";
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    // The server's stderr closes when it and its workers end: wait on that, not on a clock.
    std::unique_lock lock(mutex_);
    grew_.wait_for(lock, std::chrono::milliseconds(20), [this] { return ended_; });
  }
  reaped_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace narrator::test
