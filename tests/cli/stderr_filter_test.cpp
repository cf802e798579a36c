// Which lines of stderr the player's filter takes for sound-library chatter: those of the
// libraries, never narrate's own messages.
#include "stderr_filter.hpp"

#include <gtest/gtest.h>

namespace narrator::cli {
namespace {

TEST(StderrFilter, SoundLibraryReportsAreChatter) {
  for (const char* line :
       {"ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM cards.pcm.rear",
        "Expression 'ret' failed in 'src/hostapi/alsa/pa_linux_alsa.c', line: 1736",
        "Cannot connect to server socket err = No such file or directory",
        "jack server is not running or cannot be started",
        "Failed to create secure directory (/nonexistent/.config/pulse): No such file or "
        "directory"}) {
    EXPECT_TRUE(is_sound_library_chatter(line)) << line;
  }
}

TEST(StderrFilter, NarratesOwnMessagesPass) {
  for (const char* line : {"narrate: error: no sound device found; run 'narrate devices'",
                           "narrate: interrupted; playback stopped", "Failed", "ALSA", ""}) {
    EXPECT_FALSE(is_sound_library_chatter(line)) << line;
  }
}

}  // namespace
}  // namespace narrator::cli
