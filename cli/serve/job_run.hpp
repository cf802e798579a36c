// job_run.hpp: one job on a worker lent to a request, as the request's HTTP thread sees it: the
// job sent with a fresh pipe, the body read from the pipe as the worker writes it, then the
// worker's result; the worker given back to the pool whatever happened.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "job.hpp"
#include "worker_pool.hpp"

namespace narrator::cli::serve {

class JobRun {
 public:
  using Clock = std::chrono::steady_clock;

  // `deadline`: the request's end (--request-timeout); a worker still busy then is restarted.
  JobRun(WorkerPool& pool, Lease lease, Clock::time_point deadline);
  JobRun(const JobRun&) = delete;
  JobRun& operator=(const JobRun&) = delete;
  ~JobRun();  // finish()

  // Sends `job` to the worker. Throws Error(kInternal) when the worker has gone.
  void start(const Job& job);

  enum class Event {
    kData,        // `data` holds the next bytes of the body
    kEnd,         // the body is complete: result() says whether the job succeeded
    kTimeout,     // the deadline passed
    kClientGone,  // `client_socket` was closed by the client
  };
  // Waits for the next bytes of the body. `client_socket` (or -1) is watched so that a client
  // that hangs up while the worker thinks is noticed at once.
  Event next(std::string& data, int client_socket);

  // After kEnd: the worker's result ({"ok":..., "audio_ms":..., "category":..., "message":...}),
  // or nullopt when the worker died without one (it is restarted). A job whose own process died
  // has a failure with "crashed": true (counted in WorkerPool::job_crashes(); the worker is fine).
  std::optional<nlohmann::json> result();

  // Gives the worker back. A job not run to its end is abandoned first: the pipe is closed, so
  // the worker stops at its next write (or sooner, watching the pipe), and its result is awaited
  // briefly; a worker that does not answer is restarted.
  void finish();

 private:
  // Reads the worker's frames until its result, passing permit frames to the scheduler. Nullopt
  // when the worker died or `deadline` passed first.
  std::optional<nlohmann::json> read_result(Clock::time_point deadline);
  // One frame from the worker (it is readable): a permit frame is passed on, the result is kept
  // in result_. False when the worker has died.
  bool take_frame();
  void ended(bool healthy);

  WorkerPool& pool_;
  Lease lease_;
  Clock::time_point deadline_;
  int pipe_ = -1;          // the read end of the body's pipe
  bool answered_ = false;  // the worker's result was read (or it is known to have died)
  bool healthy_ = true;
  bool released_ = false;
  std::optional<nlohmann::json> result_;  // the result, when it came before the body's end
  bool control_done_ = false;             // nothing more to read on the control socket
};

}  // namespace narrator::cli::serve
