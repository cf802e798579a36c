// synthesis_backend.hpp: the interface every speech engine sits behind.
#pragma once

#include <vector>

#include "narrator/audio/audio_chunk.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/options.hpp"
#include "narrator/voice.hpp"
#include "tokens.hpp"

namespace narrator {

class SynthesisBackend {
 public:
  virtual ~SynthesisBackend() = default;

  // The format of every chunk synthesize() returns.
  virtual StreamFormat format() const noexcept = 0;

  // Every voice the backend offers.
  virtual std::vector<VoiceInfo> voices() const = 0;

  // Throws Error(kUsage) when `voice` names no voice, suggesting close matches, or when a numeric
  // setting is out of the backend's range.
  virtual void check_voice(const VoiceOptions& voice) const = 0;

  // Speaks one utterance. The chunk holds speech only (no trailing pause), with leading and
  // trailing silence trimmed to a short margin. Throws Error(kCancelled) when `cancel` fires and
  // Error(kBackend) when the engine fails.
  virtual AudioChunk synthesize(const Utterance& utterance, const VoiceOptions& voice,
                                const CancelToken& cancel) = 0;
};

}  // namespace narrator
