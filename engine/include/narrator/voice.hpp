// voice.hpp: what a synthesis backend offers.
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
};

}  // namespace narrator
