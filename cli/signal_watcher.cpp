#include "signal_watcher.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <string_view>

#include "narrator/audio/pending_file.hpp"

namespace narrator::cli {
namespace {

// How long main() gets to unwind after a signal before the watcher exits the process itself.
constexpr std::chrono::milliseconds kGracePeriod{3000};
constexpr int kInterruptedStatus = 130;

// Every signal whose default action ends the process and that a user, a terminal, a job runner
// or a resource limit sends to ask for a stop. SIGXFSZ is not one: it is ignored (see header).
constexpr std::array kStopSignals{SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
                                  SIGXCPU, SIGUSR1, SIGUSR2, SIGALRM};

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : kStopSignals) sigaddset(&set, signal);
  return set;
}

// Blocks the stop signals before main() and before any static initializer of the libraries runs,
// so that a signal in the first milliseconds waits, pending, for the watcher instead of ending the
// process by that signal. Only the dynamic loader's own work comes before this. A write past a
// file-size limit or into a closed pipe becomes an error code, never a silent death.
[[gnu::constructor(101)]] void block_stop_signals_early() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // EPIPE
  std::signal(SIGXFSZ, SIG_IGN);  // EFBIG
}

}  // namespace

SignalWatcher::SignalWatcher(CancelSource& cancel) : cancel_(cancel) {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal_fd_ = ::signalfd(-1, &set, SFD_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC);
  if (signal_fd_ < 0 || wake_fd_ < 0) {
    // Without a watcher the signals must keep their default action rather than be lost.
    if (signal_fd_ >= 0) ::close(signal_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    signal_fd_ = wake_fd_ = -1;
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    return;
  }
  thread_ = std::thread([this] { run(); });
}

SignalWatcher::~SignalWatcher() {
  if (!thread_.joinable()) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(signal_fd_);
  ::close(wake_fd_);
}

SignalWatcher::Event SignalWatcher::wait(int timeout_ms) const {
  std::array<pollfd, 2> fds{{{wake_fd_, POLLIN, 0}, {signal_fd_, POLLIN, 0}}};
  for (;;) {
    const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Event::kTimeout;
    if (ready < 0 || (fds[0].revents & POLLIN) != 0) return Event::kWake;
    return Event::kSignal;
  }
}

void SignalWatcher::run() {
  for (;;) {
    if (wait(-1) != Event::kSignal) return;  // the process is done
    signalfd_siginfo info{};
    if (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) break;
  }
  cancel_.cancel();
  // main() now unwinds and the destructor's wake-up ends the wait. Should it not come in time
  // (a later stop signal does not shorten the wait):
  const auto deadline = std::chrono::steady_clock::now() + kGracePeriod;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const Event event = wait(static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (event == Event::kWake) return;
    if (event == Event::kTimeout) break;
    signalfd_siginfo info{};
    [[maybe_unused]] const ssize_t got = ::read(signal_fd_, &info, sizeof info);
  }
  remove_pending_files();  // destructors will not run: take the temporary files with us
  constexpr std::string_view kMessage = "narrate: interrupted\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, kMessage.data(), kMessage.size());
  _exit(kInterruptedStatus);
}

}  // namespace narrator::cli
