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
  // or nullopt when the worker died without one (it is restarted).
  std::optional<nlohmann::json> result();

  // Gives the worker back. A job not run to its end is abandoned first: the pipe is closed, so
  // the worker stops at its next write (or sooner, watching the pipe), and its result is awaited
  // briefly; a worker that does not answer is restarted.
  void finish();

 private:
  WorkerPool& pool_;
  Lease lease_;
  Clock::time_point deadline_;
  int pipe_ = -1;          // the read end of the body's pipe
  bool answered_ = false;  // the worker's result was read (or it is known to have died)
  bool healthy_ = true;
  bool released_ = false;
};

}  // namespace narrator::cli::serve
