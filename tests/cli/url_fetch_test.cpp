// Articles given as URLs, against a loopback HTTP server of the test's own (a thread on a port the
// OS picks): fetch_url() alone, then narrate end to end. Offline; nothing waits on the clock but
// the timeout case, whose server never answers.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "charset.hpp"
#include "narrator/error.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "url_fetcher.hpp"

namespace narrator {
namespace {

// Hermetic: a proxy named in the environment (http_proxy, as CI machines may set) is never asked
// for the loopback server, in this process or in the narrate processes it starts. Set before any
// test starts a thread.
class NoProxy : public ::testing::Environment {
 public:
  void SetUp() override { ::setenv("NO_PROXY", "*", 1); }
};
[[maybe_unused]] const ::testing::Environment* const kNoProxy =
    ::testing::AddGlobalTestEnvironment(new NoProxy);

// A listening TCP socket on 127.0.0.1 and a port the OS chose.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(fd_);
      throw std::runtime_error("cannot listen on the loopback interface");
    }
    port_ = ntohs(address.sin_port);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  ~Listener() { ::close(fd_); }

  int fd() const noexcept { return fd_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

struct Reply {
  std::string status = "200 OK";
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

// An HTTP/1.1 server answering GET requests from a table of paths (404 for any other), one
// connection at a time, each closed after its answer. It keeps every request's head.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::map<std::string, Reply> routes)
      : routes_(std::move(routes)), thread_([this] { serve(); }) {}
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  ~LoopbackServer() {
    ::shutdown(listener_.fd(), SHUT_RDWR);  // wakes accept()
    thread_.join();
  }

  std::string url(const std::string& path) const { return listener_.url(path); }
  std::vector<std::string> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (true) {
      const int connection = ::accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) return;  // shut down
      answer(connection);
      ::close(connection);
    }
  }

  void answer(int connection) {
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      const ssize_t got = ::recv(connection, buffer, sizeof buffer, 0);
      if (got <= 0) return;
      head.append(buffer, static_cast<std::size_t>(got));
    }
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(head);
    }
    const std::size_t path_begin = head.find(' ') + 1;
    const std::string path = head.substr(path_begin, head.find(' ', path_begin) - path_begin);
    const auto route = routes_.find(path);
    const Reply reply = route != routes_.end() ? route->second : Reply{"404 Not Found", {}, "no"};
    std::string response = "HTTP/1.1 " + reply.status +
                           "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                           "\r\nConnection: close\r\n";
    for (const std::string& header : reply.headers) response += header + "\r\n";
    response += "\r\n" + reply.body;
    for (std::size_t sent = 0; sent < response.size();) {
      const ssize_t wrote =
          ::send(connection, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (wrote <= 0) return;  // the client gave up (the size limit)
      sent += static_cast<std::size_t>(wrote);
    }
  }

  Listener listener_;
  const std::map<std::string, Reply> routes_;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;  // last: starts once the members above exist
};

const std::string kStory =
    "<html><body><article><h1>Harbour reopens</h1><p>The harbour reopened on Tuesday after the "
    "storm.</p></article></body></html>";

// gzip of "<html><body><p>The harbour reopened on Tuesday after the storm.</p></body></html>".
const std::string kGzippedStory(
    "\x1F\x8B\x08\x00\x00\x00\x00\x00\x02\x03\x25\xCC\xC1\x0D\xC0\x20\x08\x40\xD1\x55\x98\xA0\x2C"
    "\x40\x98\xC2\x05\x34\xD2\x70\xA8\x62\x10\x0F\x6E\x6F\xD3\xDE\xFF\xFB\xA4\xD1\x1E\xA6\x62\x75"
    "\x33\x0D\x4E\x2A\xA0\xD9\x8B\x2D\x07\x17\x1B\xD2\xA5\x82\x75\x48\x4B\x66\xCD\x1B\xF2\x1D\xE2"
    "\x10\x6F\x35\xC3\xBC\x5D\x84\x83\x09\x7F\x8D\xDF\xEA\x00\xAA\x05\x8E\x53\x51\x00\x00\x00",
    91);

// What fetch_url() threw, or "" when it did not.
std::string fetch_error(const std::string& url, const cli::FetchOptions& options,
                        ErrorCategory expected = ErrorCategory::kInput) {
  try {
    cli::fetch_url(url, options);
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), expected) << error.what();
    return error.what();
  }
  return "";
}

TEST(UrlFetch, RecognizesHttpAndHttpsUrls) {
  EXPECT_TRUE(cli::is_url("https://example.org/story.html"));
  EXPECT_TRUE(cli::is_url("HTTP://example.org/"));
  EXPECT_FALSE(cli::is_url("story.html"));
  EXPECT_FALSE(cli::is_url("ftp://example.org/story.txt"));
  EXPECT_FALSE(cli::is_url("http://"));
}

TEST(UrlFetch, FollowsRedirects) {
  const LoopbackServer server({{"/old", {"301 Moved Permanently", {"Location: /moved"}, ""}},
                               {"/moved", {"302 Found", {"Location: /story.html"}, ""}},
                               {"/story.html", {"200 OK", {"Content-Type: text/html"}, kStory}}});
  const cli::FetchedPage page = cli::fetch_url(server.url("/old"), {});
  EXPECT_EQ(page.body, kStory);
  EXPECT_EQ(page.url, server.url("/story.html"));
  EXPECT_EQ(page.redirects, 2);
  EXPECT_EQ(page.content_type, "text/html");
}

