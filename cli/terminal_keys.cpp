#include "terminal_keys.hpp"

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <thread>

namespace narrator::cli {
namespace {

constexpr char kEscape = '\x1b';

// The final byte of an arrow key's escape sequence: ESC [ X in normal mode, ESC O X in the
// terminal's application-cursor mode.
std::optional<Key> arrow(char final_byte) {
  switch (final_byte) {
    case 'A':
      return Key::kPreviousParagraph;
    case 'B':
      return Key::kNextParagraph;
    case 'C':
      return Key::kNextSentence;
    case 'D':
      return Key::kPreviousSentence;
    default:
      return std::nullopt;
  }
}

std::optional<Key> plain(char byte) {
  if (byte == ' ') return Key::kPauseResume;
  if (byte == 'q' || byte == 'Q') return Key::kQuit;
  return std::nullopt;
}

// Length of the escape sequence at the start of `text` (which begins with ESC), or 0 when it is
// not complete yet. CSI sequences end at a byte in 0x40-0x7E; "ESC O X" is three bytes.
std::size_t escape_length(std::string_view text) {
  if (text.size() < 2) return 0;
  if (text[1] == 'O') return text.size() >= 3 ? 3 : 0;
  if (text[1] != '[') return 1;  // a lone ESC followed by something else: drop the ESC
  for (std::size_t i = 2; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x40 && byte <= 0x7E) return i + 1;
  }
  return 0;
}

}  // namespace

std::vector<Key> KeyDecoder::feed(std::string_view bytes) {
  pending_.append(bytes);
  std::vector<Key> keys;
  std::size_t at = 0;
  while (at < pending_.size()) {
    const std::string_view rest = std::string_view(pending_).substr(at);
    if (rest.front() != kEscape) {
      if (const std::optional<Key> key = plain(rest.front())) keys.push_back(*key);
      ++at;
      continue;
    }
    const std::size_t length = escape_length(rest);
    if (length == 0) break;  // wait for the rest of the sequence
    // Only the plain arrows: modified ones (ESC [ 1 ; 5 C) end in the same letter, take them too.
    if (length >= 3) {
      if (const std::optional<Key> key = arrow(rest[length - 1])) keys.push_back(*key);
    }
    at += length;
  }
  pending_.erase(0, at);
  return keys;
}

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  termios settings{};
  if (::isatty(fd) != 1 || ::tcgetattr(fd, &settings) != 0) return;
  // In a background job, changing the terminal would stop the process (SIGTTOU): no keys then.
  if (::tcgetpgrp(fd) != ::getpgrp()) return;
  saved_ = settings;
  settings.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
  settings.c_cc[VMIN] = 0;
  settings.c_cc[VTIME] = 0;
  if (::tcsetattr(fd, TCSANOW, &settings) != 0) saved_.reset();
}

RawTerminal::~RawTerminal() {
  if (saved_) ::tcsetattr(fd_, TCSANOW, &*saved_);
}

std::vector<Key> RawTerminal::read_keys(std::chrono::milliseconds timeout) {
  if (!saved_ || closed_) {
    std::this_thread::sleep_for(timeout);
    return {};
  }
  pollfd input{fd_, POLLIN, 0};
  const int ready = ::poll(&input, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return {};  // timeout, or EINTR: the caller polls again
  std::array<char, 64> buffer{};
  const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
  if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
    closed_ = true;  // hung up: playback goes on without keys
    return {};
  }
  if (got < 0) return {};
  return decoder_.feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
}

}  // namespace narrator::cli
