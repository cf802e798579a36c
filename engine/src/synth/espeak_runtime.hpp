// espeak_runtime.hpp: the one owner of libespeak-ng's process-wide state.
//
// libespeak-ng keeps its voice, parameters and callback in globals, so the process has exactly one
// EspeakRuntime. It initializes the library once (synchronous mode, never exiting on missing data),
// serializes every call with a mutex, and terminates the library at process exit.
//
// Its wave generator keeps two counters from one utterance to the next that no call resets: the
// phase of the pitch flutter (a function-local static in wavegen.c's AdvanceParameters, which
// steps through a 368-entry table every 64 voiced samples) and the count of pitch cycles that
// paces the voice's roughness (a static in Wavegen). So a narration starts where the one before
// left them, and two narrations of the same text in one process differ by a few samples a sentence
// in length and in waveform (en-us: 62003, 62010, 61998 samples for one text spoken three times);
// a fresh process always gives the same samples. Voices without flutter and roughness (the stock
// variant "en-us+Denis", say) give identical samples every time, and so does every Flite voice.
// Re-initializing does not reset function statics; unloading and reloading the library does (7 ms)
// but leaks about 2.6 kB that espeak_Terminate leaves allocated each time, without bound in a
// server, and terminating and re-initializing 1.51 in place deadlocks its final espeak_Terminate,
// so the runtime initializes exactly once. A process that must give the same samples for the same
// text every time forks for each narration from a process that has loaded its voices but never
// synthesized: `narrate serve`'s workers do (cli/serve/worker.hpp), so each request starts from the
// state of a fresh process, and its body is the same bytes every time (a few ms a request).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "language_match.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/options.hpp"
#include "narrator/voice.hpp"

namespace narrator {

// eSpeak NG's report that a word starts: where in the text given to it, and when.
struct WordEvent {
  std::size_t character = 0;  // 0-based, in code points of the text passed to synthesize()
  std::size_t sample = 0;     // samples since the start of that synthesis
};

class EspeakRuntime {
 public:
  // The runtime, initialized on first use. Throws Error(kBackend) when libespeak-ng cannot start
  // (for example when espeak-ng-data is missing); a later call tries again.
  static EspeakRuntime& instance();

  EspeakRuntime(const EspeakRuntime&) = delete;
  EspeakRuntime& operator=(const EspeakRuntime&) = delete;

  int sample_rate_hz() const noexcept { return sample_rate_hz_; }

  // Every voice, read from eSpeak NG's files once per process.
  std::vector<VoiceInfo> voices();

  // The languages of every voice in voices(), with eSpeak NG's priority for each.
  std::vector<SpokenLanguage> spoken_languages();

  // What libespeak-ng selects for the voice `name`, resolved once per name: the identifier
  // ("gmw/en") of the voice whose name, identifier, identifier's last part or language (in that
  // order; any case) is `name`, with its "+variant" kept ("en-gb+f3" → "gmw/en+f3"); else `name`
  // itself when libespeak-ng can load it as it is; else nullopt.
  std::optional<std::string> selectable_name(const std::string& name);

  // Synthesizes UTF-8 `text` with `voice`, appending 16-bit mono samples to `samples`.
  // `phoneme_input` lets [[...]] spans carry eSpeak phonemes. Throws Error(kCancelled) when
  // `cancel` fires (checked in the audio callback), Error(kBackend) when eSpeak NG fails.
  void synthesize(std::string_view text, const VoiceOptions& voice, bool phoneme_input,
                  const CancelToken& cancel, std::vector<std::int16_t>& samples,
                  std::vector<WordEvent>* words = nullptr);

  // What the voice really says for `text`, as IPA with ˈ and ˌ: read back from eSpeak NG's
  // phoneme trace while it synthesizes (the audio is discarded). Throws as synthesize() does.
  std::string spoken_ipa(std::string_view text, const VoiceOptions& voice, bool phoneme_input);

 private:
  EspeakRuntime();
  ~EspeakRuntime();

  void apply_voice(const VoiceOptions& voice);                  // requires mutex_
  void read_voices();                                           // requires mutex_
  std::optional<std::string> resolve(const std::string& name);  // requires mutex_

  std::mutex mutex_;
  int sample_rate_hz_ = 0;
  std::string current_voice_;      // the voice libespeak-ng has loaded; reloaded only on change
  std::vector<VoiceInfo> voices_;  // read once, by read_voices()
  std::vector<SpokenLanguage> languages_;                         // the same voices' languages
  std::map<std::string, std::optional<std::string>> selectable_;  // resolve()'s answers
};

}  // namespace narrator
