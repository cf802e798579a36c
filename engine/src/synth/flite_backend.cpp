#include "flite_backend.hpp"

#include <flite.h>
extern "C" {
#include <cst_diphone.h>
}
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

// Each voice's registration, in its own library with no header.
extern "C" {
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
}

namespace {

// Flite's clustergen voices (rms, slt, awb) draw libc rand() once per output sample for their
// excitation noise. With libc's generator the same text gives different samples on every run, and
// threads that synthesize at once share (and race on) its one state. This definition takes the
// place of libc's rand() in the process: each thread has its own state, and
// FliteBackend::synthesize() seeds it from the sentence before each utterance, so a sentence
// always gives the same samples, whichever thread speaks it and whatever was spoken before.
thread_local unsigned int flite_noise_state = 1;

}  // namespace

// Default visibility: the engine's objects are built with hidden symbols, and in a program Flite's
// shared libraries must find this rand() before libc's (a program's own symbols come first).
// libnarrator.so links Flite's static libraries instead, and binds their rand() to this one
// inside itself (engine/src/api/flite_in_library.c), however it is loaded.
extern "C" __attribute__((visibility("default"))) int rand() noexcept {
  return rand_r(&flite_noise_state);
}

namespace narrator {
namespace {

constexpr std::string_view kQualifier = "flite:";
constexpr std::string_view kToIpaPath = "phonemes/flite_us_to_ipa.tsv";
constexpr std::string_view kDiphoneFallbacksPath = "phonemes/flite_diphone_fallbacks.tsv";

constexpr int kNormalPitch = 50;  // the voice's own pitch

// Silence kept before and after the speech, so onsets and releases are not clipped.
constexpr std::chrono::milliseconds kLeadMargin{10};
constexpr std::chrono::milliseconds kTailMargin{40};
// Each chunk fades in and out over this long: Flite's waveforms may start or end off zero, and a
// step at a join between two sentences is heard as a click.
constexpr std::chrono::milliseconds kFade{5};

// Punctuation Flite reads for phrasing, kept off the token's name as its tokenizer does.
constexpr std::string_view kPrePunctuation = "\"'`({[";
constexpr std::string_view kPostPunctuation = "\"'`.,:;!?)}]";

std::string_view without_qualifier(std::string_view name) {
  if (name.size() > kQualifier.size() &&
      detail::ascii_lower(name.substr(0, kQualifier.size())) == kQualifier) {
    name.remove_prefix(kQualifier.size());
  }
  return name;
}

// The voices and the phone set, set up once per process and read-only afterwards.
class FliteRuntime {
 public:
  static FliteRuntime& instance() {
    static FliteRuntime runtime;
    return runtime;
  }

  cst_voice* voice(std::size_t index) const { return voices_[index]; }

