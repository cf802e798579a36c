#include "cli_options.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "batch.hpp"
#include "exit_codes.hpp"
#include "manifest.hpp"
#include "narrator/error.hpp"
#include "option_limits.hpp"
#include "serve/serve_cli.hpp"

namespace narrator::cli {
namespace {

constexpr std::string_view kStdio = "-";

constexpr std::array<std::string_view, 13> kCommandNames{
    "speak",    "script", "normalize", "pronounce", "lexicon", "voices",      "devices",
    "estimate", "batch",  "help",      "feed",      "serve",   "serve-worker"};

bool names_command(std::string_view arg) {
  for (const std::string_view name : kCommandNames) {
    if (arg == name) return true;
  }
  return arg == "-h" || arg == "--help" || arg == "--version";
}

// argv with "speak" inserted when the first argument is not a command.
std::vector<std::string> with_default_command(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && !names_command(args.front())) args.insert(args.begin(), "speak");
  return args;
}

// --- option values: each check names the option as typed, its range and the value ---

// Ranges of the options whose values the engine or the output checks again; checked here first so
// that a message names the option the user typed, never a field of the library. Those `narrate
// serve` takes too are in option_limits.hpp; these are the command line's own.
constexpr SettingRange kSentenceBytesRange{100, 100000, "bytes"};
constexpr SettingRange kDeviceRateRange{8000, 192000, "Hz"};
constexpr SettingRange kJobsRange{1, 64, "worker processes"};
constexpr SettingRange kFetchTimeoutRange{1, 600, "seconds"};

// A whole number in `range`. CLI11 runs the check on the text before converting it, so a word
// ("fast") is refused here too, with the option's name.
CLI::Validator whole_number(std::string option, SettingRange range) {
  return CLI::Validator(
      [=](std::string& value) -> std::string {
        long number = 0;
        const char* end = value.data() + value.size();
        const auto [stop, error] = std::from_chars(value.data(), end, number);
        const std::string advice = "use " + range_text(range);
        if (error != std::errc() || stop != end) {
          return option + " '" + value + "' is not a whole number; " + advice;
        }
        if (!in_range(static_cast<double>(number), range)) {
          return option + " " + value + " is out of range; " + advice;
        }
        return "";
      },
      range_text(range));
}

CLI::Validator output_rate() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        int number = 0;
        const char* end = value.data() + value.size();
        const auto [stop, error] = std::from_chars(value.data(), end, number);
        if (error == std::errc() && stop == end && is_output_rate(number)) return "";
        return "--sample-rate " + value + " is not a rate narrate writes; use " +
               output_rates_text() + " (Hz)";
      },
      "HZ");
}

// The level in LUFS of --loudness, or nullopt for auto and off.
std::optional<double> loudness_level(const std::string& text) {
  if (text == "auto" || text == "off") return std::nullopt;
  try {
    std::size_t used = 0;
    const double level = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(level)) throw std::invalid_argument("trailing text");
    if (!in_range(level, kLoudnessRange)) {
      throw Error(ErrorCategory::kUsage, "--loudness " + text + " is out of range; use " +
                                             range_text(kLoudnessRange) +
                                             " (-16 suits speech), auto or off");
    }
    return level;
  } catch (const std::logic_error&) {  // std::invalid_argument, std::out_of_range
    throw Error(ErrorCategory::kUsage, "--loudness '" + text +
                                           "' is not a level; give one in LUFS such as -16 (" +
                                           range_numbers(kLoudnessRange) + "), auto or off");
  }
}

CLI::Validator loudness() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        try {
          loudness_level(value);
          return "";
        } catch (const Error& error) {
          return error.what();
        }
      },
      "LUFS|auto|off");
}

CLI::Validator known_encoding() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (is_known_encoding(value)) return "";
        return "--encoding '" + value +
               "' is not an encoding narrate knows; use a name such as windows-1251, KOI8-R, "
               "ISO-8859-5, UTF-16 or UTF-8";
      },
      "NAME");
}

void add_lexicon_option(CLI::App& command, CliOptions& options) {
  command
      .add_option("--lexicon", options.engine.lexicon_files,
                  "A house pronunciation lexicon (TSV or W3C PLS); repeat it, a later file wins")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile);
}

