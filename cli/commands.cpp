#include "commands.hpp"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "listening_page.hpp"
#include "manifest.hpp"
#include "narrator/article.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/audio/output_processing.hpp"
#include "narrator/audio/pending_file.hpp"
#include "narrator/audio/playback.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "player.hpp"
#include "progress_line.hpp"
#include "stderr_filter.hpp"
#include "terminal_keys.hpp"
#include "timing_outputs.hpp"

namespace narrator::cli {
namespace {

constexpr std::string_view kStdio = "-";

struct OutputTarget {
  bool to_stdout = false;
  std::string path;  // empty for stdout
  AudioFormat format = AudioFormat::kWav;
};

bool same_file(const std::string& a, const std::string& b) {
  struct stat first {};
  struct stat second {};
  return ::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0 &&
         first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

OutputTarget resolve_output(const CliOptions& options) {
  if (options.output == kStdio) {
    return OutputTarget{true, "", options.format.value_or(AudioFormat::kWav)};
  }
  const std::optional<AudioFormat> format =
      options.format ? options.format : audio_format_from_path(options.output);
  if (!format) {
    throw Error(ErrorCategory::kUsage,
                "cannot tell the audio format of '" + options.output +
                    "' from its extension; use .wav, .mp3, .flac or .ogg, or pass --format");
  }
  if (options.article != kStdio && same_file(options.article, options.output)) {
    throw Error(ErrorCategory::kUsage, "-o '" + options.output +
                                           "' is the input article; writing there would destroy "
                                           "it. Choose another output path");
  }
  return OutputTarget{false, options.output, *format};
}

// The article file's bytes, for its hash (read again: the reader has consumed its copy).
std::string read_whole_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (!file && !file.eof()) {
    throw Error(ErrorCategory::kInput,
                path + ": cannot read it again for its hash: " + std::strerror(errno));
  }
  return bytes;
}

std::string read_stdin() {
  std::string bytes{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (std::cin.bad()) {
    throw Error(ErrorCategory::kInput,
                std::string("<stdin>: cannot read: ") + std::strerror(errno));
  }
  return bytes;
}

Article read_command_input(const CliOptions& options, Diagnostics& diagnostics);

// The article as read, with the metadata the command line gives and the intro and disclaimer.
Article load_article(const CliOptions& options, Diagnostics& diagnostics) {
  Article article = read_command_input(options, diagnostics);
  const std::pair<std::string*, const std::string*> overrides[] = {
      {&article.metadata.title, &options.metadata.title},
      {&article.metadata.byline, &options.metadata.byline},
      {&article.metadata.publication, &options.metadata.publication},
      {&article.metadata.date, &options.metadata.date}};
  for (const auto& [field, given] : overrides) {
    if (!given->empty()) *field = *given;
  }
  add_framing(article, options.framing, diagnostics);
  return article;
}

// Loudness and output format from the command line; MP3 is normalized to -16 LUFS unless told.
OutputProcessing output_processing(const CliOptions& options, AudioFormat format) {
  constexpr double kDefaultMp3Lufs = -16.0;
  OutputProcessing processing;
  processing.sample_rate_hz = options.output_rate_hz;
  processing.channels = options.output_channels;
  if (options.loudness == "auto") {
    if (format == AudioFormat::kMp3) processing.loudness_lufs = kDefaultMp3Lufs;
  } else if (options.loudness != "off") {
    try {
      std::size_t used = 0;
      processing.loudness_lufs = std::stod(options.loudness, &used);
      if (used != options.loudness.size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw Error(ErrorCategory::kUsage, "--loudness '" + options.loudness +
                                             "': give a level in LUFS such as -16, or off");
    }
  }
  return processing;
}

std::string folder_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// True when `fd` is a pipe or socket whose reader has closed its end.
bool reader_has_gone(int fd) {
  pollfd probe{fd, POLLOUT, 0};
  return ::poll(&probe, 1, 0) == 1 && (probe.revents & (POLLERR | POLLHUP)) != 0;
}

// Tags for the output file, from the article's metadata.
EncoderOptions encoder_options(const Article& article, const CliOptions& options) {
  EncoderOptions encoder;
  encoder.tags = AudioTags{article.metadata.title, article.metadata.byline,
                           article.metadata.publication, article.metadata.date,
                           "Read by a computer voice (eSpeak NG " + options.engine.voice.name +
                               "); mispronunciations can occur."};
  return encoder;
}

Article read_command_input(const CliOptions& options, Diagnostics& diagnostics) {
  ReadOptions read_options;
  read_options.lossy = options.lossy;
  read_options.keep_page_furniture = options.keep_page_furniture;
  read_options.language = options.engine.language;
  if (options.article == kStdio) {
    std::string bytes = read_stdin();
    const InputFormat format = options.input_format.value_or(detect_input_format("", bytes));
    return read_input(std::move(bytes), "<stdin>", format, read_options, diagnostics);
  }
  return read_input_file(options.article, options.input_format, read_options, diagnostics);
}

void flush_stdout() {
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    throw Error(ErrorCategory::kOutput,
                std::string("cannot write to standard output: ") + std::strerror(errno));
  }
}

std::string gender_name(VoiceGender gender) {
  switch (gender) {
    case VoiceGender::kMale:
      return "male";
    case VoiceGender::kFemale:
      return "female";
    case VoiceGender::kUnknown:
      break;
  }
  return "-";
}

}  // namespace

namespace {

constexpr std::string_view kFileAdvice =
    "; to write the narration to a file instead, use -o FILE.mp3 (or .wav, .flac, .ogg)";

// Forwards every diagnostic and keeps a copy (for the manifest).
class RecordingDiagnostics final : public Diagnostics {
 public:
  explicit RecordingDiagnostics(Diagnostics& outer) : outer_(outer) {}
  void report(Diagnostic diagnostic) override {
    items_.push_back(diagnostic);
    outer_.report(std::move(diagnostic));
  }
  const std::vector<Diagnostic>& items() const noexcept { return items_; }