  // `phones` (Flite's, vowels with stress digits) as voice `index` can join them. A diphone voice
  // (kal16) holds a recording for each phone pair of English only, and for a missing pair (the
  // "hh r" of Hrodna) it prints to stderr and joins the wrong halves; there, a consonant pair it
  // lacks takes a short schwa between them, as an English speaker says a foreign cluster, and a
  // pair that still has no recording takes the nearest phone it has (lexicon/data/phonemes/
  // flite_diphone_fallbacks.tsv). Other voices take any sequence: `phones` is returned as is.
  std::string fit_to_voice(std::size_t index, const std::string& phones) const {
    const std::set<std::string>& pairs = diphones_[index];
    if (pairs.empty()) return phones;
    std::vector<std::string> said;
    std::istringstream in(phones);
    // Between words there may be a pause: the word is fitted between two, which stay as they are.
    said.emplace_back("pau");
    for (std::string phone; in >> phone;) said.push_back(phone);
    said.emplace_back("pau");
    const auto base = [](const std::string& phone) {
      return phone.substr(0, phone.find_first_of("0123456789"));
    };
    const auto joins = [&](const std::string& a, const std::string& b) {
      return pairs.count(base(a) + "-" + base(b)) > 0;
    };
    for (std::size_t i = 0; i + 1 < said.size(); ++i) {
      if (joins(said[i], said[i + 1])) continue;
      const bool edge = i == 0 || i + 2 == said.size();
      if (!edge && !is_vowel(base(said[i])) && !is_vowel(base(said[i + 1])) &&
          joins(said[i], "ax") && joins("ax", said[i + 1])) {
        said.insert(said.begin() + static_cast<std::ptrdiff_t>(i) + 1, "ax0");
        continue;
      }
      for (std::size_t side : {i, i + 1}) {
        if (side == 0 || side + 1 == said.size()) continue;  // a pause
        const auto fallbacks = diphone_fallbacks_.equal_range(base(said[side]));
        for (auto it = fallbacks.first; it != fallbacks.second; ++it) {
          const std::string stress = said[side].substr(base(said[side]).size());
          const std::string candidate = it->second + (is_vowel(it->second) ? stress : "");
          const bool before = side == 0 || joins(said[side - 1], candidate);
          const bool after = side + 1 >= said.size() || joins(candidate, said[side + 1]);
          if (before && after) {
            said[side] = candidate;
            break;
          }
        }
        if (joins(said[i], said[i + 1])) break;
      }
    }
    // A leading space (see plan_tokens) stays: it tells two equal phone strings apart.
    std::string fitted = phones.starts_with(' ') ? " " : "";
    for (std::size_t i = 1; i + 1 < said.size(); ++i) fitted += (i == 1 ? "" : " ") + said[i];
    return fitted;
  }
  const IpaToFlite& ipa() const { return *ipa_; }
  bool is_vowel(std::string_view phone) const { return vowels_.count(std::string(phone)) > 0; }

  // The IPA for a Flite phone (without its stress digit); the phone itself when it has none.
  std::string ipa_of(const std::string& phone) const {
    const auto found = to_ipa_.find(phone);
    return found == to_ipa_.end() ? phone : found->second;
  }

 private:
  FliteRuntime() {
    // All that flite_init() does. Calling it directly keeps flite.c out of libnarrator.so, which
    // links Flite's static libraries, and with it Flite's audio output (ALSA): the library plays
    // nothing itself.
    cst_regex_init();
    using Register = cst_voice* (*)(const char*);
    const Register registrations[] = {register_cmu_us_rms, register_cmu_us_slt, register_cmu_us_awb,
                                      register_cmu_us_kal16};
    for (const Register registration : registrations) {
      cst_voice* voice = registration(nullptr);
      if (voice == nullptr || feat_present(voice->features, "phoneset") == 0) {
        throw Error(ErrorCategory::kBackend, "a Flite voice could not be registered");
      }
      voices_.push_back(voice);
      std::set<std::string>& pairs = diphones_.emplace_back();
      if (feat_present(voice->features, "diphone_db") != 0) {
        const cst_diphone_db* db = val_diphone_db(feat_val(voice->features, "diphone_db"));
        for (int i = 0; i < db->num_entries; ++i) pairs.insert(db->diphones[i].name);
      }
    }
    // Every voice speaks the US phone set; vowels are the phones with vc "+".
    std::set<std::string> phone_names;
    for (cst_voice* voice : voices_) {
      const cst_phoneset* phoneset = val_phoneset(feat_val(voice->features, "phoneset"));
      std::set<std::string> names;
      for (int i = 0; i < phoneset->num_phones; ++i) {
        const std::string phone = phoneset->phonenames[i];
        names.insert(phone);
        if (std::string_view(phone_feature_string(phoneset, phone.c_str(), "vc")) == "+") {
          vowels_.insert(phone);
        }
      }
      if (phone_names.empty()) phone_names = names;
      std::set<std::string> common;
      std::set_intersection(phone_names.begin(), phone_names.end(), names.begin(), names.end(),
                            std::inserter(common, common.end()));
      phone_names = std::move(common);
    }
    ipa_.emplace([this](std::string_view phone) { return is_vowel(phone); });
    for (const TsvRow& row : parse_tsv(required_builtin_data(kToIpaPath),
                                       "builtin:" + std::string(kToIpaPath), TsvShape{2, 3})) {
      to_ipa_.emplace(row.fields[0], row.fields[1]);
    }
    for (const TsvRow& row :
         parse_tsv(required_builtin_data(kDiphoneFallbacksPath),
                   "builtin:" + std::string(kDiphoneFallbacksPath), TsvShape{2, 3})) {
      std::istringstream nearest(row.fields[1]);
      for (std::string phone; nearest >> phone;) diphone_fallbacks_.emplace(row.fields[0], phone);
    }
    // Flite maps an unknown phone to its first one without a word: the table is checked here.
    for (const std::string& phone : ipa_->phones()) {
      if (phone_names.count(phone) == 0) {
        throw Error(ErrorCategory::kBackend,
                    std::string(IpaToFlite::kTableName) + " gives the phone '" + phone +
                        "', which Flite's US voices do not have; correct the table");
      }
    }
  }

