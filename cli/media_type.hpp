// media_type.hpp: the media type (MIME type) of narrate's audio formats, as the files and URIs it
// writes name them.
#pragma once

#include <optional>
#include <string_view>

#include "narrator/audio/audio_format.hpp"

namespace narrator::cli {

// audio/mpeg, audio/wav, audio/flac, audio/ogg, and for Ogg Opus "audio/ogg; codecs=opus" (RFC
// 7845's parameter, which lets a player tell it from Vorbis). nullopt for raw samples: no player
// knows a file of them by its type.
std::optional<std::string_view> audio_media_type(AudioFormat format);

}  // namespace narrator::cli
