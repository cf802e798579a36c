// cdp_client.hpp: a small Chrome DevTools Protocol client for the browser tests. It starts headless
// Chromium with --remote-debugging-pipe (commands go in on the child's fd 3, replies come out on
// its fd 4, each message JSON ended by a NUL byte) and speaks to one page at a time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "temp_dir.hpp"

namespace narrator::test {

// The first of chromium, chromium-browser and google-chrome found on PATH; nullopt when none.
std::optional<std::string> find_chromium();

// Standard base64 (RFC 4648) to bytes; throws std::runtime_error on a bad character.
std::string decode_base64(const std::string& text);

class CdpClient {
 public:
  // Starts the browser with a private profile folder. Throws std::runtime_error when it cannot.
  explicit CdpClient(const std::string& chromium_path,
                     std::chrono::milliseconds timeout = std::chrono::seconds(20));
  CdpClient(const CdpClient&) = delete;
  CdpClient& operator=(const CdpClient&) = delete;
  // Kills the browser's process group and reaps it; the profile folder goes with the TempDir.
  ~CdpClient();

  // Sends `method` (to the browser, or to the page of `session`) and returns its result. Throws
  // std::runtime_error naming the method on a protocol error, a timeout or a browser that died.
  nlohmann::json call(const std::string& method,
                      const nlohmann::json& params = nlohmann::json::object(),
                      const std::string& session = "");

  // A new blank page, attached with flatten: true; returns its session id.
  std::string open_page();

  // Navigates the session's page and waits for its load event.
  void navigate(const std::string& session, const std::string& url);

  // Runtime.evaluate with awaitPromise and returnByValue: the expression's value. Throws with the
  // page's exception text when it throws or its promise rejects.
  nlohmann::json evaluate(const std::string& session, const std::string& expression);

  // Waits for an event of `method` on `session` (one already received counts) and returns it.
  nlohmann::json wait_event(const std::string& method, const std::string& session);

  // Page.captureScreenshot as PNG bytes.
  std::string screenshot_png(const std::string& session);

 private:
  void send(const nlohmann::json& message);
  // Reads one NUL-terminated message before `deadline`; throws naming `waiting_for` when none.
  nlohmann::json receive(std::chrono::steady_clock::time_point deadline,
                         const std::string& waiting_for);
  std::string log_tail() const;

  TempDir profile_;
  std::chrono::milliseconds timeout_;
  pid_t pid_ = -1;
  int to_browser_ = -1;    // we write commands here (the browser's fd 3)
  int from_browser_ = -1;  // we read replies and events here (the browser's fd 4)
  long next_id_ = 1;
  std::string buffer_;                 // bytes read but not yet a whole message
  std::deque<nlohmann::json> events_;  // received while waiting for something else
};

}  // namespace narrator::test
