// Each bad input: the exit code, a message that names the file (and line or byte) and says what
// to do, no output file, and an older file at the output path left exactly as it was.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

constexpr int kUsage = 2;
constexpr int kInput = 3;
constexpr int kOutput = 4;
constexpr std::string_view kOldContent = "an older narration that must survive";

struct BadInputCase {
  std::string name;
  std::string article_bytes;  // written to story.txt unless `prepare` replaces it
  // Extra arguments; "{dir}" is replaced by the temp folder. The article path comes first.
  std::vector<std::string> args;
  int exit_code;
  std::vector<std::string> message_parts;  // each must appear on stderr
  std::string output_name = "out.wav";     // relative to the temp folder; checked afterwards
  std::function<void(const test::TempDir&)> prepare = nullptr;
};

void PrintTo(const BadInputCase& c, std::ostream* out) { *out << c.name; }

std::string expand(std::string arg, const test::TempDir& dir) {
  const std::size_t at = arg.find("{dir}");
  if (at != std::string::npos) arg.replace(at, 5, dir.path().string());
  return arg;
}

class BadInput : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(BadInput, FailsClearlyAndWritesNothing) {
  const BadInputCase& c = GetParam();
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), c.article_bytes);
  const fs::path output = dir.path() / c.output_name;
  const bool output_folder_exists = fs::is_directory(output.parent_path());
  if (output_folder_exists && output.filename() != "story.txt") {
    test::write_file(output, std::string(kOldContent));
  }
  if (c.prepare) c.prepare(dir);
  std::vector<std::string> args;
  for (const std::string& arg : c.args) args.push_back(expand(arg, dir));
  const test::ProcessResult result = test::run_narrate(args);

  EXPECT_EQ(result.exit_code, c.exit_code) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
  for (const std::string& part : c.message_parts) {
    EXPECT_NE(result.err.find(expand(part, dir)), std::string::npos)
        << "stderr lacks '" << expand(part, dir) << "':\n"
        << result.err;
  }
  if (output_folder_exists && output.filename() != "story.txt") {
    EXPECT_EQ(test::read_file(output), kOldContent) << "the older file was touched";
  }
  if (output_folder_exists) {
    for (const auto& entry : fs::directory_iterator(output.parent_path())) {
      EXPECT_EQ(entry.path().string().find(".part"), std::string::npos)
          << "temporary file left behind: " << entry.path();
    }
  }
}

const std::string kGood = "A short story.\n\nIt has two paragraphs.\n";

std::vector<BadInputCase> cases() {
  return {
      {"MissingArticle",
       kGood,
       {"{dir}/absent.txt", "-o", "{dir}/out.wav"},
       kInput,
       {"{dir}/absent.txt: cannot open the article: No such file or directory", "check the path"}},
      {"DirectoryAsArticle",
       kGood,
       {"{dir}", "-o", "{dir}/out.wav"},
       kInput,
       {"{dir}: is a directory", "give the path of the article file in it"}},
      {"EmptyArticle",
       "",
       {"{dir}/story.txt", "-o", "{dir}/out.wav"},
       kInput,
       {"story.txt: the article is empty"}},
      {"WhitespaceOnlyArticle",
       " \n\n\t \r\n",
       {"{dir}/story.txt", "-o", "{dir}/out.wav"},
       kInput,
       {"story.txt: the article is empty"}},
      {"InvalidUtf8",
       "Good line.\nBad \xFF byte.\n",
       {"{dir}/story.txt", "-o", "{dir}/out.wav"},
       kInput,
       {"story.txt:2:5: invalid UTF-8 (byte 0xFF) at byte offset 15", "--lossy"}},
      {"NulBytes",
       std::string("Text\0with NUL.", 14),
       {"{dir}/story.txt", "-o", "{dir}/out.wav"},
       kInput,
       {"story.txt:1:5: NUL byte at byte offset 4", "convert it to UTF-8"}},
      {"UnknownExtension",
       kGood,
       {"{dir}/story.txt", "-o", "{dir}/out.xyz"},
       kUsage,
       {"cannot tell the audio format of '{dir}/out.xyz'", "--format"},
       "out.xyz"},
      {"UnknownFormat",
       kGood,
       {"{dir}/story.txt", "-o", "{dir}/out.wav", "--format", "aiff"},
       kUsage,
       {"unknown format 'aiff'; use wav, mp3, flac, ogg, opus or raw"}},
      {"PlayWithOutput",
       kGood,
       {"{dir}/story.txt", "--play", "-o", "{dir}/out.wav"},
       kUsage,
       {"--play and -o cannot be combined"}},
      {"DeviceWithOutput",
       kGood,
       {"{dir}/story.txt", "--device", "default", "-o", "{dir}/out.wav"},
       kUsage,
       {"--device and --device-rate apply to playback; drop -o"}},
      {"MissingOutputFolder",
       kGood,
       {"{dir}/story.txt", "-o", "{dir}/no/such/out.mp3"},
       kOutput,
       {"{dir}/no/such/out.mp3", "No such file or directory"},
       "no/such/out.mp3"},
      {"OutputIsTheInput",
       kGood,
       {"{dir}/story.txt", "-o", "{dir}/story.txt", "--format", "wav"},
       kUsage,
       {"is the input article"},
       "story.txt"},
      {"UnknownVoice",
       kGood,
       {"{dir}/story.txt", "-o", "{dir}/out.wav", "--voice", "en-uss"},
       kUsage,
       {"unknown voice 'en-uss'; did you mean en-us", "narrate voices"}},
      {"RateOutOfRange",
       kGood,
       {"{dir}/story.txt", "-o", "{dir}/out.wav", "--rate", "5"},
       kUsage,
       {"--rate 5 is out of range; use 80 to 450 words per minute"}},
      {"UnknownOption",
       kGood,
       {"{dir}/story.txt", "-o", "{dir}/out.wav", "--speed", "3"},
       kUsage,
       {"--speed"}},
  };
}

