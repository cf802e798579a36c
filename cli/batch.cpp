// batch.cpp: `narrate batch`: many articles, one worker process each (eSpeak NG's state is per
// process), at most -j at a time. An article whose manifest records the same input hash and
// settings is skipped; a failed article is reported and the others go on.
#include "batch.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "child_process.hpp"
#include "feed.hpp"
#include "manifest.hpp"
#include "narrator/detail/plural.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::milliseconds kPoll{20};

struct Job {
  fs::path input;
  fs::path output;
  fs::path manifest;
  std::string status = "pending";  // pending, running, done, skipped, failed
  std::string detail;              // the error's last line, or the duration
  pid_t pid = -1;
  int log_fd = -1;  // the child's stderr, an unlinked temporary file
  std::chrono::steady_clock::time_point started{};
  std::chrono::milliseconds elapsed{0};
};

// An article, and the key --shard hashes: its path relative to the folder it was found in (its
// file name), or the path as given for a file named by itself. The folder's own path is left out
// so that pods mounting it at different places agree.
struct Input {
  fs::path path;
  std::string shard_key;
};

std::vector<Input> collect_inputs(const std::vector<std::string>& arguments) {
  std::vector<Input> inputs;
  for (const std::string& argument : arguments) {
    std::error_code error;
    if (fs::is_directory(argument, error)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(argument, error)) {
        if (entry.is_regular_file() && is_article_path(entry.path())) found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      for (const fs::path& path : found) inputs.push_back({path, path.filename().string()});
    } else {
      inputs.push_back({argument, argument});  // a missing file fails in its own worker, reported
    }
  }
  if (inputs.empty()) {
    throw Error(ErrorCategory::kUsage,
                "no articles to narrate (.txt, .html, .htm or .ssml files, or folders of them)");
  }
  return inputs;
}

// The options each worker gets, besides its input and outputs: every option of settings_key()
// that batch accepts, so that the worker's manifest records the settings batch compares.
std::vector<std::string> worker_options(const CliOptions& options) {
  const EngineConfig& engine = options.engine;
  std::vector<std::string> args{"--quiet",
                                "--voice",
                                engine.voice.name,
                                "--rate",
                                std::to_string(engine.voice.rate_wpm),
                                "--pitch",
                                std::to_string(engine.voice.pitch),
                                "--volume",
                                std::to_string(engine.voice.volume),
                                "--sentence-pause",
                                std::to_string(engine.pauses.sentence_ms),
                                "--paragraph-pause",
                                std::to_string(engine.pauses.paragraph_ms),
                                "--heading-pause",
                                std::to_string(engine.pauses.heading_ms)};
  for (const std::string& lexicon : engine.lexicon_files) {
    args.insert(args.end(), {"--lexicon", lexicon});
  }
  const std::pair<const char*, const std::string*> metadata[] = {
      {"--title", &options.metadata.title},
      {"--byline", &options.metadata.byline},
      {"--publication", &options.metadata.publication},
      {"--date", &options.metadata.date}};
  for (const auto& [flag, value] : metadata) {
    if (!value->empty()) args.insert(args.end(), {flag, *value});
  }
  if (options.keep_page_furniture) args.push_back("--keep-furniture");
  if (!options.encoding.empty()) args.insert(args.end(), {"--encoding", options.encoding});
  if (options.framing.intro) {
    args.insert(args.end(), {"--intro", "--intro-text", options.framing.intro_text});
  }
  if (options.framing.disclaimer) {
    args.insert(args.end(), {"--disclaimer", "--disclaimer-text", options.framing.disclaimer_text});
  }
  return args;
}

// Whether the audio file is the one the manifest describes: the size first (cheap), then the
// SHA-256. A crash between the audio's rename and the manifest's leaves an older manifest beside
// newer audio, and this is how the next batch finds it.
bool audio_matches(const fs::path& audio, const std::optional<FileDigest>& recorded) {
  std::error_code error;
  const std::uintmax_t bytes = fs::file_size(audio, error);
  if (!recorded || error || bytes != recorded->bytes) return false;
  return file_digest(audio.string(), "narration").sha256 == recorded->sha256;
}

