#include "loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>
#include <stdexcept>

#include "temp_dir.hpp"

namespace narrator::test {
namespace {

constexpr int kWakeupMs = 100;           // how often the accept loop looks at its stop token
constexpr int kRequestTimeoutMs = 5000;  // a request's headers must arrive within this

std::string content_type(const std::filesystem::path& path) {
  const std::string extension = path.extension().string();
  if (extension == ".html" || extension == ".htm") return "text/html; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".jsonl" || extension == ".json") return "application/json";
  if (extension == ".wav") return "audio/wav";
  if (extension == ".mp3") return "audio/mpeg";
  return "application/octet-stream";
}

void write_all(int fd, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the browser closed the connection (it had what it needed)
    written += static_cast<std::size_t>(n);
  }
}

std::string read_headers(int fd) {
  std::string request;
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, kRequestTimeoutMs) <= 0) break;
    char chunk[4096];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    request.append(chunk, static_cast<std::size_t>(n));
  }
  return request;
}

}  // namespace

LoopbackServer::LoopbackServer(std::filesystem::path root) : root_(std::move(root)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string why = std::strerror(errno);
    ::close(listener_);
    throw std::runtime_error("cannot listen on 127.0.0.1: " + why);
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::jthread([this](std::stop_token stop) { serve(stop); });
}

LoopbackServer::~LoopbackServer() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
  ::close(listener_);
}

std::string LoopbackServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/";
}

void LoopbackServer::serve(std::stop_token stop) {
  while (!stop.stop_requested()) {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, kWakeupMs) <= 0) continue;
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    answer(connection);
    ::close(connection);
  }
}

// GET of a file under the root, with single byte ranges (media elements seek with them).
void LoopbackServer::answer(int connection) const {
  const std::string request = read_headers(connection);
  std::smatch line;
  static const std::regex kRequestLine(R"(^GET (/[^ ?#]*)[^ ]* HTTP/1\.[01]\r\n)");
  if (!std::regex_search(request, line, kRequestLine) ||
      line[1].str().find("..") != std::string::npos) {
    write_all(connection, "HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  const std::filesystem::path path = root_ / line[1].str().substr(1);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    write_all(connection, "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  const std::string body = read_file(path);
  std::size_t first = 0;
  std::size_t last = body.empty() ? 0 : body.size() - 1;
  std::string status = "200 OK";
  std::smatch range;
  static const std::regex kRange(R"(\r\nRange: bytes=(\d+)-(\d*)\r\n)", std::regex::icase);
  if (std::regex_search(request, range, kRange) && std::stoull(range[1]) < body.size()) {
    first = std::stoull(range[1]);
    if (range[2].length() > 0) last = std::min<std::size_t>(last, std::stoull(range[2]));
    status = "206 Partial Content";
  }
  const std::string part = body.empty() ? "" : body.substr(first, last - first + 1);
  std::string head = "HTTP/1.1 " + status + "\r\nContent-Type: " + content_type(path);
  head += "\r\nContent-Length: " + std::to_string(part.size());
  head += "\r\nAccept-Ranges: bytes\r\nCache-Control: no-store\r\nConnection: close\r\n";
  if (status[0] == '2' && status[1] == '0' && status[2] == '6') {
    head += "Content-Range: bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
            std::to_string(body.size()) + "\r\n";
  }
  write_all(connection, head + "\r\n" + part);
}

}  // namespace narrator::test
