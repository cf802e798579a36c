#include "stderr_filter.hpp"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>

namespace narrator::cli {
namespace {

// How lines of PortAudio's, ALSA's, JACK's and PulseAudio's internal reports begin. PulseAudio's
// client (reached through ALSA's pulse plugin) reports a HOME it cannot write to, although
// playback may work without it.
constexpr std::array<std::string_view, 7> kChatterStarts{
    "Expression '", "ALSA lib ", "Cannot connect to server",          "jack server is ",
    "JackShm",      "PaAlsa",    "Failed to create secure directory",
};

// True when `partial` (the start of a line) may still grow into chatter.
bool may_be_chatter(std::string_view partial) noexcept {
  for (const std::string_view start : kChatterStarts) {
    const std::size_t n = std::min(partial.size(), start.size());
    if (partial.substr(0, n) == start.substr(0, n)) return true;
  }
  return false;
}

}  // namespace

bool is_sound_library_chatter(std::string_view line) noexcept {
  for (const std::string_view start : kChatterStarts) {
    if (line.substr(0, start.size()) == start) return true;
  }
  return false;
}

StderrFilter::StderrFilter() {
  std::array<int, 2> pipe_fds{};
  if (::pipe(pipe_fds.data()) != 0) return;
  std::fflush(stderr);
  saved_fd_ = ::dup(STDERR_FILENO);
  if (saved_fd_ < 0 || ::dup2(pipe_fds[1], STDERR_FILENO) < 0) {
    if (saved_fd_ >= 0) ::close(saved_fd_);
    saved_fd_ = -1;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return;
  }
  ::close(pipe_fds[1]);  // fd 2 is now the only write end: restoring it ends the pump
  read_fd_ = pipe_fds[0];
  thread_ = std::thread([this] { pump(); });
}

StderrFilter::~StderrFilter() {
  if (saved_fd_ < 0) return;
  std::fflush(stderr);
  ::dup2(saved_fd_, STDERR_FILENO);
  thread_.join();
  ::close(read_fd_);
  ::close(saved_fd_);
}

void StderrFilter::forward(std::string_view bytes) const {
  while (!bytes.empty()) {
    const ssize_t written = ::write(saved_fd_, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // stderr itself is gone: nothing else to do with the bytes
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

// Passes bytes through as they come; holds back only the start of a line that may be chatter,
// until it is known to be (dropped with its line) or not (forwarded).
void StderrFilter::pump() {
  enum class Mode { kLineStart, kPassing, kDropping };
  Mode mode = Mode::kLineStart;
  std::string held;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t got = ::read(read_fd_, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    std::string out;
    for (const char c : std::string_view(buffer.data(), static_cast<std::size_t>(got))) {
      if (mode == Mode::kPassing) {
        out += c;
      } else if (mode == Mode::kLineStart) {
        held += c;
        if (is_sound_library_chatter(held)) {
          mode = Mode::kDropping;
          held.clear();
        } else if (!may_be_chatter(held)) {
          out += held;
          held.clear();
          mode = Mode::kPassing;
        }
      }
      if (c == '\n') {
        if (mode == Mode::kLineStart) out += held;  // a short line that began like chatter
        held.clear();
        mode = Mode::kLineStart;
      }
    }
    forward(out);
  }
  forward(held);
}

}  // namespace narrator::cli
