#include "http_transport.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>

namespace narrator::cli::serve {
namespace {

using Clock = std::chrono::steady_clock;

thread_local Exchange* current = nullptr;

constexpr std::size_t kReadBufferBytes = 16384;

// Waits for `events` on `fd` until `deadline`; false when it passed first.
bool wait_for(int fd, short events, Clock::time_point deadline, int also_fd = -1) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    std::array<pollfd, 2> fds{{{fd, events, 0}, {also_fd, POLLIN, 0}}};
    const int ready =
        ::poll(fds.data(), also_fd >= 0 ? 2 : 1, static_cast<int>(std::max<long long>(left, 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    return fds[0].revents != 0;
  }
}

std::string address_of(const sockaddr_storage& address, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    port = ntohs(in->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    port = ntohs(in6->sin6_port);
  }
  return text;
}

// A connection's socket as httplib reads and writes it, with narrate's limits.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(int socket, const ConnectionLimits& limits) : socket_(socket), limits_(limits) {
    exchange_.socket = socket;
  }

  // A new request on the connection.
  void begin_request() {
    exchange_ = Exchange{};
    exchange_.socket = socket_;
    head_done_ = false;
    head_bytes_ = 0;
    window_ = 0;
    failure_ = 0;
  }
  bool has_buffered() const noexcept { return begin_ < end_; }
  // 408 or 431 when the request head broke a limit; 0 otherwise.
  int head_failure() const noexcept { return failure_; }
  Exchange& exchange() noexcept { return exchange_; }

  bool is_readable() const override {
    return has_buffered() || wait_for(socket_, POLLIN, Clock::now() + limits_.read_timeout);
  }
  bool is_writable() const override {
    return wait_for(socket_, POLLOUT, Clock::now() + limits_.write_timeout);
  }

  ssize_t read(char* data, size_t size) override {
    if (failure_ != 0) return -1;
    if (!has_buffered() && !fill()) return -1;
    std::size_t count = std::min(size, end_ - begin_);
    if (!head_done_) count = take_head(count);
    std::memcpy(data, buffer_.data() + begin_, count);
    begin_ += count;
    return static_cast<ssize_t>(count);
  }

  ssize_t write(const char* data, size_t size) override {
    // httplib answers a head it could not read with a bare 400; the transport answers instead.
    if (failure_ != 0) return static_cast<ssize_t>(size);
    return send_all(data, size);
  }

  // Writes to the socket, past httplib.
  ssize_t send_all(const char* data, size_t size) {
    // "100 Continue" (curl asks for it before a larger body) is not the response's first byte.
    const bool interim = std::string_view(data, size).starts_with("HTTP/1.1 100 ");
    if (!exchange_.responded && !interim) {
      exchange_.responded = true;
      exchange_.first_byte = Clock::now();
    }
    std::size_t done = 0;
    while (done < size) {
      if (!wait_for(socket_, POLLOUT, Clock::now() + limits_.write_timeout)) return -1;
      const ssize_t sent = ::send(socket_, data + done, size - done, MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return -1;
      }
      done += static_cast<std::size_t>(sent);
    }
    exchange_.bytes_written += done;
    return static_cast<ssize_t>(done);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      ip = address_of(address, port);
    }
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      ip = address_of(address, port);
    }
  }
  socket_t socket() const override { return socket_; }

 private:
  // Receives more bytes, within the head's deadline while the head is being read.
  bool fill() {
    Clock::time_point deadline = Clock::now() + limits_.read_timeout;
    if (!head_done_) deadline = std::min(deadline, head_deadline_);
    if (!wait_for(socket_, POLLIN, deadline)) {
      if (!head_done_ && head_bytes_ > 0) fail_head(408);
      if (head_done_) exchange_.body_timed_out = true;
      return false;
    }
    for (;;) {
      const ssize_t got = ::recv(socket_, buffer_.data(), buffer_.size(), 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      begin_ = 0;
      end_ = static_cast<std::size_t>(got);
      return true;
    }
  }

  // Of `count` buffered bytes of the head, how many to hand over: up to its blank line.
  std::size_t take_head(std::size_t count) {
    if (head_bytes_ == 0) {
      exchange_.started = Clock::now();
      head_deadline_ = exchange_.started + limits_.header_timeout;
    }
    for (std::size_t i = 0; i < count; ++i) {
      window_ = (window_ << 8) | static_cast<unsigned char>(buffer_[begin_ + i]);
      ++head_bytes_;
      if ((window_ & 0xFFFFFFFFu) == 0x0D0A0D0Au || (window_ & 0xFFFFu) == 0x0A0Au) {
        head_done_ = true;
        return i + 1;
      }
      if (head_bytes_ > limits_.max_header_bytes) {
        fail_head(431);
        return i + 1;  // httplib fails on the cut line; the transport answers 431
      }
    }
    return count;
  }

  void fail_head(int status) {
    failure_ = status;
    exchange_.head_failure = status;
  }

  int socket_;
  const ConnectionLimits& limits_;
  std::array<char, kReadBufferBytes> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  Exchange exchange_;
  bool head_done_ = false;
  std::size_t head_bytes_ = 0;
  std::uint64_t window_ = 0;  // the last bytes of the head, for its blank line
  Clock::time_point head_deadline_{};
  int failure_ = 0;
};

