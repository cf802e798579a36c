// output_processing.hpp: loudness normalization, resampling and channel mapping in front of a sink.
//
// process_output() wraps a sink so that what the voice produces (22050 Hz mono) reaches it in the
// format and at the loudness the listener asked for. Without a loudness target the wrapper streams:
// each write() is converted and passed on at once. With a target it makes two passes over the
// audio with flat memory: the converted samples are measured (EBU R128 integrated loudness,
// libebur128) and spooled to an unnamed temporary file; finish() then reads the spool back,
// applies one gain and a true-peak limiter, and passes the result on.
//
// A stream that must reach its listener as it is made (a server streaming MP3) cannot wait for
// the measurement: OutputProcessing::stream_gain_db selects the one-pass mode instead. Each
// write() then applies a fixed gain the caller calibrated beforehand (for a voice, on a passage
// of its own) and a true-peak limiter, and passes the result on at once, held back only by the
// limiter's look-ahead (about 5 ms, plus 6 frames for the true-peak estimate).
//
// open_output_file() and open_output_stream() put the encoder behind this wrapper and apply each
// format's default loudness (default_loudness_lufs()), so that an MP3 made through the library
// sounds as loud as one made by `narrate`.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "narrator/audio/audio_chunk.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/audio/audio_sink.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/cancel_token.hpp"

