// Output that can never be half there: two narrations racing to the same path leave one complete
// file, signals at many different moments of a narration never leave a partial file at the
// output path (only the older file, or the finished new one), and what a SIGKILL leaves is
// cleaned up by the next run. A moment is how much audio narrate has written, not a time: the
// test waits for the output to grow that far.
#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>

#include "audio_analysis.hpp"
#include "file_watch.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A short article (79 words): each narration is a fifth of a sample's, so the twelve rounds stay
// quick under the sanitizers, and its WAV still holds over a megabyte to pick moments in.
const std::string kArticle =
    (fs::path(NARRATOR_SOURCE_DIR) / "tests/data/articles/river-ferry.txt").string();
constexpr std::string_view kOld = "an older narration";
// What these tests check is the files, not the voice: they narrate with eSpeak NG, which makes
// speech about 15 times faster than the default Flite voice, so a dozen whole narrations stay
// cheap.
constexpr const char* kFastVoice = "--voice=en-us";
// The signals narrate treats as a request to stop (cli/signal_watcher.hpp).
constexpr std::array kStopSignals{SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
                                  SIGXCPU, SIGUSR1, SIGUSR2, SIGALRM};

TEST(Robustness, TwoWritersToOnePathLeaveOneCompleteFile) {
  const test::TempDir dir;
  ASSERT_EQ(test::run_narrate({kArticle, kFastVoice, "-o", dir.file("alone.wav"), "-q"}).exit_code,
            0);
  const std::string expected = test::read_file(dir.file("alone.wav"));
  test::ChildProcess first(
      {test::narrate_path(), kArticle, kFastVoice, "-o", dir.file("out.wav"), "-q"});
  test::ChildProcess second(
      {test::narrate_path(), kArticle, kFastVoice, "-o", dir.file("out.wav"), "-q"});
  EXPECT_EQ(first.wait(std::chrono::seconds(120)).exit_code, 0);
  EXPECT_EQ(second.wait(std::chrono::seconds(120)).exit_code, 0);
  // Each writer renames its own complete file into place: the last rename wins, whole.
  EXPECT_EQ(test::read_file(dir.file("out.wav")), expected);
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().string().find(".part"), std::string::npos) << entry.path();
  }
}

