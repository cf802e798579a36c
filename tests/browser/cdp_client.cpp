#include "cdp_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace narrator::test {
namespace {

namespace fs = std::filesystem;

// A pipe end that closes itself unless released.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

struct SpawnActions {
  posix_spawn_file_actions_t actions{};
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
};

struct SpawnAttributes {
  posix_spawnattr_t attributes{};
  SpawnAttributes() { posix_spawnattr_init(&attributes); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  }
}

std::string describe_error(const std::string& method, const nlohmann::json& error) {
  return "CDP " + method + " failed: " + error.dump();
}

}  // namespace

std::optional<std::string> find_chromium() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::stringstream folders(path);
    for (std::string folder; std::getline(folders, folder, ':');) {
      if (folder.empty()) continue;
      const fs::path candidate = fs::path(folder) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return std::nullopt;
}

std::string decode_base64(const std::string& text) {
  std::string bytes;
  std::uint32_t group = 0;
  int bits = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '+') value = 62;
    if (c == '/') value = 63;
    if (c == '=') break;
    if (value < 0) throw std::runtime_error(std::string("bad base64 character '") + c + "'");
    group = (group << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((group >> bits) & 0xFF);
    }
  }
  return bytes;
}

CdpClient::CdpClient(const std::string& chromium_path, std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  // A browser that dies must fail the call that writes to it, not kill the test with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  int commands[2];
  int replies[2];
  make_pipe(commands);
  Fd commands_read(commands[0]);
  Fd commands_write(commands[1]);
  make_pipe(replies);
  Fd replies_read(replies[0]);
  Fd replies_write(replies[1]);

  const std::string profile = "--user-data-dir=" + profile_.path().string();
  const std::string log = (profile_.path() / "chromium.log").string();
  std::vector<std::string> args{chromium_path,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-dev-shm-usage",  // containers often have a tiny /dev/shm
                                "--remote-debugging-pipe",
                                profile,
                                "--autoplay-policy=no-user-gesture-required",
                                "--mute-audio",
                                "--no-first-run",
                                "--no-default-browser-check",
                                "--disable-extensions",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--hide-scrollbars",
                                "about:blank"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  SpawnActions spawn_actions;
  posix_spawn_file_actions_t* actions = &spawn_actions.actions;
  posix_spawn_file_actions_addopen(actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_adddup2(actions, commands_read.get(), 3);
  posix_spawn_file_actions_adddup2(actions, replies_write.get(), 4);
  SpawnAttributes spawn_attributes;
  // Its own process group, so that the destructor ends the renderers and helpers with it.
  posix_spawnattr_setflags(&spawn_attributes.attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&spawn_attributes.attributes, 0);
  const int failed = ::posix_spawn(&pid_, chromium_path.c_str(), actions,
                                   &spawn_attributes.attributes, argv.data(), environ);
  if (failed != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + chromium_path + ": " + std::strerror(failed));
  }
  to_browser_ = commands_write.release();
  from_browser_ = replies_read.release();
}

CdpClient::~CdpClient() {
  if (to_browser_ >= 0) ::close(to_browser_);
  if (from_browser_ >= 0) ::close(from_browser_);
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void CdpClient::send(const nlohmann::json& message) {
  std::string bytes = message.dump();
  bytes += '\0';
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(to_browser_, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw std::runtime_error("CDP " + message.value("method", std::string()) +
                               ": cannot write to the browser: " + std::strerror(errno) +
                               log_tail());
    }
    written += static_cast<std::size_t>(n);
  }
}

nlohmann::json CdpClient::receive(std::chrono::steady_clock::time_point deadline,
                                  const std::string& waiting_for) {
  for (;;) {
    const std::size_t end = buffer_.find('\0');
    if (end != std::string::npos) {
      nlohmann::json message = nlohmann::json::parse(buffer_.substr(0, end));
      buffer_.erase(0, end + 1);
      return message;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw std::runtime_error("CDP " + waiting_for + ": no answer within " +
                               std::to_string(timeout_.count()) + " ms" + log_tail());
    }
    pollfd ready{from_browser_, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) continue;  // the deadline check above reports it
    std::array<char, 65536> chunk{};
    const ssize_t n = ::read(from_browser_, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw std::runtime_error("CDP " + waiting_for + ": the browser closed its pipe" + log_tail());
    }
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

nlohmann::json CdpClient::call(const std::string& method, const nlohmann::json& params,
                               const std::string& session) {
  const long id = next_id_++;
  nlohmann::json message{{"id", id}, {"method", method}, {"params", params}};
  if (!session.empty()) message["sessionId"] = session;
  send(message);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    nlohmann::json reply = receive(deadline, method);
    if (!reply.contains("id")) {
      events_.push_back(std::move(reply));
      continue;
    }
    if (reply.at("id") != id) continue;  // an answer to a call that already timed out
    if (reply.contains("error")) throw std::runtime_error(describe_error(method, reply["error"]));
    return reply.value("result", nlohmann::json::object());
  }
}

std::string CdpClient::open_page() {
  const nlohmann::json target = call("Target.createTarget", {{"url", "about:blank"}});
  const nlohmann::json attached =
      call("Target.attachToTarget", {{"targetId", target.at("targetId")}, {"flatten", true}});
  const std::string session = attached.at("sessionId");
  call("Page.enable", nlohmann::json::object(), session);
  call("Runtime.enable", nlohmann::json::object(), session);
  return session;
}

void CdpClient::navigate(const std::string& session, const std::string& url) {
  // Events of an earlier page must not answer for this one.
  std::erase_if(events_, [&](const nlohmann::json& event) {
    return event.value("sessionId", std::string()) == session &&
           event.value("method", std::string()) == "Page.loadEventFired";
  });
  const nlohmann::json result = call("Page.navigate", {{"url", url}}, session);
  if (result.contains("errorText") && !result["errorText"].get<std::string>().empty()) {
    throw std::runtime_error("CDP Page.navigate " + url + ": " + result["errorText"].dump());
  }
  wait_event("Page.loadEventFired", session);
}

nlohmann::json CdpClient::wait_event(const std::string& method, const std::string& session) {
  const auto matches = [&](const nlohmann::json& event) {
    return event.value("method", std::string()) == method &&
           event.value("sessionId", std::string()) == session;
  };
  for (auto it = events_.begin(); it != events_.end(); ++it) {
    if (matches(*it)) {
      nlohmann::json event = std::move(*it);
      events_.erase(it);
      return event;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    nlohmann::json message = receive(deadline, method);
    if (matches(message)) return message;
    if (!message.contains("id")) events_.push_back(std::move(message));
  }
}

nlohmann::json CdpClient::evaluate(const std::string& session, const std::string& expression) {
  const nlohmann::json result = call("Runtime.evaluate",
                                     {{"expression", expression},
                                      {"awaitPromise", true},
                                      {"returnByValue", true},
                                      {"userGesture", true}},
                                     session);
  if (result.contains("exceptionDetails")) {
    const nlohmann::json& details = result["exceptionDetails"];
    std::string text = "Runtime.evaluate threw: ";
    text += details.value("text", std::string());
    if (details.contains("exception")) {
      text += ' ';
      text += details["exception"].value("description", std::string());
    }
    text += "\nexpression: ";
    text += expression;
    throw std::runtime_error(text);
  }
  return result.at("result").value("value", nlohmann::json());
}

std::string CdpClient::screenshot_png(const std::string& session) {
  const nlohmann::json result = call("Page.captureScreenshot", {{"format", "png"}}, session);
  return decode_base64(result.at("data").get<std::string>());
}

std::string CdpClient::log_tail() const {
  std::error_code ignored;
  const fs::path log = profile_.path() / "chromium.log";
  if (!fs::exists(log, ignored)) return "";
  const std::string text = read_file(log);
  const std::size_t keep = 2000;
  return "\nchromium's log ends:\n" + (text.size() > keep ? text.substr(text.size() - keep) : text);
}

}  // namespace narrator::test