void add_article_options(CLI::App& command, CliOptions& options) {
  command
      .add_option("article", options.article,
                  "Article file (text, HTML or SSML), an http:// or https:// URL, or - for stdin")
      ->required();
  command.add_flag("--lossy", options.lossy,
                   "Replace invalid UTF-8 and NUL bytes with U+FFFD instead of failing");
  command
      .add_option("--encoding", options.encoding,
                  "The article's character encoding (windows-1251, KOI8-R, ISO-8859-5, UTF-16, "
                  "...); default: UTF-8 for text, the page's own (or a guess) for HTML")
      ->check(known_encoding());
  command
      .add_option(
          "--fetch-timeout", options.fetch_timeout_s,
          "Seconds a URL's page may take to arrive (" + range_span(kFetchTimeoutRange) + ")")
      ->check(whole_number("--fetch-timeout", kFetchTimeoutRange))
      ->capture_default_str();
  command.add_option_function<std::string>(
      "--input",
      [&options](const std::string& name) {
        if (name == "text") options.input_format = InputFormat::kText;
        if (name == "html") options.input_format = InputFormat::kHtml;
        if (name == "ssml") options.input_format = InputFormat::kSsml;
        if (!options.input_format) {
          throw CLI::ValidationError("--input",
                                     "unknown input '" + name + "'; use text, html or ssml");
        }
      },
      "Input format: text, html or ssml; default from the extension (.html .htm .ssml), else "
      "from the content");
  command.add_flag("--keep-furniture", options.keep_page_furniture,
                   "Read page text as it is: keep players, captions, share bars, bylines (see "
                   "script --explain for what is removed otherwise)");
  command
      .add_option(
          "--max-sentence-bytes", options.engine.max_sentence_bytes,
          "Split longer sentences at a phrase break (" + range_span(kSentenceBytesRange) + ")")
      ->check(whole_number("--max-sentence-bytes", kSentenceBytesRange))
      ->capture_default_str();
  add_lexicon_option(command, options);
}

// Metadata overrides and the intro and disclaimer: they change what is spoken.
void add_framing_options(CLI::App& command, CliOptions& options) {
  command.add_option("--title", options.metadata.title, "The headline, if the article's is wrong");
  command.add_option("--byline", options.metadata.byline, "The author(s)");
  command.add_option("--publication", options.metadata.publication, "The publication's name");
  command.add_option("--date", options.metadata.date, "The publication date");
  command.add_flag("--intro", options.framing.intro,
                   "Begin with the title and the publication (see --intro-text)");
  command
      .add_option("--intro-text", options.framing.intro_text,
                  "The intro; {title} {publication} {byline} {date} are filled in, and a sentence "
                  "whose value is unknown is left out")
      ->capture_default_str();
  command.add_flag("--disclaimer", options.framing.disclaimer,
                   "End with a note that the voice is a computer's (see --disclaimer-text)");
  command.add_option("--disclaimer-text", options.framing.disclaimer_text, "The closing note")
      ->capture_default_str();
}

void add_voice_options(CLI::App& command, CliOptions& options) {
  VoiceOptions& voice = options.engine.voice;
  PauseOptions& pauses = options.engine.pauses;
  command
      .add_option("-v,--voice", voice.name,
                  "Voice: rms, slt, awb, kal16, an eSpeak NG name or language, or flite:NAME / "
                  "espeak:NAME (see voices)")
      ->capture_default_str();
  command
      .add_option("-r,--rate", voice.rate_wpm,
                  "Speaking rate in words per minute (" + range_span(kRateRange) + ")")
      ->check(whole_number("--rate", kRateRange))
      ->capture_default_str();
  command.add_option("--pitch", voice.pitch, "Base pitch (" + range_span(kPitchRange) + ")")
      ->check(whole_number("--pitch", kPitchRange))
      ->capture_default_str();
  command
      .add_option("--volume", voice.volume,
                  "Volume (" + range_span(kVolumeRange) + ", 100 is normal)")
      ->check(whole_number("--volume", kVolumeRange))
      ->capture_default_str();
  const auto pause = [&](const char* option, int& value_ms, const std::string& what) {
    command.add_option(option, value_ms, what + ", in ms (" + range_span(kPauseRange) + ")")
        ->check(whole_number(option, kPauseRange))
        ->capture_default_str();
  };
  pause("--sentence-pause", pauses.sentence_ms, "Pause after a sentence");
  pause("--paragraph-pause", pauses.paragraph_ms, "Pause after a paragraph");
  pause("--heading-pause", pauses.heading_ms, "Pause after a headline or subhead");
}

void add_player_options(CLI::App& command, CliOptions& options) {
  command.add_option("--player", options.player.page,
                     "Also write a \"Listen to this article\" HTML page that plays -o FILE and "
                     "highlights each word as it is spoken");
  command.add_flag("--player-embed-audio", options.player.embed_audio,
                   "Put the audio into the --player page (a data: URI) instead of linking -o FILE");
  command.add_option("--player-snippet", options.player.snippet,
                     "Also write an HTML fragment (FILE.html) with FILE.js and FILE.css beside it "
                     "that a CMS places in its article page; needs --marks, which it loads");
  command
      .add_option("--player-disclaimer", options.player.disclaimer,
                  "The note under the --player or --player-snippet controls")
      ->capture_default_str();
}

