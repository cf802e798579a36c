// How a device is opened: at the voice's own rate when the device takes it, else at the device's
// default rate (the audio is then resampled), or at the rate the user asked for; mono is widened to
// stereo only for a device that will not take mono.
#include "device_setup.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace narrator::detail {
namespace {

constexpr StreamFormat kVoice{22050, 1};

// A device that takes exactly these (channels, rate) pairs.
std::function<bool(int, int)> takes(std::set<std::pair<int, int>> setups) {
  return [setups](int channels, int rate_hz) { return setups.count({channels, rate_hz}) > 0; };
}

TEST(DeviceSetup, VoiceRateWhenTheDeviceTakesIt) {
  const auto setup = choose_device_setup(kVoice, 2, 48000, 0, takes({{1, 22050}, {1, 48000}}));
  ASSERT_TRUE(setup);
  EXPECT_EQ(setup->rate_hz, 22050);
  EXPECT_EQ(setup->channels, 1);
}

TEST(DeviceSetup, DeviceDefaultRateWhenTheVoiceRateIsRefused) {
  const auto setup = choose_device_setup(kVoice, 2, 48000, 0, takes({{1, 48000}, {2, 48000}}));
  ASSERT_TRUE(setup);
  EXPECT_EQ(setup->rate_hz, 48000);
  EXPECT_EQ(setup->channels, 1);
}

TEST(DeviceSetup, StereoOnlyDevice) {
  const auto setup = choose_device_setup(kVoice, 2, 44100, 0, takes({{2, 44100}}));
  ASSERT_TRUE(setup);
  EXPECT_EQ(setup->rate_hz, 44100);
  EXPECT_EQ(setup->channels, 2);
}

TEST(DeviceSetup, WantedRateIsTheOnlyOneTried) {
  const auto both = takes({{1, 22050}, {1, 32000}});
  const auto setup = choose_device_setup(kVoice, 2, 48000, 32000, both);
  ASSERT_TRUE(setup);
  EXPECT_EQ(setup->rate_hz, 32000);
  EXPECT_FALSE(choose_device_setup(kVoice, 2, 48000, 44100, both));
}

TEST(DeviceSetup, NothingFits) {
  EXPECT_FALSE(choose_device_setup(kVoice, 2, 48000, 0, takes({{2, 96000}})));
  EXPECT_FALSE(choose_device_setup(kVoice, 1, 48000, 0, takes({{2, 48000}})))
      << "a mono device cannot be opened in stereo";
}

}  // namespace
}  // namespace narrator::detail
