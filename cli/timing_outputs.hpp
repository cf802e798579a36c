// timing_outputs.hpp: what a player needs beside the audio: speech marks (Amazon Polly's JSON
// lines) and subtitles (WebVTT or SubRip), collected from the narration's chunks as they are
// written.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/audio/audio_chunk.hpp"

namespace narrator::cli {

struct Mark {
  std::chrono::milliseconds time{0};
  MarkKind kind = MarkKind::kWord;
  std::size_t start = 0;  // byte offsets into the input as given
  std::size_t end = 0;
  std::string value;
};

enum class SubtitleFormat { kVtt, kSrt };

// Collects every chunk's marks with their times in the whole narration.
class TimingCollector {
 public:
  TimingCollector(const Article& article, int sample_rate_hz)
      : article_(article), sample_rate_hz_(sample_rate_hz) {}

  void add(const AudioChunk& chunk, std::size_t first_frame);

  const std::vector<Mark>& marks() const noexcept { return marks_; }

  // Polly's speech-mark format: one JSON object per line with time (ms), type
  // (sentence|word|ssml), start and end (byte offsets into the input) and value.
  std::string speech_marks() const;

  // Sentence cues of at most two lines of at most 42 characters; a longer sentence becomes several
  // cues, each starting at its first word's time.
  std::string subtitles(SubtitleFormat format) const;

 private:
  struct WordAt {
    std::size_t offset = 0;  // of the word in the sentence's text
    std::chrono::milliseconds time{0};
  };
  struct Sentence {
    std::chrono::milliseconds begin{0};
    std::chrono::milliseconds end{0};  // when its speech ends (before the pause)
    std::vector<WordAt> words;
    std::string text;
    std::size_t cursor = 0;  // where the next word's search starts in `text`
  };

  std::chrono::milliseconds time_of(std::size_t frame) const {
    return std::chrono::milliseconds(static_cast<long long>(frame) * 1000 / sample_rate_hz_);
  }

  const Article& article_;
  int sample_rate_hz_;
  std::vector<Mark> marks_;
  std::vector<Sentence> sentences_;
};

// The subtitle format a path names (.vtt or .srt); nullopt for anything else.
std::optional<SubtitleFormat> subtitle_format_from_path(const std::string& path);

}  // namespace narrator::cli