// An article whose input, manifest or audio cannot be read is not known to be unchanged: its
// worker runs, and reports why the input cannot be read.
bool unchanged(const Job& job, const std::string& settings) {
  std::error_code error;
  if (!fs::exists(job.manifest, error) || !fs::exists(job.output, error)) return false;
  try {
    const ManifestKey key = read_manifest_key(detail::read_file(job.manifest.string(), "manifest"));
    return !key.input_sha256.empty() && key.settings == canonical_settings(settings) &&
           key.input_sha256 == sha256_hex(detail::read_file(job.input.string(), "article")) &&
           audio_matches(job.output, key.audio);
  } catch (const Error&) {
    return false;
  }
}

std::string self_path() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) throw Error(ErrorCategory::kInternal, "cannot find the narrate binary to run workers");
  return self.string();
}

void start(Job& job, const std::string& self, const std::vector<std::string>& options) {
  job.log_fd = open_worker_log();
  // A relative name that starts with '-' (given after "--") is not to be read as an option.
  const std::string input =
      job.input.string().starts_with('-') ? "./" + job.input.string() : job.input.string();
  std::vector<std::string> args{
      self, "speak", input, "-o", job.output.string(), "--manifest", job.manifest.string()};
  args.insert(args.end(), options.begin(), options.end());
  job.pid = spawn_worker(args, job.log_fd);
  job.status = "running";
  job.started = std::chrono::steady_clock::now();
}

// The output folder, made if missing, and writable: found before any worker starts, rather than
// once per article.
void prepare_out_dir(const std::string& out_dir) {
  std::error_code error;
  fs::create_directories(out_dir, error);
  if (error || !fs::is_directory(out_dir, error)) {
    throw Error(ErrorCategory::kOutput,
                "--out-dir '" + out_dir + "': cannot create the output folder: " +
                    (error ? error.message() : "a file of that name is in the way") +
                    "; choose another folder, or create it first");
  }
  if (::access(out_dir.c_str(), W_OK | X_OK) != 0) {
    throw Error(ErrorCategory::kOutput,
                "--out-dir '" + out_dir + "': cannot write in the output folder: " +
                    std::strerror(errno) + "; choose a folder you can write in");
  }
}

// The last non-empty line of the worker's stderr: its error message.
std::string last_line(int fd) {
  std::string log;
  char buffer[4096];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;) log.append(buffer, got);
  while (!log.empty() && log.back() == '\n') log.pop_back();
  const std::size_t newline = log.rfind('\n');
  return newline == std::string::npos ? log : log.substr(newline + 1);
}

void finish(Job& job, int status) {
  job.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - job.started);
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  job.status = ok ? "done" : "failed";
  job.detail = ok ? "" : last_line(job.log_fd);
  if (!ok && job.detail.empty()) job.detail = "worker ended with status " + std::to_string(status);
  ::close(job.log_fd);
  job.log_fd = -1;
  job.pid = -1;
}

void print_table(const std::vector<Job>& jobs) {
  std::fprintf(stdout, "%-8s %9s  %s\n", "STATUS", "TIME", "ARTICLE");
  for (const Job& job : jobs) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s",
                  static_cast<double>(job.elapsed.count()) / 1000);
    const std::string time = job.status == "done" || job.status == "failed" ? seconds : "-";
    std::fprintf(stdout, "%-8s %9s  %s%s%s\n", job.status.c_str(), time.c_str(),
                 job.input.string().c_str(), job.detail.empty() ? "" : ": ", job.detail.c_str());
  }
}

// --feed: known to be complete only once every article is narrated, so not with --shard (each
// shard would write it from what the others had done so far).
void check_feed_usage(const CliOptions& options) {
  if (options.feed.output.empty()) return;
  if (options.feed.base_url.empty()) {
    throw Error(ErrorCategory::kUsage,
                "--feed needs --base-url URL: the http(s) address the narrations in --out-dir "
                "are published under");
  }
  if (options.shard) {
    throw Error(ErrorCategory::kUsage,
                "--feed cannot be combined with --shard: a shard does not know when the others "
                "are done; once every shard has finished, run narrate feed " +
                    options.out_dir + " -o FEED.xml --base-url URL");
  }
}

// The feed of every narration in --out-dir, also after a failed article (the others are in it).
void write_batch_feed(const CliOptions& options) {
  if (options.feed.output.empty()) return;
  FeedOptions feed = options.feed;
  feed.dir = options.out_dir;
  for (const std::string& warning : write_feed(feed)) {
    std::fprintf(stderr, "narrate: warning: %s\n", warning.c_str());
  }
}

}  // namespace

bool is_article_path(const std::filesystem::path& path) {
  const std::string extension = path.extension().string();
  return extension == ".txt" || extension == ".html" || extension == ".htm" || extension == ".ssml";
}

