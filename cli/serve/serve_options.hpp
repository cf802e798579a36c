// serve_options.hpp: the options of `narrate serve` and of its hidden worker command.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace narrator::cli::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";               // --listen ADDR:PORT
  int port = 5002;                              // 0: a free port, printed when listening
  int jobs = 0;                                 // -j: sentences synthesized at once; 0: cores
  int workers = 0;                              // --workers: worker processes; 0: 2 x jobs
  int queue = 16;                               // --queue: requests that may wait for a worker
  std::map<std::string, std::string> lexicons;  // --lexicon NAME=FILE
  std::string default_voice = "rms";            // --voice: what a request without one gets
  std::chrono::seconds grace{30};               // --grace: the drain after SIGTERM
  std::size_t max_body_bytes = 2u << 20;        // --max-body
  std::size_t max_chars = 500000;               // --max-chars; 0: no limit but the body's
  std::chrono::seconds request_timeout{600};    // --request-timeout: a whole request
  std::chrono::seconds header_timeout{10};      // --header-timeout: the request line and headers
  std::chrono::seconds read_timeout{10};        // --read-timeout: each read of a body
  std::optional<std::string> tokens_file;       // --tokens FILE
  std::optional<std::string> aws_keys_file;     // --aws-keys FILE
  std::string program;      // the narrate binary the workers run; empty: /proc/self/exe
  bool test_hooks = false;  // NARRATOR_SERVE_TEST_HOOKS=1 in the environment
};

// `narrate serve-worker`: started by the server only.
struct ServeWorkerOptions {
  int control_fd = -1;
  std::map<std::string, std::string> lexicons;
  std::string default_voice = "rms";
};

}  // namespace narrator::cli::serve
