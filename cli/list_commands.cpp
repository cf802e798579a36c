// narrate voices and devices: the voices the backends offer and the sound devices PortAudio sees.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "narrator/audio/playback.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "stderr_filter.hpp"

namespace narrator::cli {
namespace {

const char* gender_name(VoiceGender gender) {
  switch (gender) {
    case VoiceGender::kMale:
      return "male";
    case VoiceGender::kFemale:
      return "female";
    case VoiceGender::kUnknown:
      break;
  }
  return "-";
}

// Characters as a terminal counts them: UTF-8 code points (none of these tables holds wide ones).
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  }));
}

struct Column {
  std::string heading;
  bool right_aligned = false;  // numbers
};

// A table whose columns are as wide as their widest cell, one space apart, so that a long voice
// language ("cmn-latn-pinyin") or device name moves the columns after it instead of them. The last
// column is not padded.
class Table {
 public:
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {
    std::vector<std::string> headings;
    for (const Column& column : columns_) headings.push_back(column.heading);
    add(std::move(headings));
  }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  void print() const {
    std::vector<std::size_t> widths(columns_.size(), 0);
    for (const std::vector<std::string>& row : rows_) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        widths[i] = std::max(widths[i], display_width(row[i]));
      }
    }
    for (const std::vector<std::string>& row : rows_) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const bool last = i + 1 == row.size();
        const std::string padding(widths[i] - display_width(row[i]), ' ');
        if (i > 0) line += ' ';
        if (columns_[i].right_aligned) line += padding;
        line += row[i];
        if (!columns_[i].right_aligned && !last) line += padding;
      }
      write_stdout(line + "\n");
    }
  }

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;  // the headings first
};

void print_voices(const CliOptions& options, Diagnostics& diagnostics) {
  const Engine engine(options.engine, diagnostics);
  std::vector<VoiceInfo> voices = engine.voices();
  std::stable_sort(voices.begin(), voices.end(), [](const VoiceInfo& a, const VoiceInfo& b) {
    return a.languages < b.languages;
  });
  Table table({{"LANGUAGE"}, {"NAME"}, {"GENDER"}, {"BACKEND"}, {"RATE"}, {"IDENTIFIER"}});
  for (const VoiceInfo& voice : voices) {
    table.add({voice.languages.empty() ? "-" : voice.languages.front(), voice.name,
               gender_name(voice.gender), voice.backend, std::to_string(voice.sample_rate_hz),
               voice.identifier});
  }
  table.print();
  flush_stdout();
}

void print_devices() {
  const StderrFilter quiet_sound_libraries;
  const SoundSystem sound;
  const std::vector<OutputDevice> devices = sound.output_devices();
  if (devices.empty()) {
    throw Error(ErrorCategory::kDevice,
                "no sound output device was found" + std::string(kWriteToFileAdvice));
  }
  Table table(
      {{"INDEX"}, {"DEFAULT"}, {"NAME"}, {"HOST API"}, {"CHANNELS", true}, {"RATE (Hz)", true}});
  for (const OutputDevice& device : devices) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.0f", device.default_sample_rate_hz);
    table.add({std::to_string(device.index), device.is_default ? "*" : "", device.name,
               device.host_api, std::to_string(device.output_channels), rate});
  }
  table.print();
  flush_stdout();
}

}  // namespace

void run_voices(const CliOptions& options, Diagnostics& diagnostics) {
  print_until_reader_leaves([&] { print_voices(options, diagnostics); });
}

void run_devices() {
  print_until_reader_leaves([] { print_devices(); });
}

}  // namespace narrator::cli
