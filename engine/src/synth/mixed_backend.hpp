// mixed_backend.hpp: one narration, two engines. The narration's backend (Flite) reads what it
// has a voice for; a voice it lacks (a language span, a passage in another script) is read by
// eSpeak NG, created on first need, and its audio is resampled (libsoxr) to the narration's
// format, so every chunk has one format and its marks stay in order on the new frames.
#pragma once

#include <memory>
#include <mutex>

#include "synthesis_backend.hpp"

namespace narrator {

class MixedBackend final : public SynthesisBackend {
 public:
  // `narration` speaks the narration's voice and sets the format of every chunk.
  explicit MixedBackend(std::unique_ptr<SynthesisBackend> narration);

  std::string_view name() const noexcept override { return narration_->name(); }
  std::string_view ipa_table() const noexcept override { return narration_->ipa_table(); }
  StreamFormat format() const noexcept override { return narration_->format(); }
  // The narration backend's: eSpeak NG, when a sentence needs it, serializes its own calls.
  std::size_t max_parallel() const noexcept override { return narration_->max_parallel(); }
  // The narration backend's voices, then eSpeak NG's.
  std::vector<VoiceInfo> voices() const override;
  void check_voice(const VoiceOptions& voice) const override;
  bool has_voice(std::string_view name) const override;
  bool reads_ascii_only() const noexcept override { return narration_->reads_ascii_only(); }
  // The narration backend's answer, else eSpeak NG's.
  std::optional<LanguageVoice> voice_for_language(std::string_view tag,
                                                  std::string_view narration_voice) const override;
  // Lexicons are checked against the narration backend's table.
  std::optional<std::string> unknown_ipa_symbol(std::string_view ipa) const override {
    return narration_->unknown_ipa_symbol(ipa);
  }
  std::string spoken_ipa(const Utterance& utterance, const VoiceOptions& voice) override;
  AudioChunk synthesize(const Utterance& utterance, const VoiceOptions& voice,
                        const CancelToken& cancel) override;

 private:
  SynthesisBackend& backend_for(std::string_view voice_name) const;
  SynthesisBackend& other() const;  // eSpeak NG, created on first use

  std::unique_ptr<SynthesisBackend> narration_;
  mutable std::once_flag other_created_;
  mutable std::unique_ptr<SynthesisBackend> other_;
};

}  // namespace narrator
