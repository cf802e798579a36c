// signal_watcher.hpp: turns the signals that ask a process to stop into a cancellation.
//
// SIGINT, SIGTERM, SIGHUP (a closed terminal or ssh session), SIGQUIT, SIGXCPU (a CPU-time
// limit), SIGUSR1, SIGUSR2 and SIGALRM all stop narrate the same way: the narration is cancelled,
// the sink removes its temporary file, an older file at the output path is left as it was, and
// main() exits with status 130. SIGPIPE and SIGXFSZ are ignored, so that a closed pipe and a
// file-size limit (ulimit -f) reach the writer as EPIPE and EFBIG write errors, reported like any
// other failed write.
//
// The stop signals are blocked before main() (a constructor that runs before the libraries'
// static initializers), so every thread inherits the mask. Construct the watcher first in main(),
// before any other thread starts: it reads the signals from a signalfd on its own thread, where
// it can safely cancel the narration. If main() is stuck in a blocking read (an article on a
// terminal's stdin) and does not finish within the grace period, the watcher removes the pending
// temporary files and ends the process with status 130.
#pragma once

#include <thread>

#include "narrator/cancel_token.hpp"

namespace narrator::cli {

class SignalWatcher {
 public:
  explicit SignalWatcher(CancelSource& cancel);
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;
  ~SignalWatcher();

 private:
  enum class Event { kSignal, kWake, kTimeout };
  void run();
  Event wait(int timeout_ms) const;  // timeout_ms < 0: no limit

  CancelSource& cancel_;
  int signal_fd_ = -1;  // delivers the blocked stop signals
  int wake_fd_ = -1;    // an eventfd: written by the destructor to end the thread
  std::thread thread_;
};

}  // namespace narrator::cli
