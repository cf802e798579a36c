// loopback_server.hpp: a tiny HTTP/1.0 file server on 127.0.0.1 for the snippet test. The
// snippet fetches its speech marks, and browsers refuse fetch() of file: URLs, so a CMS page is
// imitated the way it is really served: over HTTP.
#pragma once

#include <filesystem>
#include <string>
#include <thread>

namespace narrator::test {

class LoopbackServer {
 public:
  // Serves GET requests for files under `root` on an ephemeral port. Throws std::runtime_error.
  explicit LoopbackServer(std::filesystem::path root);
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  ~LoopbackServer();  // stops the thread (joined) and closes the socket

  // "http://127.0.0.1:PORT/"
  std::string url() const;

 private:
  void serve(std::stop_token stop);
  void answer(int connection) const;

  std::filesystem::path root_;
  int listener_ = -1;
  int port_ = 0;
  std::jthread thread_;
};

}  // namespace narrator::test
