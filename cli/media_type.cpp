#include "media_type.hpp"

namespace narrator::cli {

std::optional<std::string_view> audio_media_type(AudioFormat format) {
  switch (format) {
    case AudioFormat::kMp3:
      return "audio/mpeg";
    case AudioFormat::kWav:
      return "audio/wav";
    case AudioFormat::kFlac:
      return "audio/flac";
    case AudioFormat::kOgg:
      return "audio/ogg";
    case AudioFormat::kOpus:
      return "audio/ogg; codecs=opus";
    case AudioFormat::kRaw:
      break;
  }
  return std::nullopt;
}

}  // namespace narrator::cli
