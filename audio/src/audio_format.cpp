#include "narrator/audio/audio_format.hpp"

#include <array>
#include <string>
#include <utility>

#include "narrator/detail/ascii.hpp"

namespace narrator {
namespace {

struct FormatName {
  AudioFormat format;
  std::string_view name;
};

constexpr std::array<FormatName, 6> kNames{{
    {AudioFormat::kWav, "wav"},
    {AudioFormat::kMp3, "mp3"},
    {AudioFormat::kFlac, "flac"},
    {AudioFormat::kOgg, "ogg"},
    {AudioFormat::kRaw, "raw"},
    {AudioFormat::kOpus, "opus"},
}};

constexpr std::array<FormatName, 9> kExtensions{{
    {AudioFormat::kWav, ".wav"},
    {AudioFormat::kMp3, ".mp3"},
    {AudioFormat::kFlac, ".flac"},
    {AudioFormat::kOgg, ".ogg"},
    {AudioFormat::kOgg, ".oga"},
    {AudioFormat::kRaw, ".raw"},
    {AudioFormat::kRaw, ".pcm"},
    {AudioFormat::kWav, ".wave"},
    {AudioFormat::kOpus, ".opus"},
}};

// The rates an Opus encoder runs at (RFC 6716, 2.1.2).
constexpr std::array<int, 5> kOpusRatesHz{8000, 12000, 16000, 24000, 48000};

template <std::size_t N>
std::optional<AudioFormat> find(const std::array<FormatName, N>& table, std::string_view key) {
  for (const FormatName& entry : table) {
    if (entry.name == key) return entry.format;
  }
  return std::nullopt;
}

}  // namespace

std::optional<AudioFormat> parse_audio_format(std::string_view name) noexcept {
  return find(kNames, detail::ascii_lower(name));
}

std::optional<AudioFormat> audio_format_from_path(std::string_view path) noexcept {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = file.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  return find(kExtensions, detail::ascii_lower(file.substr(dot)));
}

std::string_view audio_format_name(AudioFormat format) noexcept {
  for (const FormatName& entry : kNames) {
    if (entry.format == format) return entry.name;
  }
  return "wav";
}

std::span<const int> audio_format_sample_rates(AudioFormat format) noexcept {
  if (format == AudioFormat::kOpus) return kOpusRatesHz;
  return {};
}

std::string audio_format_sample_rates_text(AudioFormat format) {
  const std::span<const int> rates = audio_format_sample_rates(format);
  std::string text;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (i > 0) text += i + 1 == rates.size() ? " or " : ", ";
    text += std::to_string(rates[i]);
  }
  return text;
}

}  // namespace narrator
