// What narrate prints and returns for the error that ended a command: a cancellation is
// "interrupted" with 130; every other error keeps its message and its own status.
#include <gtest/gtest.h>

#include "exit_codes.hpp"

namespace narrator::cli {
namespace {

TEST(ErrorOutcome, KeepsTheMessageAndTheCategorysStatus) {
  const ErrorOutcome outcome =
      error_outcome(Error(ErrorCategory::kInput, "story.txt:2:5: invalid UTF-8"), false);
  EXPECT_EQ(outcome.message, "narrate: error: story.txt:2:5: invalid UTF-8");
  EXPECT_EQ(outcome.exit_code, 3);
  EXPECT_EQ(error_outcome(Error(ErrorCategory::kDevice, "no device"), true).message,
            "narrate: error: no device")
      << "an error while playing is not an interruption";
}

TEST(ErrorOutcome, AUsageErrorEndsWithTheHelpHint) {
  const ErrorOutcome usage = error_outcome(
      Error(ErrorCategory::kUsage, "--rate 1000 is out of range; use 80 to 450"), false);
  EXPECT_EQ(usage.message, "narrate: error: --rate 1000 is out of range; use 80 to 450\n" +
                               std::string(kUsageHint));
  EXPECT_EQ(usage.exit_code, 2);
  // A message that already says which command to run needs no second hint.
  EXPECT_EQ(error_outcome(Error(ErrorCategory::kUsage,
                                "unknown voice 'xx'. Run 'narrate voices' to list every voice."),
                          false)
                .message,
            "narrate: error: unknown voice 'xx'. Run 'narrate voices' to list every voice.");
  EXPECT_EQ(error_outcome(Error(ErrorCategory::kOutput, "disk full"), false).message,
            "narrate: error: disk full")
      << "only usage errors get the hint";
}

TEST(ErrorOutcome, CancellationIsAnInterruption) {
  const ErrorOutcome written =
      error_outcome(Error(ErrorCategory::kCancelled, "narration cancelled"), false);
  EXPECT_EQ(written.message, "narrate: interrupted; no output was written");
  EXPECT_EQ(written.exit_code, 130);
  const ErrorOutcome played = error_outcome(Error(ErrorCategory::kCancelled, "stopped"), true);
  EXPECT_EQ(played.message, "narrate: interrupted; playback stopped");
  EXPECT_EQ(played.exit_code, 130);
}

}  // namespace
}  // namespace narrator::cli
