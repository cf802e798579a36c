// worker.hpp: a `narrate serve` worker process (the hidden `narrate serve-worker` command).
//
// A worker loads the engine once, tells the server it is ready (with the voices it offers), then
// runs one job at a time from its control socket (worker_protocol.hpp) until the server closes
// that socket. eSpeak NG keeps process-wide state, and Flite ends its process on an internal error:
// a worker per process makes requests run in parallel and keeps one bad request from taking the
// server down. The worker itself never synthesizes: each job (and each voice's loudness
// calibration) runs in a process forked from it, so that every job starts from the same eSpeak NG
// state and the same request gives the same bytes; a job whose process dies fails alone (a
// result with "crashed": true) and the worker goes on.
#pragma once

#include <map>
#include <string>

namespace narrator::cli::serve {

struct WorkerSettings {
  int control_fd = -1;
  std::map<std::string, std::string> lexicons;  // --lexicon NAME=FILE
  std::string default_voice = "rms";            // the voice loaded at start-up
  // Honour Job::test_crash (the worker dies) and Job::test_crash_after_sentences (the job's
  // process dies).
  bool test_hooks = false;
};

// Runs the worker until the server goes away. Returns the process exit status: 0 when the server
// closed the control socket, 1 when the engine could not be loaded (reported to the server first).
int run_serve_worker(const WorkerSettings& settings);

}  // namespace narrator::cli::serve
