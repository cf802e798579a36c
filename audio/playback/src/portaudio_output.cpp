// portaudio_output.cpp: SoundSystem and PlaybackStream over PortAudio.
//
// Threads: the feeding thread writes into a SampleRing; PortAudio's callback thread reads it. The
// callback touches only atomics and the ring, so it never allocates or blocks. The feeding thread
// waits for room by polling in short steps rather than on a condition variable, because waking it
// would need the callback to take a lock.
#include <alsa/asoundlib.h>
#include <jack/jack.h>
#include <portaudio.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "device_setup.hpp"
#include "narrator/audio/playback.hpp"
#include "narrator/audio/resampler.hpp"
#include "narrator/error.hpp"
#include "sample_ring.hpp"

namespace narrator {
namespace {

using detail::DeviceSetup;

constexpr std::chrono::milliseconds kPollStep{5};

// ALSA and JACK report every probe of an absent card or server on stderr. Those reports are not
// errors of ours: the ones that matter come back through PortAudio's return codes, with the host's
// text (Pa_GetLastHostErrorInfo).
void quiet_alsa(const char*, int, const char*, int, const char*, ...) {}
void quiet_jack(const char*) {}

std::string pa_text(PaError code) {
  std::string text = Pa_GetErrorText(code);
  if (code == paUnanticipatedHostError) {
    const PaHostErrorInfo* host = Pa_GetLastHostErrorInfo();
    if (host != nullptr && host->errorText != nullptr && host->errorText[0] != '\0') {
      text += std::string(" (") + host->errorText + ")";
    }
  }
  return text;
}

[[noreturn]] void device_error(const std::string& message) {
  throw Error(ErrorCategory::kDevice, message);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<int> parse_index(const std::string& text) {
  if (text.empty() || text.size() > 6 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::stoi(text);
}

std::string device_list(const std::vector<OutputDevice>& devices) {
  std::string list;
  for (const OutputDevice& device : devices) {
    list += (list.empty() ? "" : ", ") + std::to_string(device.index) + " '" + device.name + "'";
  }
  return list.empty() ? "none" : list;
}

// The device `wanted` names among `devices`: index, exact name, case-insensitive name, or the one
// device whose name contains it.
const OutputDevice& pick_device(const std::vector<OutputDevice>& devices,
                                const std::string& wanted) {
  if (devices.empty()) device_error("no sound output device was found");
  if (wanted.empty()) {
    const auto found = std::find_if(devices.begin(), devices.end(),
                                    [](const OutputDevice& d) { return d.is_default; });
    return found != devices.end() ? *found : devices.front();
  }
  const auto pick = [&](auto&& matches) -> const OutputDevice* {
    const OutputDevice* match = nullptr;
    for (const OutputDevice& device : devices) {
      if (!matches(device)) continue;
      if (match != nullptr) {
        device_error("output device '" + wanted + "' is ambiguous: it matches '" + match->name +
                     "' and '" + device.name + "'; give its index (" + device_list(devices) + ")");
      }
      match = &device;
    }
    return match;
  };
  const std::optional<int> index = parse_index(wanted);
  const std::string folded = lower(wanted);
  for (const OutputDevice* found :
       {index ? pick([&](const OutputDevice& d) { return d.index == *index; }) : nullptr,
        pick([&](const OutputDevice& d) { return d.name == wanted; }),
        pick([&](const OutputDevice& d) { return lower(d.name) == folded; }),
        pick([&](const OutputDevice& d) {
          return lower(d.name).find(folded) != std::string::npos;
        })}) {
    if (found != nullptr) return *found;
  }
  device_error("no output device '" + wanted + "'; the devices are: " + device_list(devices));
}

PaStreamParameters stream_parameters(int device, int channels) {
  PaStreamParameters parameters{};
  parameters.device = device;
  parameters.channelCount = channels;
  parameters.sampleFormat = paInt16;
  // The high-latency setting: a narration gains nothing from a few ms less, and wakes less often.
  parameters.suggestedLatency = Pa_GetDeviceInfo(device)->defaultHighOutputLatency;
  return parameters;
}

bool supports(int device, int channels, int rate_hz) {
  const PaStreamParameters parameters = stream_parameters(device, channels);
  return Pa_IsFormatSupported(nullptr, &parameters, rate_hz) == paFormatIsSupported;
}

// The rate and channel count to open `device` with for audio in `format`.
DeviceSetup choose_setup(const OutputDevice& device, StreamFormat format, int wanted_rate_hz) {
  const std::optional<DeviceSetup> setup = detail::choose_device_setup(
      format, device.output_channels, static_cast<int>(device.default_sample_rate_hz),
      wanted_rate_hz,
      [&](int channels, int rate_hz) { return supports(device.index, channels, rate_hz); });
  if (!setup) {
    const int rate_hz = wanted_rate_hz > 0 ? wanted_rate_hz : format.sample_rate_hz;
    device_error("output device '" + device.name + "' cannot play " + std::to_string(rate_hz) +
                 " Hz audio in " + std::to_string(format.channels) + " or " +
                 std::to_string(detail::kMaxDeviceChannels) + " channels");
  }
  return *setup;
}

// What the callback shares with the feeding thread. Lives at a fixed address for the stream.
struct CallbackState {
  explicit CallbackState(std::size_t capacity_samples, int channels)
      : ring(capacity_samples), device_channels(channels) {}
  detail::SampleRing ring;
  int device_channels;
  std::atomic<bool> paused{false};
  // No audio is due (the end, or a jump being synthesized): an empty ring is not an underrun.
  std::atomic<bool> draining{false};
  std::atomic<std::uint64_t> underrun_samples{0};
};

int play_callback(const void* /*input*/, void* output, unsigned long frame_count,
                  const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags /*flags*/,
                  void* user_data) {
  auto& state = *static_cast<CallbackState*>(user_data);
  const std::span<std::int16_t> out(static_cast<std::int16_t*>(output),
                                    frame_count * static_cast<std::size_t>(state.device_channels));
  std::size_t got = 0;
  if (!state.paused.load(std::memory_order_acquire)) got = state.ring.pop(out);
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(got), out.end(), std::int16_t{0});
  if (got < out.size() && !state.paused.load(std::memory_order_relaxed) &&
      !state.draining.load(std::memory_order_relaxed)) {
    state.underrun_samples.fetch_add(out.size() - got, std::memory_order_relaxed);
  }
  return paContinue;
}

struct StreamCloser {
  void operator()(PaStream* stream) const noexcept { Pa_CloseStream(stream); }
};
using StreamPtr = std::unique_ptr<PaStream, StreamCloser>;

class PortAudioStream final : public PlaybackStream {
 public:
  PortAudioStream(StreamFormat format, const OutputDevice& device, DeviceSetup setup,
                  const PlaybackOptions& options);
  ~PortAudioStream() override { abort(); }

  StreamFormat format() const noexcept override { return format_; }
  void write(std::span<const std::int16_t> samples) override;
  void finish() override;
  void set_paused(bool paused) noexcept override {
    state_->paused.store(paused, std::memory_order_release);
  }
  bool paused() const noexcept override { return state_->paused.load(std::memory_order_acquire); }
  void interrupt() noexcept override { interrupted_.store(true, std::memory_order_release); }
  void clear_interrupt() noexcept override { interrupted_.store(false, std::memory_order_release); }
  void discard_queued() override;
  void abort() noexcept override;
  std::uint64_t queued_position() const noexcept override { return to_input(queued_); }
  std::uint64_t played_position() const noexcept override {
    return to_input(state_->ring.consumed() / static_cast<std::uint64_t>(setup_.channels));
  }
  std::uint64_t underrun_frames() const noexcept override {
    return to_input(state_->underrun_samples.load(std::memory_order_relaxed) /
                    static_cast<std::uint64_t>(setup_.channels));
  }
  const OutputDevice& device() const noexcept override { return device_; }
  int device_rate_hz() const noexcept override { return setup_.rate_hz; }

 private:
  std::uint64_t to_input(std::uint64_t device_frames) const noexcept {
    return device_frames * static_cast<std::uint64_t>(format_.sample_rate_hz) /
           static_cast<std::uint64_t>(setup_.rate_hz);
  }
  std::vector<std::int16_t> to_device(std::span<const std::int16_t> samples);
  std::vector<std::int16_t> widen(std::vector<std::int16_t> samples) const;
  void push_all(std::span<const std::int16_t> samples);
  void start();
  void wait_step(std::uint64_t& last_consumed,
                 std::chrono::steady_clock::time_point& last_progress) const;
  void check_running() const;
  [[noreturn]] void fail(const std::string& what) const;

  StreamFormat format_;
  OutputDevice device_;
  DeviceSetup setup_;
  std::chrono::milliseconds stall_timeout_;
  std::optional<Resampler> resampler_;
  std::unique_ptr<CallbackState> state_;
  StreamPtr stream_;
  std::uint64_t queued_ = 0;  // device frames queued by write()
  // Serializes PortAudio calls on the stream between the feeding thread and abort(); never taken
  // by the callback.
  mutable std::mutex control_;
  bool started_ = false;  // guarded by control_
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> aborted_{false};
};

PortAudioStream::PortAudioStream(StreamFormat format, const OutputDevice& device, DeviceSetup setup,
                                 const PlaybackOptions& options)
    : format_(format), device_(device), setup_(setup), stall_timeout_(options.stall_timeout) {
  if (setup.rate_hz != format.sample_rate_hz) {
    resampler_.emplace(format.sample_rate_hz, setup.rate_hz, format.channels);
  }
  const std::size_t capacity_frames =
      std::max<std::size_t>(1, static_cast<std::size_t>(options.queue.count()) *
                                   static_cast<std::size_t>(setup.rate_hz) / 1000);
  state_ = std::make_unique<CallbackState>(
      capacity_frames * static_cast<std::size_t>(setup.channels), setup.channels);
  const PaStreamParameters parameters = stream_parameters(device.index, setup.channels);
  PaStream* stream = nullptr;
  const PaError opened =
      Pa_OpenStream(&stream, nullptr, &parameters, setup.rate_hz, paFramesPerBufferUnspecified,
                    paPrimeOutputBuffersUsingStreamCallback, play_callback, state_.get());
  if (opened != paNoError) {
    device_error("cannot open output device '" + device.name + "': " + pa_text(opened));
  }
  stream_.reset(stream);
}

std::vector<std::int16_t> PortAudioStream::to_device(std::span<const std::int16_t> samples) {
  return widen(resampler_ ? resampler_->process(samples)
                          : std::vector<std::int16_t>(samples.begin(), samples.end()));
}

std::vector<std::int16_t> PortAudioStream::widen(std::vector<std::int16_t> samples) const {
  if (setup_.channels == format_.channels) return samples;
  // Mono to stereo: each sample goes to both channels.
  std::vector<std::int16_t> stereo(samples.size() * 2);
  for (std::size_t i = 0; i < samples.size(); ++i) stereo[2 * i] = stereo[2 * i + 1] = samples[i];
  return stereo;
}

void PortAudioStream::write(std::span<const std::int16_t> samples) {
  if (aborted_.load(std::memory_order_acquire)) {
    throw Error(ErrorCategory::kCancelled, "playback stopped");
  }
  if (interrupted_.load(std::memory_order_acquire)) return;
  push_all(to_device(samples));
}

void PortAudioStream::push_all(std::span<const std::int16_t> samples) {
  std::uint64_t last_consumed = state_->ring.consumed();
  auto last_progress = std::chrono::steady_clock::now();
  while (!samples.empty()) {
    const std::size_t pushed = state_->ring.push(samples);
    // Audio flows again (after a jump, or a jump back from the end): a dry ring is an underrun.
    if (pushed > 0) state_->draining.store(false, std::memory_order_release);
    samples = samples.subspan(pushed);
    queued_ += pushed / static_cast<std::size_t>(setup_.channels);
    if (!started_ && pushed > 0) start();
    if (samples.empty() || interrupted_.load(std::memory_order_acquire)) return;
    wait_step(last_consumed, last_progress);
  }
}

void PortAudioStream::start() {
  const std::lock_guard lock(control_);
  const PaError started = Pa_StartStream(stream_.get());
  if (started != paNoError) fail("cannot start: " + pa_text(started));
  started_ = true;
}

// Sleeps one polling step; throws when the stream was aborted or the device stopped taking audio.
void PortAudioStream::wait_step(std::uint64_t& last_consumed,
                                std::chrono::steady_clock::time_point& last_progress) const {
  std::this_thread::sleep_for(kPollStep);
  if (aborted_.load(std::memory_order_acquire)) {
    throw Error(ErrorCategory::kCancelled, "playback stopped");
  }
  const auto now = std::chrono::steady_clock::now();
  const std::uint64_t consumed = state_->ring.consumed();
  if (consumed != last_consumed || paused()) {
    last_consumed = consumed;
    last_progress = now;
    return;
  }
  check_running();
  if (now - last_progress > stall_timeout_) {
    fail("the device stopped taking audio (was it unplugged, or taken by another program?)");
  }
}

void PortAudioStream::check_running() const {
  const std::lock_guard lock(control_);
  if (!started_ || aborted_.load(std::memory_order_acquire)) return;
  const PaError active = Pa_IsStreamActive(stream_.get());
  if (active < 0) fail(pa_text(active));
  if (active == 0) fail("the device stopped playing");
}

void PortAudioStream::discard_queued() {
  state_->draining.store(true, std::memory_order_release);  // silence until the jump's audio
  state_->ring.discard();
  if (resampler_) resampler_->reset();
}

void PortAudioStream::finish() {
  if (aborted_.load(std::memory_order_acquire)) {
    throw Error(ErrorCategory::kCancelled, "playback stopped");
  }
  if (resampler_) push_all(widen(resampler_->flush()));
  state_->draining.store(true, std::memory_order_release);
  if (!started_) return;
  std::uint64_t last_consumed = state_->ring.consumed();
  auto last_progress = std::chrono::steady_clock::now();
  while (state_->ring.consumed() < state_->ring.written()) {
    if (interrupted_.load(std::memory_order_acquire)) return;  // a jump: more audio will come
    wait_step(last_consumed, last_progress);
  }
  // Pa_StopStream returns once the device has played what it holds.
  const std::lock_guard lock(control_);
  if (aborted_.load(std::memory_order_acquire)) {
    throw Error(ErrorCategory::kCancelled, "playback stopped");
  }
  const PaError stopped = Pa_StopStream(stream_.get());
  if (stopped != paNoError) fail("cannot finish playing: " + pa_text(stopped));
}

void PortAudioStream::abort() noexcept {
  if (aborted_.exchange(true)) return;
  const std::lock_guard lock(control_);
  if (started_ && Pa_IsStreamStopped(stream_.get()) == 0) Pa_AbortStream(stream_.get());
}

void PortAudioStream::fail(const std::string& what) const {
  device_error("playback on '" + device_.name + "' failed: " + what);
}

}  // namespace

SoundSystem::SoundSystem() {
  snd_lib_error_set_handler(quiet_alsa);
  jack_set_error_function(quiet_jack);
  jack_set_info_function(quiet_jack);
  const PaError initialized = Pa_Initialize();
  if (initialized != paNoError) {
    device_error("cannot start the sound system (PortAudio): " + pa_text(initialized));
  }
}

SoundSystem::~SoundSystem() { Pa_Terminate(); }

std::vector<OutputDevice> SoundSystem::output_devices() const {
  const PaDeviceIndex count = Pa_GetDeviceCount();
  if (count < 0) device_error("cannot list sound devices: " + pa_text(count));
  const PaDeviceIndex default_output = Pa_GetDefaultOutputDevice();
  std::vector<OutputDevice> devices;
  for (PaDeviceIndex index = 0; index < count; ++index) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(index);
    if (info == nullptr || info->maxOutputChannels <= 0) continue;
    const PaHostApiInfo* host = Pa_GetHostApiInfo(info->hostApi);
    devices.push_back(OutputDevice{index, info->name ? info->name : "",
                                   host && host->name ? host->name : "", info->maxOutputChannels,
                                   info->defaultSampleRate, index == default_output});
  }
  return devices;
}

std::unique_ptr<PlaybackStream> SoundSystem::open(StreamFormat format,
                                                  const PlaybackOptions& options) const {
  const std::vector<OutputDevice> devices = output_devices();
  const OutputDevice& device = pick_device(devices, options.device);
  const DeviceSetup setup = choose_setup(device, format, options.device_rate_hz);
  return std::make_unique<PortAudioStream>(format, device, setup, options);
}

}  // namespace narrator
