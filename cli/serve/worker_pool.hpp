// worker_pool.hpp: the server's long-lived worker processes and the bounded queue in front of them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sentence_permits.hpp"

namespace narrator::cli::serve {

struct PoolSettings {
  std::string program;  // the narrate binary, run as `narrate serve-worker`
  int workers = 1;
  int permits = 1;  // sentences synthesized at once, over all workers (-j)
  int queue = 16;   // requests that may wait for a worker; more get kQueueFull
  std::map<std::string, std::string> lexicons;  // --lexicon NAME=FILE, passed to each worker
  std::string default_voice = "rms";
  std::chrono::milliseconds start_timeout{60000};  // for a worker to load the engine
};

// A worker lent to one request: its control socket is the request's alone until release().
struct Lease {
  std::size_t slot = 0;
  int control_fd = -1;
  pid_t pid = -1;
};

class WorkerPool {
 public:
  // Starts every worker and waits until each has loaded the engine. Throws Error(kUsage) with the
  // worker's own message when one cannot (an unknown voice, a bad lexicon file), Error(kInternal)
  // when a worker cannot be started.
  explicit WorkerPool(PoolSettings settings);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Closes every control socket (the workers end), then reaps them, killing one that lingers.
  ~WorkerPool();

  enum class Wait { kGot, kQueueFull, kTimedOut, kClosed };
  // An idle worker, first come first served: at once when one is idle and none waits; else the
  // caller queues until one is, or `deadline` passes, or the pool is closed. kQueueFull at once
  // when `queue` requests already wait.
  Wait acquire(Lease& lease, std::chrono::steady_clock::time_point deadline);

  // Gives the worker back. `healthy` false (it died, or its job was cut off uncleanly): it is
  // killed if still alive and a new one started in its place, counted as a restart.
  void release(const Lease& lease, bool healthy);

  // Ends the waits and refuses further acquisitions (kClosed), and kills the busy workers: the
  // end of the drain's grace period.
  void close();

  // The voices the workers offer, as the first worker reported them (a JSON array).
  std::string voices_json() const;

  // The sentence scheduler the leased workers ask for permits (see sentence_permits.hpp).
  SentencePermits& permits() noexcept { return permits_; }

  int size() const noexcept { return static_cast<int>(slots_.size()); }
  int busy() const;
  int queued() const;
  std::uint64_t restarts() const;
  // A job's own process died (the worker forks one per job) and the worker lived on: counted.
  void job_crashed();
  std::uint64_t job_crashes() const;
  // Every worker is up (none is being restarted) and the pool is open.
  bool ready() const;

 private:
  enum class State { kIdle, kBusy, kRestarting };
  struct Slot {
    pid_t pid = -1;
    int control_fd = -1;
    State state = State::kIdle;
  };

  // Starts a worker into `slot` and waits for its ready message. Throws as the constructor does.
  void start(Slot& slot);
  static void stop(Slot& slot);
  void supervise();
  bool idle_alive(Slot& slot);

  PoolSettings settings_;
  std::vector<Slot> slots_;
  std::string voices_json_;
  SentencePermits permits_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::uint64_t> waiting_;  // tickets, in arrival order
  std::uint64_t next_ticket_ = 0;
  std::uint64_t restarts_ = 0;
  std::uint64_t job_crashes_ = 0;
  bool closed_ = false;
  bool ending_ = false;  // the destructor: the supervisor stops
  std::thread supervisor_;
};

}  // namespace narrator::cli::serve
