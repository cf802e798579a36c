#include "synthesis_backend.hpp"

#include "language_match.hpp"
#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"

namespace narrator {
namespace {

struct SettingRange {
  int min;
  int max;
};

void check_range(std::string_view field, int value, SettingRange range) {
  if (value < range.min || value > range.max) {
    throw Error(ErrorCategory::kUsage, std::string(field) + " " + std::to_string(value) +
                                           " is out of range; use " + std::to_string(range.min) +
                                           " to " + std::to_string(range.max));
  }
}

}  // namespace

void check_voice_settings(const VoiceOptions& voice) {
  check_range("voice.rate_wpm", voice.rate_wpm,
              SettingRange{limits::kMinRateWpm, limits::kMaxRateWpm});
  check_range("voice.pitch", voice.pitch, SettingRange{0, limits::kMaxPitch});
  check_range("voice.volume", voice.volume, SettingRange{0, limits::kMaxVolume});
}

bool SynthesisBackend::has_voice(std::string_view name) const {
  VoiceOptions voice;
  voice.name = std::string(name);
  try {
    check_voice(voice);
    return true;
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::kUsage) throw;
    return false;  // the answer to the question: not one of its voices
  }
}

std::optional<LanguageVoice> SynthesisBackend::voice_for_language(
    std::string_view tag, std::string_view narration_voice) const {
  const std::vector<VoiceInfo> all = voices();
  const std::string wanted = detail::ascii_lower(narration_voice);
  std::vector<SpokenLanguage> spoken;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const VoiceInfo& voice = all[i];
    const bool narrating = detail::ascii_lower(voice.name) == wanted ||
                           detail::ascii_lower(voice.identifier) == wanted;
    for (std::size_t j = 0; j < voice.languages.size(); ++j) {
      if (narrating && language_covers(tag, voice.languages[j])) {
        return LanguageVoice{std::string(narration_voice), std::string(narration_voice)};
      }
      spoken.push_back(SpokenLanguage{i, voice.languages[j], static_cast<int>(j)});
    }
  }
  if (const std::optional<std::size_t> index = closest_voice(tag, spoken)) {
    const VoiceInfo& voice = all[*index];
    return LanguageVoice{voice.identifier, std::string(name()) + " voice " + voice.name + ", " +
                                               voice.languages.front()};
  }
  if (all.empty() && has_voice(tag)) return LanguageVoice{std::string(tag), std::string(tag)};
  return std::nullopt;
}

}  // namespace narrator
