// device_setup.hpp: which rate and channel count to open a sound device with.
#pragma once

#include <functional>
#include <optional>

#include "narrator/audio/audio_chunk.hpp"

namespace narrator::detail {

struct DeviceSetup {
  int rate_hz = 0;
  int channels = 0;
};

// Mono audio is duplicated into both channels when a device only plays stereo.
constexpr int kMaxDeviceChannels = 2;

// The setup for audio in `format` on a device with `max_channels` output channels and a default
// rate of `default_rate_hz`. `wanted_rate_hz` > 0 is the only rate tried; otherwise the audio's own
// rate comes first (no resampling), then the device's default. Fewer channels come first.
// `supports(channels, rate_hz)` asks the device. nullopt when nothing fits.
std::optional<DeviceSetup> choose_device_setup(StreamFormat format, int max_channels,
                                               int default_rate_hz, int wanted_rate_hz,
                                               const std::function<bool(int, int)>& supports);

}  // namespace narrator::detail
