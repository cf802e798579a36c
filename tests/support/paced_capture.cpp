// paced_capture: a device clock for the playback tests and the benchmark.
//
// CI machines have no sound card. The tests and bench/run give PortAudio a real ALSA device
// instead: a private HOME whose .asoundrc routes the default PCM through ALSA's `file` plugin into
// a FIFO, in front of the `null` slave. The null slave consumes samples instantly, so on its own
// the "device" would play an hour of speech in seconds. This tool is the other end of the FIFO: it
// reads the stream back at a fixed byte rate (44100 bytes/s is real time for s16le mono at 22050
// Hz) through a 4 KiB pipe, so that the writer blocks much as it would on a sound card's clock.
// It runs the player as its child, saves what was played, and reports how long the first audible
// sample took, how long the child took to stop after a signal, and the child's CPU time.
//
//   paced_capture --fifo PATH --out FILE [--bytes-per-second N] [--interrupt-after-ms MS]
//                 [--signal INT|TERM] [--close-after-bytes N] [--stdin-null] [--timeout-s S]
//                 -- COMMAND [ARGS...]
//
// Prints key=value lines on stdout (exit, signal, bytes, first_audio_ms, stop_ms, wall_ms, cpu_ms,
// timed_out) and exits 0 whatever the child did, 2 on a usage error and 1 on an I/O error of its
// own. Times count from just before the fork. first_audio_ms is when the device clock reaches the
// first non-zero sample (unpaced: when that sample is read); -1 when there was none, as stop_ms is
// when no signal was sent.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;

constexpr int kPipeBytes = 4096;          // the FIFO's buffer: about 93 ms of real-time audio
constexpr std::size_t kReadBytes = 1024;  // the most taken from the FIFO by one read
constexpr auto kTick = std::chrono::milliseconds(10);  // the longest wait without looking around
// A reader starved for longer than this restarts its clock, as a device does after an underrun,
// instead of catching up on the time it waited for data.
constexpr auto kUnderrun = std::chrono::milliseconds(100);
constexpr int kUsageStatus = 2;
constexpr int kIoStatus = 1;

constexpr const char* kUsage =
    "usage: paced_capture --fifo PATH --out FILE [--bytes-per-second N] [--interrupt-after-ms MS]\n"
    "           [--signal INT|TERM] [--close-after-bytes N] [--stdin-null] [--timeout-s S]\n"
    "           -- COMMAND [ARGS...]\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "PATH: what failed: strerror(errno)"
[[noreturn]] void throw_io(const std::string& path, std::string_view what) {
  throw IoError(path + ": " + std::string(what) + ": " + std::strerror(errno));
}

struct Options {
  std::string fifo_path;
  std::string out_path;
  std::int64_t bytes_per_second = 0;     // 0: read as fast as data comes
  std::int64_t interrupt_after_ms = -1;  // after the first non-zero sample; -1: never
  int interrupt_signal = SIGINT;
  std::int64_t close_after_bytes = -1;  // -1: never close the FIFO early
  bool stdin_null = false;
  std::int64_t timeout_s = 120;
  std::vector<std::string> command;
};

// A file descriptor that closes itself. Movable, not copyable.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Closes and reports the error a deferred write may surface only here.
  void close_checked(const std::string& path) {
    const int fd = std::exchange(fd_, -1);
    if (fd >= 0 && ::close(fd) != 0) throw_io(path, "close");
  }

 private:
  int fd_ = -1;
};

// The FIFO at a path: made (or an existing FIFO reused) on construction, removed on destruction.
class FifoNode {
 public:
  explicit FifoNode(std::string path) : path_(std::move(path)) {
    if (mkfifo(path_.c_str(), 0600) == 0) return;
    if (errno != EEXIST) throw_io(path_, "mkfifo");
    struct stat info {};
    if (lstat(path_.c_str(), &info) != 0) throw_io(path_, "lstat");
    if (!S_ISFIFO(info.st_mode)) throw IoError(path_ + ": exists and is not a FIFO");
  }
  FifoNode(const FifoNode&) = delete;
  FifoNode& operator=(const FifoNode&) = delete;
  ~FifoNode() {
    if (unlink(path_.c_str()) != 0 && errno != ENOENT) {
      std::fprintf(stderr, "paced_capture: %s: unlink: %s\n", path_.c_str(), std::strerror(errno));
    }
  }

 private:
  std::string path_;
};