int open_worker_log() {
  char log_template[] = "/tmp/narrate-batch-XXXXXX";
  // Close-on-exec: each worker gets its own log as stderr (a dup2 in its spawn), and no other.
  const int fd = ::mkostemp(log_template, O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorCategory::kOutput,
                std::string("cannot create a log file in /tmp: ") + std::strerror(errno));
  }
  ::unlink(log_template);
  return fd;
}

pid_t spawn_worker(const std::vector<std::string>& args, int log_fd) {
  return spawn_child(args, {{log_fd, STDERR_FILENO}}, -1, "cannot start a worker");
}

std::vector<std::filesystem::path> select_articles(const CliOptions& options,
                                                   std::string_view format) {
  std::vector<fs::path> selected;
  std::map<std::string, fs::path> stems;
  for (const auto& [input, shard_key] : collect_inputs(options.batch_inputs)) {
    const std::string stem = input.stem().string();
    if (const auto [where, fresh] = stems.emplace(stem, input); !fresh) {
      throw Error(ErrorCategory::kUsage, "'" + input.string() + "' and '" + where->second.string() +
                                             "' would both write " + stem + "." +
                                             std::string(format) +
                                             "; rename one or run them separately");
    }
    // After the name check, so that every shard refuses the same clash.
    if (!options.shard || shard_of(shard_key, options.shard->count) == options.shard->index) {
      selected.push_back(input);
    }
  }
  return selected;
}

void run_batch(const CliOptions& options, const CancelToken& cancel) {
  check_feed_usage(options);
  if (options.batch_jobs < 1 || options.batch_jobs > 64) {
    throw Error(ErrorCategory::kUsage, "-j " + std::to_string(options.batch_jobs) +
                                           " is out of range; use 1 to 64 worker processes");
  }
  const std::string format =
      options.format ? std::string(audio_format_name(*options.format)) : "mp3";
  std::vector<Job> jobs;
  for (const fs::path& input : select_articles(options, format)) {
    const fs::path base = fs::path(options.out_dir) / input.stem();
    Job job;
    job.input = input;
    job.output = base.string() + "." + format;
    job.manifest = base.string() + ".json";
    jobs.push_back(std::move(job));
  }
  prepare_out_dir(options.out_dir);
  const std::string settings = settings_key(options, format);
  for (Job& job : jobs) {
    if (!options.force && unchanged(job, settings)) job.status = "skipped";
  }
  const std::string self = self_path();
  const std::vector<std::string> worker = worker_options(options);
  std::size_t next = 0;
  std::size_t running = 0;
  while (true) {
    while (!cancel.cancelled() && running < static_cast<std::size_t>(options.batch_jobs) &&
           next < jobs.size()) {
      if (jobs[next].status == "pending") {
        start(jobs[next], self, worker);
        ++running;
      }
      ++next;
    }
    if (running == 0) break;
    int status = 0;
    const pid_t ended = ::waitpid(-1, &status, WNOHANG);
    if (ended > 0) {
      for (Job& job : jobs) {
        if (job.pid == ended) finish(job, status);
      }
      --running;
      continue;
    }
    if (cancel.cancelled()) {
      for (const Job& job : jobs) {
        if (job.pid > 0) ::kill(job.pid, SIGTERM);  // each worker removes its own partial file
      }
    }
    std::this_thread::sleep_for(kPoll);
  }
  print_table(jobs);
  // A reader that went away (EPIPE) ends batch quietly, as every command; any other failure, such
  // as a full disk, is an output error: the table is how a pipeline learns what failed.
  if ((std::fflush(stdout) != 0 || std::ferror(stdout) != 0) && errno != EPIPE) {
    throw Error(ErrorCategory::kOutput, std::string("cannot write the batch table to standard "
                                                    "output: ") +
                                            std::strerror(errno));
  }
  if (cancel.cancelled()) throw Error(ErrorCategory::kCancelled, "batch interrupted");
  write_batch_feed(options);
  const auto failed = static_cast<std::size_t>(std::count_if(
      jobs.begin(), jobs.end(), [](const Job& job) { return job.status == "failed"; }));
  if (failed > 0) {
    throw Error(ErrorCategory::kInput, std::to_string(failed) + " of " +
                                           detail::counted(jobs.size(), "article") +
                                           " failed; see the table above");
  }
}

}  // namespace narrator::cli
