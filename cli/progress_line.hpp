// progress_line.hpp: the one-line progress display on stderr and the closing summary.
#pragma once

#include <chrono>
#include <string>

#include "narrator/engine.hpp"

namespace narrator::cli {

class ProgressLine final : public ProgressObserver {
 public:
  // Draws nothing unless `enabled` (stderr is a terminal and --quiet was not given).
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}

  void on_progress(const Progress& progress) override;

  // Erases the line, if one was drawn.
  void clear();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

// "2:31" or "1:02:31".
std::string format_clock(std::chrono::milliseconds duration);

// "narrate: out.mp3: 2:31 of audio, 412 words in 9 sentences, real-time factor 0.021 (48x)".
std::string format_summary(const std::string& output_name, const NarrationSummary& summary);

}  // namespace narrator::cli
