// stderr_filter.hpp: keeps the sound libraries' internal chatter off the user's terminal.
//
// PortAudio's ALSA host prints "Expression '...' failed in 'src/hostapi/alsa/...'" from its own
// threads when a device fails; the failure itself reaches us as an error code, which we report in
// words. PulseAudio's client, behind ALSA's pulse plugin, prints "Failed to create secure
// directory" when HOME is not writable. ALSA's and JACK's own messages are already silenced in
// audio/ through their handlers. While a StderrFilter lives, file descriptor 2 is a pipe read by a
// thread that passes every line through at once except those that start like that chatter.
// Process-wide, so only the CLI, which owns stderr, uses it.
#pragma once

#include <string>
#include <string_view>
#include <thread>

namespace narrator::cli {

// Lines of sound-library chatter: true when `line` starts like one.
bool is_sound_library_chatter(std::string_view line) noexcept;

class StderrFilter {
 public:
  // Does nothing (stderr untouched) when the pipe cannot be set up.
  StderrFilter();
  StderrFilter(const StderrFilter&) = delete;
  StderrFilter& operator=(const StderrFilter&) = delete;
  ~StderrFilter();

 private:
  void pump();
  void forward(std::string_view bytes) const;

  int saved_fd_ = -1;  // the real stderr
  int read_fd_ = -1;
  std::thread thread_;
};

}  // namespace narrator::cli