  std::vector<cst_voice*> voices_;  // in flite_voices() order
  // Per voice, the phone pairs ("hh-aa") of a diphone voice's database; empty for other voices.
  std::vector<std::set<std::string>> diphones_;
  std::multimap<std::string, std::string> diphone_fallbacks_;  // phone → nearest phones, in order
  std::set<std::string> vowels_;
  std::optional<IpaToFlite> ipa_;
  std::map<std::string, std::string> to_ipa_;
};

std::size_t voice_index(std::string_view name) {
  const FliteVoiceInfo* info = find_flite_voice(name);
  if (info == nullptr) {
    throw Error(ErrorCategory::kUsage, "'" + std::string(name) + "' is not a Flite voice");
  }
  return static_cast<std::size_t>(info - flite_voices().data());
}

// One token handed to Flite: always printable ASCII, so nothing reaches Flite's error exits.
struct PlannedToken {
  std::string name;
  std::string prepunctuation;
  std::string punctuation;
  std::string phones;    // set: said with these phones instead of Flite's lexicon and rules
  std::size_t word = 0;  // index in the utterance's words
};

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Text as Flite can read it: letters of other scripts spelled in Latin, then Latin letters with
// diacritics folded to ASCII ("Café" → "Cafe", "Łukašenka" → "Lukasenka"). Flite reads ASCII
// only and would drop every other byte. The transliterator is made on the first word that needs
// it and belongs to one call, so threads never share it.
class AsciiFolder {
 public:
  std::string fold(const std::string& text) {
    if (is_ascii(text)) return text;
    if (!transliterator_) {
      UErrorCode status = U_ZERO_ERROR;
      transliterator_.reset(icu::Transliterator::createInstance(
          icu::UnicodeString::fromUTF8("Any-Latin; Latin-ASCII"), UTRANS_FORWARD, status));
      if (U_FAILURE(status) || !transliterator_) {
        throw Error(ErrorCategory::kBackend,
                    std::string("ICU cannot fold text to ASCII for Flite: ") + u_errorName(status));
      }
    }
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
    transliterator_->transliterate(unicode);
    std::string folded;
    unicode.toUTF8String(folded);
    return folded;
  }

