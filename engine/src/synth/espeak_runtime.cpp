#include "espeak_runtime.hpp"

#include <espeak-ng/speak_lib.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "narrator/error.hpp"

namespace narrator {
namespace {

// The state of one espeak_Synth call, reached from the callback through user_data.
struct SynthJob {
  const CancelToken* cancel;
  std::vector<std::int16_t>* samples;
  std::vector<WordEvent>* words = nullptr;  // when the caller wants word timings
  bool cancelled = false;
};

int synth_callback(short* wav, int sample_count, espeak_EVENT* events) {
  auto* job = static_cast<SynthJob*>(events->user_data);
  if (job == nullptr || wav == nullptr) return 0;  // wav == NULL marks the end of synthesis
  if (job->cancel->cancelled()) {
    job->cancelled = true;
    return 1;  // aborts the synthesis
  }
  job->samples->insert(job->samples->end(), wav, wav + sample_count);
  for (const espeak_EVENT* event = events;
       job->words != nullptr && event->type != espeakEVENT_LIST_TERMINATED; ++event) {
    // text_position is 1-based, in characters of the text we passed (FACTS.md).
    if (event->type == espeakEVENT_WORD && event->text_position > 0 && event->sample >= 0) {
      job->words->push_back(WordEvent{static_cast<std::size_t>(event->text_position - 1),
                                      static_cast<std::size_t>(event->sample)});
    }
  }
  return 0;
}

std::string describe(espeak_ERROR code) {
  switch (code) {
    case EE_OK:
      return "ok";
    case EE_INTERNAL_ERROR:
      return "internal error";
    case EE_BUFFER_FULL:
      return "buffer full";
    case EE_NOT_FOUND:
      return "not found";
  }
  return "error " + std::to_string(static_cast<int>(code));
}

void check(espeak_ERROR code, const std::string& what) {
  if (code != EE_OK) {
    throw Error(ErrorCategory::kBackend, "eSpeak NG: " + what + " failed: " + describe(code));
  }
}

std::vector<std::string> parse_languages(const char* packed) {
  // A list of (priority byte, NUL-terminated language) pairs, ended by a zero priority byte.
  std::vector<std::string> languages;
  if (packed == nullptr) return languages;
  while (*packed != 0) {
    const std::string language(packed + 1);
    languages.push_back(language);
    packed += 1 + language.size() + 1;
  }
  return languages;
}

VoiceGender to_gender(unsigned char gender) {
  if (gender == 1) return VoiceGender::kMale;
  if (gender == 2) return VoiceGender::kFemale;
  return VoiceGender::kUnknown;
}

}  // namespace

EspeakRuntime& EspeakRuntime::instance() {
  static EspeakRuntime runtime;  // the one process-wide owner (see header)
  return runtime;
}

EspeakRuntime::EspeakRuntime() {
  sample_rate_hz_ =
      espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
  if (sample_rate_hz_ <= 0) {
    throw Error(ErrorCategory::kBackend,
                "eSpeak NG cannot start: its data files were not found; install the "
                "espeak-ng-data package");
  }
  espeak_SetSynthCallback(synth_callback);
}

EspeakRuntime::~EspeakRuntime() { espeak_Terminate(); }

std::vector<VoiceInfo> EspeakRuntime::voices() {
  const std::lock_guard lock(mutex_);
  std::vector<VoiceInfo> result;
  const espeak_VOICE** list = espeak_ListVoices(nullptr);
  for (; list != nullptr && *list != nullptr; ++list) {
    const espeak_VOICE& voice = **list;
    result.push_back(VoiceInfo{
        voice.name ? voice.name : "", voice.identifier ? voice.identifier : "",
        parse_languages(voice.languages), to_gender(voice.gender), "espeak", sample_rate_hz_});
  }
  return result;
}

bool EspeakRuntime::can_load_voice(const std::string& name) {
  const std::lock_guard lock(mutex_);
  if (name == current_voice_) return true;
  current_voice_.clear();
  if (espeak_SetVoiceByName(name.c_str()) != EE_OK) return false;
  current_voice_ = name;
  return true;
}

void EspeakRuntime::apply_voice(const VoiceOptions& voice) {
  if (voice.name != current_voice_) {
    current_voice_.clear();
    check(espeak_SetVoiceByName(voice.name.c_str()), "selecting voice '" + voice.name + "'");
    current_voice_ = voice.name;
  }
  check(espeak_SetParameter(espeakRATE, voice.rate_wpm, 0), "setting the rate");
  check(espeak_SetParameter(espeakPITCH, voice.pitch, 0), "setting the pitch");
  check(espeak_SetParameter(espeakVOLUME, voice.volume, 0), "setting the volume");
}

void EspeakRuntime::synthesize(std::string_view text, const VoiceOptions& voice, bool phoneme_input,
                               const CancelToken& cancel, std::vector<std::int16_t>& samples,
                               std::vector<WordEvent>* words) {
  const std::lock_guard lock(mutex_);
  apply_voice(voice);
  SynthJob job{&cancel, &samples, words};
  const std::string buffer(text);  // espeak_Synth needs NUL termination
  unsigned int flags = espeakCHARS_UTF8;
  if (phoneme_input) flags |= espeakPHONEMES;
  check(espeak_Synth(buffer.c_str(), buffer.size() + 1, 0, POS_CHARACTER, 0, flags, nullptr, &job),
        "synthesis");
  if (job.cancelled || cancel.cancelled()) {
    throw Error(ErrorCategory::kCancelled, "narration cancelled");
  }
}

std::string EspeakRuntime::spoken_ipa(std::string_view text, const VoiceOptions& voice,
                                      bool phoneme_input) {
  char* buffer = nullptr;
  std::size_t size = 0;
  struct StreamCloser {
    void operator()(FILE* stream) const noexcept { std::fclose(stream); }
  };
  std::unique_ptr<FILE, StreamCloser> trace(open_memstream(&buffer, &size));
  if (!trace) throw Error(ErrorCategory::kInternal, "cannot open a memory stream for the trace");
  std::vector<std::int16_t> discarded;
  const CancelSource never;
  const CancelToken token = never.token();
  espeak_ERROR status = EE_OK;
  {
    const std::lock_guard lock(mutex_);
    apply_voice(voice);
    espeak_SetPhonemeTrace(espeakPHONEMES_IPA, trace.get());
    SynthJob job{&token, &discarded, nullptr};
    const std::string input(text);
    unsigned int flags = espeakCHARS_UTF8;
    if (phoneme_input) flags |= espeakPHONEMES;
    status =
        espeak_Synth(input.c_str(), input.size() + 1, 0, POS_CHARACTER, 0, flags, nullptr, &job);
    espeak_SetPhonemeTrace(0, nullptr);
  }
  trace.reset();  // flushes into `buffer`
  const std::unique_ptr<char, decltype(&std::free)> owned(buffer, &std::free);
  check(status, "reading back phonemes");
  std::string ipa(buffer != nullptr ? buffer : "", size);
  while (!ipa.empty() && (ipa.back() == '\n' || ipa.back() == ' ')) ipa.pop_back();
  while (!ipa.empty() && (ipa.front() == '\n' || ipa.front() == ' ')) ipa.erase(0, 1);
  for (char& c : ipa) {
    if (c == '\n') c = ' ';
  }
  return ipa;
}

}  // namespace narrator