namespace narrator {

// The range of OutputProcessing::loudness_lufs, both ends included: the one statement of it, which
// narrate's --loudness and its service read too.
namespace limits {
inline constexpr double kMinLoudnessLufs = -70.0;
inline constexpr double kMaxLoudnessLufs = -5.0;
}  // namespace limits

struct OutputProcessing {
  // Integrated loudness target in LUFS (EBU R128), -70 to -5; -16 suits podcasts, -23 broadcast.
  // nullopt: the output format's default (default_loudness_lufs()) where the format is known, in
  // open_output_file() and open_output_stream(); process_output() alone then leaves the level.
  std::optional<double> loudness_lufs = std::nullopt;
  // true: leave the level as it is even where the format has a default loudness. loudness_lufs
  // must then be nullopt.
  bool keep_level = false;
  // One-pass loudness for streams: this fixed gain in dB (-40 to +40) is applied to every sample
  // as it passes, then a true-peak limiter holds the result under true_peak_ceiling_dbtp. The
  // caller chooses the gain (the target minus the voice's loudness measured on a calibration
  // passage, as `narrate serve` does), so the result is as near the target as the voice is
  // steady.
  // Excludes loudness_lufs and keep_level; the format's default loudness is then not applied.
  //
  // The limiter: the true peak is estimated between samples by 4x oversampling (a windowed-sinc
  // interpolator, 12 taps per phase); the gain each frame needs is held over a 5 ms look-ahead
  // and smoothed over the same span, so it is already down when a peak arrives, and it recovers
  // with an 80 ms release. Output lags input by the look-ahead plus 6 frames; finish() flushes
  // that tail, so every input frame comes out, in order, and audio that never nears the ceiling
  // comes out exactly gained (rounded to 16 bits).
  std::optional<double> stream_gain_db = std::nullopt;
  // The loudness gain is lowered so that the true peak never exceeds this, in dBTP (-20 to 0).
  // The one-pass limiter (stream_gain_db) holds peaks under it.
  double true_peak_ceiling_dbtp = -1.0;
  // 0: keep the input rate; else resample (libsoxr, high quality) to this rate, 8000 to 192000 Hz.
  int sample_rate_hz = 0;
  // 0: keep the input channels; 1 or 2. Mono to stereo copies the channel to both sides; stereo
  // to mono averages the two.
  int channels = 0;
};

// The loudness an output in `format` gets when the caller leaves it unset: -16 LUFS for MP3, the
// level podcast platforms ask for; none for WAV, FLAC, Ogg (Vorbis and Opus) and raw, which keep
// the voice's level for further production.
std::optional<double> default_loudness_lufs(AudioFormat format) noexcept;

// `processing` as it applies to audio in the `input` format written as `format`: an unset loudness
// becomes the format's default, unless keep_level says to leave the level or stream_gain_db sets
// it in one pass. Where the format takes only some rates (audio_format_sample_rates(): Opus), an
// unset sample_rate_hz becomes 48000 Hz when the input's rate is not one of them.
// Throws Error(kUsage) naming the rates the format takes when sample_rate_hz is set to another.
OutputProcessing with_format_defaults(OutputProcessing processing, AudioFormat format,
                                      StreamFormat input);

// The format the processed stream has: `input` with the rate and channels `processing` replaces.
// Throws Error(kUsage) naming the field and its range when an option is out of range, when two of
// loudness_lufs, keep_level and stream_gain_db are set, or when the channels are to be mapped from
// an input that is neither mono nor stereo.
StreamFormat processed_format(StreamFormat input, const OutputProcessing& processing);

// Returns a sink with format() == `input` that converts what it receives and writes it to `inner`,
// whose format() must be processed_format(input, processing). The returned sink owns `inner`.
//
// With stream_gain_db, every write() converts, gains and limits what it receives and writes what
// the limiter has passed to `inner` before it returns (all but the look-ahead's last few
// milliseconds); finish() writes that tail, then calls inner->finish(). No spool is made and
// `temp_folder` is not used.
//
// With a loudness target, samples reach `inner` only in finish(), after the whole stream has
// been measured. The spool is an unnamed file in `temp_folder` (O_TMPFILE, or a name removed as
// soon as it is created), so it never outlives the sink; it holds the converted audio, about
// 10 MB per hour at 22050 Hz mono. `temp_folder` is not used without a loudness target.
//
// finish() converts the tail, applies the gain (integrated loudness to the target, lowered so that
// the true peak stays under the ceiling; none for silence), then calls inner->finish(). If
// anything fails, the exception propagates and inner->finish() is never called, so a file sink
// leaves no file. Call finish() once.
//
// Throws Error(kUsage) as processed_format() does, Error(kInternal) when `inner` is null or has
// another format, or when libsoxr or libebur128 cannot be set up, Error(kOutput) naming the folder
// when the spool cannot be created in `temp_folder`. write() and finish() throw Error(kOutput)
// when the spool cannot be written or read, Error(kInternal) when libebur128 fails, and whatever
// `inner` throws.
//
// `cancel` is checked between blocks of the loudness passes in finish(), which take seconds for a
// long narration: when it fires, finish() throws Error(kCancelled) and `inner` is not finished.
std::unique_ptr<AudioSink> process_output(std::unique_ptr<AudioSink> inner, StreamFormat input,
                                          const OutputProcessing& processing,
                                          const std::string& temp_folder, CancelToken cancel = {});

// An encoded output for audio in the `input` format: open_file_sink(path, format, ...) behind
// process_output() with with_format_defaults(processing, format, input), so that an MP3 is
// normalized to -16 LUFS and an Opus stream at 22050 Hz resampled to 48000 Hz unless `processing`
// says otherwise. The returned sink takes `input` (give
// Engine::format()); it is the file sink itself when nothing is to be converted. The loudness
// spool sits beside `path`, or in /tmp when `path` is streamed into (a device or a FIFO, see
// output_path_kind()). Throws what open_file_sink() and process_output() throw; `cancel` is as
// for process_output().
std::unique_ptr<AudioSink> open_output_file(const std::string& path, AudioFormat format,
                                            StreamFormat input,
                                            const OutputProcessing& processing = {},
                                            const EncoderOptions& encoder = {},
                                            CancelToken cancel = {});

// The same for a file descriptor such as stdout (open_stream_sink()); the loudness spool is in
// /tmp. The descriptor is not closed.
std::unique_ptr<AudioSink> open_output_stream(int fd, AudioFormat format, StreamFormat input,
                                              const OutputProcessing& processing = {},
                                              const EncoderOptions& encoder = {},
                                              CancelToken cancel = {});

}  // namespace narrator