std::int64_t parse_count(std::string_view flag, std::string_view text, std::int64_t min) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min) {
    throw UsageError(std::string(flag) + ": expected an integer >= " + std::to_string(min) +
                     ", got '" + std::string(text) + "'");
  }
  return value;
}

int parse_signal(std::string_view text) {
  if (text == "INT") return SIGINT;
  if (text == "TERM") return SIGTERM;
  throw UsageError("--signal: expected INT or TERM, got '" + std::string(text) + "'");
}

// Applies one flag; returns false for a flag it does not know.
bool apply_flag(Options& options, std::string_view flag, const char* value) {
  if (flag == "--fifo") {
    options.fifo_path = value;
  } else if (flag == "--out") {
    options.out_path = value;
  } else if (flag == "--bytes-per-second") {
    options.bytes_per_second = parse_count(flag, value, 0);
  } else if (flag == "--interrupt-after-ms") {
    options.interrupt_after_ms = parse_count(flag, value, 0);
  } else if (flag == "--signal") {
    options.interrupt_signal = parse_signal(value);
  } else if (flag == "--close-after-bytes") {
    options.close_after_bytes = parse_count(flag, value, 1);
  } else if (flag == "--timeout-s") {
    options.timeout_s = parse_count(flag, value, 1);
  } else {
    return false;
  }
  return true;
}

Options parse_options(int argc, char** argv) {
  Options options;
  int i = 1;
  for (; i < argc && std::string_view(argv[i]) != "--"; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--stdin-null") {
      options.stdin_null = true;
      continue;
    }
    if (i + 1 >= argc || std::string_view(argv[i + 1]) == "--") {
      throw UsageError(std::string(flag) + ": missing value (or unknown flag)");
    }
    if (!apply_flag(options, flag, argv[i + 1])) {
      throw UsageError("unknown flag '" + std::string(flag) + "'");
    }
    ++i;
  }
  for (++i; i < argc; ++i) options.command.emplace_back(argv[i]);
  if (options.fifo_path.empty()) throw UsageError("--fifo PATH is required");
  if (options.out_path.empty()) throw UsageError("--out FILE is required");
  if (options.command.empty()) throw UsageError("no command after --");
  return options;
}

// Opens the FIFO for reading without waiting for a writer, and shrinks its buffer so that a writer
// blocks about as soon as a sound card would.
Fd open_fifo_reader(const std::string& path) {
  Fd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) throw_io(path, "open for reading");
  if (fcntl(fd.get(), F_SETPIPE_SZ, kPipeBytes) < 0) {
    if (errno != EPERM && errno != EINVAL) throw_io(path, "F_SETPIPE_SZ");
    std::fprintf(stderr, "paced_capture: note: %s: F_SETPIPE_SZ %d: %s; the pipe keeps its size\n",
                 path.c_str(), kPipeBytes, std::strerror(errno));
  }
  return fd;
}