void add_output_options(CLI::App& command, CliOptions& options) {
  command.add_option("-o,--output", options.output,
                     "Output file (.wav .mp3 .flac .ogg .opus), or - for WAV on stdout");
  command.add_option_function<std::string>(
      "-f,--format",
      [&options](const std::string& name) {
        options.format = parse_audio_format(name);
        if (!options.format) {
          throw CLI::ValidationError(
              "--format", "unknown format '" + name + "'; use wav, mp3, flac, ogg, opus or raw");
        }
      },
      "Output format: wav, mp3, flac, ogg (Vorbis), opus (Ogg Opus) or raw (s16le); default from "
      "the extension");
  command.add_flag("-q,--quiet", options.quiet, "No progress line and no summary");
  command.add_option("--marks", options.marks,
                     "Also write speech marks (JSON lines as Amazon Polly's: time, type, start, "
                     "end, value) to this file");
  command
      .add_option("--loudness", options.loudness,
                  "Normalize to this integrated loudness in LUFS (EBU R128, true peak at most "
                  "-1 dBTP; " +
                      range_numbers(kLoudnessRange) +
                      "), or off; auto is the format's default: -16 for MP3, off for others")
      ->check(loudness())
      ->capture_default_str();
  command
      .add_option("--sample-rate", options.output_rate_hz,
                  "Output sample rate in Hz: " + output_rates_text() +
                      " (opus: not 11025, 22050, 32000 or 44100; 48000 by default)")
      ->check(output_rate());
  command
      .add_option("--channels", options.output_channels,
                  "Output channels: " + std::to_string(kChannelsRange.min) + " or " +
                      std::to_string(kChannelsRange.max))
      ->check(whole_number("--channels", kChannelsRange));
  command.add_option("--manifest", options.manifest,
                     "Also write a JSON manifest: input hash, settings, duration, words, paragraph "
                     "times, lexicon and guesser uses, warnings");
  command.add_option("--subtitles", options.subtitles,
                     "Also write subtitles with sentence cues to this .vtt or .srt file");
  add_player_options(command, options);
}

void add_playback_options(CLI::App& command, CliOptions& options) {
  command.add_flag("-p,--play", options.play,
                   "Play on the sound device (the default when no -o is given); keys: space "
                   "pause, left/right sentence, up/down paragraph, q quit");
  command.add_option("-d,--device", options.device,
                     "Sound device for --play, by name or index (see devices)");
  command
      .add_option("--device-rate", options.device_rate_hz,
                  "Open the sound device at this sample rate in Hz; the audio is resampled")
      ->check(whole_number("--device-rate", kDeviceRateRange));
}

// --- speak's usage rules, and its options resolved into a plan ---

// The usage errors of --player and --player-snippet.
void check_player_usage(const CliOptions& options) {
  const PlayerOptions& player = options.player;
  if (player.page.empty() && player.snippet.empty()) {
    if (!player.embed_audio) return;
    throw Error(ErrorCategory::kUsage,
                "--player-embed-audio applies to the --player page; add --player FILE.html or "
                "drop --player-embed-audio");
  }
  const std::string flag = player.page.empty() ? "--player-snippet" : "--player";
  if (options.output.empty() || options.output == kStdio) {
    throw Error(ErrorCategory::kUsage,
                flag +
                    " needs the narration in a file for the page to play: add -o FILE.mp3 "
                    "(or .wav, .ogg, .flac)");
  }
  if (!player.snippet.empty() && options.marks.empty()) {
    throw Error(ErrorCategory::kUsage,
                "--player-snippet needs --marks FILE.jsonl: the snippet loads the speech marks "
                "from that file to highlight the words; add --marks story.jsonl");
  }
  const std::string extension = std::filesystem::path(player.snippet).extension().string();
  if (!player.snippet.empty() && extension != ".html" && extension != ".htm") {
    throw Error(ErrorCategory::kUsage, "--player-snippet '" + player.snippet +
                                           "': name the fragment FILE.html; FILE.js and FILE.css "
                                           "are written beside it");
  }
}

void check_speak_usage(const CliOptions& options) {
  check_player_usage(options);
  if (options.play && !options.output.empty()) {
    throw Error(ErrorCategory::kUsage,
                "--play and -o cannot be combined; play the article, or write it with -o and "
                "play the file");
  }
  if (!options.output.empty() && (!options.device.empty() || options.device_rate_hz != 0)) {
    throw Error(ErrorCategory::kUsage, "--device and --device-rate apply to playback; drop -o");
  }
}

