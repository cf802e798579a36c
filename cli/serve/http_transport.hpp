// http_transport.hpp: cpp-httplib's server with narrate's own connection handling: a deadline for
// a whole request head (against clients that send it a byte at a time), a limit on its size, a
// timeout on each read of the body, and a drain that closes idle keep-alive connections at once.
// It also keeps, per request, what the access log and the metrics need (Exchange).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace narrator::cli::serve {

struct ConnectionLimits {
  std::chrono::milliseconds header_timeout{10000};  // the request line and headers, in all
  std::chrono::milliseconds read_timeout{10000};    // each read of the body
  std::chrono::milliseconds write_timeout{30000};   // each write of the response
  std::chrono::milliseconds keep_alive_timeout{5000};
  std::size_t max_header_bytes = 16384;  // the request line and headers, in all
  std::size_t keep_alive_max_requests = 100;
};

// The request being answered on this thread: set up by the transport, filled in by the handlers.
struct Exchange {
  int socket = -1;
  std::chrono::steady_clock::time_point started{};     // the request's first byte
  std::chrono::steady_clock::time_point first_byte{};  // the response's; unset before it
  bool responded = false;
  std::uint64_t bytes_written = 0;
  std::string principal;        // who asked (authentication), empty when anonymous
  std::string request_id;       // the x-amzn-RequestId answered, for a job; empty otherwise
  int head_failure = 0;         // 408 or 431: the head broke a limit, and the transport answers
  bool body_timed_out = false;  // a read of the body waited past the read timeout
};

// The exchange on the calling thread, or nullptr outside a request.
Exchange* current_exchange() noexcept;

class GuardedServer final : public httplib::Server {
 public:
  // `unanswered` is called for a request head that timed out or was too large, after the
  // transport answered it (408 or 431) and before it closes the connection: for the log.
  GuardedServer(ConnectionLimits limits,
                std::function<void(const Exchange&, int status)> unanswered);
  ~GuardedServer() override;

  // Each busy connection closes after its response; idle ones close now.
  void drain();

 private:
  bool process_and_close_socket(socket_t sock) override;

  ConnectionLimits limits_;
  std::function<void(const Exchange&, int status)> unanswered_;
  std::atomic<bool> draining_{false};
  int drain_fd_ = -1;  // an eventfd, readable once draining
};

}  // namespace narrator::cli::serve
