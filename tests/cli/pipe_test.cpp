// Every command into a pipe whose reader leaves early, as `narrate voices | head -c 1` does:
// narrate stops quietly with status 0 and nothing on stderr, as `cat` does.
//
// The pipe is shrunk to its smallest capacity (one page) before narrate starts, so that a reader
// that takes one byte and closes really leaves narrate writing into a closed pipe: a command whose
// whole output is larger than the pipe cannot have written it all before the reader left (each case
// checks that its output is). A command whose output is a few lines meets a reader that has closed
// before narrate writes at all.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "process.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace narrator {
namespace {

struct PipeCase {
  std::string name;
  std::vector<std::string> args;  // {in} is the input file's path, {dir} the test's folder
  std::string input;              // the input file's content
  bool input_on_stdin = false;    // the input file is narrate's stdin too
  bool reads_one_byte = true;     // else the reader closes before narrate writes
  int exit_code = 0;              // with a reader that stays
};

std::ostream& operator<<(std::ostream& out, const PipeCase& c) { return out << c.name; }

// `count` lines of `line` (each ended by a newline).
std::string lines(const std::string& line, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += line + "\n";
  return text;
}

std::vector<std::string> expand(const std::vector<std::string>& args, const test::TempDir& dir) {
  std::vector<std::string> expanded;
  for (std::string arg : args) {
    if (arg == "{in}") arg = dir.file("input.txt");
    if (arg.starts_with("{dir}")) arg = dir.path().string() + arg.substr(5);
    expanded.push_back(arg);
  }
  return expanded;
}

struct PipeOutcome {
  int exit_code = -1;   // or -1 when a signal ended narrate
  int term_signal = 0;  // that signal
  std::string err;
  std::size_t pipe_capacity = 0;  // bytes
};

// This process's environment with `changes` made.
std::vector<std::string> environment_with(const std::map<std::string, std::string>& changes) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    if (!changes.contains(text.substr(0, text.find('=')))) entries.push_back(text);
  }
  for (const auto& [name, value] : changes) entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Runs narrate with stdout into a one-page pipe whose reader reads `read_bytes` bytes (0: none)
// and closes it; stderr goes to a file, stdin is `stdin_path`.
PipeOutcome run_into_leaving_reader(const std::vector<std::string>& args,
                                    const std::map<std::string, std::string>& env,
                                    const std::string& stdin_path, std::size_t read_bytes,
                                    const test::TempDir& dir) {
  PipeOutcome outcome;
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  const int capacity = ::fcntl(out[1], F_SETPIPE_SZ, 1);  // rounded up to one page
  outcome.pipe_capacity = capacity > 0 ? static_cast<std::size_t>(capacity) : 65536;
  const std::string err_path = dir.file("stderr.txt");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv_strings{test::narrate_path()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = environment_with(env);
  const std::vector<char*> argv = pointers_to(argv_strings);
  const std::vector<char*> envp = pointers_to(env_strings);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(out[0]);
    throw std::runtime_error("cannot start narrate");
  }
  for (std::size_t got = 0; got < read_bytes;) {
    char byte = 0;
    const ssize_t n = ::read(out[0], &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(out[0]);  // the reader leaves
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.term_signal = WTERMSIG(status);
  outcome.err = test::read_file(err_path);
  return outcome;
}

class ReaderLeaves : public ::testing::TestWithParam<PipeCase> {};

TEST_P(ReaderLeaves, NarrateStopsQuietlyWithZero) {
  const PipeCase& c = GetParam();
  const test::TempDir dir;
  test::write_file(dir.file("input.txt"), c.input);
  // A sound device for `devices` (ALSA's file plugin into /dev/null), and a HOME of the test's own.
  test::write_file(dir.file(".asoundrc"),
                   "pcm.!default { type file; slave.pcm \"null\"; file \"/dev/null\"; format "
                   "\"raw\" }\n");
  const std::vector<std::string> args = expand(c.args, dir);
  const std::string stdin_path = c.input_on_stdin ? dir.file("input.txt") : "/dev/null";
  test::ProcessOptions options;
  options.env = {{"HOME", dir.path().string()}, {"XDG_RUNTIME_DIR", dir.path().string()}};
  if (c.input_on_stdin) options.stdin_data = c.input;

  // What the command writes to a reader that stays: the case is only a test when there is output
  // that cannot all have gone into the pipe before the reader left.
  const test::ProcessResult whole = test::run_narrate(args, options);
  ASSERT_EQ(whole.exit_code, c.exit_code) << whole.err;
  ASSERT_FALSE(whole.out.empty());

  const PipeOutcome outcome =
      run_into_leaving_reader(args, options.env, stdin_path, c.reads_one_byte ? 1 : 0, dir);
  if (c.reads_one_byte) {
    ASSERT_GT(whole.out.size(), outcome.pipe_capacity + 1)
        << "make the input longer: all of the output fits in the pipe";
  }
  EXPECT_EQ(outcome.term_signal, 0);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(outcome.err, "");
}

const std::string kSentences = lines("The council met on Monday, and it voted 7 to 2.", 300);

INSTANTIATE_TEST_SUITE_P(
    EveryCommand, ReaderLeaves,
    ::testing::Values(
        PipeCase{"voices", {"voices"}, ""}, PipeCase{"script", {"script", "{in}"}, kSentences},
        PipeCase{"script_explain", {"script", "--explain", "{in}"}, kSentences},
        PipeCase{"script_stdin", {"script", "-"}, kSentences, true},
        PipeCase{"normalize", {"normalize"}, kSentences, true},
        PipeCase{"pronounce", {"pronounce", "--voice", "en-us"}, lines("Bialiatski", 200), true},
        // Problems found, but the reader has left: it has the lines it wanted.
        PipeCase{"lexicon_check",
                 {"lexicon", "check", "{in}"},
                 lines("Minsk\tmɪnsk", 1) + lines("Pinsk\tpɪnsk", 120),
                 false,
                 true,
                 3},
        PipeCase{"estimate", {"estimate", "--voice", "en-us", "{in}"}, kSentences, false, false},
        PipeCase{"devices", {"devices"}, "", false, false},
        PipeCase{"help", {"--help"}, "", false, false},
        PipeCase{"batch",
                 {"batch", "{in}", "--out-dir", "{dir}/out", "--format", "wav", "--voice", "en-us"},
                 "The council met.\n",
                 false,
                 false},
        PipeCase{"speak_wav", {"{in}", "-o", "-", "--voice", "en-us"}, kSentences.substr(0, 200)},
        PipeCase{"speak_mp3",
                 {"speak", "{in}", "-o", "-", "--format", "mp3", "--voice", "en-us"},
                 kSentences.substr(0, 200)},
        PipeCase{"speak_raw_stdin",
                 {"-", "-o", "-", "--format", "raw", "--voice", "en-us"},
                 kSentences.substr(0, 200),
                 true}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace narrator