// --sample-rate, --channels and --loudness: auto leaves the loudness to the format's default.
OutputProcessing output_processing(const CliOptions& options) {
  OutputProcessing processing;
  processing.sample_rate_hz = options.output_rate_hz;
  processing.channels = options.output_channels;
  processing.keep_level = options.loudness == "off";
  processing.loudness_lufs = loudness_level(options.loudness);
  return processing;
}

// --sample-rate against the rates the format takes (Opus: not 22050, 32000 or 44100), before
// anything is read or written.
void check_output_rate(const CliOptions& options, AudioFormat format) {
  const std::span<const int> rates = audio_format_sample_rates(format);
  const int rate_hz = options.output_rate_hz;
  if (rate_hz == 0 || rates.empty() ||
      std::find(rates.begin(), rates.end(), rate_hz) != rates.end()) {
    return;
  }
  std::vector<int> takes;
  for (const int rate : kOutputRatesHz) {
    if (std::find(rates.begin(), rates.end(), rate) != rates.end()) takes.push_back(rate);
  }
  std::string usable;  // "8000, 16000, 24000 or 48000"
  for (std::size_t i = 0; i < takes.size(); ++i) {
    if (i > 0) usable += i + 1 == takes.size() ? " or " : ", ";
    usable += std::to_string(takes[i]);
  }
  throw Error(ErrorCategory::kUsage,
              "--sample-rate " + std::to_string(rate_hz) + " cannot be written as " +
                  std::string(audio_format_name(format)) + ", which takes only " +
                  audio_format_sample_rates_text(format) + " Hz; use --sample-rate " + usable +
                  ", or leave it out for 48000");
}

AudioOutput audio_output(const CliOptions& options) {
  if (options.output == kStdio) {
    const AudioFormat format = options.format.value_or(AudioFormat::kWav);
    check_output_rate(options, format);
    return AudioOutput{"", format, output_processing(options)};
  }
  const std::optional<AudioFormat> format =
      options.format ? options.format : audio_format_from_path(options.output);
  if (!format) {
    throw Error(ErrorCategory::kUsage,
                "cannot tell the audio format of '" + options.output +
                    "' from its extension; use .wav, .mp3, .flac, .ogg or .opus, or pass --format");
  }
  const bool player = !options.player.page.empty() || !options.player.snippet.empty();
  if (player && *format == AudioFormat::kRaw) {
    throw Error(ErrorCategory::kUsage,
                "a browser cannot play raw samples; for --player use -o FILE.mp3 (or .wav, .ogg, "
                ".flac)");
  }
  check_output_rate(options, *format);
  return AudioOutput{options.output, *format, output_processing(options)};
}

std::optional<SubtitlesFile> subtitles_file(const CliOptions& options) {
  if (options.subtitles.empty()) return std::nullopt;
  const std::optional<SubtitleFormat> format = subtitle_format_from_path(options.subtitles);
  if (!format) {
    throw Error(ErrorCategory::kUsage, "--subtitles '" + options.subtitles +
                                           "': use a .vtt (WebVTT) or .srt (SubRip) file name");
  }
  return SubtitlesFile{options.subtitles, *format};
}

std::optional<PageFile> page_file(const CliOptions& options, const AudioOutput& audio) {
  const PlayerOptions& player = options.player;
  if (player.page.empty()) return std::nullopt;
  return PageFile{player.page, player.embed_audio ? "" : relative_url(player.page, audio.path),
                  player.disclaimer, options.engine.language};
}

// The snippet's JS and CSS sit beside its fragment: story-player.html → story-player.js.
std::optional<SnippetFiles> snippet_files(const CliOptions& options, const AudioOutput& audio) {
  const std::string& html = options.player.snippet;
  if (html.empty()) return std::nullopt;
  SnippetFiles files;
  files.html_path = html;
  files.js_path = std::filesystem::path(html).replace_extension(".js").string();
  files.css_path = std::filesystem::path(html).replace_extension(".css").string();
  files.fragment.audio_src = relative_url(html, audio.path);
  files.fragment.marks_src = relative_url(html, options.marks);
  files.fragment.script_src = relative_url(html, files.js_path);
  files.fragment.style_src = relative_url(html, files.css_path);
  files.fragment.disclaimer = options.player.disclaimer;
  return files;
}

FilePlan file_plan(const CliOptions& options) {
  FilePlan plan;
  plan.audio = audio_output(options);
  if (!options.marks.empty()) plan.marks = options.marks;
  plan.subtitles = subtitles_file(options);
  if (!options.manifest.empty()) {
    plan.manifest = ManifestFile{options.manifest, options.article,
                                 settings_key(options, audio_format_name(plan.audio.format))};
  }
  plan.page = page_file(options, plan.audio);
  plan.snippet = snippet_files(options, plan.audio);
  plan.progress_line = !options.quiet && ::isatty(STDERR_FILENO) == 1;
  plan.summary = !options.quiet;
  return plan;
}

