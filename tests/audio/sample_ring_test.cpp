// The ring between the feeding thread and the device callback: order, capacity, discard, and a
// two-thread run that must deliver every sample once, in order.
#include "sample_ring.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <thread>
#include <vector>

namespace narrator::detail {
namespace {

std::vector<std::int16_t> ramp(std::size_t count, std::int16_t first = 0) {
  std::vector<std::int16_t> samples(count);
  std::iota(samples.begin(), samples.end(), first);
  return samples;
}

TEST(SampleRing, PushStopsAtCapacityAndPopKeepsOrder) {
  SampleRing ring(8);
  const std::vector<std::int16_t> input = ramp(12);
  EXPECT_EQ(ring.push(input), 8u);
  std::vector<std::int16_t> out(5);
  EXPECT_EQ(ring.pop(out), 5u);
  EXPECT_EQ(out, ramp(5));
  EXPECT_EQ(ring.push(std::span(input).subspan(8)), 4u);  // wraps around the end
  std::vector<std::int16_t> rest(10);
  EXPECT_EQ(ring.pop(rest), 7u);
  rest.resize(7);
  EXPECT_EQ(rest, ramp(7, 5));
  EXPECT_EQ(ring.written(), 12u);
  EXPECT_EQ(ring.consumed(), 12u);
}

TEST(SampleRing, DiscardSkipsEverythingQueuedSoFar) {
  SampleRing ring(16);
  ring.push(ramp(10));
  std::vector<std::int16_t> out(3);
  ring.pop(out);
  ring.discard();
  const std::vector<std::int16_t> after = ramp(4, 100);
  ring.push(after);
  std::vector<std::int16_t> rest(16);
  ASSERT_EQ(ring.pop(rest), 4u);
  rest.resize(4);
  EXPECT_EQ(rest, after);
  EXPECT_EQ(ring.consumed(), 14u);  // the skipped samples count as consumed
}

TEST(SampleRing, TwoThreadsDeliverEverySampleOnceInOrder) {
  constexpr std::size_t kTotal = 200000;
  SampleRing ring(64);
  std::thread producer([&] {
    const std::vector<std::int16_t> all = ramp(kTotal);
    std::span<const std::int16_t> left(all);
    while (!left.empty())
      left = left.subspan(ring.push(left.first(std::min<std::size_t>(left.size(), 37))));
  });
  std::vector<std::int16_t> got;
  got.reserve(kTotal);
  std::vector<std::int16_t> buffer(29);
  while (got.size() < kTotal) {
    const std::size_t n = ring.pop(buffer);
    got.insert(got.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  producer.join();
  EXPECT_EQ(got, ramp(kTotal));
}

}  // namespace
}  // namespace narrator::detail