void write_all(int fd, const std::string& path, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_io(path, "write");
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

struct ChildExit {
  int exit_code = -1;  // -1 when a signal ended it
  int signal = 0;
  double cpu_ms = 0;
  Clock::time_point time;
};

double to_ms(const timeval& time) {
  return static_cast<double>(time.tv_sec) * 1e3 + static_cast<double>(time.tv_usec) / 1e3;
}

// The command, run in a child process. Killed and reaped on destruction if it is still running (an
// error of our own), so that no child outlives the tool.
class Child {
 public:
  Child(const std::vector<std::string>& command, bool stdin_null) {
    Fd null_in;
    if (stdin_null) {
      null_in = Fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
      if (!null_in.valid()) throw_io("/dev/null", "open");
    }
    pid_ = fork();
    if (pid_ < 0) throw_io(command.front(), "fork");
    if (pid_ == 0) exec(command, null_in.get());
    // Through syscall(): glibc 2.36 declares pidfd_open() without C linkage. Without a pidfd
    // (before Linux 5.3) the exit is still noticed, within one tick.
    pidfd_ = Fd(static_cast<int>(syscall(SYS_pidfd_open, pid_, 0)));
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (reaped_) return;
    kill(pid_, SIGKILL);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }

  int exit_fd() const { return pidfd_.get(); }
  void send(int signal) {
    if (kill(pid_, signal) != 0) throw_io(std::to_string(pid_), "kill");
  }

  // The child's exit, once it has exited.
  std::optional<ChildExit> try_reap() {
    int status = 0;
    rusage usage{};
    const pid_t pid = wait4(pid_, &status, WNOHANG, &usage);
    if (pid < 0 && errno != EINTR) throw_io(std::to_string(pid_), "wait4");
    if (pid <= 0) return std::nullopt;
    reaped_ = true;
    ChildExit result;
    result.time = Clock::now();
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    result.cpu_ms = to_ms(usage.ru_utime) + to_ms(usage.ru_stime);
    return result;
  }

 private:
  [[noreturn]] static void exec(const std::vector<std::string>& command, int stdin_fd) {
    if (stdin_fd >= 0 && dup2(stdin_fd, STDIN_FILENO) < 0) _exit(126);
    std::vector<char*> argv;
    for (const std::string& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "paced_capture: cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }

  pid_t pid_ = -1;
  Fd pidfd_;
  bool reaped_ = false;
};

struct Report {
  ChildExit exit;
  std::int64_t bytes = 0;
  double first_audio_ms = -1;
  double stop_ms = -1;
  double wall_ms = 0;
  bool timed_out = false;
};

// Reads the FIFO at the device's pace while the child runs, and keeps the measurements.
class Capture {
 public:
  explicit Capture(const Options& options)
      : options_(options), fifo_(open_fifo_reader(options.fifo_path)) {
    out_ = Fd(open(options.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!out_.valid()) throw_io(options.out_path, "open for writing");
  }

  Report run() {
    start_ = Clock::now();
    Child child(options_.command, options_.stdin_null);
    std::optional<ChildExit> exit;
    while (!(exit = child.try_reap())) {
      act_on_deadlines(child);
      wait_and_read(child.exit_fd());
    }
    drain();
    out_.close_checked(options_.out_path);
    return report(*exit);
  }

 private:
  void act_on_deadlines(Child& child) {
    const Clock::time_point now = Clock::now();
    if (!report_.timed_out && now >= start_ + std::chrono::seconds(options_.timeout_s)) {
      child.send(SIGKILL);
      report_.timed_out = true;
    }
    if (!signal_time_ && interrupt_time_ && now >= *interrupt_time_) {
      child.send(options_.interrupt_signal);
      signal_time_ = now;
    }
  }

  // Sleeps until there is something to do: data the pace allows us to take, the child's exit, a
  // deadline or the tick. Then takes one read's worth of data, if any.
  void wait_and_read(int exit_fd) {
    const Clock::time_point now = Clock::now();
    const Clock::time_point deadline = start_ + std::chrono::seconds(options_.timeout_s);
    Clock::time_point wake = now + kTick;
    if (!report_.timed_out) wake = std::min(wake, deadline);
    if (interrupt_time_ && !signal_time_) wake = std::min(wake, *interrupt_time_);
    const bool may_read = fifo_.valid() && now >= next_read_;
    if (fifo_.valid() && !may_read) wake = std::min(wake, next_read_);

    pollfd fds[2] = {{exit_fd, POLLIN, 0}, {may_read ? fifo_.get() : -1, POLLIN, 0}};
    const auto wait_ns = std::chrono::nanoseconds(std::max(wake - now, Clock::duration::zero()));
    const timespec timeout{static_cast<time_t>(wait_ns.count() / 1'000'000'000),
                           static_cast<long>(wait_ns.count() % 1'000'000'000)};
    if (ppoll(fds, 2, &timeout, nullptr) < 0) {
      if (errno == EINTR) return;
      throw_io(options_.fifo_path, "ppoll");
    }
    if (fds[1].revents != 0) read_once();
  }

  // One read of at most kReadBytes. Returns false when nothing more can be read right now.
  bool read_once() {
    std::size_t want = kReadBytes;
    if (options_.close_after_bytes >= 0) {
      want = std::min(want, static_cast<std::size_t>(options_.close_after_bytes - report_.bytes));
    }
    char buffer[kReadBytes];
    const ssize_t got = read(fifo_.get(), buffer, want);
    if (got < 0) {
      if (errno == EAGAIN || errno == EINTR) return false;
      throw_io(options_.fifo_path, "read");
    }
    if (got == 0) {
      reopen();
      return false;
    }
    take(buffer, static_cast<std::size_t>(got));
    if (report_.bytes == options_.close_after_bytes) fifo_.reset();  // the device goes away
    return fifo_.valid();
  }

  // End of file: no writer holds the FIFO right now, though the child may open it again (PortAudio
  // opens the device while it enumerates, then again for the stream). Linux keeps reporting POLLHUP
  // on a reader that has seen a writer leave, so poll() would spin; a fresh reader does not. The
  // new one is opened before the old one is closed, so that the pipe and its contents never go
  // away.
  void reopen() {
    Fd fresh = open_fifo_reader(options_.fifo_path);
    fifo_ = std::move(fresh);
  }

  void take(const char* data, std::size_t size) {
    const Clock::time_point now = Clock::now();
    write_all(out_.get(), options_.out_path, data, size);
    const Clock::time_point play_start = device_clock(now);
    if (report_.first_audio_ms < 0) note_first_audio(data, size, play_start);
    report_.bytes += static_cast<std::int64_t>(size);
    if (options_.bytes_per_second > 0) next_read_ = play_start + play_time(size);
  }

  // When the device starts playing a chunk read at `now`: paced, where its clock stands (it started
  // with the first byte, and starts again after a long wait for data, as a device does after an
  // underrun); unpaced, the moment of the read.
  Clock::time_point device_clock(Clock::time_point now) const {
    if (options_.bytes_per_second <= 0 || now > next_read_ + kUnderrun) return now;
    return next_read_;
  }

  // How long the device takes to play `bytes` (zero when unpaced).
  Clock::duration play_time(std::int64_t bytes) const {
    if (options_.bytes_per_second <= 0) return Clock::duration::zero();
    const double seconds =
        static_cast<double>(bytes) / static_cast<double>(options_.bytes_per_second);
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  // The first non-zero sample is the one holding the first non-zero byte; it sounds when the device
  // reaches its first byte, at an even offset of the stream. Timing it by the device clock rather
  // than by the read keeps the read size out of the measurement.
  void note_first_audio(const char* data, std::size_t size, Clock::time_point play_start) {
    const char* nonzero = std::find_if(data, data + size, [](char b) { return b != 0; });
    if (nonzero == data + size) return;
    const std::int64_t sample_begin = (report_.bytes + (nonzero - data)) & ~std::int64_t{1};
    const Clock::time_point sounds = play_start + play_time(sample_begin - report_.bytes);
    report_.first_audio_ms = Millis(sounds - start_).count();
    if (options_.interrupt_after_ms >= 0) {
      interrupt_time_ = sounds + std::chrono::milliseconds(options_.interrupt_after_ms);
    }
  }

  // After the child has gone: whatever is still in the pipe, unpaced.
  void drain() {
    while (fifo_.valid() && read_once()) {
    }
  }

  Report report(const ChildExit& exit) {
    report_.exit = exit;
    report_.wall_ms = Millis(exit.time - start_).count();
    if (signal_time_) report_.stop_ms = Millis(exit.time - *signal_time_).count();
    return report_;
  }

  const Options& options_;
  Fd fifo_;
  Fd out_;
  Clock::time_point start_;
  Clock::time_point next_read_ = Clock::time_point::min();
  std::optional<Clock::time_point> interrupt_time_;
  std::optional<Clock::time_point> signal_time_;
  Report report_;
};

void print_report(const Report& report) {
  std::printf("exit=%d\n", report.exit.exit_code);
  std::printf("signal=%d\n", report.exit.signal);
  std::printf("bytes=%lld\n", static_cast<long long>(report.bytes));
  std::printf("first_audio_ms=%.1f\n", report.first_audio_ms);
  std::printf("stop_ms=%.1f\n", report.stop_ms);
  std::printf("wall_ms=%.1f\n", report.wall_ms);
  std::printf("cpu_ms=%.1f\n", report.exit.cpu_ms);
  std::printf("timed_out=%d\n", report.timed_out ? 1 : 0);
  if (std::fflush(stdout) != 0) throw_io("stdout", "write");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    if (argc == 2 && (std::string_view(argv[1]) == "-h" || std::string_view(argv[1]) == "--help")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    options = parse_options(argc, argv);
  } catch (const UsageError& error) {
    std::fprintf(stderr, "paced_capture: %s\n%s", error.what(), kUsage);
    return kUsageStatus;
  }
  try {
    const FifoNode fifo(options.fifo_path);
    Capture capture(options);
    print_report(capture.run());
  } catch (const IoError& error) {
    std::fprintf(stderr, "paced_capture: %s\n", error.what());
    return kIoStatus;
  }
  return 0;
}
