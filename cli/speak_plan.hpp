// speak_plan.hpp: what `narrate speak` will do, resolved once from its options when they are
// parsed (cli_options.cpp): play on a sound device, or write the audio with its processing and
// each side file. The speak command carries the plan out top to bottom.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "listening_page.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/audio/output_processing.hpp"
#include "timing_outputs.hpp"

namespace narrator::cli {

// Without -o: the article is played.
struct PlaybackPlan {
  std::string device;        // --device NAME|INDEX; empty for the default output
  int device_rate_hz = 0;    // --device-rate; 0 lets the player choose
  bool keys = true;          // keys from stdin (not when the article itself comes from stdin)
  bool status_line = false;  // the player's status line on stderr (a terminal, no --quiet)
  bool summary = true;       // "narrate: played ..." at the end (no --quiet)
};

// -o: where the audio goes and how it is processed.
struct AudioOutput {
  std::string path;  // empty for stdout
  AudioFormat format = AudioFormat::kWav;
  OutputProcessing processing;  // rate, channels, loudness (unset: the format's default)

  bool to_stdout() const noexcept { return path.empty(); }
  // The name in messages and the summary: the path, or <stdout>.
  std::string display_name() const { return to_stdout() ? "<stdout>" : path; }
};

struct SubtitlesFile {
  std::string path;
  SubtitleFormat format = SubtitleFormat::kVtt;
};

struct ManifestFile {
  std::string path;
  std::string input_path;  // the article as given ("-" for stdin)
  std::string settings;    // settings_key(): what changes the audio
};

// --player: a page that plays the audio by a URL relative to the page, or holds it embedded.
struct PageFile {
  std::string path;
  std::string audio_url;  // empty: the audio is embedded as a data: URI
  std::string disclaimer;
  std::string language;  // the page's lang attribute
};

// --player-snippet: the fragment, its JS and CSS beside it, and the URLs the fragment uses (its
// duration is known only after the narration).
struct SnippetFiles {
  std::string html_path;
  std::string js_path;
  std::string css_path;
  SnippetOptions fragment;
};

struct FilePlan {
  AudioOutput audio;
  std::optional<std::string> marks;  // --marks FILE.jsonl
  std::optional<SubtitlesFile> subtitles;
  std::optional<ManifestFile> manifest;
  std::optional<PageFile> page;
  std::optional<SnippetFiles> snippet;
  bool progress_line = false;  // the progress line on stderr (a terminal, no --quiet)
  bool summary = true;         // the closing summary on stderr (no --quiet)

  // Whether the narration's marks must be kept (for the marks, subtitles or manifest).
  bool needs_marks() const noexcept { return marks || subtitles || manifest; }
};

using SpeakPlan = std::variant<PlaybackPlan, FilePlan>;

}  // namespace narrator::cli
