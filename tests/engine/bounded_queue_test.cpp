#include "bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace narrator::detail {
namespace {

TEST(BoundedQueue, DeliversEverythingInOrderThroughASmallCapacity) {
  BoundedQueue<int> queue(2);
  std::jthread producer([&] {
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(queue.push(i));
    queue.close();
  });
  int expected = 0;
  while (const std::optional<int> item = queue.pop()) EXPECT_EQ(*item, expected++);
  EXPECT_EQ(expected, 1000);
}

TEST(BoundedQueue, CloseReleasesABlockedProducer) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.push(1));
  std::atomic<bool> pushed{true};
  std::jthread producer([&] { pushed = queue.push(2); });  // blocks: the queue is full
  queue.close();
  producer.join();
  EXPECT_FALSE(pushed.load());
  EXPECT_EQ(queue.pop(), std::optional<int>(1));  // what was queued can still be drained
  EXPECT_EQ(queue.pop(), std::nullopt);
}

}  // namespace
}  // namespace narrator::detail
