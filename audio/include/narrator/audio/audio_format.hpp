// audio_format.hpp: the output encodings Narrator writes, parsed once at the edge.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace narrator {

enum class AudioFormat {
  kWav,   // RIFF WAVE, PCM signed 16-bit
  kMp3,   // MPEG-1/2 Layer III through libsndfile's LAME writer
  kFlac,  // FLAC, 16-bit
  kOgg,   // Ogg Vorbis
  kRaw,   // headerless signed 16-bit little-endian PCM
  kOpus,  // Ogg Opus (RFC 7845); only the rates audio_format_sample_rates() lists
};

// "wav", "mp3", "flac", "ogg", "opus" or "raw" (case-insensitive) to the format; nullopt for
// anything else.
std::optional<AudioFormat> parse_audio_format(std::string_view name) noexcept;

// The format named by a path's extension (".wav", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".raw",
// ".pcm", case-insensitive); nullopt when the extension is missing or unknown.
std::optional<AudioFormat> audio_format_from_path(std::string_view path) noexcept;

// The canonical lower-case name ("wav", "mp3", ...).
std::string_view audio_format_name(AudioFormat format) noexcept;

// The sample rates in Hz that `format` can be written at, ascending; empty when it takes any rate
// the output chain makes (8000 to 192000 Hz). Opus takes 8000, 12000, 16000, 24000 and 48000.
std::span<const int> audio_format_sample_rates(AudioFormat format) noexcept;

// The rates of audio_format_sample_rates() as text: "8000, 12000, 16000, 24000 or 48000".
std::string audio_format_sample_rates_text(AudioFormat format);

}  // namespace narrator
