// cli_options.hpp: the command line, parsed once into plain values; the usage rules that span
// several options are checked there too, and speak's options resolved into its plan.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "feed.hpp"
#include "listening_page.hpp"
#include "narrator/article.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/options.hpp"
#include "shard.hpp"
#include "serve/serve_options.hpp"
#include "speak_plan.hpp"

namespace narrator::cli {

enum class Command {
  kSpeak,
  kScript,
  kNormalize,
  kPronounce,
  kLexiconCheck,
  kVoices,
  kDevices,
  kEstimate,
  kBatch,
  kFeed,
  kServe,        // narrate serve: the HTTP server
  kServeWorker,  // narrate serve-worker: one of its worker processes (hidden)
};

// --player, --player-snippet and their settings: the "Listen to this article" page or fragment.
struct PlayerOptions {
  std::string page;     // --player FILE.html: a self-contained page; empty for none
  std::string snippet;  // --player-snippet FILE.html: a fragment plus FILE.js and FILE.css
  std::string disclaimer{kDefaultPlayerDisclaimer};  // --player-disclaimer
  bool embed_audio = false;  // --player-embed-audio: the audio as a data: URI in the page
};

struct CliOptions {
  Command command = Command::kSpeak;
  std::string article;  // path, http(s) URL, or "-" for stdin; the lexicon for `lexicon check`
  std::vector<std::string> words;     // pronounce: the words; empty reads stdin
  std::string output;                 // path, or "-" for stdout; empty when not given
  std::optional<AudioFormat> format;  // --format; otherwise taken from the output's extension
  std::string marks;                  // --marks FILE.jsonl: speech marks; empty for none
  std::string subtitles;              // --subtitles FILE.vtt|.srt; empty for none
  std::string manifest;               // --manifest FILE.json; empty for none
  PlayerOptions player;               // --player and --player-snippet
  std::string loudness = "auto";      // --loudness LUFS|off; auto: -16 for MP3, off otherwise
  int output_rate_hz = 0;             // --sample-rate; 0 keeps the voice's
  int output_channels = 0;            // --channels; 0 keeps the voice's (mono)
  bool play = false;                  // --play, or no -o: play on a sound device
  std::string device;                 // --device NAME|INDEX; empty for the default output
  int device_rate_hz = 0;             // --device-rate; 0 lets the player choose
  bool lossy = false;                 // --lossy: replace invalid UTF-8 instead of failing
  std::string encoding;  // --encoding NAME: the article's encoding; empty: UTF-8 or the page's own
  int fetch_timeout_s = 30;          // --fetch-timeout: seconds a URL's page may take to arrive
  bool keep_page_furniture = false;  // --keep-furniture: read copied page text as it is
  std::optional<InputFormat> input_format;  // --input; otherwise from the extension or content
  bool quiet = false;
  bool explain = false;      // script --explain: every warning; pronounce --explain: evidence
  ArticleMetadata metadata;  // --title, --byline, --publication, --date: override what was found
  Framing framing;           // --intro, --disclaimer and their texts
  EngineConfig engine;
  std::vector<std::string> batch_inputs;   // batch: files and folders
  std::string out_dir;                     // batch: where outputs and manifests go
  int batch_jobs = 2;                      // batch: worker processes at once
  bool force = false;                      // batch: narrate even unchanged articles
  std::optional<Shard> shard;              // batch --shard K/N: only the articles of shard K
  FeedOptions feed;                        // feed, and batch --feed: the podcast feed
  SpeakPlan speak;                         // speak: the options above, resolved
  serve::ServeOptions serve;               // serve
  serve::ServeWorkerOptions serve_worker;  // serve-worker
};

// Parses argv. `narrate ARTICLE ...` means `narrate speak ARTICLE ...`. Returns nullopt when the
// parser already handled the run (--help, or a parse error it reported); `exit_code` then holds
// the status to exit with. Throws Error(kUsage) when options contradict each other (--play with
// -o, --player without a file to play, an output whose format is unknown, an output that is the
// input or another output) or a batch argument looks like an option.
std::optional<CliOptions> parse_command_line(int argc, char** argv, int& exit_code);

}  // namespace narrator::cli
