#include "espeak_runtime.hpp"

#include <espeak-ng/speak_lib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "narrator/detail/ascii.hpp"
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

VoiceGender to_gender(unsigned char gender) {
  if (gender == 1) return VoiceGender::kMale;
  if (gender == 2) return VoiceGender::kFemale;
  return VoiceGender::kUnknown;
}

// libespeak-ng 1.51's espeak_Initialize creates an audio device object through pcaudiolib even in
// synchronous mode, where it never plays, and pcaudiolib probes for PulseAudio by opening a
// client. That client makes a 64 MiB shared-memory file (death by SIGXFSZ, or an error, under a
// smaller `ulimit -f`), creates ~/.config/pulse ("Failed to create secure directory" on stderr
// when HOME is not writable), may autospawn a sound server and connects to the user's one.
// For the length of espeak_Initialize this points the PulseAudio client at a configuration with
// no shared memory and no autospawn, and at a server address that cannot exist (a path under
// /dev/null), so the probe fails at once without touching HOME or /dev/shm; pcaudiolib then
// falls back to an ALSA object that it never opens. DISPLAY is hidden too, so that the client
// does not look for a server address on the X display. Everything is restored afterwards:
// playback (PortAudio, which may reach PulseAudio through ALSA) sees the user's settings.
// The environment is process-wide state, so only the one eSpeak NG owner does this, once.
class NoSoundServerProbe {
 public:
  NoSoundServerProbe() {
    config_fd_ = ::memfd_create("narrate-pulse-client.conf", MFD_CLOEXEC);
    std::string config_path;
    if (config_fd_ >= 0) {
      constexpr std::string_view kConfig =
          "autospawn = no\nenable-shm = no\ndefault-server = unix:/dev/null/no-sound-server\n";
      config_path = "/proc/self/fd/" + std::to_string(config_fd_);
      if (::write(config_fd_, kConfig.data(), kConfig.size()) !=
              static_cast<ssize_t>(kConfig.size()) ||
          ::access(config_path.c_str(), R_OK) != 0) {
        config_path.clear();  // no /proc: the server address alone still stops the connection
      }
    }
    if (!config_path.empty()) set("PULSE_CLIENTCONFIG", config_path.c_str());
    set("PULSE_SERVER", "unix:/dev/null/no-sound-server");
    set("DISPLAY", nullptr);
  }
  NoSoundServerProbe(const NoSoundServerProbe&) = delete;
  NoSoundServerProbe& operator=(const NoSoundServerProbe&) = delete;
  ~NoSoundServerProbe() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name, value->c_str(), 1);
      } else {
        ::unsetenv(name);
      }
    }
    if (config_fd_ >= 0) ::close(config_fd_);
  }

 private:
  // Sets (or, for nullptr, removes) `name`, remembering its value to restore.
  void set(const char* name, const char* value) {
    const char* old = std::getenv(name);
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }

  int config_fd_ = -1;
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

}  // namespace

EspeakRuntime& EspeakRuntime::instance() {
  static EspeakRuntime runtime;  // the one process-wide owner (see header)
  return runtime;
}

EspeakRuntime::EspeakRuntime() {
  {
    const NoSoundServerProbe no_sound_server;
    sample_rate_hz_ =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
  }
  if (sample_rate_hz_ <= 0) {
    throw Error(ErrorCategory::kBackend,
                "eSpeak NG cannot start: its data files were not found; install the "
                "espeak-ng-data package");
  }
  espeak_SetSynthCallback(synth_callback);
}

EspeakRuntime::~EspeakRuntime() { espeak_Terminate(); }

void EspeakRuntime::read_voices() {
  if (!voices_.empty()) return;
  const espeak_VOICE** list = espeak_ListVoices(nullptr);
  for (; list != nullptr && *list != nullptr; ++list) {
    const espeak_VOICE& voice = **list;
    std::vector<std::string> languages;
    // A list of (priority byte, NUL-terminated language) pairs, ended by a zero priority byte.
    for (const char* packed = voice.languages; packed != nullptr && *packed != 0;) {
      const std::string language(packed + 1);
      languages_.push_back(SpokenLanguage{voices_.size(), language, static_cast<int>(*packed)});
      languages.push_back(language);
      packed += 1 + language.size() + 1;
    }
    voices_.push_back(VoiceInfo{voice.name ? voice.name : "",
                                voice.identifier ? voice.identifier : "", std::move(languages),
                                to_gender(voice.gender), "espeak", sample_rate_hz_});
  }
}

std::vector<VoiceInfo> EspeakRuntime::voices() {
  const std::lock_guard lock(mutex_);
  read_voices();
  return voices_;
}

std::vector<SpokenLanguage> EspeakRuntime::spoken_languages() {
  const std::lock_guard lock(mutex_);
  read_voices();
  return languages_;
}

std::optional<std::string> EspeakRuntime::selectable_name(const std::string& name) {
  const std::lock_guard lock(mutex_);
  return resolve(name);
}

std::optional<std::string> EspeakRuntime::resolve(const std::string& name) {
  const auto known = selectable_.find(name);
  if (known != selectable_.end()) return known->second;
  read_voices();
  const std::size_t plus = name.find('+');
  const std::string base = detail::ascii_lower(name.substr(0, plus));
  const std::string variant = plus == std::string::npos ? "" : name.substr(plus);
  std::optional<std::string> found;
  for (const VoiceInfo& voice : voices_) {
    const std::size_t slash = voice.identifier.rfind('/');
    const std::string last =
        slash == std::string::npos ? voice.identifier : voice.identifier.substr(slash + 1);
    if (detail::ascii_lower(voice.name) == base || detail::ascii_lower(voice.identifier) == base ||
        detail::ascii_lower(last) == base) {
      found = voice.identifier + variant;
      break;
    }
  }
  if (!found) {
    // A language: the voice eSpeak NG prefers for exactly that language.
    std::vector<SpokenLanguage> exact;
    for (const SpokenLanguage& entry : languages_) {
      if (language_key(entry.language) == language_key(base)) exact.push_back(entry);
    }
    if (const std::optional<std::size_t> index = closest_voice(base, exact)) {
      found = voices_[*index].identifier + variant;
    }
  }
  if (!found && !base.empty()) {
    // Not listed (a voice file given by path, say): as it is, when libespeak-ng can load it.
    current_voice_.clear();
    if (espeak_SetVoiceByName(name.c_str()) == EE_OK) found = name;
  }
  selectable_.emplace(name, found);
  return found;
}

void EspeakRuntime::apply_voice(const VoiceOptions& voice) {
  const std::optional<std::string> selectable = resolve(voice.name);
  if (!selectable) {
    throw Error(ErrorCategory::kUsage,
                "unknown voice '" + voice.name + "'; run 'narrate voices' to list every voice");
  }
  if (*selectable != current_voice_) {
    current_voice_.clear();
    check(espeak_SetVoiceByName(selectable->c_str()), "selecting voice '" + voice.name + "'");
    current_voice_ = *selectable;
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
