// narrate speak: the article to a file or stdout with its side files, or played on a device.
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "manifest.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/audio/output_processing.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "progress_line.hpp"
#include "side_files.hpp"

namespace narrator::cli {
namespace {

// Forwards every diagnostic and keeps a copy (for the manifest). report() comes from the
// synthesis thread too, so the copy is guarded.
class RecordingDiagnostics final : public Diagnostics {
 public:
  explicit RecordingDiagnostics(Diagnostics& outer) : outer_(outer) {}
  void report(Diagnostic diagnostic) override {
    {
      const std::lock_guard lock(mutex_);
      items_.push_back(diagnostic);
    }
    outer_.report(std::move(diagnostic));
  }
  // A copy of everything reported so far.
  std::vector<Diagnostic> items() const {
    const std::lock_guard lock(mutex_);
    return items_;
  }

 private:
  Diagnostics& outer_;
  mutable std::mutex mutex_;
  std::vector<Diagnostic> items_;
};

// Progress to the progress line, and every chunk's marks to the side files. narrate_to() calls
// both on the calling thread.
class SpeakObserver final : public ProgressObserver {
 public:
  SpeakObserver(ProgressLine& progress, SideFiles& side_files)
      : progress_(progress), side_files_(side_files) {}
  void on_progress(const Progress& progress) override { progress_.on_progress(progress); }
  void on_chunk(const AudioChunk& chunk, std::size_t first_frame) override {
    side_files_.add(chunk, first_frame);
  }

 private:
  ProgressLine& progress_;
  SideFiles& side_files_;
};

// Tags for the output file, from the article's metadata.
EncoderOptions encoder_options(const Article& article, const VoiceOptions& voice) {
  EncoderOptions encoder;
  encoder.tags = AudioTags{
      article.metadata.title, article.metadata.byline, article.metadata.publication,
      article.metadata.date,
      "Read by a computer voice (eSpeak NG " + voice.name + "); mispronunciations can occur."};
  return encoder;
}

std::unique_ptr<AudioSink> open_audio_output(const AudioOutput& audio, StreamFormat voice,
                                             const EncoderOptions& encoder,
                                             const CancelToken& cancel) {
  if (audio.to_stdout()) {
    return open_output_stream(STDOUT_FILENO, audio.format, voice, audio.processing, encoder,
                              cancel);
  }
  return open_output_file(audio.path, audio.format, voice, audio.processing, encoder, cancel);
}

// True when `fd` is a pipe or socket whose reader has closed its end.
bool reader_has_gone(int fd) {
  pollfd probe{fd, POLLOUT, 0};
  return ::poll(&probe, 1, 0) == 1 && (probe.revents & (POLLERR | POLLHUP)) != 0;
}

// Runs the narration into `sink` with the progress line up. Returns nullopt when the reader of
// stdout has gone: `narrate a.txt -o - | head -c 100` ends quietly, as `cat` does.
std::optional<NarrationSummary> narrate(const Engine& engine, const Article& article,
                                        AudioSink& sink, const FilePlan& plan,
                                        SideFiles& side_files, const CancelToken& cancel) {
  ProgressLine progress(plan.progress_line);
  SpeakObserver observer(progress, side_files);
  try {
    NarrationSummary summary = engine.narrate_to(article, sink, cancel, &observer);
    progress.clear();
    return summary;
  } catch (const Error& error) {
    progress.clear();
    if (error.category() == ErrorCategory::kOutput && plan.audio.to_stdout() &&
        reader_has_gone(STDOUT_FILENO)) {
      return std::nullopt;
    }
    throw;
  } catch (...) {
    progress.clear();
    throw;
  }
}

void write_narration(const CliOptions& options, const FilePlan& plan, const CancelToken& cancel,
                     Diagnostics& diagnostics) {
  RecordingDiagnostics recorded(diagnostics);
  // The manifest's input hash is of these very bytes, read once: a file changed during the
  // narration cannot be recorded as the one narrated, and stdin hashes as the same file would.
  ArticleBytes input = read_article_bytes(options, cancel);
  std::string input_sha256 = plan.manifest ? sha256_hex(input.bytes) : std::string();
  const Article article = load_article(options, std::move(input), recorded);
  const Engine engine(options.engine, recorded);
  SideFiles side_files(plan, article, std::move(input_sha256), engine.format().sample_rate_hz);
  const std::unique_ptr<AudioSink> sink = open_audio_output(
      plan.audio, engine.format(), encoder_options(article, options.engine.voice), cancel);
  const std::optional<NarrationSummary> summary =
      narrate(engine, article, *sink, plan, side_files, cancel);
  if (!summary) return;  // the side files are not written
  side_files.commit(*summary, recorded.items());
  if (plan.summary) {
    std::fprintf(stderr, "%s\n", format_summary(plan.audio.display_name(), *summary).c_str());
  }
}

}  // namespace

void run_speak(const CliOptions& options, const CancelToken& cancel, Diagnostics& diagnostics) {
  if (const auto* playback = std::get_if<PlaybackPlan>(&options.speak)) {
    play_article(options, *playback, cancel, diagnostics);
  } else {
    write_narration(options, std::get<FilePlan>(options.speak), cancel, diagnostics);
  }
}

}  // namespace narrator::cli
