// espeak_backend.hpp: SynthesisBackend over libespeak-ng (through EspeakRuntime).
#pragma once

#include "espeak_runtime.hpp"
#include "synthesis_backend.hpp"

namespace narrator {

class EspeakBackend final : public SynthesisBackend {
 public:
  // Throws Error(kBackend) when eSpeak NG cannot start.
  EspeakBackend();

  StreamFormat format() const noexcept override;
  std::vector<VoiceInfo> voices() const override;
  void check_voice(const VoiceOptions& voice) const override;
  AudioChunk synthesize(const Utterance& utterance, const VoiceOptions& voice,
                        const CancelToken& cancel) override;

 private:
  EspeakRuntime& runtime_;
};

}  // namespace narrator
