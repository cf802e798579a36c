#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace narrator::test {
namespace {

void make_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
}

[[noreturn]] void exec_child(const std::vector<std::string>& args, const ProcessOptions& options,
                             int in, int out, int err) {
  dup2(in, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  for (const auto& [name, value] : options.env) setenv(name.c_str(), value.c_str(), 1);
  if (!options.working_dir.empty() && chdir(options.working_dir.c_str()) != 0) _exit(126);
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

}  // namespace

std::string narrate_path() { return NARRATE_PATH; }

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream folders(path != nullptr ? path : "");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const std::filesystem::path candidate =
        std::filesystem::path(folder.empty() ? "." : folder) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

ChildProcess::ChildProcess(const std::vector<std::string>& args, const ProcessOptions& options)
    : stdin_data_(options.stdin_data), stdout_limit_(options.stdout_limit) {
  int in[2], out[2], err[2];
  make_pipe(in);
  make_pipe(err);
  if (options.stdout_path.empty()) {
    make_pipe(out);
  } else {
    out[0] = -1;
    out[1] = open(options.stdout_path.c_str(), O_WRONLY | O_CLOEXEC);
    if (out[1] < 0) throw std::runtime_error("cannot open " + options.stdout_path);
  }
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) exec_child(args, options, in[0], out[1], err[1]);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  fcntl(stdin_fd_, F_SETFL, O_NONBLOCK);
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  for (const int fd : {stdin_fd_, stdout_fd_, stderr_fd_}) {
    if (fd >= 0) close(fd);
  }
}

void ChildProcess::send_signal(int signal) { kill(pid_, signal); }

ProcessResult ChildProcess::wait(std::chrono::seconds guard) {
  ProcessResult result;
  std::size_t written = 0;
  if (stdin_data_.empty()) {
    close(stdin_fd_);
    stdin_fd_ = -1;
  }
  const auto deadline = std::chrono::steady_clock::now() + guard;
  char buffer[65536];
  while (stdout_fd_ >= 0 || stderr_fd_ >= 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      result.err += "\n[test guard: child killed after timeout]";
      break;
    }
    pollfd fds[3] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}, {stdin_fd_, POLLOUT, 0}};
    if (poll(fds, 3, 1000) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(got));
      }
      const bool enough = i == 0 && result.out.size() >= stdout_limit_;
      if (enough) result.out.resize(stdout_limit_);  // a reader that stops early, as head -c
      if (enough || got == 0 || (got < 0 && errno != EINTR)) {
        close(fds[i].fd);
        (i == 0 ? stdout_fd_ : stderr_fd_) = -1;
      }
    }
    if (stdin_fd_ >= 0 && fds[2].revents != 0) {
      const ssize_t put =
          write(stdin_fd_, stdin_data_.data() + written, stdin_data_.size() - written);
      if (put > 0) written += static_cast<std::size_t>(put);
      if (put < 0 || written == stdin_data_.size()) {
        close(stdin_fd_);
        stdin_fd_ = -1;
      }
    }
  }
  int status = 0;
  rusage usage{};
  wait4(pid_, &status, 0, &usage);
  reaped_ = true;
  result.max_rss_kb = usage.ru_maxrss;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

ProcessResult run_narrate(const std::vector<std::string>& args, const ProcessOptions& options) {
  std::vector<std::string> argv{narrate_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child(argv, options);
  return child.wait();
}

}  // namespace narrator::test
