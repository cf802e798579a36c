#include "signal_watcher.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <string_view>

#include "narrator/audio/pending_file.hpp"

namespace narrator::cli {
namespace {

constexpr std::chrono::milliseconds kPollInterval{50};
// How long main() gets to unwind after a signal before the watcher exits the process itself.
constexpr std::chrono::milliseconds kGracePeriod{3000};
constexpr int kInterruptedStatus = 130;

// SIGUSR2 only wakes the watcher when the process is done, so that exit never waits for a poll.
constexpr int kWakeSignal = SIGUSR2;

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, kWakeSignal);
  return set;
}

timespec to_timespec(std::chrono::milliseconds duration) {
  return timespec{static_cast<time_t>(duration.count() / 1000),
                  static_cast<long>(duration.count() % 1000) * 1000000L};
}

// Blocks the stop signals before main() and before any static initializer of the libraries runs,
// so that a signal in the first milliseconds waits, pending, for the watcher instead of ending the
// process by that signal. Only the dynamic loader's own work comes before this.
[[gnu::constructor(101)]] void block_stop_signals_early() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

SignalWatcher::SignalWatcher(CancelSource& cancel) : cancel_(cancel) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout pipe becomes an EPIPE write error
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

SignalWatcher::~SignalWatcher() {
  thread_.request_stop();
  pthread_kill(thread_.native_handle(), kWakeSignal);
  thread_.join();
}

void SignalWatcher::run(std::stop_token stop) {
  const sigset_t set = stop_signals();
  const timespec poll = to_timespec(kPollInterval);
  bool caught = false;
  while (!stop.stop_requested()) {
    const int signal = sigtimedwait(&set, nullptr, &poll);
    if (signal <= 0 || signal == kWakeSignal) continue;  // timeout, EINTR or the wake-up
    caught = true;
    cancel_.cancel();
    break;
  }
  if (!caught) return;
  const auto deadline = std::chrono::steady_clock::now() + kGracePeriod;
  while (!stop.stop_requested()) {
    if (std::chrono::steady_clock::now() > deadline) {
      remove_pending_files();  // destructors will not run: take the temporary files with us
      constexpr std::string_view kMessage = "narrate: interrupted\n";
      [[maybe_unused]] const ssize_t written =
          ::write(STDERR_FILENO, kMessage.data(), kMessage.size());
      _exit(kInterruptedStatus);
    }
    const timespec wait = poll;
    nanosleep(&wait, nullptr);
  }
}

}  // namespace narrator::cli