 private:
  Diagnostics& outer_;
  std::vector<Diagnostic> items_;
};

// Progress to the progress line, and every chunk's marks to the timing collector and the word
// timeline (for the listening page). Each is null when no output needs it: a mark per word adds
// up over a book-length input, so nothing is kept that will not be written.
class SpeakObserver final : public ProgressObserver {
 public:
  SpeakObserver(ProgressLine& progress, TimingCollector* timing, WordTimeline* words)
      : progress_(progress), timing_(timing), words_(words) {}
  void on_progress(const Progress& progress) override { progress_.on_progress(progress); }
  void on_chunk(const AudioChunk& chunk, std::size_t first_frame) override {
    if (timing_ != nullptr) timing_->add(chunk, first_frame);
    if (words_ != nullptr) words_->add(chunk, first_frame);
  }

 private:
  ProgressLine& progress_;
  TimingCollector* timing_;
  WordTimeline* words_;
};

// The files of --player and --player-snippet: created before the narration, so that an
// unwritable folder fails first, and committed after it.
struct PlayerFiles {
  std::optional<PendingFile> page;
  std::optional<PendingFile> snippet_html;
  std::optional<PendingFile> snippet_js;
  std::optional<PendingFile> snippet_css;
};

// The snippet's JS and CSS sit beside its fragment: story-player.html → story-player.js.
std::string snippet_asset_path(const std::string& snippet, std::string_view extension) {
  return std::filesystem::path(snippet).replace_extension(extension).string();
}

// The usage errors of --player and --player-snippet, found before any work is done.
void check_player_options(const CliOptions& options) {
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
  for (const std::string* path : {&player.page, &player.snippet}) {
    if (!path->empty() && (*path == options.output || *path == options.marks)) {
      throw Error(ErrorCategory::kUsage,
                  "'" + *path + "' is named twice (a page and the audio or the marks); give the " +
                      "page its own path");
    }
  }
}

PlayerFiles open_player_files(const PlayerOptions& player, AudioFormat format) {
  PlayerFiles files;
  if (player.page.empty() && player.snippet.empty()) return files;
  if (format == AudioFormat::kRaw) {
    throw Error(ErrorCategory::kUsage,
                "a browser cannot play raw samples; for --player use -o FILE.mp3 (or .wav, .ogg, "
                ".flac)");
  }
  if (!player.page.empty()) files.page.emplace(player.page);
  if (!player.snippet.empty()) {
    files.snippet_html.emplace(player.snippet);
    files.snippet_js.emplace(snippet_asset_path(player.snippet, ".js"));
    files.snippet_css.emplace(snippet_asset_path(player.snippet, ".css"));
  }
  return files;
}

// Writes the page and the snippet once the audio file is complete (the page may embed it).
void commit_player_files(const CliOptions& options, const OutputTarget& target,
                         const Article& article, const WordTimeline& timeline,
                         const NarrationSummary& summary, PlayerFiles& files) {
  const std::chrono::milliseconds duration = summary.audio_duration;
  if (files.page) {
    ListeningPageOptions page;
    page.audio_src = options.player.embed_audio
                         ? data_uri(read_whole_file(target.path), target.format)
                         : relative_url(options.player.page, target.path);
    page.disclaimer = options.player.disclaimer;
    page.language = options.engine.language;
    page.duration = duration;
    page.sentence_starts = timeline.sentence_starts();
    files.page->commit(listening_page_html(article, timeline.words(duration), page));
  }
  if (files.snippet_html) {
    const std::string& fragment = options.player.snippet;
    SnippetOptions snippet;
    snippet.audio_src = relative_url(fragment, target.path);
    snippet.marks_src = relative_url(fragment, options.marks);
    snippet.script_src = relative_url(fragment, files.snippet_js->path());
    snippet.style_src = relative_url(fragment, files.snippet_css->path());
    snippet.disclaimer = options.player.disclaimer;
    snippet.duration = duration;
    const PlayerSnippet written = player_snippet(snippet);
    files.snippet_js->commit(written.js);
    files.snippet_css->commit(written.css);
    files.snippet_html->commit(written.html);
  }
}

std::size_t article_word_count(const Article& article) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : article.text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

std::string played_summary(const PlaybackReport& report, std::size_t word_count) {
  std::string text = "narrate: " + std::string(report.quit ? "stopped after " : "played ") +
                     format_clock(report.played) + " (" + std::to_string(word_count) + " words, " +
                     std::to_string(report.paragraph_count) + " paragraphs)";
  if (report.first_audio.count() >= 0) {
    text += "; first audio " + std::to_string(report.first_audio.count()) + " ms after start";
  }
  if (report.underrun.count() > 0) {
    text += "; " + std::to_string(report.underrun.count()) +
            " ms of unplanned silence where synthesis fell behind the device";
  }
  return text;
}

// Plays the article on a sound device, with keys when stdin is a terminal.
void play_article(const CliOptions& options, const CancelToken& cancel, Diagnostics& diagnostics) {
  const auto started = std::chrono::steady_clock::now();
  // Asked before the filter below turns stderr into a pipe.
  const bool status_line = !options.quiet && ::isatty(STDERR_FILENO) == 1;
  const Article article = load_article(options, diagnostics);
  const Engine engine(options.engine, diagnostics);
  try {
    const StderrFilter quiet_sound_libraries;
    const SoundSystem sound;
    const std::unique_ptr<PlaybackStream> stream = sound.open(
        engine.format(),
        PlaybackOptions{.device = options.device, .device_rate_hz = options.device_rate_hz});
    // Keys need a terminal on stdin that is not also where the article came from.
    RawTerminal keys(options.article == kStdio ? -1 : STDIN_FILENO);
    const PlayerSettings settings{
        .status_line = status_line, .rate_wpm = options.engine.voice.rate_wpm, .started = started};
    Narration narration = engine.start(article, cancel);
    const PlaybackReport report = play(std::move(narration), *stream, keys, settings, cancel);
    if (!options.quiet) {
      std::fprintf(stderr, "%s\n", played_summary(report, article_word_count(article)).c_str());
    }
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::kDevice) throw;
    throw Error(ErrorCategory::kDevice, error.what() + std::string(kFileAdvice));
  }
}

void print_metadata(const ArticleMetadata& metadata) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"title", &metadata.title},
      {"byline", &metadata.byline},
      {"publication", &metadata.publication},
      {"date", &metadata.date}};
  for (const auto& [name, value] : fields) {
    if (!value->empty()) std::fprintf(stdout, "# metadata %s: %s\n", name, value->c_str());
  }
}

}  // namespace