// --- every file speak writes: none may be the input or another output ---

// What a path names: the file itself (device and inode) when it exists, else the absolute path
// it would be created at, normalized (so that "a/../b.wav" and "b.wav" are one file).
struct FileIdentity {
  bool exists = false;
  bool device = false;  // a character device such as /dev/null: never a clash, nothing is lost
  dev_t dev = 0;
  ino_t ino = 0;
  std::filesystem::path normal;
};

FileIdentity identity_of(const std::string& path) {
  FileIdentity identity;
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    identity.exists = true;
    identity.device = S_ISCHR(info.st_mode);
    identity.dev = info.st_dev;
    identity.ino = info.st_ino;
    return identity;
  }
  std::error_code ignored;
  identity.normal = std::filesystem::weakly_canonical(std::filesystem::absolute(path), ignored);
  if (identity.normal.empty()) identity.normal = std::filesystem::absolute(path).lexically_normal();
  return identity;
}

bool same_file(const FileIdentity& a, const FileIdentity& b) {
  if (a.exists != b.exists) return false;
  if (a.exists) return !a.device && a.dev == b.dev && a.ino == b.ino;
  return a.normal == b.normal;
}

struct NamedFile {
  std::string option;  // how the user named it: "-o", "--marks", "--player-snippet's script"
  std::string path;
  FileIdentity identity;
};

std::vector<NamedFile> planned_outputs(const FilePlan& plan) {
  std::vector<NamedFile> files;
  const auto add = [&files](std::string option, const std::string& path) {
    files.push_back(NamedFile{std::move(option), path, identity_of(path)});
  };
  if (!plan.audio.to_stdout()) add("-o", plan.audio.path);
  if (plan.marks) add("--marks", *plan.marks);
  if (plan.subtitles) add("--subtitles", plan.subtitles->path);
  if (plan.manifest) add("--manifest", plan.manifest->path);
  if (plan.page) add("--player", plan.page->path);
  if (plan.snippet) {
    add("--player-snippet", plan.snippet->html_path);
    add("--player-snippet's script", plan.snippet->js_path);
    add("--player-snippet's style sheet", plan.snippet->css_path);
  }
  return files;
}

