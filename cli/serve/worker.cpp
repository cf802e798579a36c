#include "worker.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "given_metadata.hpp"
#include "job.hpp"
#include "narrator/audio/output_processing.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "sentence_permits.hpp"
#include "stream_loudness.hpp"
#include "timing_outputs.hpp"
#include "worker_protocol.hpp"

namespace narrator::cli::serve {
namespace {

// Engines kept ready, one per distinct voice and lexicon setting: building one loads the voice and
// the lexicons, which would otherwise cost every request.
constexpr std::size_t kCachedEngines = 8;

// A descriptor owned here.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// The diagnostics of the job in hand. An Engine keeps its Diagnostics for its lifetime, and the
// cached engines outlive each job, so they report here and this passes the reports on.
class JobDiagnostics final : public Diagnostics {
 public:
  void report(Diagnostic diagnostic) override {
    const std::lock_guard lock(mutex_);
    if (diagnostic.severity != Severity::kInfo) items_.push_back(std::move(diagnostic));
  }
  std::vector<Diagnostic> take() {
    const std::lock_guard lock(mutex_);
    return std::exchange(items_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<Diagnostic> items_;
};

class EngineCache {
 public:
  EngineCache(const WorkerSettings& settings, Diagnostics& diagnostics)
      : settings_(settings), diagnostics_(diagnostics) {}

  const Engine& get(const VoiceOptions& voice, const PauseOptions& pauses,
                    const std::vector<std::string>& lexicons) {
    EngineConfig config;
    config.voice = voice;
    config.pauses = pauses;
    config.synthesis_threads = 1;  // the workers are the parallelism
    std::string key =
        voice.name + '\t' + std::to_string(voice.rate_wpm) + '\t' + std::to_string(voice.pitch) +
        '\t' + std::to_string(voice.volume) + '\t' + std::to_string(pauses.sentence_ms) + '\t' +
        std::to_string(pauses.paragraph_ms) + '\t' + std::to_string(pauses.heading_ms);
    for (const std::string& name : lexicons) {
      const auto file = settings_.lexicons.find(name);
      if (file == settings_.lexicons.end()) {
        throw Error(ErrorCategory::kUsage, "unknown lexicon '" + name + "'");
      }
      config.lexicon_files.push_back(file->second);
      key += '\t' + name;
    }
    for (const auto& [cached_key, engine] : engines_) {
      if (cached_key == key) return *engine;
    }
    auto engine = std::make_unique<Engine>(std::move(config), diagnostics_);
    if (engines_.size() == kCachedEngines) engines_.pop_front();
    engines_.emplace_back(std::move(key), std::move(engine));
    return *engines_.back().second;
  }

 private:
  const WorkerSettings& settings_;
  Diagnostics& diagnostics_;
  std::deque<std::pair<std::string, std::unique_ptr<Engine>>> engines_;
};

// The one-pass loudness of streamed audio, per target: each voice's gain is calibrated on its
// first use (the server's default voice at start-up) and kept.
class Loudness {
 public:
  StreamLoudness& at(double target_lufs) {
    for (StreamLoudness& loudness : targets_) {
      if (loudness.target_lufs() == target_lufs) return loudness;
    }
    return targets_.emplace_back(target_lufs);
  }

 private:
  std::deque<StreamLoudness> targets_;
};

// Writes all of `text` into a pipe (the job's body, a forked process's result). Throws
// Error(kOutput) when the reader has gone.
void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCategory::kOutput,
                  std::string("serve worker: the response pipe: ") + std::strerror(errno));
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

// Cancels the job when its reader goes away (the client disconnected: the pipe's read end is
// closed) or when the server does (the control socket hangs up; what is readable on it is the
// permit grants, which SentenceGate reads), so that the engine stops between sentences, or
// inside one, instead of at its next write.
class JobWatcher {
 public:
  JobWatcher(int pipe_fd, int control_fd, CancelSource& cancel) : wake_(::eventfd(0, EFD_CLOEXEC)) {
    if (wake_.get() < 0) return;  // the write failing with EPIPE still ends the job
    thread_ = std::thread([this, pipe_fd, control_fd, &cancel] {
      std::array<pollfd, 3> fds{{{wake_.get(), POLLIN, 0}, {pipe_fd, 0, 0}, {control_fd, 0, 0}}};
      for (;;) {
        const int ready = ::poll(fds.data(), fds.size(), -1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0 || fds[0].revents != 0) return;
        reader_gone_ = true;
        cancel.cancel();
        return;
      }
    });
  }
  JobWatcher(const JobWatcher&) = delete;
  JobWatcher& operator=(const JobWatcher&) = delete;
  ~JobWatcher() {
    if (!thread_.joinable()) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_.get(), &one, sizeof one);
    thread_.join();
  }
  bool reader_gone() const noexcept { return reader_gone_; }

