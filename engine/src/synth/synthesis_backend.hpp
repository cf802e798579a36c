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

// The voice a backend gives to text in a language.
struct LanguageVoice {
  std::string name;   // what VoiceOptions::name takes to select it
  std::string shown;  // how messages name it: "eSpeak NG voice fr-fr, French (France)"
};

// Throws Error(kUsage) when the voice's rate (80-450 wpm), pitch (0-100) or volume (0-200) is out
// of the range every backend takes.
void check_voice_settings(const VoiceOptions& voice);

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

  // True when the backend can select the voice `name` (rate, pitch and volume aside). By default,
  // when check_voice() accepts it.
  virtual bool has_voice(std::string_view name) const;

  // True when the backend reads ASCII text only (Flite): text in another script needs a voice of
  // another backend, and Latin letters with diacritics are folded to ASCII.
  virtual bool reads_ascii_only() const noexcept { return false; }

  // The voice for text tagged with the language `tag` ("fr-FR"): `narration_voice` itself when
  // its language covers the tag ("en-US" for an en-us voice), else the voice closest to the tag
  // (language_match.hpp); nullopt when no voice of the backend speaks it. By default the voices
  // listed by voices(), and a tag check_voice() accepts as a voice name when none of them fits.
  virtual std::optional<LanguageVoice> voice_for_language(std::string_view tag,
                                                          std::string_view narration_voice) const;

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