// The input as narrate will read it: the article file, or what stdin is redirected from.
std::optional<FileIdentity> input_identity(const CliOptions& options) {
  if (options.article != kStdio) return identity_of(options.article);
  struct stat info {};
  if (::fstat(STDIN_FILENO, &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  FileIdentity identity;
  identity.exists = true;
  identity.dev = info.st_dev;
  identity.ino = info.st_ino;
  return identity;
}

// Every output against the input and against each other, before anything is written: a clash
// would destroy the article or let one output overwrite another.
void check_distinct_files(const CliOptions& options, const FilePlan& plan) {
  const std::vector<NamedFile> outputs = planned_outputs(plan);
  const std::optional<FileIdentity> input = input_identity(options);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedFile& output = outputs[i];
    if (input && same_file(output.identity, *input)) {
      std::string named = "'" + output.path + "'";
      if (options.article == kStdio) {
        named += ", which standard input is read from";
      } else if (output.path != options.article) {
        named += ", the same file as '" + options.article + "'";
      }
      throw Error(ErrorCategory::kUsage,
                  output.option + " is the input article (" + named +
                      "); writing there would destroy it. Choose another path for " +
                      output.option);
    }
    for (std::size_t j = 0; j < i; ++j) {
      const NamedFile& other = outputs[j];
      if (!same_file(output.identity, other.identity)) continue;
      const std::string paths =
          other.path == output.path ? other.path : other.path + "' and '" + output.path;
      throw Error(ErrorCategory::kUsage,
                  other.option + " and " + output.option + " name the same file ('" + paths +
                      "'): it is named twice, and one would overwrite the other. Give each "
                      "output its own path");
    }
  }
}

// Every side output's folder, before any work: a missing one is named with the option that
// points there (-o's own folder is checked when its file is opened, with its own advice).
void check_output_folders(const FilePlan& plan) {
  for (const NamedFile& output : planned_outputs(plan)) {
    if (output.option == "-o") continue;
    const std::filesystem::path folder = std::filesystem::path(output.path).parent_path();
    std::error_code error;
    if (folder.empty() || std::filesystem::is_directory(folder, error)) continue;
    const bool exists = std::filesystem::exists(folder, error);
    throw Error(ErrorCategory::kOutput,
                output.option + " '" + output.path + "': " +
                    (exists ? "'" + folder.string() + "' is not a folder"
                            : "the folder '" + folder.string() + "' does not exist") +
                    "; create it, or give " + output.option.substr(0, output.option.find('\'')) +
                    " a path in an existing folder");
  }
}

// Whether stderr is a terminal is asked here, before the player's StderrFilter can turn it into a
// pipe.
SpeakPlan speak_plan(const CliOptions& options) {
  check_speak_usage(options);
  if (!options.output.empty()) {
    FilePlan plan = file_plan(options);
    check_distinct_files(options, plan);
    check_output_folders(plan);
    return plan;
  }
  return PlaybackPlan{.device = options.device,
                      .device_rate_hz = options.device_rate_hz,
                      .keys = options.article != kStdio,
                      .status_line = !options.quiet && ::isatty(STDERR_FILENO) == 1,
                      .summary = !options.quiet};
}

// The commands that read an article: speak, script and estimate.
void add_article_commands(CLI::App& app, CliOptions& options) {
  CLI::App* speak =
      app.add_subcommand("speak", "Narrate an article: play it, or write an audio file or stdout");
  add_article_options(*speak, options);
  add_voice_options(*speak, options);
  add_framing_options(*speak, options);
  add_output_options(*speak, options);
  add_playback_options(*speak, options);
  speak->callback([&] { options.command = Command::kSpeak; });

  CLI::App* script = app.add_subcommand("script", "Print exactly what will be spoken");
  add_article_options(*script, options);
  add_framing_options(*script, options);
  script->add_flag("--explain", options.explain,
                   "After the script, list every warning (text read as written, removed "
                   "characters) with its line and column");
  script->callback([&] { options.command = Command::kScript; });

  CLI::App* estimate = app.add_subcommand(
      "estimate", "Print \"Estimated N minutes\", the words and the characters of the narration");
  add_article_options(*estimate, options);
  add_framing_options(*estimate, options);
  add_voice_options(*estimate, options);
  estimate->callback([&] { options.command = Command::kEstimate; });
}

// --shard, and the podcast feed written once the articles are narrated.
void add_batch_scale_out_options(CLI::App& batch, CliOptions& options) {
  batch.add_option_function<std::string>(
      "--shard",
      [&options](const std::string& text) {
        try {
          options.shard = parse_shard(text, std::getenv("JOB_COMPLETION_INDEX"));
        } catch (const Error& error) {
          throw CLI::ValidationError("--shard", error.what());
        }
      },
      "Narrate only shard K of N (K/N, 0 <= K < N): the articles whose file name (a file given "
      "by itself: its path as given) hashes to K. auto/N takes K from JOB_COMPLETION_INDEX (a "
      "Kubernetes Indexed Job)");
  batch.add_option("--feed", options.feed.output,
                   "Then write a podcast feed (RSS) of every narration in --out-dir to this file; "
                   "needs --base-url (see narrate feed --help)");
  batch.add_option("--base-url", options.feed.base_url,
                   "With --feed: the URL the narrations are published under");
  batch.add_option("--feed-title", options.feed.title,
                   "With --feed: the channel's title (default: the folder's name)");
}

// narrate feed DIR -o feed.xml --base-url URL
void add_feed_command(CLI::App& app, CliOptions& options) {
  FeedOptions& feed = options.feed;
  CLI::App* command = app.add_subcommand(
      "feed",
      "Write a podcast feed (RSS 2.0, iTunes and Podcasting 2.0 tags) of the narrations "
      "and manifests in a folder");
  command->add_option("folder", feed.dir, "The folder batch wrote (--out-dir)")->required();
  command->add_option("-o,--output", feed.output, "The feed file to write")->required();
  command
      ->add_option("--base-url", feed.base_url,
                   "The http(s) URL the folder's files are published under")
      ->required();
  command->add_option("--title", feed.title, "The channel's title (default: the folder's name)");
  command->add_option("--description", feed.description, "The channel's description");
  command->add_option("--author", feed.author, "The channel's author (itunes:author)");
  command->add_option("--image", feed.image, "The cover art's URL (itunes:image)");
  command->add_option("--language", feed.language, "The channel's language (RFC 5646)")
      ->capture_default_str();
  command->callback([&] { options.command = Command::kFeed; });
}

void add_batch_command(CLI::App& app, CliOptions& options) {
  CLI::App* batch = app.add_subcommand(
      "batch", "Narrate many articles in parallel worker processes, with a manifest each");
  batch->add_option("articles", options.batch_inputs, "Article files, or folders of them")
      ->required();
  batch->add_option("--out-dir", options.out_dir, "Folder for NAME.mp3 and NAME.json")->required();
  batch
      ->add_option("-j,--jobs", options.batch_jobs,
                   "Worker processes at once (" + range_span(kJobsRange) + ")")
      ->check(whole_number("-j", kJobsRange))
      ->capture_default_str();
  batch->add_flag("--force", options.force, "Narrate even articles whose manifest is unchanged");
  batch->add_option_function<std::string>(
      "-f,--format",
      [&options](const std::string& name) {
        options.format = parse_audio_format(name);
        if (!options.format || *options.format == AudioFormat::kRaw) {
          throw CLI::ValidationError(
              "--format", "unknown format '" + name + "'; use mp3, wav, flac, ogg or opus");
        }
      },
      "Output format: mp3 (default), wav, flac, ogg or opus");
  add_lexicon_option(*batch, options);
  add_voice_options(*batch, options);
  add_framing_options(*batch, options);
  batch->add_flag("--keep-furniture", options.keep_page_furniture,
                  "Read page text as it is (see speak --help)");
  add_batch_scale_out_options(*batch, options);
  batch
      ->add_option("--encoding", options.encoding,
                   "Every article's character encoding (see speak --help); default: UTF-8 for "
                   "text, each page's own (or a guess) for HTML")
      ->check(known_encoding());
  // What batch does not know is kept and refused with advice (check_batch_extras()), rather
  // than with CLI11's bare "not expected".
  batch->allow_extras();
  batch->callback([&] { options.command = Command::kBatch; });
}

// normalize, pronounce, lexicon check, voices and devices.
void add_tool_commands(CLI::App& app, CliOptions& options) {
  CLI::App* normalize = app.add_subcommand(
      "normalize", "Read lines on stdin; print each line's spoken form, one line per line");
  normalize->callback([&] { options.command = Command::kNormalize; });

  CLI::App* pronounce = app.add_subcommand(
      "pronounce", "Print word, IPA the voice says and its source, for words or stdin lines");
  pronounce->add_option("words", options.words, "Words; without any, one word per stdin line");
  add_lexicon_option(*pronounce, options);
  pronounce->add_option("-v,--voice", options.engine.voice.name, "Voice (see voices)")
      ->capture_default_str();
  pronounce->add_flag("--explain", options.explain,
                      "Show the evidence for each word: the lexicon layer, the routing score, "
                      "the stress rule and the letter rules");
  pronounce->callback([&] { options.command = Command::kPronounce; });

  CLI::App* lexicon = app.add_subcommand("lexicon", "Work with pronunciation lexicons");
  lexicon->require_subcommand(1);
  CLI::App* check = lexicon->add_subcommand(
      "check", "Validate a TSV or PLS lexicon: symbols, stress, duplicates, conflicts");
  check->add_option("file", options.article, "The lexicon file")->required();
  check->callback([&] { options.command = Command::kLexiconCheck; });

  CLI::App* voices =
      app.add_subcommand("voices", "List the voices: language, name, gender, backend, sample rate");
  voices->callback([&] { options.command = Command::kVoices; });

  CLI::App* devices = app.add_subcommand(
      "devices", "List the sound output devices: index, name, host API, channels, rate");
  devices->callback([&] { options.command = Command::kDevices; });
}

// A batch argument that starts with '-' but names an article (by its extension, or a file that
// exists) is a file the user meant, and CLI11 would read it as options ("-file.txt" as -f
// "ile.txt"): refused, with the way to name it. Arguments after "--" are names already.
void check_batch_arguments(const std::vector<std::string>& args) {
  if (args.empty() || args.front() != "batch") return;
  for (std::size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    const std::string& arg = args[i];
    std::error_code ignored;
    if (arg.size() < 2 || arg[0] != '-' ||
        (!is_article_path(arg) && !std::filesystem::exists(arg, ignored))) {
      continue;
    }
    throw Error(ErrorCategory::kUsage,
                "batch: '" + arg + "' starts with '-', so it would be read as an option; to " +
                    "narrate the file, write it as ./" + arg +
                    " (or put it after --, once every option is given)");
  }
}

// What batch was given and does not know: an unknown option, or a file named like one.
void check_batch_extras(const CLI::App& app) {
  const CLI::App* batch = app.get_subcommand("batch");
  if (batch->parsed() == 0) return;
  std::vector<std::string> extras = batch->remaining();
  // "--" itself is kept among the extras; what follows it went to the articles.
  std::erase(extras, "--");
  if (extras.empty()) return;
  const std::string& extra = extras.front();
  throw Error(ErrorCategory::kUsage, "batch: '" + extra +
                                         "' is not an option of narrate batch (see narrate batch "
                                         "--help); a file whose name starts with '-' is written "
                                         "./" +
                                         extra);
}

// --- usage and CLI11's own errors ---

// The main form first: most runs are `narrate ARTICLE [-o FILE]`.
constexpr std::string_view kMainUsage =
    "Usage: narrate ARTICLE [-o FILE] [OPTIONS]   read an article aloud, or into FILE\n"
    "       narrate COMMAND [OPTIONS]            script, estimate, normalize, pronounce,\n"
    "                                            lexicon check, voices, devices, batch,\n"
    "                                            feed\n";

class UsageFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    if (app->get_parent() == nullptr) return std::string(kMainUsage);
    return CLI::Formatter::make_usage(app, std::move(name));
  }
};

