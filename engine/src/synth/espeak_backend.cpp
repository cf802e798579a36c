#include "espeak_backend.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

#include "closest_matches.hpp"
#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

// Samples quieter than this count as silence when trimming (about -54 dBFS).
constexpr int kSilenceThreshold = 64;
// Silence kept before and after the speech when trimming, so onsets and releases are not clipped.
constexpr std::chrono::milliseconds kLeadMargin{10};
constexpr std::chrono::milliseconds kTailMargin{40};

// The names a user may give for a voice: its name, its identifier, the identifier's last part and
// its languages ("English_(America)", "gmw/en-US", "en-US", "en-us").
std::vector<std::string> voice_keys(const VoiceInfo& voice) {
  // Languages first: they are the names users type ("en-us"), so suggestions prefer them.
  std::vector<std::string> keys(voice.languages.begin(), voice.languages.end());
  keys.push_back(voice.name);
  keys.push_back(voice.identifier);
  const std::size_t slash = voice.identifier.rfind('/');
  if (slash != std::string::npos) keys.push_back(voice.identifier.substr(slash + 1));
  return keys;
}

bool is_silent(std::int16_t sample) {
  return std::abs(static_cast<int>(sample)) < kSilenceThreshold;
}

// Trims the silence eSpeak NG leaves around an utterance, keeping small margins; returns how many
// samples were removed from the front.
std::size_t trim_silence(std::vector<std::int16_t>& samples, int sample_rate_hz) {
  const auto first = std::find_if_not(samples.begin(), samples.end(), is_silent);
  if (first == samples.end()) {
    const std::size_t all = samples.size();
    samples.clear();
    return all;
  }
  const auto last = std::find_if_not(samples.rbegin(), samples.rend(), is_silent).base();
  const auto lead = static_cast<std::ptrdiff_t>(duration_to_frames(kLeadMargin, sample_rate_hz));
  const auto tail = static_cast<std::ptrdiff_t>(duration_to_frames(kTailMargin, sample_rate_hz));
  const auto keep_end = std::min(samples.end(), last + tail);
  samples.erase(keep_end, samples.end());
  const auto front_end = std::max(samples.begin(), first - lead);
  const auto removed = static_cast<std::size_t>(front_end - samples.begin());
  samples.erase(samples.begin(), front_end);
  return removed;
}

// One word mark per source token, in reading order: at the first word event inside the token's
// words. `trimmed`
// samples were cut from the front, so event times move back by that much.
std::vector<TimingMark> word_marks(const Utterance& utterance,
                                   const std::vector<std::size_t>& starts,
                                   const std::vector<WordEvent>& events, std::size_t trimmed,
                                   std::size_t sample_count) {
  std::vector<TimingMark> marks;
  for (const WordEvent& event : events) {
    const auto after = std::upper_bound(starts.begin(), starts.end(), event.character);
    if (after == starts.begin()) continue;
    const SpokenWord& word = utterance.words[static_cast<std::size_t>(after - starts.begin()) - 1];
    if (!word.is_word) continue;
    // The token's later words, and a word eSpeak NG reports again at the end of a clause:
    // marks only move forward through the text.
    if (!marks.empty() && word.span.begin_byte <= marks.back().span.begin_byte) continue;
    const std::size_t frame = event.sample > trimmed ? event.sample - trimmed : 0;
    marks.push_back(TimingMark{MarkKind::kWord, std::min(frame, sample_count), word.span, ""});
  }
  return marks;
}

}  // namespace

EspeakBackend::EspeakBackend() : runtime_(EspeakRuntime::instance()) {}

StreamFormat EspeakBackend::format() const noexcept {
  return StreamFormat{runtime_.sample_rate_hz(), 1};
}

std::vector<VoiceInfo> EspeakBackend::voices() const { return runtime_.voices(); }

void EspeakBackend::check_voice(const VoiceOptions& voice) const {
  check_voice_settings(voice);
  if (runtime_.selectable_name(voice.name)) return;
  // eSpeak NG voice names may carry a variant after '+' ("en-us+f3").
  const std::string base = detail::ascii_lower(voice.name.substr(0, voice.name.find('+')));
  std::vector<std::string> all_keys;
  for (const VoiceInfo& info : voices()) {
    for (const std::string& key : voice_keys(info)) all_keys.push_back(key);
  }
  std::string message = "unknown voice '" + voice.name + "'";
  const std::vector<std::string> near = detail::closest_matches(base, all_keys, 3);
  for (std::size_t i = 0; i < near.size(); ++i) {
    message += (i == 0 ? "; did you mean " : ", ") + near[i];
  }
  message += near.empty() ? "." : "?";
  throw Error(ErrorCategory::kUsage, message + " Run 'narrate voices' to list every voice.");
}

