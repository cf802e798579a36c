// server.hpp: `narrate serve`: the HTTP server, its routes and its worker pool.
//
// Routes (README.md, "Serving over HTTP"): the native API (POST /v1/narrations, /v1/marks,
// /v1/script, /v1/estimate), Amazon Polly's SynthesizeSpeech (POST /v1/speech) and DescribeVoices
// (GET /v1/voices), OpenAI's POST /v1/audio/speech, and /healthz, /readyz and /metrics. Audio
// streams back with chunked transfer as a worker makes it.
#pragma once

#include <memory>
#include <string>

#include "serve_options.hpp"

namespace narrator::cli::serve {

class Server {
 public:
  // Starts the workers (each loads the engine) and binds the address. Throws Error(kUsage) for a
  // non-loopback address without authentication, a bad option value, or a worker that cannot load
  // the engine (with its message); Error(kOutput) when the address cannot be bound.
  explicit Server(ServeOptions options);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // The port bound (the one chosen when --listen gave port 0).
  int port() const noexcept;
  // "http://127.0.0.1:5002"
  std::string url() const;

  // Serves until drain() is called and the requests in flight have ended. Call once.
  void run();

  // Stops accepting connections: /readyz answers 503, idle connections close, each busy one
  // closes after its response. run() returns once the requests in flight have ended.
  void drain();
  // The grace period is over: the requests still running are cut off (their workers killed) and
  // the waiting ones refused, so that run() returns promptly.
  void cut_off();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// `narrate serve`: runs the server until SIGTERM or SIGINT, then drains for up to --grace seconds.
// Prints "narrate serve: listening on URL" on stderr once it accepts connections, and one JSON
// access-log line per request.
void run_serve(const ServeOptions& options);

}  // namespace narrator::cli::serve
