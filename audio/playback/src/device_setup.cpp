#include "device_setup.hpp"

#include <vector>

namespace narrator::detail {

std::optional<DeviceSetup> choose_device_setup(StreamFormat format, int max_channels,
                                               int default_rate_hz, int wanted_rate_hz,
                                               const std::function<bool(int, int)>& supports) {
  std::vector<int> rates{wanted_rate_hz};
  if (wanted_rate_hz <= 0) rates = {format.sample_rate_hz, default_rate_hz};
  for (const int rate_hz : rates) {
    if (rate_hz <= 0) continue;
    for (int channels = format.channels; channels <= kMaxDeviceChannels; ++channels) {
      if (channels <= max_channels && supports(channels, rate_hz)) {
        return DeviceSetup{rate_hz, channels};
      }
    }
  }
  return std::nullopt;
}

}  // namespace narrator::detail