 private:
  std::unique_ptr<icu::Transliterator> transliterator_;
};

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The words as Flite's tokens: the words' text split at spaces, punctuation kept apart as
// Flite's tokenizer keeps it, any byte outside printable ASCII dropped; a word with a
// pronunciation is one token carrying its phones.
std::vector<PlannedToken> plan_tokens(const Utterance& utterance, const IpaToFlite& ipa) {
  std::vector<PlannedToken> tokens;
  AsciiFolder folder;
  const auto add_piece = [&](std::string_view piece, std::size_t word, std::string phones) {
    std::string ascii;
    for (const char c : piece) {
      if (c > ' ' && c < 127) ascii += c;
    }
    const std::size_t first = ascii.find_first_not_of(kPrePunctuation);
    const std::string pre = ascii.substr(0, std::min(first, ascii.size()));
    std::string core = first == std::string::npos ? std::string() : ascii.substr(first);
    const std::size_t last = core.find_last_not_of(kPostPunctuation);
    const std::string post = last == std::string::npos ? core : core.substr(last + 1);
    core = last == std::string::npos ? std::string() : core.substr(0, last + 1);
    if (!phones.empty()) {
      // The name only shapes phrasing: letters only, so that it stays one word.
      std::string letters;
      std::copy_if(core.begin(), core.end(), std::back_inserter(letters), is_letter);
      core = letters.empty() ? "word" : letters;
      // Flite skips a word's phones when the word before it carried the very same string: a
      // leading space tells them apart and reads the same (a trailing one would add an empty
      // phone).
      if (!tokens.empty() && tokens.back().phones == phones) phones = " " + phones;
    }
    if (core.empty()) {
      if (!tokens.empty()) tokens.back().punctuation += pre + post;
      return;
    }
    tokens.push_back(PlannedToken{core, pre, post, std::move(phones), word});
  };
  for (std::size_t i = 0; i < utterance.words.size(); ++i) {
    const SpokenWord& word = utterance.words[i];
    std::string text = folder.fold(word.text);
    if (word.pronunciation) {
      const std::size_t end = word.text.find_last_not_of(",.;:!?");
      const std::string marks = end == std::string::npos ? "" : word.text.substr(end + 1);
      if (word.pronunciation->ipa.empty()) {
        text = folder.fold(word.pronunciation->alias + marks);
      } else if (const std::optional<std::string> phones = ipa.convert(word.pronunciation->ipa);
                 phones && !phones->empty()) {
        add_piece(folder.fold(word.text), i, *phones);
        continue;
      }
    }
    std::size_t at = 0;
    while (at < text.size()) {
      const std::size_t space = std::min(text.find(' ', at), text.size());
      if (space > at) add_piece(std::string_view(text).substr(at, space - at), i, "");
      at = space + 1;
    }
  }
  return tokens;
}

// FNV-1a over the tokens: the sentence's noise seed.
unsigned int noise_seed(const std::vector<PlannedToken>& tokens) {
  std::uint32_t hash = 2166136261u;
  const auto mix = [&](std::string_view text) {
    for (const char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 16777619u;
    }
    hash ^= 0xff;
    hash *= 16777619u;
  };
  for (const PlannedToken& token : tokens) {
    mix(token.name);
    mix(token.punctuation);
    mix(token.phones);
  }
  return hash == 0 ? 1 : hash;
}

// Flite's streaming callback, set only to stop early: Flite calls it for every piece of wave it
// makes (about 100 ms of audio each), and stops the utterance once the narration is cancelled.
int stop_when_cancelled(const cst_wave* /*wave*/, int /*start*/, int /*size*/, int /*last*/,
                        cst_audio_streaming_info* streaming) {
  const auto* cancel = static_cast<const CancelToken*>(streaming->userdata);
  return cancel->cancelled() ? CST_AUDIO_STREAM_STOP : CST_AUDIO_STREAM_CONT;
}

struct UtteranceDeleter {
  void operator()(cst_utterance* utterance) const noexcept { delete_utterance(utterance); }
};
using UtterancePtr = std::unique_ptr<cst_utterance, UtteranceDeleter>;

// Runs Flite over the tokens. Everything the request sets is on the utterance, never the voice.
// With `cancel`, the synthesis stops within about 100 ms of audio once it is cancelled.
UtterancePtr run_flite(const std::vector<PlannedToken>& tokens, const VoiceOptions& options,
                       const CancelToken* cancel = nullptr) {
  const std::size_t index = voice_index(options.name);
  cst_voice* voice = FliteRuntime::instance().voice(index);
  UtterancePtr utterance(new_utterance());
  utt_init(utterance.get(), voice);
  feat_set_float(utterance->features, "duration_stretch",
                 static_cast<float>(flite_voices()[index].natural_rate_wpm / options.rate_wpm));
  if (options.pitch != kNormalPitch) {
    // Pitch 0-100 moves the voice's mean F0 from half an octave down to half an octave up
    // (slt, awb, kal16; rms takes its F0 from its accent model, which ignores the shift).
    feat_set_float(utterance->features, "f0_shift",
                   static_cast<float>(std::exp2((options.pitch - kNormalPitch) / 100.0)));
  }
  if (cancel != nullptr) {
    cst_audio_streaming_info* streaming = new_audio_streaming_info();
    streaming->asc = stop_when_cancelled;
    streaming->userdata = const_cast<CancelToken*>(cancel);  // only read
    // The utterance's features own it from here.
    feat_set(utterance->features, "streaming_info", audio_streaming_info_val(streaming));
  }
  cst_relation* relation = utt_relation_create(utterance.get(), "Token");
  for (const PlannedToken& token : tokens) {
    cst_item* item = relation_append(relation, nullptr);
    item_set_string(item, "name", token.name.c_str());
    item_set_string(item, "whitespace", " ");
    item_set_string(item, "prepunctuation", token.prepunctuation.c_str());
    item_set_string(item, "punc", token.punctuation.c_str());
    item_set_int(item, "file_pos", 0);
    item_set_int(item, "line_number", 0);
    if (!token.phones.empty()) {
      const std::string phones = FliteRuntime::instance().fit_to_voice(index, token.phones);
      item_set_string(item, "phones", phones.c_str());
    }
  }
  flite_noise_state = noise_seed(tokens);
  if (utt_synth_tokens(utterance.get()) == nullptr) {
    throw Error(ErrorCategory::kBackend, "Flite could not synthesize the sentence");
  }
  return utterance;
}

float segment_end(const cst_item* segment) {
  return segment == nullptr ? 0.0f : get_param_float(item_feats(segment), "end", 0.0f);
}

// When the token's first word starts, in seconds of Flite's segment times: at the end of the
// segment before its first segment. nullopt when the token produced no segment.
std::optional<float> token_start(const cst_item* token) {
  for (const cst_item* word = item_daughter(token); word != nullptr; word = item_next(word)) {
    const cst_item* first = path_to_item(word, "R:SylStructure.daughter.daughter.R:Segment");
    if (first != nullptr) return segment_end(item_prev(first));
  }
  return std::nullopt;
}

// The token's phones as said, vowels with their syllable's stress.
std::string token_phones(const cst_item* token) {
  std::string phones;
  for (const cst_item* word = item_daughter(token); word != nullptr; word = item_next(word)) {
    const cst_item* structure = item_as(word, "SylStructure");
    if (structure == nullptr) continue;
    for (const cst_item* syllable = item_daughter(structure); syllable != nullptr;
         syllable = item_next(syllable)) {
      const std::string stress = get_param_string(item_feats(syllable), "stress", "0");
      for (const cst_item* segment = item_daughter(syllable); segment != nullptr;
           segment = item_next(segment)) {
        const std::string name = get_param_string(item_feats(segment), "name", "");
        if (!phones.empty()) phones += ' ';
        phones += name;
        if (FliteRuntime::instance().is_vowel(name)) phones += stress;
      }
    }
  }
  return phones;
}

void fade_edges(std::vector<std::int16_t>& samples, int sample_rate_hz) {
  const std::size_t length =
      std::min(duration_to_frames(kFade, sample_rate_hz), samples.size() / 2);
  for (std::size_t i = 0; i < length; ++i) {
    const double gain = static_cast<double>(i) / static_cast<double>(length);
    samples[i] = static_cast<std::int16_t>(std::lround(samples[i] * gain));
    std::int16_t& tail = samples[samples.size() - 1 - i];
    tail = static_cast<std::int16_t>(std::lround(tail * gain));
  }
}

void apply_volume(std::vector<std::int16_t>& samples, int volume) {
  if (volume == 100) return;
  for (std::int16_t& sample : samples) {
    const long scaled = std::lround(sample * (volume / 100.0));
    sample = static_cast<std::int16_t>(std::clamp(scaled, -32768L, 32767L));
  }
}

}  // namespace

const std::vector<FliteVoiceInfo>& flite_voices() {
  static const std::vector<FliteVoiceInfo> voices = {
      {"rms", "cmu_us_rms", "en-us", VoiceGender::kMale, 150.5},
      {"slt", "cmu_us_slt", "en-us", VoiceGender::kFemale, 170.5},
      {"awb", "cmu_us_awb", "en-gb-scotland", VoiceGender::kMale, 169.5},
      {"kal16", "cmu_us_kal16", "en-us", VoiceGender::kMale, 186.4},
  };
  return voices;
}

const FliteVoiceInfo* find_flite_voice(std::string_view name) {
  const std::string wanted = detail::ascii_lower(without_qualifier(name));
  for (const FliteVoiceInfo& voice : flite_voices()) {
    if (wanted == voice.name || wanted == voice.identifier) return &voice;
  }
  return nullptr;
}

std::vector<std::string> flite_voice_names() {
  std::vector<std::string> names;
  for (const FliteVoiceInfo& voice : flite_voices()) {
    names.emplace_back(voice.name);
    names.push_back(std::string(kQualifier) + std::string(voice.name));
    names.emplace_back(voice.identifier);
  }
  return names;
}

FliteBackend::FliteBackend() : ipa_(FliteRuntime::instance().ipa()) {}

std::size_t FliteBackend::max_parallel() const noexcept {
  const std::size_t cores = std::thread::hardware_concurrency();
  return std::clamp<std::size_t>(cores, 1, kMaxParallel);
}

StreamFormat FliteBackend::format() const noexcept { return StreamFormat{kSampleRateHz, 1}; }

std::vector<VoiceInfo> FliteBackend::voices() const {
  std::vector<VoiceInfo> voices;
  for (const FliteVoiceInfo& voice : flite_voices()) {
    voices.push_back(VoiceInfo{std::string(voice.name),
                               std::string(voice.identifier),
                               {std::string(voice.language)},
                               voice.gender,
                               "flite",
                               kSampleRateHz});
  }
  return voices;
}

void FliteBackend::check_voice(const VoiceOptions& voice) const {
  check_voice_settings(voice);
  voice_index(voice.name);
}

std::optional<std::string> FliteBackend::unknown_ipa_symbol(std::string_view ipa) const {
  std::string unknown;
  if (ipa_.convert(ipa, &unknown)) return std::nullopt;
  return unknown;
}

std::vector<std::string> FliteBackend::spoken_phones(const Utterance& utterance,
                                                     const VoiceOptions& voice) {
  std::vector<std::string> phones(utterance.words.size());
  const std::vector<PlannedToken> tokens = plan_tokens(utterance, ipa_);
  if (tokens.empty()) return phones;
  const UtterancePtr said = run_flite(tokens, voice);
  std::size_t index = 0;
  for (const cst_item* token = relation_head(utt_relation(said.get(), "Token"));
       token != nullptr && index < tokens.size(); token = item_next(token), ++index) {
    std::string& word = phones[tokens[index].word];
    const std::string token_said = token_phones(token);
    if (token_said.empty()) continue;
    word += (word.empty() ? "" : " ") + token_said;
  }
  return phones;
}

std::string FliteBackend::spoken_ipa(const Utterance& utterance, const VoiceOptions& voice) {
  const FliteRuntime& runtime = FliteRuntime::instance();
  std::string text;
  for (const std::string& word : spoken_phones(utterance, voice)) {
    if (word.empty()) continue;
    if (!text.empty()) text += ' ';
    std::istringstream phones(word);
    for (std::string phone; phones >> phone;) {
      const char last = phone.back();
      if (last == '0' || last == '1') phone.pop_back();
      if (last == '1') text += "ˈ";  // before the stressed vowel, as eSpeak NG writes it
      text += runtime.ipa_of(phone);
    }
  }
  return text;
}

AudioChunk FliteBackend::synthesize(const Utterance& utterance, const VoiceOptions& voice,
                                    const CancelToken& cancel) {
  if (cancel.cancelled()) throw Error(ErrorCategory::kCancelled, "narration cancelled");
  AudioChunk chunk;
  chunk.format = format();
  const std::vector<PlannedToken> tokens = plan_tokens(utterance, ipa_);
  if (tokens.empty()) return chunk;
  const UtterancePtr said = run_flite(tokens, voice, &cancel);
  if (cancel.cancelled()) throw Error(ErrorCategory::kCancelled, "narration cancelled");
  if (feat_present(said->features, "wave") == 0) {
    throw Error(ErrorCategory::kBackend, "Flite gave no audio for the sentence");
  }
  const cst_wave* wave = utt_wave(said.get());
  if (wave->sample_rate != kSampleRateHz || wave->num_channels != 1) {
    throw Error(ErrorCategory::kBackend,
                "Flite gave audio at " + std::to_string(wave->sample_rate) + " Hz, " +
                    std::to_string(wave->num_channels) + " channels; expected " +
                    std::to_string(kSampleRateHz) + " Hz mono");
  }
  const std::size_t length = static_cast<std::size_t>(std::max(wave->num_samples, 0));
  chunk.samples.assign(wave->samples, wave->samples + length);

  // Segment times to samples. Clustergen cuts the wave to whole frames and a diphone voice's
  // times are targets, so times are scaled to the wave when they run past it, and clamped.
  const cst_item* first_segment = relation_head(utt_relation(said.get(), "Segment"));
  const cst_item* last_segment = relation_tail(utt_relation(said.get(), "Segment"));
  const double timed = segment_end(last_segment) * kSampleRateHz;
  const double scale = timed > static_cast<double>(length) ? length / timed : 1.0;
  const auto to_frame = [&](float seconds) {
    const double frame = std::round(seconds * kSampleRateHz * scale);
    return std::min(static_cast<std::size_t>(std::max(frame, 0.0)), length);
  };

  // Keep the speech and a margin: Flite's leading and trailing pauses are dropped.
  const bool pause_first =
      first_segment != nullptr && item_next(first_segment) != nullptr &&
      std::string_view(get_param_string(item_feats(first_segment), "name", "")) == "pau";
  const bool pause_last =
      last_segment != nullptr && item_prev(last_segment) != nullptr &&
      std::string_view(get_param_string(item_feats(last_segment), "name", "")) == "pau";
  const std::size_t lead = duration_to_frames(kLeadMargin, kSampleRateHz);
  const std::size_t tail = duration_to_frames(kTailMargin, kSampleRateHz);
  const std::size_t speech_begin = pause_first ? to_frame(segment_end(first_segment)) : 0;
  const std::size_t speech_end =
      pause_last ? to_frame(segment_end(item_prev(last_segment))) : length;
  const std::size_t keep_begin = speech_begin > lead ? speech_begin - lead : 0;
  const std::size_t keep_end = std::max(keep_begin, std::min(length, speech_end + tail));
  chunk.samples.erase(chunk.samples.begin() + static_cast<std::ptrdiff_t>(keep_end),
                      chunk.samples.end());
  chunk.samples.erase(chunk.samples.begin(),
                      chunk.samples.begin() + static_cast<std::ptrdiff_t>(keep_begin));

  // One mark per source word, at its first token that Flite spoke; marks only move forward.
  std::size_t index = 0;
  for (const cst_item* token = relation_head(utt_relation(said.get(), "Token"));
       token != nullptr && index < tokens.size(); token = item_next(token), ++index) {
    const SpokenWord& word = utterance.words[tokens[index].word];
    if (!word.is_word) continue;
    if (!chunk.marks.empty() && word.span.begin_byte <= chunk.marks.back().span.begin_byte) {
      continue;
    }
    const std::optional<float> start = token_start(token);
    if (!start) continue;
    const std::size_t frame = to_frame(*start);
    const std::size_t at = frame > keep_begin ? frame - keep_begin : 0;
    chunk.marks.push_back(
        TimingMark{MarkKind::kWord, std::min(at, chunk.samples.size()), word.span, ""});
  }
  apply_volume(chunk.samples, voice.volume);
  fade_edges(chunk.samples, kSampleRateHz);
  return chunk;
}

}  // namespace narrator