// "narrate lexicon check": the command that was being parsed when CLI11 stopped.
const CLI::App& command_parsed(const CLI::App& app, std::string& name) {
  name = "narrate";
  const CLI::App* command = &app;
  while (true) {
    const std::vector<const CLI::App*> parsed =
        command->get_subcommands([](const CLI::App* sub) { return sub->parsed() > 0; });
    if (parsed.empty()) return *command;
    command = parsed.front();
    name += " " + command->get_name();
  }
}

std::string joined(const std::vector<std::string>& words, std::string_view separator) {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty()) text.append(separator);
    text += word;
  }
  return text;
}

// CLI11's error in narrate's words: which command, what was wrong, and what it takes instead.
std::string parse_error_message(const CLI::ParseError& error, const CLI::App& app) {
  std::string name;
  const CLI::App& command = command_parsed(app, name);
  std::string text = error.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    const std::vector<std::string> extras = command.remaining();
    return name + " does not take '" + joined(extras.empty() ? app.remaining(true) : extras, " ") +
           "'; see '" + name + " --help' for its arguments and options";
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    if (text.starts_with("A subcommand is required") ||
        text.find("subcommand") != std::string::npos) {
      std::vector<std::string> names;
      for (const CLI::App* sub : command.get_subcommands({})) names.push_back(sub->get_name());
      return name + " needs a command: " + joined(names, ", ");
    }
    if (text == "article is required") {
      return name +
             " needs an article: the file to read (text, HTML or SSML), or - for "
             "standard input";
    }
    if (text == "file is required") return name + " needs the lexicon file to check";
    if (text == "folder is required") {
      return name + " needs the folder of narrations (narrate batch's --out-dir)";
    }
    if (text == "articles is required") {
      return name + " needs the articles to narrate: files, or folders of them";
    }
    const std::size_t is_required = text.rfind(" is required");
    if (is_required != std::string::npos) {
      return name + " needs " + text.substr(0, is_required) + "; see '" + name + " --help'";
    }
    return name + ": " + text;
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr && text.ends_with(" missing")) {
    // "--rate: 1 required INT:80 to 450 words per minute missing": the option came last, bare.
    return text.substr(0, text.find(':')) + " needs a value; see '" + name +
           " --help' for what it takes";
  }
  // A failed check: "--jobs: -j 0 is out of range; ...": the check names the option itself.
  const std::size_t colon = text.find(": ");
  const bool named = colon != std::string::npos && text.compare(colon + 2, 1, "-") == 0;
  if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr && named) {
    text.erase(0, colon + 2);
  }
  return text;
}

}  // namespace

