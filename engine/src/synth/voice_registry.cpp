#include "voice_registry.hpp"

#include "closest_matches.hpp"
#include "espeak_backend.hpp"
#include "flite_backend.hpp"
#include "mixed_backend.hpp"
#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"

namespace narrator {
namespace {

constexpr std::string_view kFliteQualifier = "flite:";
constexpr std::string_view kEspeakQualifier = "espeak:";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         detail::ascii_lower(text.substr(0, prefix.size())) == prefix;
}

// The names a user may give for an eSpeak NG voice: its languages, name, identifier and the
// identifier's last part.
std::vector<std::string> espeak_names() {
  std::vector<std::string> names;
  for (const VoiceInfo& voice : EspeakBackend().voices()) {
    names.insert(names.end(), voice.languages.begin(), voice.languages.end());
    names.push_back(voice.name);
    names.push_back(voice.identifier);
    const std::size_t slash = voice.identifier.rfind('/');
    if (slash != std::string::npos) names.push_back(voice.identifier.substr(slash + 1));
  }
  return names;
}

[[noreturn]] void unknown_voice(std::string_view name, std::vector<std::string> candidates) {
  std::string message = "unknown voice '" + std::string(name) + "'";
  const std::vector<std::string> near = detail::closest_matches(name, candidates, 3);
  for (std::size_t i = 0; i < near.size(); ++i) {
    message += (i == 0 ? "; did you mean " : ", ") + near[i];
  }
  message += near.empty() ? "." : "?";
  throw Error(ErrorCategory::kUsage, message + " Run 'narrate voices' to list every voice.");
}

}  // namespace

VoiceChoice choose_voice(std::string_view name) {
  if (starts_with(name, kFliteQualifier)) {
    const FliteVoiceInfo* voice = find_flite_voice(name);
    if (voice == nullptr) unknown_voice(name, flite_voice_names());
    return VoiceChoice{BackendKind::kFlite, std::string(voice->name)};
  }
  if (starts_with(name, kEspeakQualifier)) {
    return VoiceChoice{BackendKind::kEspeak, std::string(name.substr(kEspeakQualifier.size()))};
  }
  if (const FliteVoiceInfo* voice = find_flite_voice(name)) {
    return VoiceChoice{BackendKind::kFlite, std::string(voice->name)};
  }
  try {
    VoiceOptions voice;
    voice.name = std::string(name);
    EspeakBackend().check_voice(voice);
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::kUsage) throw;
    // eSpeak NG names first: they are the ones most often mistyped ("en-uss").
    std::vector<std::string> candidates = espeak_names();
    for (std::string& flite : flite_voice_names()) candidates.push_back(std::move(flite));
    unknown_voice(name, std::move(candidates));
  }
  return VoiceChoice{BackendKind::kEspeak, std::string(name)};
}

std::unique_ptr<SynthesisBackend> make_backend(BackendKind backend) {
  // Flite has English voices only: what it cannot read goes to eSpeak NG in the same narration.
  if (backend == BackendKind::kFlite) {
    return std::make_unique<MixedBackend>(std::make_unique<FliteBackend>());
  }
  return std::make_unique<EspeakBackend>();
}

std::vector<VoiceInfo> all_voices() {
  std::vector<VoiceInfo> voices = FliteBackend().voices();
  for (VoiceInfo& voice : EspeakBackend().voices()) voices.push_back(std::move(voice));
  return voices;
}

}  // namespace narrator