TEST(UrlFetch, StopsAnEndlessRedirect) {
  const LoopbackServer server({{"/loop", {"302 Found", {"Location: /loop"}, ""}}});
  cli::FetchOptions options;
  options.max_redirects = 3;
  const std::string message = fetch_error(server.url("/loop"), options);
  EXPECT_NE(message.find(server.url("/loop") + ": cannot fetch the page: redirected more than 3 "
                                               "times"),
            std::string::npos)
      << message;
  EXPECT_EQ(server.requests().size(), 4u);  // the first and three redirects
}

TEST(UrlFetch, HttpErrorNamesTheStatusAndTheUrl) {
  const LoopbackServer server({});
  const std::string url = server.url("/missing.html");
  EXPECT_EQ(fetch_error(url, {}), url + ": the server answered HTTP 404; check the address");
}

TEST(UrlFetch, ServerThatNeverAnswersTimesOut) {
  const Listener silent;  // connections wait in its backlog; nothing ever answers
  cli::FetchOptions options;
  options.total_timeout = std::chrono::milliseconds(300);
  const std::string message = fetch_error(silent.url("/story.html"), options);
  EXPECT_NE(message.find("no complete answer within 300 ms (timed out)"), std::string::npos)
      << message;
}

TEST(UrlFetch, RefusesABodyOverTheLimit) {
  const LoopbackServer server({{"/big.html", {"200 OK", {}, std::string(5000, 'a')}}});
  cli::FetchOptions options;
  options.max_bytes = 1000;
  const std::string message = fetch_error(server.url("/big.html"), options);
  EXPECT_NE(message.find("the page is larger than 1000 bytes"), std::string::npos) << message;
}

TEST(UrlFetch, AsksForGzipAndDecodesIt) {
  const LoopbackServer server(
      {{"/story.html",
        {"200 OK", {"Content-Type: text/html", "Content-Encoding: gzip"}, kGzippedStory}}});
  const cli::FetchedPage page = cli::fetch_url(server.url("/story.html"), {});
  EXPECT_EQ(page.body,
            "<html><body><p>The harbour reopened on Tuesday after the storm.</p></body></html>");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_NE(server.requests().front().find("Accept-Encoding:"), std::string::npos);
  EXPECT_NE(server.requests().front().find("gzip"), std::string::npos);
}

TEST(UrlFetch, CancelledBeforeTheAnswer) {
  const Listener silent;
  CancelSource cancel;
  cancel.cancel();
  try {
    cli::fetch_url(silent.url("/story.html"), {}, cancel.token());
    FAIL() << "a cancelled fetch went on";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kCancelled) << error.what();
  }
}

// --- narrate with a URL ---

const std::string kBelarusian =
    "Гарадскі савет сабраўся ў аўторак, каб абмеркаваць новы бюджэт горада на наступны год.";

TEST(NarrateUrl, ReadsThePageInTheServersCharset) {
  // No <meta>: only the header names windows-1251 (a guess from so short a text could fail).
  const LoopbackServer server(
      {{"/naviny",
        {"200 OK",
         {"Content-Type: text/html; charset=windows-1251"},
         test::encode("<html><body><p>" + kBelarusian + "</p></body></html>", "windows-1251")}}});
  const test::ProcessResult result = test::run_narrate({"script", server.url("/naviny")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, kBelarusian + "\n");
  // --explain says what chose the encoding.
  const test::ProcessResult explained =
      test::run_narrate({"script", "--explain", server.url("/naviny")});
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_NE(explained.out.find(": read as windows-1251 (from the server's Content-Type charset)\n"),
            std::string::npos)
      << explained.out;
}

TEST(NarrateUrl, RedirectedGzippedPageGoesThroughTheHtmlReader) {
  const LoopbackServer server(
      {{"/latest", {"302 Found", {"Location: /2025/story"}, ""}},
       {"/2025/story",
        {"200 OK",
         {"Content-Type: text/html; charset=utf-8", "Content-Encoding: gzip"},
         kGzippedStory}}});
  const test::ProcessResult result = test::run_narrate({"script", server.url("/latest")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "The harbour reopened on Tuesday after the storm.\n");
}

TEST(NarrateUrl, HttpFailureIsAnInputErrorAndWritesNothing) {
  const LoopbackServer server({});
  const test::TempDir dir;
  const std::string output = dir.file("story.wav");
  test::write_file(output, "older");
  const std::string url = server.url("/gone.html");
  const test::ProcessResult result = test::run_narrate({url, "--voice", "en-us", "-o", output});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("narrate: error: " + url + ": the server answered HTTP 404"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(test::read_file(output), "older");
}

TEST(NarrateUrl, TheManifestNamesTheUrl) {
  const LoopbackServer server({{"/story.html", {"200 OK", {"Content-Type: text/html"}, kStory}}});
  const test::TempDir dir;
  const std::string url = server.url("/story.html");
  const test::ProcessResult result =
      test::run_narrate({url, "--voice", "en-us", "-q", "-o", dir.file("story.wav"), "--manifest",
                         dir.file("story.json")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(test::read_file(dir.file("story.json")).find("\"path\": \"" + url + "\""),
            std::string::npos);
}

}  // namespace
}  // namespace narrator