std::optional<CliOptions> parse_command_line(int argc, char** argv, int& exit_code) {
  CliOptions options;
  CLI::App app{"narrate: reads news articles aloud with eSpeak NG", "narrate"};
  app.formatter(std::make_shared<UsageFormatter>());
  app.require_subcommand(1);
  app.set_version_flag("--version", "narrate 0.1.0");
  app.footer(
      "narrate ARTICLE [-o OUT.mp3] is short for narrate speak ARTICLE [-o OUT.mp3]; without -o "
      "the article is played on the sound device");
  add_article_commands(app, options);
  add_batch_command(app, options);
  add_tool_commands(app, options);
  add_feed_command(app, options);
  serve::add_serve_commands(app, options.serve, options.serve_worker, [&options](bool worker) {
    options.command = worker ? Command::kServeWorker : Command::kServe;
  });

  std::vector<std::string> args = with_default_command(argc, argv);
  if (!args.empty() && args.front() == "help") args.front() = "--help";  // `narrate help`
  if (args.empty()) {  // bare `narrate`: how to use it, as a usage error
    std::fprintf(stderr, "%s%s\n", kMainUsage.data(), std::string(kUsageHint).c_str());
    exit_code = kExitUsage;
    return std::nullopt;
  }
  check_batch_arguments(args);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments in reverse order
  try {
    app.parse(args);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {  // --help, --version
      exit_code = app.exit(error) == 0 ? kExitSuccess : kExitUsage;
      return std::nullopt;
    }
    throw Error(ErrorCategory::kUsage, parse_error_message(error, app));
  }
  // Usage rules that span several options, checked before any work is done.
  check_batch_extras(app);
  if (options.command == Command::kSpeak) options.speak = speak_plan(options);
  return options;
}

}  // namespace narrator::cli
