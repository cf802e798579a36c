// voice.hpp: what the synthesis backends offer.
#pragma once

#include <string>
#include <vector>

namespace narrator {

enum class VoiceGender { kUnknown, kMale, kFemale };

struct VoiceInfo {
  std::string name;                    // display name, e.g. "English_(America)"
  std::string identifier;              // backend identifier, e.g. "gmw/en-US"
  std::vector<std::string> languages;  // language tags, most preferred first, e.g. "en-us"
  VoiceGender gender = VoiceGender::kUnknown;
  std::string backend;     // the synthesis backend that speaks it: "flite" or "espeak"
  int sample_rate_hz = 0;  // the rate of its audio
};

}  // namespace narrator