 private:
  UniqueFd wake_;
  std::atomic<bool> reader_gone_{false};
  std::thread thread_;
};

// Asks the server for a permit before each sentence's synthesis and gives it back after (see
// sentence_permits.hpp): the server decides which of its workers' sentences use the cores.
class SentenceGate final : public SynthesisGate {
 public:
  explicit SentenceGate(int control_fd) : control_fd_(control_fd) {}

  bool acquire(std::size_t sentence_index, const CancelToken& cancel) override {
    send_frame(control_fd_, permit_acquire_frame(sentence_index == 0));
    for (;;) {
      if (cancel.cancelled()) return false;  // a grant that comes later is skipped between jobs
      pollfd control{control_fd_, POLLIN, 0};
      const int ready = ::poll(&control, 1, static_cast<int>(kCancelPoll.count()));
      if (ready < 0 && errno != EINTR) {
        throw Error(ErrorCategory::kInternal,
                    std::string("serve worker: the control socket: ") + std::strerror(errno));
      }
      if (ready <= 0) continue;
      // Read whole: this process may be killed at any moment (a crash, the test hook), and its
      // worker reads the socket next.
      const std::optional<std::string> frame = receive_whole_frame(control_fd_);
      if (!frame) throw Error(ErrorCategory::kCancelled, "serve worker: the server has gone");
      if (is_grant(*frame)) return true;
    }
  }

  void release(std::size_t /*sentence_index*/) noexcept override {
    try {
      send_frame(control_fd_, permit_release_frame());
    } catch (const Error&) {
      // The server has gone: JobWatcher sees the socket hang up and cancels the job, and the
      // server's scheduler takes every permit of a worker that ends back anyway.
    }
  }

  static bool is_grant(const std::string& json) {
    const nlohmann::json message = nlohmann::json::parse(json, nullptr, false);
    return message.is_object() && message.value("granted", false);
  }

 private:
  // How often a worker waiting for a permit checks whether its job was cancelled.
  static constexpr std::chrono::milliseconds kCancelPoll{20};
  int control_fd_;
};

// The test hook Job::test_crash_after_sentences: the job's process dies (SIGKILL, as a crash would
// end it) once that many sentences' audio has been written into the response, so after its body
// began. Its worker lives on.
class CrashAfterSentences final : public ProgressObserver {
 public:
  explicit CrashAfterSentences(int sentences) : sentences_(static_cast<std::size_t>(sentences)) {}
  void on_progress(const Progress& progress) override {
    if (progress.sentence_index + 1 >= sentences_) ::kill(::getpid(), SIGKILL);
  }

 private:
  std::size_t sentences_;
};

// Discards the audio: the marks are what a marks job returns.
class DiscardSink final : public AudioSink {
 public:
  explicit DiscardSink(StreamFormat format) : format_(format) {}
  StreamFormat format() const noexcept override { return format_; }
  void write(std::span<const std::int16_t> /*samples*/) override {}
  void finish() override {}