void run_speak(const CliOptions& options, const CancelToken& cancel, Diagnostics& diagnostics) {
  check_player_options(options);
  if (options.play && !options.output.empty()) {
    throw Error(ErrorCategory::kUsage,
                "--play and -o cannot be combined; play the article, or write it with -o and "
                "play the file");
  }
  if (options.output.empty()) {
    play_article(options, cancel, diagnostics);
    return;
  }
  if (!options.device.empty() || options.device_rate_hz != 0) {
    throw Error(ErrorCategory::kUsage, "--device and --device-rate apply to playback; drop -o");
  }
  const OutputTarget target = resolve_output(options);
  std::optional<SubtitleFormat> subtitle_format;
  if (!options.subtitles.empty()) {
    subtitle_format = subtitle_format_from_path(options.subtitles);
    if (!subtitle_format) {
      throw Error(ErrorCategory::kUsage, "--subtitles '" + options.subtitles +
                                             "': use a .vtt (WebVTT) or .srt (SubRip) file name");
    }
  }
  RecordingDiagnostics recorded(diagnostics);
  const Article article = load_article(options, recorded);
  const Engine engine(options.engine, recorded);
  // Side files are created first, so an unwritable folder fails before any work is done.
  std::optional<PendingFile> marks_file;
  std::optional<PendingFile> subtitles_file;
  std::optional<PendingFile> manifest_file;
  if (!options.marks.empty()) marks_file.emplace(options.marks);
  if (!options.subtitles.empty()) subtitles_file.emplace(options.subtitles);
  if (!options.manifest.empty()) manifest_file.emplace(options.manifest);
  PlayerFiles player_files = open_player_files(options.player, target.format);
  const EncoderOptions encoder = encoder_options(article, options);
  const OutputProcessing processing = output_processing(options, target.format);
  const StreamFormat output_format = processed_format(engine.format(), processing);
  std::unique_ptr<AudioSink> sink =
      target.to_stdout ? open_stream_sink(STDOUT_FILENO, target.format, output_format, encoder)
                       : open_file_sink(target.path, target.format, output_format, encoder);
  if (!(output_format == engine.format()) || processing.loudness_lufs) {
    // The loudness pass spools beside the output (or in /tmp for stdout).
    const std::string folder =
        target.to_stdout || output_path_kind(target.path) == OutputPathKind::kStream
            ? "/tmp"
            : folder_of(target.path);
    sink = process_output(std::move(sink), engine.format(), processing, folder, cancel);
  }
  ProgressLine progress(!options.quiet && ::isatty(STDERR_FILENO) == 1);
  TimingCollector timing(article, engine.format().sample_rate_hz);
  WordTimeline words(engine.format().sample_rate_hz);
  const bool keep_marks = marks_file || subtitles_file || manifest_file;
  SpeakObserver observer(progress, keep_marks ? &timing : nullptr,
                         player_files.page ? &words : nullptr);
  NarrationSummary summary;
  try {
    summary = engine.narrate_to(article, *sink, cancel, &observer);
  } catch (const Error& error) {
    progress.clear();
    // `narrate a.txt -o - | head -c 100`: the reader took what it wanted and closed the pipe.
    // That ends the narration quietly, as it ends `cat`; the side files are not written.
    if (error.category() == ErrorCategory::kOutput && target.to_stdout &&
        reader_has_gone(STDOUT_FILENO)) {
      return;
    }
    throw;
  } catch (...) {
    progress.clear();
    throw;
  }
  progress.clear();
  if (marks_file) marks_file->commit(timing.speech_marks());
  if (subtitles_file) subtitles_file->commit(timing.subtitles(*subtitle_format));
  commit_player_files(options, target, article, words, summary, player_files);
  if (manifest_file) {
    const std::string input =
        options.article == kStdio ? article.text : read_whole_file(options.article);
    manifest_file->commit(manifest_json(
        ManifestInput{options.article, sha256_hex(input),
                      settings_key(options.engine, options.framing, options.keep_page_furniture,
                                   audio_format_name(target.format)),
                      target.to_stdout ? "-" : target.path, &article, &options.engine, &summary,
                      &timing, &recorded.items()}));
  }
  if (!options.quiet) {
    const std::string name = target.to_stdout ? "<stdout>" : target.path;
    std::fprintf(stderr, "%s\n", format_summary(name, summary).c_str());
  }
}

