// options.hpp: the settings a narration is made with. Plain aggregates with defaults; Engine
// validates them once, when it is built, and throws Error(kUsage) naming the bad field.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace narrator {

struct VoiceOptions {
  // A voice from `narrate voices`: a Flite voice ("rms", "cmu_us_rms"), an eSpeak NG name,
  // identifier or language ("en-us"), or either qualified by its backend ("flite:slt",
  // "espeak:en-us"). The voice picks the backend.
  std::string name = "rms";
  int rate_wpm = 175;  // speaking rate, words per minute (80-450)
  int pitch = 50;      // base pitch, 0-100
  int volume = 100;    // amplitude, 0-200 (100 = normal)
};

struct PauseOptions {
  int sentence_ms = 350;   // after each sentence
  int paragraph_ms = 750;  // replaces the sentence pause at the end of a paragraph
  int heading_ms = 1000;   // after a headline or subhead
};

// The ranges Engine accepts for VoiceOptions and PauseOptions, both ends included (and SSML's
// prosody is held within): the one statement of them, which narrate's options and its service
// read too.
namespace limits {
inline constexpr int kMinRateWpm = 80;
inline constexpr int kMaxRateWpm = 450;
inline constexpr int kMaxPitch = 100;      // from 0
inline constexpr int kMaxVolume = 200;     // from 0; 100 is normal
inline constexpr int kMaxPauseMs = 10000;  // from 0, each of PauseOptions
}  // namespace limits

struct EngineConfig {
  VoiceOptions voice;
  PauseOptions pauses;
  std::string language = "en";  // which lexicon/data/<language>/ rules apply
  std::size_t max_sentence_bytes =
      600;  // longer sentences are split at a phrase break (100-100000)
  // House pronunciation lexicons (TSV or W3C PLS), above the built-in ones; a later file wins.
  std::vector<std::string> lexicon_files;
  // Sentences Engine::narrate_to() synthesizes at once (0-64): 0 lets the backend choose (Flite:
  // one per core, eSpeak NG: 1, its state being process-wide); more than the backend allows is
  // capped. The audio is the same, byte for byte, whatever the number.
  std::size_t synthesis_threads = 0;
};

}  // namespace narrator
