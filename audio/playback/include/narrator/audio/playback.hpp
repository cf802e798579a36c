// playback.hpp: live output to a sound device (PortAudio), fed from a synthesis thread.
//
//   SoundSystem sound;                                   // Pa_Initialize ... Pa_Terminate
//   std::unique_ptr<PlaybackStream> out = sound.open(format, options);
//   out->write(chunk.samples); ...                       // blocks while the queue is full
//   out->finish();                                       // waits until the device played it all
//
// The device callback reads from a lock-free ring of about two seconds of audio: it never
// allocates, never blocks, and plays silence (counted as underrun) when the ring runs dry.
// ALSA and JACK probing messages are kept off the terminal; failures come back as Error(kDevice)
// with PortAudio's and the host's own text.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "narrator/audio/audio_sink.hpp"

namespace narrator {

struct OutputDevice {
  int index = -1;        // PortAudio's device index, as `--device INDEX` takes it
  std::string name;      // as `--device NAME` takes it
  std::string host_api;  // "ALSA", "JACK Audio Connection Kit", ...
  int output_channels = 0;
  double default_sample_rate_hz = 0;
  bool is_default = false;  // the default output device
};

struct PlaybackOptions {
  // A device name (exact, then case-insensitive, then a unique substring) or index; empty for the
  // default output device.
  std::string device;
  // The rate to open the device at; 0 opens it at the audio's own rate when the device takes it,
  // else at the device's default rate. Audio is resampled (libsoxr) whenever the rates differ.
  int device_rate_hz = 0;
  // Audio queued ahead of the device: the most a pause, a jump or a stop has to throw away.
  std::chrono::milliseconds queue{2000};
  // No progress from the device for this long, while playing, is a device failure.
  std::chrono::milliseconds stall_timeout{3000};
};

// One open output stream. write() and finish() belong to one feeding thread; pause, interrupt,
// abort and the position queries may be called from any thread.
class PlaybackStream : public AudioSink {
 public:
  // The audio this stream takes (the voice's format); the device may run at another rate.
  StreamFormat format() const noexcept override = 0;

  // Queues samples, starting the device on the first call. Blocks while the queue is full. Returns
  // early, dropping the rest, once interrupt() was called (until clear_interrupt()). Throws
  // Error(kDevice) when the device fails or stops taking audio, Error(kCancelled) after abort().
  void write(std::span<const std::int16_t> samples) override = 0;

  // Waits until every queued sample has been played, then stops the device. Same errors as write().
  void finish() override = 0;

  // Pauses or resumes: while paused the device plays silence and the position stands still.
  virtual void set_paused(bool paused) noexcept = 0;
  virtual bool paused() const noexcept = 0;

  // Makes a blocked or future write() return at once (for a jump); see discard_queued().
  virtual void interrupt() noexcept = 0;
  virtual void clear_interrupt() noexcept = 0;
  // Feeding thread only: drops all queued audio that was not played yet.
  virtual void discard_queued() = 0;

  // Stops the sound at once (Ctrl-C, quit). write() and finish() then throw Error(kCancelled).
  virtual void abort() noexcept = 0;

  // Positions in frames of the *input* format, counted from the start of the stream: frames
  // queued so far, and frames played or discarded so far (the device's position in that count).
  virtual std::uint64_t queued_position() const noexcept = 0;
  virtual std::uint64_t played_position() const noexcept = 0;
  // Frames of silence played because the queue ran dry while audio was still coming.
  virtual std::uint64_t underrun_frames() const noexcept = 0;

  virtual const OutputDevice& device() const noexcept = 0;
  virtual int device_rate_hz() const noexcept = 0;
};

class SoundSystem {
 public:
  // Initializes PortAudio. Throws Error(kDevice) with PortAudio's text when it cannot.
  SoundSystem();
  SoundSystem(const SoundSystem&) = delete;
  SoundSystem& operator=(const SoundSystem&) = delete;
  ~SoundSystem();

  // Every device that can play (output channels > 0), in PortAudio's order.
  std::vector<OutputDevice> output_devices() const;

  // Opens a stream for `format` on the device `options` names. Throws Error(kDevice) when there is
  // no output device, when the named one does not exist or cannot play (listing the devices), and
  // when the device cannot be opened (busy, gone); every message suggests `-o FILE`.
  std::unique_ptr<PlaybackStream> open(StreamFormat format, const PlaybackOptions& options) const;
};

}  // namespace narrator
