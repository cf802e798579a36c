// file_sinks.hpp: sinks that encode to files or to a file descriptor.
#pragma once

#include <memory>
#include <string>

#include "narrator/audio/audio_format.hpp"
#include "narrator/audio/audio_sink.hpp"

namespace narrator {

// Text tags written into the file where the format has them, as UTF-8: ID3v2.4 in MP3 (the date
// as an ISO 8601 timestamp or its year), Vorbis comments in Ogg and FLAC, LIST/INFO and an ID3v2.4
// chunk in WAV (a WAV or raw stream on a pipe has none). Empty fields are left out.
struct AudioTags {
  std::string title;    // the headline
  std::string artist;   // the byline
  std::string album;    // the publication
  std::string date;     // the publication date, as the article gives it
  std::string comment;  // how the audio was made
};

struct EncoderOptions {
  // libsndfile's SFC_SET_COMPRESSION_LEVEL for MP3, FLAC and Ogg: 0.0 (largest, best) to 1.0
  // (smallest). The default suits speech: at 22050 Hz mono MP3 it gives roughly 48 kbit/s.
  double compression_level = 0.75;
  AudioTags tags;
};

// Writes `format` to `path` atomically: samples go to a temporary file in the same folder, which
// finish() renames onto `path`. Until then an older file at `path` is untouched, and if the sink is
// destroyed without finish() (error, cancellation) the temporary file is removed.
// A path that names a device or a pipe (/dev/null, a FIFO) is streamed into as open_stream_sink
// does: renaming onto it would replace the device. A path that names a folder is an error.
// Throws Error(kOutput) when the folder is missing or not writable, naming the path.
std::unique_ptr<AudioSink> open_file_sink(const std::string& path, AudioFormat format,
                                          StreamFormat stream, const EncoderOptions& options = {});

// Streams `format` to an open file descriptor that may be a pipe (stdout). The descriptor is not
// closed. WAV is written with a streaming header whose sizes are set to the maximum, as pipes
// cannot seek back; kRaw writes bare little-endian samples; other formats go through libsndfile.
// Throws Error(kOutput) on write failure (for example a closed pipe).
std::unique_ptr<AudioSink> open_stream_sink(int fd, AudioFormat format, StreamFormat stream,
                                            const EncoderOptions& options = {});

}  // namespace narrator
