// terminal_keys.hpp: the playback keys, read from a terminal put in non-canonical mode.
#pragma once

#include <termios.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace narrator::cli {

enum class Key {
  kPauseResume,        // space
  kNextSentence,       // →
  kPreviousSentence,   // ←
  kNextParagraph,      // ↓
  kPreviousParagraph,  // ↑
  kQuit,               // q or Q
};

// Turns terminal input bytes into keys. Escape sequences may arrive split across reads, so an
// unfinished one is kept for the next call. Bytes that are no key are ignored.
class KeyDecoder {
 public:
  std::vector<Key> feed(std::string_view bytes);

 private:
  std::string pending_;
};

// Where the player's keys come from: the terminal (RawTerminal), or a script in the tests.
class KeySource {
 public:
  virtual ~KeySource() = default;

  // False when there are no keys to read (no terminal): playback then runs straight through.
  virtual bool active() const noexcept = 0;

  // Waits up to `timeout` for input and returns the keys it carried (empty on timeout). This wait
  // is the player's tick: its only pause between status redraws.
  virtual std::vector<Key> read_keys(std::chrono::milliseconds timeout) = 0;
};

// Puts the terminal on `fd` into non-canonical, no-echo mode (Ctrl-C still raises SIGINT) and
// restores the previous settings when destroyed. Does nothing when `fd` is not a terminal.
class RawTerminal final : public KeySource {
 public:
  explicit RawTerminal(int fd);
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  ~RawTerminal();

  bool active() const noexcept override { return saved_.has_value(); }

  // After end of input (the terminal hung up) it only waits.
  std::vector<Key> read_keys(std::chrono::milliseconds timeout) override;

 private:
  int fd_;
  std::optional<termios> saved_;
  KeyDecoder decoder_;
  bool closed_ = false;
};

}  // namespace narrator::cli
