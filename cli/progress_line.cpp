#include "progress_line.hpp"

#include <cstdio>

#include "narrator/detail/plural.hpp"

namespace narrator::cli {
namespace {

constexpr std::chrono::milliseconds kRedrawInterval{100};

double speed_factor(std::chrono::milliseconds audio, std::chrono::milliseconds elapsed) {
  return elapsed.count() > 0 ? static_cast<double>(audio.count()) / elapsed.count() : 0.0;
}

}  // namespace

std::string format_clock(std::chrono::milliseconds duration) {
  const long long total_s = duration.count() / 1000;
  char buffer[32];
  if (total_s >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", total_s / 3600, total_s / 60 % 60,
                  total_s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld", total_s / 60, total_s % 60);
  }
  return buffer;
}

void ProgressLine::on_progress(const Progress& progress) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool last = progress.sentence_index + 1 == progress.sentence_count;
  if (drawn_ && !last && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  drawn_ = true;
  std::fprintf(stderr, "\r\033[Ksentence %zu/%zu  %s of audio  %.0fx real time",
               progress.sentence_index + 1, progress.sentence_count,
               format_clock(progress.audio_duration).c_str(),
               speed_factor(progress.audio_duration, progress.elapsed));
  std::fflush(stderr);
}

void ProgressLine::clear() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

std::string format_summary(const std::string& output_name, const NarrationSummary& summary) {
  const double audio_s = static_cast<double>(summary.audio_duration.count()) / 1000.0;
  const double elapsed_s = static_cast<double>(summary.elapsed.count()) / 1000.0;
  const double rtf = audio_s > 0 ? elapsed_s / audio_s : 0.0;
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                "narrate: %s: %s of audio, %s in %s, real-time factor %.3f "
                "(%.0fx faster than real time)",
                output_name.c_str(), format_clock(summary.audio_duration).c_str(),
                detail::counted(summary.word_count, "word").c_str(),
                detail::counted(summary.sentence_count, "sentence").c_str(), rtf,
                rtf > 0 ? 1.0 / rtf : 0.0);
  return buffer;
}

}  // namespace narrator::cli