INSTANTIATE_TEST_SUITE_P(Cli, BadInput, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

TEST(BadInputCli, OutputIsTheInputLeavesTheArticleIntact) {
  const test::TempDir dir;
  test::write_file(dir.file("story.wav"), kGood);
  const test::ProcessResult result =
      test::run_narrate({dir.file("story.wav"), "-o", dir.file("story.wav")});
  EXPECT_EQ(result.exit_code, kUsage) << result.err;
  EXPECT_EQ(test::read_file(dir.file("story.wav")), kGood);
}

TEST(BadInputCli, ReadOnlyOutputFolderIsAnOutputError) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), kGood);
  // Root ignores permission bits, so as root use a folder on a file system no one may write to.
  std::string folder = "/proc/self";
  if (geteuid() != 0) {
    fs::create_directory(dir.path() / "locked");
    test::write_file(dir.path() / "locked" / "out.wav", std::string(kOldContent));
    fs::permissions(dir.path() / "locked", fs::perms::owner_read | fs::perms::owner_exec);
    folder = (dir.path() / "locked").string();
  }
  const test::ProcessResult result =
      test::run_narrate({dir.file("story.txt"), "-o", folder + "/out.wav"});
  EXPECT_EQ(result.exit_code, kOutput) << result.err;
  EXPECT_NE(result.err.find(folder + "/out.wav"), std::string::npos) << result.err;
  if (geteuid() != 0) {
    fs::permissions(dir.path() / "locked", fs::perms::owner_all);
    EXPECT_EQ(test::read_file(dir.path() / "locked" / "out.wav"), kOldContent);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "locked"), {}), 1);
  }
}

TEST(BadInputCli, LossyReadsInvalidUtf8AndWarns) {
  const test::TempDir dir;
  test::write_file(dir.file("story.txt"), "Good line.\nBad \xFF byte.\n");
  const test::ProcessResult result =
      test::run_narrate({"script", dir.file("story.txt"), "--lossy"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "Good line.\nBad byte.\n");
  EXPECT_NE(result.err.find("story.txt:2:5: 1 invalid or NUL byte(s) at byte offset 15"),
            std::string::npos)
      << result.err;
}

// Whether SIGINT is in the mask `field` (SigBlk, SigPnd, ShdPnd) of /proc/PID/status.
bool sigint_in(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) != 0) continue;
    const unsigned long long mask = std::stoull(line.substr(field.size() + 1), nullptr, 16);
    return (mask & (1ULL << (SIGINT - 1))) != 0;
  }
  return false;
}

// Polls until `done` holds; false when it still does not after a generous guard.
bool poll_until(const std::function<bool()>& done) {
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done()) {
    if (std::chrono::steady_clock::now() > guard) return false;
    std::this_thread::yield();
  }
  return true;
}

// A signal that came while narrate waited for its article does not hide the error that follows:
// the message is printed as it is, with the input error's status, not "interrupted".
TEST(BadInputCli, AnErrorAfterASignalKeepsItsMessage) {
  test::ProcessOptions options;
  options.stdin_data = "Good line.\nBad \xFF byte.\n";  // written only in wait()
  test::ChildProcess child({test::narrate_path(), "script", "-"}, options);
  // narrate blocks SIGINT before main() and takes it on its watcher thread.
  ASSERT_TRUE(poll_until([&] { return sigint_in(child.pid(), "SigBlk"); }));
  child.send_signal(SIGINT);
  ASSERT_TRUE(poll_until([&] {
    return !sigint_in(child.pid(), "ShdPnd") && !sigint_in(child.pid(), "SigPnd");
  })) << "the watcher never took the signal";
  const test::ProcessResult result = child.wait(std::chrono::seconds(60));
  EXPECT_EQ(result.exit_code, kInput) << result.err;
  EXPECT_NE(result.err.find("narrate: error: <stdin>:2:5: invalid UTF-8"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("interrupted"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace narrator
