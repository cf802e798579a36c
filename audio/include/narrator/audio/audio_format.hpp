// audio_format.hpp: the output encodings Narrator writes, parsed once at the edge.
#pragma once

#include <optional>
#include <string_view>

namespace narrator {

enum class AudioFormat {
  kWav,   // RIFF WAVE, PCM signed 16-bit
  kMp3,   // MPEG-1/2 Layer III through libsndfile's LAME writer
  kFlac,  // FLAC, 16-bit
  kOgg,   // Ogg Vorbis
  kRaw,   // headerless signed 16-bit little-endian PCM
};

// "wav", "mp3", "flac", "ogg" or "raw" (case-insensitive) to the format; nullopt for anything else.
std::optional<AudioFormat> parse_audio_format(std::string_view name) noexcept;

// The format named by a path's extension (".wav", ".mp3", ".flac", ".ogg", ".oga", ".raw", ".pcm",
// case-insensitive); nullopt when the extension is missing or unknown.
std::optional<AudioFormat> audio_format_from_path(std::string_view path) noexcept;

// The canonical lower-case name ("wav", "mp3", ...).
std::string_view audio_format_name(AudioFormat format) noexcept;

}  // namespace narrator
