#include "mixed_backend.hpp"

#include <algorithm>
#include <cmath>

#include "espeak_backend.hpp"
#include "narrator/audio/resampler.hpp"

namespace narrator {
namespace {

// `chunk` at `rate_hz`: its samples through a resampler, its marks moved to the new frames.
void resample(AudioChunk& chunk, int rate_hz) {
  const int from_hz = chunk.format.sample_rate_hz;
  if (from_hz == rate_hz) return;
  Resampler resampler(from_hz, rate_hz, chunk.format.channels);
  std::vector<std::int16_t> samples = resampler.process(chunk.samples);
  const std::vector<std::int16_t> tail = resampler.flush();
  samples.insert(samples.end(), tail.begin(), tail.end());
  const std::size_t frames = samples.size() / static_cast<std::size_t>(chunk.format.channels);
  const double scale = static_cast<double>(rate_hz) / from_hz;
  for (TimingMark& mark : chunk.marks) {
    const auto frame =
        static_cast<std::size_t>(std::llround(static_cast<double>(mark.frame) * scale));
    mark.frame = std::min(frame, frames);  // scaling keeps the order; the clamp keeps it inside
  }
  chunk.samples = std::move(samples);
  chunk.format.sample_rate_hz = rate_hz;
}

}  // namespace

MixedBackend::MixedBackend(std::unique_ptr<SynthesisBackend> narration)
    : narration_(std::move(narration)) {}

SynthesisBackend& MixedBackend::other() const {
  std::call_once(other_created_, [this] { other_ = std::make_unique<EspeakBackend>(); });
  return *other_;
}

SynthesisBackend& MixedBackend::backend_for(std::string_view voice_name) const {
  return narration_->has_voice(voice_name) ? *narration_ : other();
}

std::vector<VoiceInfo> MixedBackend::voices() const {
  std::vector<VoiceInfo> all = narration_->voices();
  for (VoiceInfo& voice : other().voices()) all.push_back(std::move(voice));
  return all;
}

void MixedBackend::check_voice(const VoiceOptions& voice) const {
  backend_for(voice.name).check_voice(voice);
}

bool MixedBackend::has_voice(std::string_view name) const {
  return narration_->has_voice(name) || other().has_voice(name);
}

std::optional<LanguageVoice> MixedBackend::voice_for_language(
    std::string_view tag, std::string_view narration_voice) const {
  if (std::optional<LanguageVoice> own = narration_->voice_for_language(tag, narration_voice)) {
    return own;
  }
  return other().voice_for_language(tag, narration_voice);
}

std::string MixedBackend::spoken_ipa(const Utterance& utterance, const VoiceOptions& voice) {
  return backend_for(voice.name).spoken_ipa(utterance, voice);
}

AudioChunk MixedBackend::synthesize(const Utterance& utterance, const VoiceOptions& voice,
                                    const CancelToken& cancel) {
  SynthesisBackend& backend = backend_for(voice.name);
  AudioChunk chunk = backend.synthesize(utterance, voice, cancel);
  if (&backend != narration_.get()) resample(chunk, format().sample_rate_hz);
  return chunk;
}

}  // namespace narrator
