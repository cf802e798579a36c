// Live playback as a user runs it, with no sound card: HOME points at a temp folder whose .asoundrc
// makes ALSA's "default" device a `file` plugin writing every played sample into a FIFO, which
// paced_capture (tests/support) reads at a set pace, like a device clock. The samples the device
// got are compared with file output; keys go in through a pseudo-terminal. The player's keys,
// pause and status line in detail, on a fake device and clock, are in player_test.cpp.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "audio_analysis.hpp"
#include "player_articles.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kDeviceError = 5;
constexpr int kInterrupted = 130;
constexpr int kVoiceRateHz = 16000;                    // the default voice's rate (Flite's rms)
constexpr long kRealTimeBytesPerS = kVoiceRateHz * 2;  // s16 mono at the voice's rate
constexpr long kFastBytesPerS = kRealTimeBytesPerS * 20;
// The test that compares the device's samples with the file's reads at 2x real time: Flite makes
// speech at about 70x real time on an idle core, but a device that outruns the voice (on a loaded
// machine, under a sanitizer) plays silence (an underrun) that the file does not hold.
constexpr int kComparePace = 2;

struct Capture {
  std::map<std::string, std::string> fields;  // paced_capture's key=value report
  std::string err;                            // narrate's stderr
  std::vector<std::int16_t> samples;          // what the device was given
  int exit_code() const { return std::stoi(fields.at("exit")); }
  double number(const std::string& key) const { return std::stod(fields.at(key)); }
};

struct Pace {
  long bytes_per_s = kFastBytesPerS;
  long interrupt_after_ms = -1;
  std::string signal = "INT";
  long close_after_bytes = -1;
};

Pace at_pace(long bytes_per_s) {
  Pace pace;
  pace.bytes_per_s = bytes_per_s;
  return pace;
}

std::vector<std::int16_t> read_samples(const fs::path& path) {
  const std::string bytes = fs::exists(path) ? test::read_file(path) : std::string();
  std::vector<std::int16_t> samples(bytes.size() / 2);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<std::int16_t>(static_cast<unsigned char>(bytes[2 * i]) |
                                           (static_cast<unsigned char>(bytes[2 * i + 1]) << 8));
  }
  return samples;
}

std::map<std::string, std::string> parse_report(const std::string& out) {
  std::map<std::string, std::string> fields;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t eq = line.find('=');
    if (eq != std::string::npos) fields[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return fields;
}

// True when this machine has a real sound card, which PortAudio finds whatever HOME says.
bool machine_has_sound_card() {
  std::ifstream cards("/proc/asound/cards");
  std::string first;
  return cards && std::getline(cards, first) && first.find("no soundcards") == std::string::npos &&
         !first.empty();
}

class Playback : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(home_);
    write_asoundrc("pcm.!default { type file; slave.pcm \"null\"; file \"" + fifo_.string() +
                   "\"; format \"raw\" }\n");
    test::write_file(article_, test::kPlayerArticle);
  }

  void write_asoundrc(const std::string& text) const {
    test::write_file(home_ / ".asoundrc", text);
  }

  std::vector<std::string> capture_args(const Pace& pace) const {
    std::vector<std::string> args{PACED_CAPTURE_PATH,
                                  "--fifo",
                                  fifo_.string(),
                                  "--out",
                                  capture_.string(),
                                  "--bytes-per-second",
                                  std::to_string(pace.bytes_per_s)};
    if (pace.interrupt_after_ms >= 0) {
      args.insert(args.end(), {"--interrupt-after-ms", std::to_string(pace.interrupt_after_ms),
                               "--signal", pace.signal});
    }
    if (pace.close_after_bytes >= 0) {
      args.insert(args.end(), {"--close-after-bytes", std::to_string(pace.close_after_bytes)});
    }
    return args;
  }

  // Runs narrate ARGS under paced_capture with stdin at /dev/null.
  Capture play(const std::vector<std::string>& narrate_args, const Pace& pace = {}) const {
    std::vector<std::string> args = capture_args(pace);
    args.insert(args.end(), {"--stdin-null", "--", test::narrate_path()});
    args.insert(args.end(), narrate_args.begin(), narrate_args.end());
    test::ChildProcess child(args, options());
    const test::ProcessResult result = child.wait(std::chrono::seconds(120));
    EXPECT_EQ(result.exit_code, 0) << "paced_capture failed: " << result.err;
    return Capture{parse_report(result.out), result.err, read_samples(capture_)};
  }

  test::ProcessResult narrate(const std::vector<std::string>& args) const {
    return test::run_narrate(args, options());
  }

  // Runs narrate ARGS under paced_capture with stdin and stderr on a pseudo-terminal, as in an
  // interactive shell. Once the device has had some audio, sends the keys. `terminal` receives
  // everything narrate drew on the terminal.
  Capture play_with_keys(const std::vector<std::string>& narrate_args, const Pace& pace,
                         const std::vector<std::string>& keys, std::string& terminal,
                         bool& terminal_restored) const;

  test::ProcessOptions options() const {
    test::ProcessOptions options;
    options.env = {{"HOME", home_.string()}};
    return options;
  }

  test::TempDir dir_;
  fs::path home_ = dir_.path() / "home";
  fs::path fifo_ = dir_.path() / "device.fifo";
  fs::path capture_ = dir_.path() / "device.raw";
  fs::path article_ = dir_.path() / "story.txt";
};