 private:
  StreamFormat format_;
};

// Each chunk's speech marks, in Polly's format, written into the pipe as the chunk is made.
class MarksWriter final : public ProgressObserver {
 public:
  MarksWriter(const Article& article, int sample_rate_hz, int fd,
              const std::vector<std::string>& types)
      : article_(article), sample_rate_hz_(sample_rate_hz), fd_(fd), types_(types) {}
  void on_progress(const Progress& /*progress*/) override {}
  void on_chunk(const AudioChunk& chunk, std::size_t first_frame) override {
    TimingCollector collector(article_, sample_rate_hz_);
    collector.add(chunk, first_frame);
    const std::string lines = collector.speech_marks();
    std::string kept;
    std::size_t begin = 0;
    for (const Mark& mark : collector.marks()) {
      const std::size_t end = lines.find('\n', begin) + 1;
      if (wanted(mark.kind)) kept.append(lines, begin, end - begin);
      begin = end;
    }
    write_all(fd_, kept);
  }

 private:
  bool wanted(MarkKind kind) const {
    if (types_.empty()) return true;
    const char* name = kind == MarkKind::kSentence ? "sentence"
                       : kind == MarkKind::kWord   ? "word"
                                                   : "ssml";
    return std::find(types_.begin(), types_.end(), name) != types_.end();
  }