void run_script(const CliOptions& options, Diagnostics& diagnostics) {
  const Article article = load_article(options, diagnostics);
  // With --explain the warnings are part of the output, so they are collected here.
  CollectingDiagnostics explained;
  Diagnostics& sink = options.explain ? explained : diagnostics;
  const Engine engine(options.engine, sink);
  std::size_t previous_block = 0;
  bool first = true;
  for (const ScriptSentence& sentence : engine.script(article)) {
    if (!first && sentence.block_index != previous_block) std::fputs("\n", stdout);
    std::fprintf(stdout, "%s\n", sentence.text.c_str());
    previous_block = sentence.block_index;
    first = false;
  }
  if (options.explain) {
    std::vector<Diagnostic> items = explained.items();
    const auto notes = std::stable_partition(items.begin(), items.end(), [](const Diagnostic& d) {
      return d.severity != Severity::kInfo;
    });
    const auto warnings = static_cast<std::size_t>(notes - items.begin());
    std::fprintf(stdout, "\n# %zu block%s not read (page furniture, markup)\n",
                 article.dropped.size(), article.dropped.size() == 1 ? "" : "s");
    for (const DroppedText& drop : article.dropped) {
      std::fprintf(stdout, "# %s:%zu: dropped [%s]: %s\n", article.source_name.c_str(), drop.line,
                   drop.rule.c_str(), drop.excerpt.c_str());
    }
    print_metadata(article.metadata);
    std::fprintf(stdout, "# %zu warning%s\n", warnings, warnings == 1 ? "" : "s");
    for (auto item_it = items.begin(); item_it != items.end(); ++item_it) {
      const Diagnostic& item = *item_it;
      if (item_it == notes) std::fprintf(stdout, "# pronunciations\n");
      const TextPosition at = position_of(article.text, item.span.begin_byte);
      std::fprintf(stdout, "# %s:%zu:%zu: %s [%s]\n", article.source_name.c_str(), at.line,
                   at.column, item.message.c_str(), item.code.c_str());
    }
  }
  flush_stdout();
}

