// narrate voices and devices: the voices the backends offer and the sound devices PortAudio sees.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "narrator/audio/playback.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "stderr_filter.hpp"

namespace narrator::cli {
namespace {

const char* gender_name(VoiceGender gender) {
  switch (gender) {
    case VoiceGender::kMale:
      return "male";
    case VoiceGender::kFemale:
      return "female";
    case VoiceGender::kUnknown:
      break;
  }
  return "-";
}

}  // namespace

void run_voices(const CliOptions& options, Diagnostics& diagnostics) {
  const Engine engine(options.engine, diagnostics);
  std::vector<VoiceInfo> voices = engine.voices();
  std::stable_sort(voices.begin(), voices.end(), [](const VoiceInfo& a, const VoiceInfo& b) {
    return a.languages < b.languages;
  });
  std::fprintf(stdout, "%-14s %-32s %-7s %-7s %-6s %s\n", "LANGUAGE", "NAME", "GENDER", "BACKEND",
               "RATE", "IDENTIFIER");
  for (const VoiceInfo& voice : voices) {
    const std::string language = voice.languages.empty() ? "-" : voice.languages.front();
    std::fprintf(stdout, "%-14s %-32s %-7s %-7s %-6d %s\n", language.c_str(), voice.name.c_str(),
                 gender_name(voice.gender), voice.backend.c_str(), voice.sample_rate_hz,
                 voice.identifier.c_str());
  }
  flush_stdout();
}

void run_devices() {
  const StderrFilter quiet_sound_libraries;
  const SoundSystem sound;
  const std::vector<OutputDevice> devices = sound.output_devices();
  if (devices.empty()) {
    throw Error(ErrorCategory::kDevice,
                "no sound output device was found" + std::string(kWriteToFileAdvice));
  }
  std::fprintf(stdout, "%-5s %-8s %-32s %-10s %8s %9s\n", "INDEX", "DEFAULT", "NAME", "HOST API",
               "CHANNELS", "RATE (Hz)");
  for (const OutputDevice& device : devices) {
    std::fprintf(stdout, "%-5d %-8s %-32s %-10s %8d %9.0f\n", device.index,
                 device.is_default ? "*" : "", device.name.c_str(), device.host_api.c_str(),
                 device.output_channels, device.default_sample_rate_hz);
  }
  flush_stdout();
}

}  // namespace narrator::cli
