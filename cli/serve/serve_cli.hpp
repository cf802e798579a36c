// serve_cli.hpp: the command-line options of `narrate serve` and of its hidden worker command.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "serve_options.hpp"

namespace narrator::cli::serve {

// Adds `serve` and the hidden `serve-worker` to `app`; `chosen(worker)` is called when one of
// them is the command given. NARRATOR_SERVE_TEST_HOOKS=1 in the environment turns the test hooks
// on: a worker that dies at once (the field test_crash, TestCrash on Polly's route) or a job's
// process that dies once N sentences' audio has streamed (the header
// X-Narrator-Test-Crash-After-Sentences: N; job.hpp).
void add_serve_commands(CLI::App& app, ServeOptions& serve, ServeWorkerOptions& worker,
                        const std::function<void(bool worker)>& chosen);

// Runs the worker command; returns its exit status: 1 when the engine could not be loaded (the
// server has the message, and prints it).
int run_serve_worker_command(const ServeWorkerOptions& options);

}  // namespace narrator::cli::serve