void run_estimate(const CliOptions& options, Diagnostics& diagnostics) {
  const Article article = load_article(options, diagnostics);
  const Engine engine(options.engine, diagnostics);
  const DurationEstimate estimate = engine.estimate(article);
  const long long minutes = estimate.minutes();
  std::fprintf(stdout, "Estimated %lld minute%s\n", minutes, minutes == 1 ? "" : "s");
  std::fprintf(stdout, "duration %s, %zu words, %zu characters (voice %s at %d words per minute)\n",
               format_clock(estimate.duration).c_str(), estimate.word_count,
               estimate.character_count, options.engine.voice.name.c_str(),
               options.engine.voice.rate_wpm);
  flush_stdout();
}

void run_pronounce(const CliOptions& options, Diagnostics& diagnostics) {
  const Engine engine(options.engine, diagnostics);
  const auto print = [&](std::string_view word) {
    const WordPronunciation said = engine.pronounce(word);
    std::fprintf(stdout, "%.*s\t%s\t%s\n", static_cast<int>(word.size()), word.data(),
                 said.ipa.c_str(), said.source.c_str());
  };
  if (!options.words.empty()) {
    for (const std::string& word : options.words) print(word);
  } else {
    std::string line;
    while (std::getline(std::cin, line)) {
      const std::size_t begin = line.find_first_not_of(" \t\r");
      if (begin == std::string::npos) continue;
      print(std::string_view(line).substr(begin, line.find_last_not_of(" \t\r") - begin + 1));
    }
  }
  flush_stdout();
}

