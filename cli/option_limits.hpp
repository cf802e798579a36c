// option_limits.hpp: the ranges of the settings that both the command line (cli_options.cpp) and
// `narrate serve`'s native API (serve/api_requests.cpp) take, each with the unit their messages
// name, built on the engine's and the audio library's own limits (narrator::limits). One home,
// so that a changed range changes both and the two cannot come to disagree;
// both word an out-of-range value's advice with range_text(). The defaults are VoiceOptions' and
// PauseOptions' (narrator/options.hpp), which both start from.
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "narrator/audio/output_processing.hpp"
#include "narrator/options.hpp"

namespace narrator::cli {

// A setting's range, both ends included, and the words that follow the numbers in a message.
struct SettingRange {
  int min = 0;
  int max = 0;
  std::string_view unit;  // "words per minute"; empty for a bare number
};

// --rate / "rate"
inline constexpr SettingRange kRateRange{limits::kMinRateWpm, limits::kMaxRateWpm,
                                         "words per minute"};
// --pitch / "pitch"
inline constexpr SettingRange kPitchRange{0, limits::kMaxPitch, ""};
// --volume / "volume"
inline constexpr SettingRange kVolumeRange{0, limits::kMaxVolume, "(100 is normal)"};
// --sentence-pause, --paragraph-pause, --heading-pause / "sentence_pause_ms", ...
inline constexpr SettingRange kPauseRange{0, limits::kMaxPauseMs, "ms"};
// --channels / "channels"
inline constexpr SettingRange kChannelsRange{1, 2, "(mono or stereo)"};
// --loudness / "loudness": a level in LUFS, any number in the range (the command line also takes
// auto and off)
inline constexpr SettingRange kLoudnessRange{static_cast<int>(limits::kMinLoudnessLufs),
                                             static_cast<int>(limits::kMaxLoudnessLufs), "LUFS"};

// --sample-rate / "sample_rate": the rates narrate writes, MPEG audio's (a format may take only
// some: Opus, audio_format_sample_rates()). 8000 and 16000 for telephone lines and Flite's own
// rate, 22050 for eSpeak NG's, 44100 and 48000 for video.
inline constexpr std::array<int, 8> kOutputRatesHz{8000,  11025, 16000, 22050,
                                                   24000, 32000, 44100, 48000};

inline bool is_output_rate(long long hz) {
  return std::find(kOutputRatesHz.begin(), kOutputRatesHz.end(), hz) != kOutputRatesHz.end();
}

// "8000, 11025, 16000, 22050, 24000, 32000, 44100 or 48000"
inline std::string output_rates_text() {
  std::string text;
  for (std::size_t i = 0; i < kOutputRatesHz.size(); ++i) {
    if (i > 0) text += i + 1 == kOutputRatesHz.size() ? " or " : ", ";
    text += std::to_string(kOutputRatesHz[i]);
  }
  return text;
}

// "-70 to -5": the numbers alone.
inline std::string range_numbers(const SettingRange& range) {
  return std::to_string(range.min) + " to " + std::to_string(range.max);
}

// "80 to 450 words per minute": what an out-of-range message advises after "use ".
inline std::string range_text(const SettingRange& range) {
  std::string text = range_numbers(range);
  if (!range.unit.empty()) text.append(" ").append(range.unit);
  return text;
}

// "80-450": the range in an option's --help line.
inline std::string range_span(const SettingRange& range) {
  return std::to_string(range.min) + "-" + std::to_string(range.max);
}

inline bool in_range(double value, const SettingRange& range) {
  return value >= range.min && value <= range.max;
}

}  // namespace narrator::cli
