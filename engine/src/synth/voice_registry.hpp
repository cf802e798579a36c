// voice_registry.hpp: the voices of every backend, and which backend speaks a voice name.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "synthesis_backend.hpp"

namespace narrator {

enum class BackendKind { kEspeak, kFlite };

struct VoiceChoice {
  BackendKind backend = BackendKind::kEspeak;
  std::string name;  // the voice as its backend names it ("rms", "en-us")
};

// The backend and voice `name` asks for: a Flite voice ("rms", "cmu_us_rms", "flite:rms") or an
// eSpeak NG voice ("en-us", "espeak:en-us"). Throws Error(kUsage) for an unknown name, listing the
// closest names of both backends.
VoiceChoice choose_voice(std::string_view name);

// A new backend of that kind; a Flite one hands what its voices cannot read to eSpeak NG
// (MixedBackend). Throws Error(kBackend) when its library cannot start.
std::unique_ptr<SynthesisBackend> make_backend(BackendKind backend);

// Every voice of every backend: Flite's first, then eSpeak NG's.
std::vector<VoiceInfo> all_voices();

}  // namespace narrator