void run_lexicon_check(const CliOptions& options, Diagnostics& diagnostics) {
  const Engine engine(options.engine, diagnostics);
  const std::vector<std::string> problems = engine.check_lexicon(options.article);
  for (const std::string& problem : problems) std::fprintf(stdout, "%s\n", problem.c_str());
  flush_stdout();
  if (!problems.empty()) {
    throw Error(ErrorCategory::kInput, options.article + ": " + std::to_string(problems.size()) +
                                           " problem" + (problems.size() == 1 ? "" : "s") +
                                           "; fix the lines listed above");
  }
  std::fprintf(stderr, "narrate: %s: no problems\n", options.article.c_str());
}

void run_normalize(const CliOptions& options, Diagnostics& diagnostics) {
  const Engine engine(options.engine, diagnostics);
  // Lossy, so that a bad byte costs a warning, not the one-line-out-per-line-in promise; and a
  // line is not a page, so a lone date or "Back to top" is text to read.
  ReadOptions line_options;
  line_options.lossy = true;
  line_options.keep_page_furniture = true;
  line_options.language = options.engine.language;
  std::string line;
  for (std::size_t number = 1; std::getline(std::cin, line); ++number) {
    std::string spoken;
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      const Article article =
          read_article(line, "<stdin>:" + std::to_string(number), line_options, diagnostics);
      for (const ScriptSentence& sentence : engine.script(article)) {
        spoken += (spoken.empty() ? "" : " ") + sentence.text;
      }
    }
    std::fprintf(stdout, "%s\n", spoken.c_str());
  }
  if (std::cin.bad()) {
    throw Error(ErrorCategory::kInput,
                std::string("<stdin>: cannot read: ") + std::strerror(errno));
  }
  flush_stdout();
}

void run_devices(const CliOptions& /*options*/, Diagnostics& /*diagnostics*/) {
  const StderrFilter quiet_sound_libraries;
  const SoundSystem sound;
  const std::vector<OutputDevice> devices = sound.output_devices();
  if (devices.empty()) {
    throw Error(ErrorCategory::kDevice,
                "no sound output device was found" + std::string(kFileAdvice));
  }
  std::fprintf(stdout, "%-5s %-8s %-32s %-10s %8s %9s\n", "INDEX", "DEFAULT", "NAME", "HOST API",
               "CHANNELS", "RATE (Hz)");
  for (const OutputDevice& device : devices) {
    std::fprintf(stdout, "%-5d %-8s %-32s %-10s %8d %9.0f\n", device.index,
                 device.is_default ? "*" : "", device.name.c_str(), device.host_api.c_str(),
                 device.output_channels, device.default_sample_rate_hz);
  }
  flush_stdout();
}

void run_voices(const CliOptions& options, Diagnostics& diagnostics) {
  const Engine engine(options.engine, diagnostics);
  std::vector<VoiceInfo> voices = engine.voices();
  std::sort(voices.begin(), voices.end(),
            [](const VoiceInfo& a, const VoiceInfo& b) { return a.languages < b.languages; });
  std::fprintf(stdout, "%-14s %-32s %-7s %s\n", "LANGUAGE", "NAME", "GENDER", "IDENTIFIER");
  for (const VoiceInfo& voice : voices) {
    const std::string language = voice.languages.empty() ? "-" : voice.languages.front();
    std::fprintf(stdout, "%-14s %-32s %-7s %s\n", language.c_str(), voice.name.c_str(),
                 gender_name(voice.gender).c_str(), voice.identifier.c_str());
  }
  flush_stdout();
}

}  // namespace narrator::cli
