#include "timing_outputs.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "narrator/detail/ascii.hpp"

namespace narrator::cli {
namespace {

constexpr std::size_t kMaxLineCharacters = 42;
constexpr std::size_t kMaxCueLines = 2;

std::string_view type_name(MarkKind kind) {
  switch (kind) {
    case MarkKind::kSentence:
      return "sentence";
    case MarkKind::kWord:
      return "word";
    case MarkKind::kSsml:
      return "ssml";
  }
  return "word";
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !U8_IS_TRAIL(c); }));
}

// The bytes of the first `count` characters of `word` (a word is far shorter than 2 GiB).
std::size_t leading_bytes(std::string_view word, std::size_t count) {
  std::int32_t cut = 0;
  U8_FWD_N(reinterpret_cast<const std::uint8_t*>(word.data()), cut,
           static_cast<std::int32_t>(word.size()), static_cast<std::int32_t>(count));
  return static_cast<std::size_t>(cut);
}

// The text in lines of at most kMaxLineCharacters characters, broken between words (a longer
// word is broken inside).
std::vector<std::string> wrap(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    while (code_points(word) > kMaxLineCharacters) {  // a URL, say: cut at the limit
      const std::size_t cut = leading_bytes(word, kMaxLineCharacters);
      if (!line.empty()) lines.push_back(std::move(line));
      line.clear();
      lines.push_back(word.substr(0, cut));
      word.erase(0, cut);
    }
    if (!line.empty() && code_points(line) + 1 + code_points(word) > kMaxLineCharacters) {
      lines.push_back(std::move(line));
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

std::string clock(std::chrono::milliseconds time, char decimal) {
  const long long ms = std::max<long long>(0, time.count());
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld%c%03lld", ms / 3600000,
                ms / 60000 % 60, ms / 1000 % 60, decimal, ms % 1000);
  return buffer;
}

}  // namespace

void TimingCollector::add(const AudioChunk& chunk, std::size_t first_frame) {
  const std::size_t speech_frames = chunk.frame_count() - chunk.pause_frame_count;
  for (const TimingMark& timing : chunk.marks) {
    const std::chrono::milliseconds time = time_of(first_frame + timing.frame);
    if (timing.kind == MarkKind::kSentence) {
      sentences_.push_back(Sentence{time, time_of(first_frame + speech_frames), {}, timing.value});
    }
    const std::optional<std::size_t> start = original_byte_of(article_, timing.span.begin_byte);
    if (!start) continue;  // the intro or disclaimer: not in the input
    std::size_t end = *start;
    if (!timing.span.empty()) {
      // The input byte after the word's last byte: origins map text to input byte for byte within
      // a run, so this holds for a last character of any length.
      const std::optional<std::size_t> last = original_byte_of(article_, timing.span.end_byte - 1);
      end = last ? *last + 1 : *start + timing.span.size_bytes();
      end = std::max(end, *start);
    }
    Mark mark{time, timing.kind, *start, end, timing.value};
    if (timing.kind == MarkKind::kWord && !sentences_.empty()) {
      // Where the word is in the sentence's text, for placing cue boundaries.
      Sentence& sentence = sentences_.back();
      const std::size_t at = sentence.text.find(mark.value, sentence.cursor);
      if (at != std::string::npos) {
        sentence.cursor = at + mark.value.size();
        sentence.words.push_back(WordAt{at, time});
      }
    }
    marks_.push_back(std::move(mark));
  }
}

std::string TimingCollector::speech_marks() const {
  std::string out;
  for (const Mark& mark : marks_) {
    nlohmann::ordered_json line;
    line["time"] = mark.time.count();
    line["type"] = type_name(mark.kind);
    line["start"] = mark.start;
    line["end"] = mark.end;
    line["value"] = mark.value;
    out += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return out;
}

std::string TimingCollector::subtitles(SubtitleFormat format) const {
  std::string out = format == SubtitleFormat::kVtt ? "WEBVTT\n\n" : "";
  const char decimal = format == SubtitleFormat::kVtt ? '.' : ',';
  std::size_t number = 0;
  for (const Sentence& sentence : sentences_) {
    const std::vector<std::string> lines = wrap(sentence.text);
    std::size_t offset = 0;  // of the cue's first character in the sentence's text
    for (std::size_t first = 0; first < lines.size(); first += kMaxCueLines) {
      const std::size_t last = std::min(lines.size(), first + kMaxCueLines);
      std::size_t cue_bytes = 0;
      for (std::size_t i = first; i < last; ++i) cue_bytes += lines[i].size() + 1;
      // A cue starts when the first word at or after its first character is spoken; the next
      // cue's start ends it.
      const auto time_at = [&](std::size_t byte) {
        if (byte == 0) return sentence.begin;
        const auto word = std::find_if(sentence.words.begin(), sentence.words.end(),
                                       [&](const WordAt& w) { return w.offset >= byte; });
        return word == sentence.words.end() ? sentence.end : word->time;
      };
      const std::chrono::milliseconds begin = time_at(offset);
      std::chrono::milliseconds end =
          last == lines.size() ? sentence.end : time_at(offset + cue_bytes);
      end = std::max(end, begin + std::chrono::milliseconds(1));
      ++number;
      if (format == SubtitleFormat::kSrt) out += std::to_string(number) + "\n";
      out += clock(begin, decimal) + " --> " + clock(end, decimal) + "\n";
      for (std::size_t i = first; i < last; ++i) out += lines[i] + "\n";
      out += "\n";
      offset += cue_bytes;
    }
  }
  return out;
}

std::optional<SubtitleFormat> subtitle_format_from_path(const std::string& path) {
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string extension = detail::ascii_lower(path.substr(dot + 1));
  if (extension == "vtt") return SubtitleFormat::kVtt;
  if (extension == "srt") return SubtitleFormat::kSrt;
  return std::nullopt;
}

}  // namespace narrator::cli