void answer_head_failure(GuardedStream& stream, int status) {
  const bool timeout = status == 408;
  const std::string body =
      nlohmann::json{
          {"error",
           {{"code", timeout ? "request_timeout" : "header_too_large"},
            {"message", timeout ? "the request head did not arrive in time; send the request "
                                  "line and headers at once"
                                : "the request line and headers are too large"}}}}
          .dump();
  const std::string head =
      std::string("HTTP/1.1 ") + std::to_string(status) +
      (timeout ? " Request Timeout" : " Request Header Fields Too Large") +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n";
  stream.send_all(head.data(), head.size());
  stream.send_all(body.data(), body.size());
}

}  // namespace

Exchange* current_exchange() noexcept { return current; }

GuardedServer::GuardedServer(ConnectionLimits limits,
                             std::function<void(const Exchange&, int status)> unanswered)
    : limits_(limits), unanswered_(std::move(unanswered)), drain_fd_(::eventfd(0, EFD_CLOEXEC)) {}

GuardedServer::~GuardedServer() {
  if (drain_fd_ >= 0) ::close(drain_fd_);
}

void GuardedServer::drain() {
  draining_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(drain_fd_, &one, sizeof one);
  // Not stop(): httplib cuts its chunked responses short once stop() has run. A shut-down
  // listening socket fails httplib's accept(), which ends its accept loop; the loop then waits
  // for the connections in hand, streams included, and closes the socket itself.
  ::shutdown(svr_sock_, SHUT_RDWR);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  GuardedStream stream(sock, limits_);
  bool ok = true;
  for (std::size_t left = limits_.keep_alive_max_requests; left > 0; --left) {
    // A connection's first request is awaited even while draining: it was accepted.
    const bool first = left == limits_.keep_alive_max_requests;
    if (!stream.has_buffered() && !wait_for(sock, POLLIN, Clock::now() + limits_.keep_alive_timeout,
                                            first ? -1 : drain_fd_)) {
      break;  // idle past the keep-alive timeout, or draining
    }
    stream.begin_request();
    current = &stream.exchange();
    bool connection_closed = false;
    const bool close_connection = left == 1 || draining_;
    ok = process_request(stream, close_connection, connection_closed, nullptr);
    current = nullptr;
    if (const int failure = stream.head_failure(); failure != 0) {
      answer_head_failure(stream, failure);
      if (unanswered_) unanswered_(stream.exchange(), failure);
      break;
    }
    if (!ok || connection_closed || close_connection) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace narrator::cli::serve