// A child on a pseudo-terminal; the destructor kills and reaps it if the test failed early.
class TerminalChild {
 public:
  TerminalChild(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                const fs::path& stdout_path) {
    if (::openpty(&master_, &slave_, nullptr, nullptr, nullptr) != 0) {
      ADD_FAILURE() << "openpty failed";
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setsid();
      ::ioctl(slave_, TIOCSCTTY, 0);
      const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(slave_, STDIN_FILENO);
      ::dup2(out, STDOUT_FILENO);
      ::dup2(slave_, STDERR_FILENO);
      for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
      std::vector<char*> argv;
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::fcntl(master_, F_SETFL, O_NONBLOCK);
  }
  TerminalChild(const TerminalChild&) = delete;
  TerminalChild& operator=(const TerminalChild&) = delete;
  ~TerminalChild() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
    if (slave_ >= 0) ::close(slave_);
  }

  void send(const std::string& bytes) const {
    ASSERT_EQ(::write(master_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  // Waits up to `timeout` for the child to draw, collects what it drew; true once it has exited.
  bool poll(std::string& terminal, std::chrono::milliseconds timeout) {
    pollfd output{master_, POLLIN, 0};
    ::poll(&output, 1, static_cast<int>(timeout.count()));
    char buffer[4096];
    for (ssize_t n; (n = ::read(master_, buffer, sizeof buffer)) > 0;) terminal.append(buffer, n);
    if (!reaped_ && ::waitpid(pid_, nullptr, WNOHANG) == pid_) reaped_ = true;
    return reaped_;
  }
  // True when the terminal is back in canonical mode with echo, as before narrate started.
  bool restored() const {
    termios settings{};
    return ::tcgetattr(slave_, &settings) == 0 && (settings.c_lflag & ICANON) != 0 &&
           (settings.c_lflag & ECHO) != 0;
  }

 private:
  int master_ = -1;
  int slave_ = -1;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

Capture Playback::play_with_keys(const std::vector<std::string>& narrate_args, const Pace& pace,
                                 const std::vector<std::string>& keys, std::string& terminal,
                                 bool& terminal_restored) const {
  std::vector<std::string> args = capture_args(pace);
  args.insert(args.end(), {"--", test::narrate_path()});
  args.insert(args.end(), narrate_args.begin(), narrate_args.end());
  const fs::path report = dir_.path() / "report.txt";
  TerminalChild child(args, options().env, report);
  const auto guard = std::chrono::steady_clock::now() + 90s;  // fails a hang, never paces
  // Wait for narrate's output or exit (polling the terminal, with the guard) until the device has
  // had some audio, then send the keys.
  std::size_t next_key = 0;
  bool exited = false;
  while (!(exited = child.poll(terminal, 10ms)) && std::chrono::steady_clock::now() < guard) {
    const bool sounding = fs::exists(capture_) && fs::file_size(capture_) > 8192;
    while (sounding && next_key < keys.size()) child.send(keys[next_key++]);
  }
  EXPECT_TRUE(exited) << "narrate did not finish within the guard";
  EXPECT_EQ(next_key, keys.size()) << "playback ended before every key was sent";
  terminal_restored = child.restored();
  return Capture{parse_report(test::read_file(report)), terminal, read_samples(capture_)};
}

TEST_F(Playback, DeviceGetsExactlyTheSamplesOfFileOutput) {
  const test::ProcessResult file = narrate({article_.string(), "-o", dir_.file("ref.wav")});
  ASSERT_EQ(file.exit_code, 0) << file.err;
  const test::DecodedAudio reference = test::decode_file(dir_.file("ref.wav"));
  ASSERT_GT(reference.samples.size(), 0u);

  const Capture played =  // no -o: playing is the default
      play({article_.string()}, at_pace(kRealTimeBytesPerS * kComparePace));
  ASSERT_EQ(played.exit_code(), 0) << played.err;
  EXPECT_NE(played.err.find("narrate: played"), std::string::npos) << played.err;
  EXPECT_GE(played.number("first_audio_ms"), 0.0);
  // One word count: the spoken words, as the file's summary and `narrate estimate` give them.
  const auto words_in = [](const std::string& text, std::string_view before) {
    const std::size_t at = text.find(" words");
    if (at == std::string::npos) return std::string("(none)");
    const std::size_t begin = text.find_last_of(before, at - 1);
    return text.substr(begin + 1, at - begin - 1);
  };
  const test::ProcessResult estimate = narrate({"estimate", article_.string()});
  ASSERT_EQ(estimate.exit_code, 0) << estimate.err;
  EXPECT_EQ(words_in(played.err, "("), words_in(file.err, " ")) << played.err << file.err;
  EXPECT_EQ(words_in(played.err, "("), words_in(estimate.out, " ")) << estimate.out;

  // The device may add silence before and after (buffer priming and the last period), nothing
  // else: find the reference's first sound in the capture and compare from there.
  const auto first_sound = [](const std::vector<std::int16_t>& s) {
    return static_cast<std::size_t>(
        std::find_if(s.begin(), s.end(), [](std::int16_t v) { return v != 0; }) - s.begin());
  };
  const std::size_t ref_at = first_sound(reference.samples);
  const std::size_t cap_at = first_sound(played.samples);
  ASSERT_LT(ref_at, reference.samples.size());
  ASSERT_GE(cap_at, ref_at) << "the capture starts with sound the reference does not have";
  const std::size_t offset = cap_at - ref_at;
  ASSERT_GE(played.samples.size(), offset + reference.samples.size())
      << "the device got less audio than the file holds";
  EXPECT_TRUE(std::equal(reference.samples.begin(), reference.samples.end(),
                         played.samples.begin() + static_cast<std::ptrdiff_t>(offset)))
      << "the samples played differ from the samples written to the file";
  const auto tail = played.samples.begin() + static_cast<std::ptrdiff_t>(offset) +
                    static_cast<std::ptrdiff_t>(reference.samples.size());
  EXPECT_TRUE(std::all_of(tail, played.samples.end(), [](std::int16_t v) { return v == 0; }));
  EXPECT_LT(played.samples.size() - reference.samples.size(), std::size_t{kVoiceRateHz})
      << "more than a second of extra silence";
}

// Resampling is what this checks, so it runs on eSpeak NG's 22,050 Hz voice: a ratio to 48 kHz
// that is not a whole number, and speech made fast enough to play at 20x real time under TSan.
TEST_F(Playback, ResamplesToTheDeviceRate) {
  const test::ProcessResult file =
      narrate({article_.string(), "--voice", "en-us", "-o", dir_.file("ref.wav")});
  ASSERT_EQ(file.exit_code, 0) << file.err;
  const test::DecodedAudio reference = test::decode_file(dir_.file("ref.wav"));
  constexpr int kDeviceRateHz = 48000;
  const Capture played =
      play({article_.string(), "--voice", "en-us", "--device-rate", std::to_string(kDeviceRateHz)},
           at_pace(kDeviceRateHz * 2 * 20));
  ASSERT_EQ(played.exit_code(), 0) << played.err;

  // Same speech, same length, at the new rate: compare the loudness envelope in 20 ms windows,
  // aligned to the millisecond within the device's leading silence (up to 0.5 s).
  const auto envelope = [](const std::vector<std::int16_t>& s, int rate_hz, std::size_t skip) {
    const std::size_t window = static_cast<std::size_t>(rate_hz / 50);
    std::vector<double> levels;
    for (std::size_t at = skip; at + window <= s.size(); at += window) {
      levels.push_back(test::rms(std::span(s).subspan(at, window)));
    }
    return levels;
  };
  const std::vector<double> want = envelope(reference.samples, reference.sample_rate_hz, 0);
  double best = -1;
  for (std::size_t shift_ms = 0; shift_ms < 500; ++shift_ms) {
    const std::vector<double> got =
        envelope(played.samples, kDeviceRateHz, shift_ms * kDeviceRateHz / 1000);
    if (got.size() < want.size()) break;
    double dot = 0, a2 = 0, b2 = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
      dot += want[i] * got[i];
      a2 += want[i] * want[i];
      b2 += got[i] * got[i];
    }
    best = std::max(best, dot / std::sqrt(a2 * b2));
  }
  EXPECT_GT(best, 0.995) << "the resampled audio does not follow the original";
  // The same length of sound: from the first to the last non-zero sample, so that the silence the
  // device plays after the end (its last period, at the capture's 20x pace) does not count.
  const auto sound_s = [](const std::vector<std::int16_t>& s, int rate_hz) {
    const auto nonzero = [](std::int16_t v) { return v != 0; };
    const auto first = std::find_if(s.begin(), s.end(), nonzero);
    const auto last = std::find_if(s.rbegin(), s.rend(), nonzero).base();
    return first < last ? static_cast<double>(last - first) / rate_hz : 0.0;
  };
  EXPECT_NEAR(sound_s(played.samples, kDeviceRateHz),
              sound_s(reference.samples, reference.sample_rate_hz), 1.0);
}

TEST_F(Playback, DevicesListsTheDevice) {
  const test::ProcessResult result = narrate({"devices"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("default"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("ALSA"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("INDEX"), std::string::npos) << result.out;
  EXPECT_EQ(result.err.find("ALSA lib"), std::string::npos) << "probe noise leaked: " << result.err;
}

TEST_F(Playback, DeviceOptionErrorsNameTheDevicesAndSuggestAFile) {
  write_asoundrc("pcm.narrator_left { type file; slave.pcm \"null\"; file \"" + fifo_.string() +
                 "\"; format \"raw\" }\npcm.narrator_right { type file; slave.pcm \"null\"; "
                 "file \"" +
                 fifo_.string() + "\"; format \"raw\" }\n");
  const struct {
    std::string device;
    std::string message;
  } cases[] = {
      {"nowhere", "no output device 'nowhere'; the devices are:"},
      {"97", "no output device '97'"},
      {"narrator", "output device 'narrator' is ambiguous"},
  };
  for (const auto& c : cases) {
    const test::ProcessResult result = narrate({article_.string(), "--device", c.device});
    EXPECT_EQ(result.exit_code, kDeviceError) << c.device << ": " << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("narrator_left"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("-o FILE"), std::string::npos) << result.err;
  }
}

TEST_F(Playback, NoDeviceIsAClearErrorWithoutAHang) {
  if (machine_has_sound_card()) {
    GTEST_SKIP() << "this machine has a sound card, which PortAudio finds whatever HOME says";
  }
  write_asoundrc("# no devices here\n");
  std::vector<std::string> args{test::narrate_path(), article_.string()};
  // A hang is killed at the guard and then fails the exit code check.
  const test::ProcessResult result = test::ChildProcess(args, options()).wait(60s);
  EXPECT_EQ(result.exit_code, kDeviceError) << result.err;
  EXPECT_NE(result.err.find("no sound output device was found"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("-o FILE.mp3"), std::string::npos) << result.err;
  for (const char* noise : {"ALSA lib", "jack server", "Cannot connect", "JackShm"}) {
    EXPECT_EQ(result.err.find(noise), std::string::npos) << "probe noise leaked: " << result.err;
  }
}

TEST_F(Playback, InterruptStopsTheSoundAndExits130) {
  test::write_file(article_, test::long_player_article());
  for (const std::string signal : {"INT", "TERM"}) {
    Pace pace = at_pace(kRealTimeBytesPerS);
    pace.interrupt_after_ms = 400;
    pace.signal = signal;
    const Capture played = play({article_.string()}, pace);
    EXPECT_EQ(played.exit_code(), kInterrupted) << signal << ": " << played.err;
    EXPECT_NE(played.err.find("interrupted; playback stopped"), std::string::npos) << played.err;
    // That the sound stops at once, measured on device time, is Player.CancellationStops...
    EXPECT_LT(played.samples.size(), std::size_t{kVoiceRateHz} * 10) << "kept playing";
  }
}

TEST_F(Playback, DeviceThatDisappearsIsAClearErrorWithoutAHang) {
  test::write_file(article_, test::long_player_article());
  Pace pace = at_pace(kRealTimeBytesPerS * 4);
  pace.close_after_bytes = 40000;
  const Capture played = play({article_.string()}, pace);
  EXPECT_EQ(played.exit_code(), kDeviceError) << played.err;
  EXPECT_NE(played.err.find("playback on 'default' failed"), std::string::npos) << played.err;
  EXPECT_NE(played.err.find("-o FILE"), std::string::npos) << played.err;
  EXPECT_EQ(played.err.find("Expression '"), std::string::npos)
      << "PortAudio's internal report leaked: " << played.err;
  EXPECT_EQ(played.fields.at("timed_out"), "0");
}

TEST_F(Playback, QuitKeyStopsAndRestoresTheTerminal) {
  test::write_file(article_, test::long_player_article());
  std::string terminal;
  bool restored = false;
  const Capture played =
      play_with_keys({article_.string()}, at_pace(kRealTimeBytesPerS), {"q"}, terminal, restored);
  EXPECT_EQ(played.exit_code(), 0) << terminal;
  EXPECT_NE(terminal.find("stopped at "), std::string::npos) << terminal;
  EXPECT_NE(terminal.find(", listened "), std::string::npos) << terminal;
  EXPECT_LT(played.samples.size(), std::size_t{kVoiceRateHz} * 10) << "kept playing after q";
  EXPECT_TRUE(restored) << "the terminal was left without canonical mode and echo";
}

TEST_F(Playback, InterruptOnATerminalRestoresIt) {
  test::write_file(article_, test::long_player_article());
  Pace pace = at_pace(kRealTimeBytesPerS);
  pace.interrupt_after_ms = 400;
  std::string terminal;
  bool restored = false;
  const Capture played = play_with_keys({article_.string()}, pace, {}, terminal, restored);
  EXPECT_EQ(played.exit_code(), kInterrupted) << terminal;
  EXPECT_NE(terminal.find("interrupted; playback stopped"), std::string::npos) << terminal;
  EXPECT_TRUE(restored) << "Ctrl-C left the terminal without canonical mode and echo";
}

}  // namespace
}  // namespace narrator
