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

constexpr std::array<FormatName, 5> kNames{{
    {AudioFormat::kWav, "wav"},
    {AudioFormat::kMp3, "mp3"},
    {AudioFormat::kFlac, "flac"},
    {AudioFormat::kOgg, "ogg"},
    {AudioFormat::kRaw, "raw"},
}};

constexpr std::array<FormatName, 8> kExtensions{{
    {AudioFormat::kWav, ".wav"},
    {AudioFormat::kMp3, ".mp3"},
    {AudioFormat::kFlac, ".flac"},
    {AudioFormat::kOgg, ".ogg"},
    {AudioFormat::kOgg, ".oga"},
    {AudioFormat::kRaw, ".raw"},
    {AudioFormat::kRaw, ".pcm"},
    {AudioFormat::kWav, ".wave"},
}};

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

}  // namespace narrator
