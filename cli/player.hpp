// player.hpp: live playback of one article with keyboard control and a status line.
//
// Two threads: a feeder pulls sentences from the engine's Narration and writes them into the
// PlaybackStream (which blocks while its queue is full); the calling thread reads keys, draws the
// status line and watches for cancellation. A jump interrupts the feeder, which discards the queued
// audio and seeks the narration.
//
// The player sees the world through three interfaces: the PlaybackStream (the device), a
// KeySource (the terminal) and a PlayerClock. The tests put fakes behind all three, so keys,
// pauses and the status line are checked on a timeline that moves only when the player waits.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <future>
#include <string>

#include "narrator/audio/playback.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/engine.hpp"
#include "terminal_keys.hpp"

namespace narrator::cli {

struct PlaybackReport {
  bool quit = false;                          // the listener pressed q before the end
  std::chrono::milliseconds played{0};        // the narration's length, or where q stopped it
  std::chrono::milliseconds total{0};         // the narration's length, as known when it stopped
  std::chrono::milliseconds listened{0};      // time the audio sounded (pauses left out)
  std::chrono::milliseconds first_audio{-1};  // from `started` to the first queued audio
  std::chrono::milliseconds underrun{0};      // silence played because synthesis fell behind
  std::size_t sentence_count = 0;
  std::size_t paragraph_count = 0;
};

// ← within this long of the start of a sentence goes to the previous sentence; later, to the start
// of the sentence playing (as the listening page's script does, and most media players).
inline constexpr std::chrono::milliseconds kRestartWindow{1500};

struct PlayerSettings {
  bool status_line = false;  // draw "paragraph k/N  elapsed / ~total" on `status_out`
  // The first estimate of the total: `narrate estimate`'s figure for the voice and rate
  // (Engine::estimate()), which may come while playback has begun (its calibration must not delay
  // the first sentence): the status line waits for it. Not valid(), or a duration of 0: unknown
  // until sentences are measured. What get() throws ends playback with that error.
  std::shared_future<DurationEstimate> estimate;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::FILE* status_out = stderr;  // where the status line and the key help go; not owned
};

// The time the player reads: when audio first arrived, when to redraw the status line. Called
// from the player's two threads.
class PlayerClock {
 public:
  virtual ~PlayerClock() = default;
  virtual std::chrono::steady_clock::time_point now() const noexcept = 0;
};

// std::chrono::steady_clock.
const PlayerClock& steady_player_clock() noexcept;

// Plays `narration` on `stream` to the end, or until q or cancellation. `keys` may be inactive
// (no terminal): playback then runs straight through. Throws Error(kCancelled) when `cancel`
// fires (the sound stops at once), and whatever the narration or the device throws. `settings`
// and `clock` must outlive the call.
PlaybackReport play(Narration narration, PlaybackStream& stream, KeySource& keys,
                    const PlayerSettings& settings, const CancelToken& cancel,
                    const PlayerClock& clock = steady_player_clock());

// The line after playback: "narrate: played 5:10 (818 words, 29 paragraphs)", or after q
// "narrate: stopped at 0:08 of 5:10, listened 0:08 (...)": where playback stopped in the
// article's time and how long the listener heard it. `word_count` is the spoken words
// (DurationEstimate::word_count, the figure of `narrate estimate` and of a narration's summary).
std::string played_summary(const PlaybackReport& report, std::size_t word_count);

}  // namespace narrator::cli
