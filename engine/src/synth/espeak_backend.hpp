// espeak_backend.hpp: SynthesisBackend over libespeak-ng (through EspeakRuntime).
#pragma once

#include "espeak_runtime.hpp"
#include "ipa_to_espeak.hpp"
#include "synthesis_backend.hpp"

namespace narrator {

class EspeakBackend final : public SynthesisBackend {
 public:
  // Throws Error(kBackend) when eSpeak NG cannot start.
  EspeakBackend();

  std::string_view name() const noexcept override { return "eSpeak"; }
  std::string_view ipa_table() const noexcept override {
    return "lexicon/data/phonemes/ipa_to_espeak_en.tsv";
  }
  StreamFormat format() const noexcept override;
  std::vector<VoiceInfo> voices() const override;
  void check_voice(const VoiceOptions& voice) const override;
  bool has_voice(std::string_view name) const override;
  std::optional<LanguageVoice> voice_for_language(std::string_view tag,
                                                  std::string_view narration_voice) const override;
  std::optional<std::string> unknown_ipa_symbol(std::string_view ipa) const override;
  std::string spoken_ipa(const Utterance& utterance, const VoiceOptions& voice) override;
  AudioChunk synthesize(const Utterance& utterance, const VoiceOptions& voice,
                        const CancelToken& cancel) override;

 private:
  // The text eSpeak NG reads for `utterance`: words joined by spaces, a pronounced word as
  // [[phonemes]]. `phonemes` is set when any word went in as phonemes.
  // The text eSpeak NG is given; `starts` (if given) receives each word's first character in it.
  std::string voice_text(const Utterance& utterance, bool& phonemes,
                         std::vector<std::size_t>* starts = nullptr) const;

  EspeakRuntime& runtime_;
  IpaToEspeak ipa_;
};

}  // namespace narrator
