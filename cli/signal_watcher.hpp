// signal_watcher.hpp: turns SIGINT and SIGTERM into a cancellation.
//
// Construct it first in main(), before any other thread starts: it blocks both signals in the
// calling thread (new threads inherit the mask) and waits for them on its own thread, where it can
// safely cancel the narration. The narration then stops, the sink removes its temporary file and
// main() exits with status 130. If main() is stuck in a blocking read (an article on a terminal's
// stdin) and does not finish within the grace period, the watcher ends the process with status 130.
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
  void run(std::stop_token stop);

  CancelSource& cancel_;
  std::jthread thread_;
};

}  // namespace narrator::cli