  const Article& article_;
  int sample_rate_hz_;
  int fd_;
  const std::vector<std::string>& types_;
};

Article read_job_article(const Job& job, Diagnostics& diagnostics) {
  ReadOptions options;
  options.keep_page_furniture = job.keep_page_furniture;
  Article article = read_input(job.text, "request", job.input, options, diagnostics);
  apply_given_metadata(article.metadata, job.metadata);
  add_framing(article, job.framing, diagnostics);
  return article;
}

nlohmann::json script_json(const Engine& engine, const Article& article) {
  nlohmann::json sentences = nlohmann::json::array();
  std::size_t words = 0;
  for (const ScriptSentence& sentence : engine.script(article)) {
    words += sentence.word_count;
    sentences.push_back({{"text", sentence.text},
                         {"paragraph", sentence.block_index},
                         {"words", sentence.word_count}});
  }
  return {{"sentences", sentences}, {"words", words}};
}

nlohmann::json estimate_json(const Engine& engine, const Article& article, CancelToken cancel) {
  const DurationEstimate estimate = engine.estimate(article, std::move(cancel));
  return {{"minutes", estimate.minutes()},
          {"duration_ms", estimate.duration.count()},
          {"words", estimate.word_count},
          {"characters", estimate.character_count}};
}

// Runs `job`, writing its body into `fd`. Returns how many milliseconds of audio were made.
// How a streamed job's audio is processed: one-pass loudness (never two passes, which would hold
// the first byte until the end) to the job's target, or for MP3 to the level narrate gives MP3
// files; other formats keep the voice's level unless the job names a target.
OutputProcessing stream_processing(const Job& job, const Engine& engine, Loudness& loudness,
                                   const CancelToken& cancel) {
  OutputProcessing processing;
  processing.sample_rate_hz = job.sample_rate_hz;
  processing.channels = job.channels;
  if (job.loudness_lufs) {
    return loudness.at(*job.loudness_lufs).processing(engine, job.voice, processing, cancel);
  }
  if (job.format == AudioFormat::kMp3) {
    return loudness.at(kStreamTargetLufs).processing(engine, job.voice, processing, cancel);
  }
  processing.keep_level = true;
  return processing;
}

// `crash`: the test hook's observer of an audio job, or nullptr.
long long run_job(const Job& job, int fd, EngineCache& engines, Loudness& loudness,
                  Diagnostics& diagnostics, const CancelToken& cancel, SentenceGate& gate,
                  ProgressObserver* crash) {
  const Article article = read_job_article(job, diagnostics);
  const Engine& engine = engines.get(job.voice, job.pauses, job.lexicons);
  switch (job.kind) {
    case JobKind::kAudio: {
      const OutputProcessing processing = stream_processing(job, engine, loudness, cancel);
      EncoderOptions encoder;
      encoder.tags = AudioTags{
          article.metadata.title, article.metadata.byline, article.metadata.publication,
          article.metadata.date,
          "Read by a computer voice (" + job.voice.name + "); mispronunciations can occur."};
      const std::unique_ptr<AudioSink> sink =
          open_output_stream(fd, job.format, engine.format(), processing, encoder, cancel);
      return engine.narrate_to(article, *sink, cancel, crash, &gate).audio_duration.count();
    }
    case JobKind::kMarks: {
      DiscardSink sink(engine.format());
      MarksWriter marks(article, engine.format().sample_rate_hz, fd, job.mark_types);
      return engine.narrate_to(article, sink, cancel, &marks, &gate).audio_duration.count();
    }
    case JobKind::kScript:
      write_all(fd, script_json(engine, article)
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      return 0;
    case JobKind::kEstimate:
      write_all(fd, estimate_json(engine, article, cancel).dump());
      return 0;
  }
  return 0;
}

// Runs `job` in the job's process, writing its body into `out` (closed once the body is whole).
// Returns the result frame's JSON.
nlohmann::json handle(const Job& job, UniqueFd& out, const WorkerSettings& settings,
                      EngineCache& engines, Loudness& loudness, JobDiagnostics& diagnostics) {
  std::optional<CrashAfterSentences> crash;
  if (job.test_crash_after_sentences > 0 && settings.test_hooks) {
    crash.emplace(job.test_crash_after_sentences);
  }
  CancelSource cancel;
  SentenceGate gate(settings.control_fd);
  nlohmann::json result;
  bool gone = false;
  try {
    const JobWatcher watcher(out.get(), settings.control_fd, cancel);
    try {
      result = {{"ok", true},
                {"audio_ms", run_job(job, out.get(), engines, loudness, diagnostics, cancel.token(),
                                     gate, crash ? &*crash : nullptr)}};
    } catch (const Error& error) {
      gone = watcher.reader_gone();
      result = {{"ok", false},
                {"category", std::string(category_name(error.category()))},
                {"message", error.what()}};
    }
  } catch (const std::exception& error) {
    result = {{"ok", false}, {"category", "internal"}, {"message", error.what()}};
  }
  out.reset();  // the body is whole (or abandoned)
  if (gone) result["abandoned"] = true;
  nlohmann::json warnings = nlohmann::json::array();
  for (const Diagnostic& diagnostic : diagnostics.take()) {
    warnings.push_back({{"code", diagnostic.code}, {"message", diagnostic.message}});
  }
  result["warnings"] = warnings;
  return result;
}

// --- one process per job ---
//
// libespeak-ng keeps two counters running from one utterance to the next that no call resets
// (espeak_runtime.hpp), so a worker that synthesized would give a request's audio a start that
// depends on the requests before it. The worker therefore never synthesizes: it loads engines and
// keeps calibrations, and forks a process for each job (and for each calibration), which starts
// from the worker's state, that of a fresh process, does the work, hands back what it made and
// ends. eSpeak NG runs in synchronous mode and the worker has no other thread, so nothing is
// half-done in the copy a fork makes.

// The exit status of a forked process whose work threw narrator::Error (its message follows on
// the result pipe), and of one whose worker had already gone when it began.
constexpr int kForkedFailed = 2;
constexpr int kForkedOrphaned = 3;

// How a forked process ended, and what it wrote on its result pipe.
struct ForkedOutcome {
  int status = 0;  // waitpid's
  std::string bytes;

  bool succeeded() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
  bool failed() const { return WIFEXITED(status) && WEXITSTATUS(status) == kForkedFailed; }
  std::string ending() const {
    if (WIFSIGNALED(status)) {
      const int signal = WTERMSIG(status);
      return "was killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
    }
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
};

// Reads `fd` until every writer has closed it.
std::string read_to_end(int fd) {
  std::string bytes;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return bytes;
    bytes.append(buffer.data(), static_cast<std::size_t>(got));
  }
}

// Runs `work` (which returns the bytes to hand back) in a process forked from this one, and waits
// for it. The process keeps `child_only`, which the worker closes at once (the body's pipe: its
// reader sees the end when the process ends), and closes `not_in_child` (the control socket and
// the job's body pipe, for work that talks to neither; -1 for none). It ends with _exit: nothing of
// the worker's (atexit handlers, stdio buffers, libraries' destructors) runs twice. Throws
// Error(kInternal) when the process cannot be made.
template <typename Work>
ForkedOutcome run_forked(UniqueFd* child_only, std::initializer_list<int> not_in_child,
                         Work&& work) {
  int result[2];
  if (::pipe2(result, O_CLOEXEC) != 0) {
    throw Error(ErrorCategory::kInternal,
                std::string("serve worker: cannot make a pipe: ") + std::strerror(errno));
  }
  const pid_t worker = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(result[0]);
    ::close(result[1]);
    throw Error(ErrorCategory::kInternal,
                std::string("serve worker: cannot fork a job's process: ") + std::strerror(error));
  }
  if (pid == 0) {
    ::close(result[0]);
    // The process ends with its worker: one the server kills (a request past its time, the end of
    // a drain) takes its job along instead of leaving it to run on.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != worker) ::_exit(kForkedOrphaned);
    for (const int fd : not_in_child) {
      if (fd >= 0) ::close(fd);
    }
    int status = 0;
    try {
      write_all(result[1], work());
    } catch (const Error& error) {
      status = kForkedFailed;
      try {
        write_all(result[1], error.what());
      } catch (const Error&) {
        // The worker has gone: nobody reads the message.
      }
    } catch (...) {
      status = 1;
    }
    ::_exit(status);
  }
  if (child_only != nullptr) child_only->reset();
  ::close(result[1]);
  ForkedOutcome outcome;
  outcome.bytes = read_to_end(result[0]);
  ::close(result[0]);
  while (::waitpid(pid, &outcome.status, 0) < 0) {
    if (errno != EINTR) {
      throw Error(
          ErrorCategory::kInternal,
          std::string("serve worker: waiting for a job's process: ") + std::strerror(errno));
    }
  }
  return outcome;
}

// Calibrates `voice` (which `engine` speaks) for `stream`'s target in a process of its own, and
// keeps the result in `stream`: the synthesis of the passage leaves the worker's eSpeak NG state
// as it was. Nothing when the voice has its calibration. Throws Error(kInternal) when the
// calibration failed (with its message) or its process died.
void calibrate_apart(StreamLoudness& stream, const Engine& engine, const VoiceOptions& voice,
                     int control_fd, int body_fd = -1) {
  if (stream.cached(voice)) return;
  const ForkedOutcome outcome = run_forked(nullptr, {control_fd, body_fd}, [&] {
    const VoiceCalibration made =
        calibrate_voice(engine, stream.target_lufs(), stream.ceiling_dbtp());
    return std::string(reinterpret_cast<const char*>(&made), sizeof made);
  });
  if (outcome.failed()) throw Error(ErrorCategory::kInternal, outcome.bytes);
  if (!outcome.succeeded() || outcome.bytes.size() != sizeof(VoiceCalibration)) {
    throw Error(ErrorCategory::kInternal, "serve worker: the process calibrating the voice '" +
                                              voice.name + "' for streamed loudness " +
                                              outcome.ending());
  }
  VoiceCalibration made;
  std::memcpy(&made, outcome.bytes.data(), sizeof made);
  stream.remember(voice, made);
}

// Readies in the worker what `job` needs, so that its process (and the next job's) finds it made:
// the engine for its voice, lexicons and pauses, and the voice's streamed-loudness calibration.
// An error is left for the job's process, which meets it again and reports it as the job's.
void prepare(const Job& job, EngineCache& engines, Loudness& loudness, int control_fd,
             int body_fd) {
  try {
    const Engine& engine = engines.get(job.voice, job.pauses, job.lexicons);
    if (job.kind != JobKind::kAudio) return;
    if (job.loudness_lufs) {
      calibrate_apart(loudness.at(*job.loudness_lufs), engine, job.voice, control_fd, body_fd);
    } else if (job.format == AudioFormat::kMp3) {
      calibrate_apart(loudness.at(kStreamTargetLufs), engine, job.voice, control_fd, body_fd);
    }
  } catch (const std::exception&) {
    // Met again in the job's process.
  }
}

// Runs the job of `frame` in a process of its own (see above) and returns its result frame's
// JSON. While that process runs it alone talks to the server on the control socket (its permit
// frames); the worker only waits, and sends the result once the process has ended. A process
// that dies without a result fails its job (counted by the server as a job crash), and the
// worker goes on.
nlohmann::json serve_job(const Frame& frame, const WorkerSettings& settings, EngineCache& engines,
                         Loudness& loudness, JobDiagnostics& diagnostics) {
  UniqueFd out(frame.fd);
  const Job job = job_from_wire(frame.json);
  // The test hook for a worker that dies (it is restarted), as opposed to a job's process.
  if (job.test_crash && settings.test_hooks) ::kill(::getpid(), SIGKILL);
  prepare(job, engines, loudness, settings.control_fd, out.get());
  const ForkedOutcome outcome = run_forked(&out, {}, [&] {
    return handle(job, out, settings, engines, loudness, diagnostics)
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  });
  diagnostics.take();  // the job's process reported what was left of them
  if (outcome.succeeded()) {
    nlohmann::json result = nlohmann::json::parse(outcome.bytes, nullptr, false);
    if (result.is_object()) return result;
  }
  return {{"ok", false},
          {"category", "internal"},
          {"message", "the process running this job " + outcome.ending() +
                          " before it finished; the worker goes on serving"},
          {"crashed", true},
          {"warnings", nlohmann::json::array()}};
}

nlohmann::json voices_json(const Engine& engine) {
  nlohmann::json voices = nlohmann::json::array();
  for (const VoiceInfo& voice : engine.voices()) {
    voices.push_back({{"name", voice.name},
                      {"identifier", voice.identifier},
                      {"languages", voice.languages},
                      {"gender", voice.gender == VoiceGender::kMale     ? "male"
                                 : voice.gender == VoiceGender::kFemale ? "female"
                                                                        : "unknown"},
                      {"backend", voice.backend},
                      {"sample_rate_hz", voice.sample_rate_hz}});
  }
  return voices;
}

}  // namespace

int run_serve_worker(const WorkerSettings& settings) {
  // A client that goes away is an EPIPE on the job's pipe, never a signal.
  ::signal(SIGPIPE, SIG_IGN);
  JobDiagnostics diagnostics;
  EngineCache engines(settings, diagnostics);
  Loudness loudness;
  try {
    VoiceOptions voice;
    voice.name = settings.default_voice;
    std::vector<std::string> every_lexicon;
    for (const auto& [name, file] : settings.lexicons) every_lexicon.push_back(name);
    // Each lexicon is loaded once here so that a bad file stops the server at start-up.
    engines.get(voice, PauseOptions{}, every_lexicon);
    const Engine& engine = engines.get(voice, PauseOptions{}, {});
    // Streamed MP3's gain for the default voice, measured now rather than on a first request,
    // in a process of its own: the worker's eSpeak NG state stays that of a fresh process.
    calibrate_apart(loudness.at(kStreamTargetLufs), engine, voice, settings.control_fd);
    send_frame(settings.control_fd,
               nlohmann::json{{"ready", true}, {"voices", voices_json(engine)}}.dump(
                   -1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (const Error& error) {
    send_frame(settings.control_fd,
               nlohmann::json{{"ready", false}, {"message", error.what()}}.dump());
    return 1;
  }
  diagnostics.take();
  for (;;) {
    const std::optional<Frame> frame = receive_frame(settings.control_fd);
    if (!frame) return 0;  // the server has closed the socket: done
    // A grant that came after its job was cancelled while waiting for it.
    if (SentenceGate::is_grant(frame->json)) {
      if (frame->fd >= 0) ::close(frame->fd);
      continue;
    }
    const nlohmann::json result = serve_job(*frame, settings, engines, loudness, diagnostics);
    send_frame(settings.control_fd,
               result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

}  // namespace narrator::cli::serve
