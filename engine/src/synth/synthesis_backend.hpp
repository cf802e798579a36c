// synthesis_backend.hpp: the interface every speech engine sits behind.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
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

  // The backend's name ("eSpeak", "Flite") and the table of IPA symbols it can say, for messages.
  virtual std::string_view name() const noexcept { return "the backend"; }
  virtual std::string_view ipa_table() const noexcept { return "lexicon/data/phonemes/"; }

  // How many utterances synthesize() may speak at once, from as many threads: 1 for a library with
  // process-wide state, which is then called from one thread at a time.
  virtual std::size_t max_parallel() const noexcept { return 1; }

  // The format of every chunk synthesize() returns.
  virtual StreamFormat format() const noexcept = 0;

  // Every voice the backend offers.
  virtual std::vector<VoiceInfo> voices() const = 0;

  // Throws Error(kUsage) when `voice` names no voice, suggesting close matches, or when a numeric
  // setting is out of the backend's range.
  virtual void check_voice(const VoiceOptions& voice) const = 0;

  // The first IPA symbol in `ipa` this backend cannot say, or nullopt when it can say all of it.
  virtual std::optional<std::string> unknown_ipa_symbol(std::string_view ipa) const = 0;

  // What the voice really says for `utterance`, as IPA with ˈ and ˌ, read back from the engine.
  virtual std::string spoken_ipa(const Utterance& utterance, const VoiceOptions& voice) = 0;

  // Speaks one utterance. Safe to call from max_parallel() threads at once. Words with a
  // pronunciation are spoken exactly as it says. The chunk holds speech only (no trailing pause),
  // with leading and trailing silence trimmed to a short margin. Throws Error(kCancelled) when
  // `cancel` fires and Error(kBackend) when the engine fails.
  virtual AudioChunk synthesize(const Utterance& utterance, const VoiceOptions& voice,
                                const CancelToken& cancel) = 0;
};

}  // namespace narrator
