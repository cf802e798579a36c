// Long inputs and interruption: bounded memory, and Ctrl-C or SIGTERM leave no output behind.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "process.hpp"
#include "sanitizers.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kTenMegabytes = 10 * 1024 * 1024;
// The line's length: 10 MB, or 1 MB under a sanitizer, where the same pieces are cut ten times
// slower and the memory bound is not measured.
constexpr std::size_t kLineBytes = test::kSanitizedBuild ? kTenMegabytes / 10 : kTenMegabytes;
constexpr std::string_view kOldContent = "an older narration that must survive";

// One kLineBytes line of plain words: no punctuation, no line break.
std::string huge_line() {
  static constexpr std::string_view kWords[] = {
      "river", "minsk", "council", "budget", "village", "station", "morning", "tractor", "harvest"};
  std::string text;
  text.reserve(kLineBytes + 16);
  for (std::size_t i = 0; text.size() < kLineBytes; ++i) {
    text += kWords[i % std::size(kWords)];
    text += ' ';
  }
  return text;
}

// Blocks on inotify until a temporary output file in `dir` holds `bytes`; the guard only fails a
// run that produces nothing.
bool wait_for_partial_output(const fs::path& dir, std::uintmax_t bytes) {
  const int watch = inotify_init1(IN_CLOEXEC);
  if (watch < 0 || inotify_add_watch(watch, dir.c_str(), IN_MODIFY | IN_CREATE) < 0) return false;
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool reached = false;
  char events[4096];
  while (!reached && std::chrono::steady_clock::now() < guard) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::error_code error;
      reached = reached || (entry.path().string().find(".part") != std::string::npos &&
                            fs::file_size(entry.path(), error) >= bytes);
    }
    pollfd fd{watch, POLLIN, 0};
    if (!reached && poll(&fd, 1, 1000) > 0) {
      [[maybe_unused]] const ssize_t drained = read(watch, events, sizeof events);
    }
  }
  close(watch);
  return reached;
}

void expect_nothing_written(const fs::path& dir, const fs::path& output) {
  EXPECT_EQ(test::read_file(output), kOldContent);
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().string().find(".part"), std::string::npos) << entry.path();
  }
}

TEST(LongInput, TenMegabyteLineIsScriptedInBoundedPiecesAndMemory) {
  const test::TempDir dir;
  const std::string text = huge_line();
  test::write_file(dir.file("line.txt"), text);
  const test::ProcessResult result = test::run_narrate({"script", dir.file("line.txt")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::string line;
  std::string rejoined;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    ASSERT_LE(line.size(), 600u) << "line " << count;
    rejoined += line + ' ';
    ++count;
  }
  EXPECT_GT(count, kLineBytes / 600);
  EXPECT_EQ(rejoined, text) << "words were lost or changed";
  // The text, one UTF-8 copy in flight and the sentence index; nothing quadratic. (Not under a
  // sanitizer, whose shadow memory is not narrate's.)
  if (!test::kSanitizedBuild) {
    EXPECT_LT(result.max_rss_kb, 160 * 1024) << "peak RSS " << result.max_rss_kb << " kB";
  }
}

class Interrupt : public ::testing::TestWithParam<int> {};

TEST_P(Interrupt, StopsWithStatus130AndLeavesNoOutput) {
  const test::TempDir dir;
  test::write_file(dir.file("line.txt"), huge_line());
  test::write_file(dir.file("out.mp3"), std::string(kOldContent));
  // Loudness off: with it the MP3 is only encoded after the whole narration is measured, and
  // this test needs the encoder writing when the signal comes.
  test::ChildProcess child(
      {test::narrate_path(), dir.file("line.txt"), "-o", dir.file("out.mp3"), "--loudness", "off"});
  // Interrupt once a few seconds of audio are encoded, mid-synthesis.
  ASSERT_TRUE(wait_for_partial_output(dir.path(), 64 * 1024)) << "no audio was produced";
  child.send_signal(GetParam());
  const test::ProcessResult result = child.wait(std::chrono::seconds(60));
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_NE(result.err.find("interrupted"), std::string::npos) << result.err;
  expect_nothing_written(dir.path(), dir.file("out.mp3"));
  // Streaming 10 MB of text keeps memory flat: only queued sentences are held.
  if (!test::kSanitizedBuild) {
    EXPECT_LT(result.max_rss_kb, 160 * 1024) << "peak RSS " << result.max_rss_kb << " kB";
  }
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupt, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& info) {
                           return info.param == SIGINT ? "SIGINT" : "SIGTERM";
                         });

}  // namespace
}  // namespace narrator
