// flite_backend.hpp: SynthesisBackend over libflite and its four 16 kHz US English voices.
//
// The voices are registered once per process and never changed afterwards: everything a request
// sets (rate, the words' phones, the noise seed) goes on its own utterance, so two threads may
// synthesize with one voice at once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ipa_to_flite.hpp"
#include "synthesis_backend.hpp"

namespace narrator {

// A Flite voice as `narrate voices` lists it; needs no Flite call.
struct FliteVoiceInfo {
  std::string_view name;        // "rms"
  std::string_view identifier;  // "cmu_us_rms"
  std::string_view language;    // "en-us"
  VoiceGender gender;
  // Words per minute the voice speaks unstretched, measured on samples/minsk-budget.txt without
  // pauses: --rate is made good by stretching durations by natural_rate_wpm / rate.
  double natural_rate_wpm;
};

// The Flite voices linked in, the default first.
const std::vector<FliteVoiceInfo>& flite_voices();

// The Flite voice `name` names ("rms", "cmu_us_rms", any case), or nullptr.
const FliteVoiceInfo* find_flite_voice(std::string_view name);

// Every name a user may give for a Flite voice, for suggestions.
std::vector<std::string> flite_voice_names();

class FliteBackend final : public SynthesisBackend {
 public:
  static constexpr int kSampleRateHz = 16000;
  static constexpr std::size_t kMaxParallel = 8;

  // Registers the voices (once per process). Throws Error(kBackend) when Flite cannot start or
  // its phone set lacks a phone of the IPA table.
  FliteBackend();

  std::string_view name() const noexcept override { return "Flite"; }
  std::string_view ipa_table() const noexcept override { return IpaToFlite::kTableName; }
  // One utterance per core, up to kMaxParallel: each is independent (see above).
  std::size_t max_parallel() const noexcept override;
  StreamFormat format() const noexcept override;
  std::vector<VoiceInfo> voices() const override;
  void check_voice(const VoiceOptions& voice) const override;
  bool has_voice(std::string_view name) const override { return find_flite_voice(name) != nullptr; }
  bool reads_ascii_only() const noexcept override { return true; }
  std::optional<std::string> unknown_ipa_symbol(std::string_view ipa) const override;
  // What Flite says, read back from its utterance, as IPA (lexicon/data/phonemes/
  // flite_us_to_ipa.tsv) with ˈ before each stressed vowel; words separated by spaces.
  std::string spoken_ipa(const Utterance& utterance, const VoiceOptions& voice) override;
  AudioChunk synthesize(const Utterance& utterance, const VoiceOptions& voice,
                        const CancelToken& cancel) override;

  // The phones Flite said for each of the utterance's words (empty for a word that produced
  // none), read back from the synthesized utterance's Segment relation.
  std::vector<std::string> spoken_phones(const Utterance& utterance, const VoiceOptions& voice);

 private:
  const IpaToFlite& ipa_;
};

}  // namespace narrator