bool EspeakBackend::has_voice(std::string_view name) const {
  return runtime_.selectable_name(std::string(name)).has_value();
}

std::optional<LanguageVoice> EspeakBackend::voice_for_language(
    std::string_view tag, std::string_view narration_voice) const {
  const std::vector<VoiceInfo> all = voices();
  const std::optional<std::string> narrating =
      runtime_.selectable_name(std::string(narration_voice));
  // The narration voice without its variant: the variant changes how it sounds, not its language.
  const std::string narrating_base =
      narrating ? narrating->substr(0, narrating->find('+')) : std::string();
  for (const VoiceInfo& voice : all) {
    if (voice.identifier != narrating_base) continue;
    for (const std::string& language : voice.languages) {
      if (language_covers(tag, language)) {
        return LanguageVoice{std::string(narration_voice), std::string(narration_voice)};
      }
    }
  }
  const std::optional<std::size_t> index = closest_voice(tag, runtime_.spoken_languages());
  if (!index) return std::nullopt;
  const VoiceInfo& voice = all[*index];
  if (voice.identifier == narrating_base) {
    return LanguageVoice{std::string(narration_voice), std::string(narration_voice)};
  }
  return LanguageVoice{voice.identifier,
                       "eSpeak NG voice " + voice.languages.front() + ", " + voice.name};
}

std::optional<std::string> EspeakBackend::unknown_ipa_symbol(std::string_view ipa) const {
  std::string unknown;
  if (ipa_.convert(ipa, &unknown)) return std::nullopt;
  return unknown;
}

std::string EspeakBackend::voice_text(const Utterance& utterance, bool& phonemes,
                                      std::vector<std::size_t>* starts) const {
  std::string text;
  phonemes = false;
  std::vector<std::size_t> start_bytes;
  for (const SpokenWord& word : utterance.words) {
    if (!text.empty()) text += ' ';
    start_bytes.push_back(text.size());
    if (!word.pronunciation) {
      text += word.text;
      continue;
    }
    // The word's own prosody marks stay outside the brackets: "Lukashenko," → [[...]],
    const std::size_t end = word.text.find_last_not_of(",.;:!?");
    const std::string marks = end == std::string::npos ? "" : word.text.substr(end + 1);
    const std::optional<std::string> espeak = ipa_.convert(word.pronunciation->ipa);
    if (word.pronunciation->ipa.empty() || !espeak) {
      text += word.pronunciation->ipa.empty() ? word.pronunciation->alias + marks : word.text;
      continue;
    }
    text += "[[" + *espeak + "]]" + marks;
    phonemes = true;
  }
  if (starts != nullptr) {
    // eSpeak NG reports positions in characters: convert each word's byte offset once.
    starts->clear();
    std::size_t characters = 0;
    std::size_t byte = 0;
    for (const std::size_t start : start_bytes) {
      characters += detail::count_code_points(std::string_view(text).substr(byte, start - byte));
      byte = start;
      starts->push_back(characters);
    }
  }
  return text;
}

std::string EspeakBackend::spoken_ipa(const Utterance& utterance, const VoiceOptions& voice) {
  bool phonemes = false;
  const std::string text = voice_text(utterance, phonemes);
  return text.empty() ? std::string() : runtime_.spoken_ipa(text, voice, phonemes);
}

AudioChunk EspeakBackend::synthesize(const Utterance& utterance, const VoiceOptions& voice,
                                     const CancelToken& cancel) {
  bool phonemes = false;
  std::vector<std::size_t> starts;  // each word's first character in `text`
  const std::string text = voice_text(utterance, phonemes, &starts);
  AudioChunk chunk;
  chunk.format = format();
  std::vector<WordEvent> events;
  if (!text.empty()) runtime_.synthesize(text, voice, phonemes, cancel, chunk.samples, &events);
  const std::size_t trimmed = trim_silence(chunk.samples, chunk.format.sample_rate_hz);
  chunk.marks = word_marks(utterance, starts, events, trimmed, chunk.samples.size());
  return chunk;
}

}  // namespace narrator