TEST(Robustness, SignalsAtRandomMomentsNeverLeaveAPartialFile) {
  const test::TempDir dir;
  // The finished files to compare with. WAV is written as it is synthesized; MP3 is measured and
  // spooled (in an unnamed file) first, then encoded into its file in a second pass.
  std::map<std::string, std::string> finished;
  for (const std::string format : {"wav", "mp3"}) {
    const std::string alone = dir.file("alone." + format);
    ASSERT_EQ(test::run_narrate({kArticle, kFastVoice, "-o", alone, "-q"}).exit_code, 0);
    finished[format] = test::read_file(alone);
  }
  std::mt19937 random(20261123);  // fixed seed: the same moments on every machine
  // The moment is how much of the new file narrate has written (its temporary *.part beside the
  // output), not a time: rounds 0-1 signal at once, while narrate starts; rounds 2-10 at a random
  // point in the first half of a WAV narration (synthesis); round 11 halfway through an MP3's
  // encoding pass, shortly before the file is committed.
  int interrupted_rounds = 0;
  for (int round = 0; round < 12; ++round) {
    const std::string format = round >= 2 && round <= 10 ? "wav" : "mp3";
    const std::string& whole = finished.at(format);
    std::uniform_int_distribution<std::uintmax_t> first_half(1, whole.size() / 2);
    const std::uintmax_t moment = round == 11 ? whole.size() / 2 : first_half(random);
    const std::string out = dir.file("out." + format);
    test::write_file(out, std::string(kOld));
    test::ChildProcess child({test::narrate_path(), kArticle, kFastVoice, "-o", out, "-q"});
    if (round >= 2) {
      // Should narrate never get there, the signal still goes at the guard; either outcome is
      // checked below.
      test::wait_for_file_bytes(dir.path(), ".part", moment, 60s);
    }
    // Every stop signal in turn, SIGINT and SIGTERM first (rounds 0-1, while narrate starts).
    const int signal = kStopSignals[static_cast<std::size_t>(round) % kStopSignals.size()];
    child.send_signal(signal);
    const test::ProcessResult result = child.wait(std::chrono::seconds(60));
    const std::string now = test::read_file(out);
    if (result.exit_code == 0) {
      EXPECT_EQ(now.size(), whole.size()) << "round " << round << ": finished before the signal";
    } else {
      // Exit 130, or, for a signal while the dynamic loader is still mapping the libraries (before
      // narrate's first code blocks the signals), death by that signal: either way nothing may
      // have been written.
      const bool interrupted = result.exit_code == 130 || result.term_signal == signal;
      interrupted_rounds += interrupted ? 1 : 0;
      EXPECT_TRUE(interrupted) << "round " << round << ": exit " << result.exit_code << " "
                               << result.err;
      EXPECT_EQ(now, kOld) << "round " << round << ": the older file was replaced";
    }
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      EXPECT_EQ(entry.path().string().find(".part"), std::string::npos)
          << "round " << round << ": " << entry.path();
    }
  }
  // A run may finish between its moment and the signal (the rest of a short narration takes a
  // tenth of a second), which is checked above; but rounds 0-1 signal while narrate starts, and
  // most later ones land mid-narration (7 to 12 of the 12 in 20 runs on a loaded machine), so a
  // test whose signals all came too late would have checked nothing.
  EXPECT_GE(interrupted_rounds, 4);
}

// SIGKILL leaves no chance to clean up: the killed run's temporary file stays, named after its
// pid. The next run that writes into that folder removes it once it is some seconds old (here
// made so by setting its time back), since its process is gone.
TEST(Robustness, ATemporaryFileLeftBySigkillIsRemovedByTheNextRun) {
  const test::TempDir dir;
  // The article forty times over: the kill lands in its first seconds of audio, so however
  // loaded the machine, the run cannot finish first (the short article alone sometimes did).
  // Killed early, the long run costs no more than a short one.
  const test::TempDir input;
  std::string long_article;
  for (int copy = 0; copy < 40; ++copy) long_article += test::read_file(kArticle) + "\n\n";
  test::write_file(input.file("long.txt"), long_article);
  test::ChildProcess killed({test::narrate_path(), input.file("long.txt"), kFastVoice, "-o",
                             dir.file("first.wav"), "-q"});
  ASSERT_TRUE(test::wait_for_file_bytes(dir.path(), ".part", 4096, 60s));
  killed.send_signal(SIGKILL);
  EXPECT_EQ(killed.wait(std::chrono::seconds(60)).term_signal, SIGKILL);
  std::vector<fs::path> left;
  for (const auto& entry : fs::directory_iterator(dir.path())) left.push_back(entry.path());
  ASSERT_EQ(left.size(), 1u) << "SIGKILL should leave exactly its temporary file";
  std::string pid_part = ".";
  pid_part += std::to_string(killed.pid());
  pid_part += '.';
  const std::string name = left[0].filename().string();
  EXPECT_NE(name.find(pid_part), std::string::npos) << name << " does not carry the pid";
  fs::last_write_time(left[0], fs::file_time_type::clock::now() - std::chrono::minutes(1));

  test::write_file(dir.file("short.txt"), "The council met on Monday.");
  ASSERT_EQ(
      test::run_narrate({dir.file("short.txt"), kFastVoice, "-o", dir.file("second.wav"), "-q"})
          .exit_code,
      0);
  EXPECT_FALSE(fs::exists(left[0])) << "the killed run's temporary file is still there";
  EXPECT_TRUE(fs::exists(dir.file("second.wav")));
}

}  // namespace
}  // namespace narrator
