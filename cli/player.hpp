// player.hpp: live playback of one article with keyboard control and a status line.
//
// Two threads: a feeder pulls sentences from the engine's Narration and writes them into the
// PlaybackStream (which blocks while its queue is full); the calling thread reads keys, draws the
// status line and watches for cancellation. A jump interrupts the feeder, which discards the queued
// audio and seeks the narration.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "narrator/audio/playback.hpp"
#include "narrator/cancel_token.hpp"
#include "narrator/engine.hpp"
#include "terminal_keys.hpp"

namespace narrator::cli {

struct PlaybackReport {
  bool quit = false;                          // the listener pressed q before the end
  std::chrono::milliseconds played{0};        // the narration's length, or where q stopped it
  std::chrono::milliseconds first_audio{-1};  // from `started` to the first queued audio
  std::chrono::milliseconds underrun{0};      // silence played because synthesis fell behind
  std::size_t sentence_count = 0;
  std::size_t paragraph_count = 0;
};

struct PlayerSettings {
  bool status_line = false;  // draw "paragraph k/N  elapsed / ~total" on stderr
  int rate_wpm = 175;        // for the first estimate of the total, before any audio exists
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// Plays `narration` on `stream` to the end, or until q or cancellation. `keys` may be inactive
// (no terminal): playback then runs straight through. Throws Error(kCancelled) when `cancel`
// fires (the sound stops at once), and whatever the narration or the device throws.
PlaybackReport play(Narration narration, PlaybackStream& stream, RawTerminal& keys,
                    const PlayerSettings& settings, const CancelToken& cancel);

}  // namespace narrator::cli
