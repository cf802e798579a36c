// audio_chunk.hpp: one sentence's worth of synthesized audio.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "narrator/source_span.hpp"

namespace narrator {

// The shape of a PCM stream: every chunk and every sink agrees on it.
struct StreamFormat {
  int sample_rate_hz = 0;  // frames per second
  int channels = 1;        // interleaved channels per frame
  friend bool operator==(const StreamFormat&, const StreamFormat&) = default;
};

enum class MarkKind {
  kSentence,  // a sentence begins
  kWord,      // a word (or a token read as several words, "1,227") begins
  kSsml,      // an SSML <mark> is reached
};

// A point in a chunk's audio tied to the text it speaks.
struct TimingMark {
  MarkKind kind = MarkKind::kWord;
  std::size_t frame = 0;  // frames from the start of the chunk
  SourceSpan span;        // the text in Article::text (an SSML mark: where it stands, empty)
  std::string value;      // the word or sentence as written, or the mark's name
};

// Audio for one sentence, owned by whoever holds it. Samples are signed 16-bit, interleaved when
// channels > 1, and include the pause that follows the sentence.
struct AudioChunk {
  std::vector<std::int16_t> samples;
  StreamFormat format;
  std::size_t sentence_index = 0;     // index of the sentence this chunk speaks
  std::size_t pause_frame_count = 0;  // trailing frames of silence added after the speech
  bool is_last = false;               // true on the final chunk of a narration
  std::vector<TimingMark> marks;      // in time order: the sentence, then its words

  std::size_t frame_count() const noexcept {
    return format.channels > 0 ? samples.size() / static_cast<std::size_t>(format.channels) : 0;
  }
};

// Duration of frame_count frames at sample_rate_hz, in milliseconds (rounded down).
constexpr std::chrono::milliseconds frames_to_duration(std::size_t frame_count,
                                                       int sample_rate_hz) noexcept {
  return std::chrono::milliseconds(
      sample_rate_hz > 0 ? static_cast<long long>(frame_count) * 1000 / sample_rate_hz : 0);
}

// Number of frames in duration at sample_rate_hz (rounded down).
constexpr std::size_t duration_to_frames(std::chrono::milliseconds duration,
                                         int sample_rate_hz) noexcept {
  return duration.count() <= 0 ? 0
                               : static_cast<std::size_t>(duration.count() * sample_rate_hz / 1000);
}

}  // namespace narrator
