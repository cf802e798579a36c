#include "reorder_window.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace narrator::detail {
namespace {

TEST(ReorderWindow, HandsOutInIndexOrderWhateverOrderResultsArrive) {
  ReorderWindow<int> window(4);
  for (const std::size_t index : {2, 0, 3, 1}) {
    ASSERT_TRUE(window.reserve(index));
    ASSERT_TRUE(window.put(index, static_cast<int>(index) * 10));
  }
  window.end_at(4);
  for (int expected = 0; expected < 4; ++expected) {
    EXPECT_EQ(window.pop(), std::optional<int>(expected * 10));
  }
  EXPECT_EQ(window.pop(), std::nullopt);
  EXPECT_TRUE(window.finished());
}

TEST(ReorderWindow, FourWorkersThroughASmallWindowDeliverEverythingInOrder) {
  constexpr std::size_t kCount = 2000;
  ReorderWindow<std::size_t> window(3);
  std::atomic<std::size_t> taken{0};
  std::atomic<std::size_t> furthest_ahead{0};
  std::atomic<std::size_t> handed_out{0};
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < 4; ++w) {
      workers.emplace_back([&] {
        for (std::size_t index = taken++; index < kCount; index = taken++) {
          if (!window.reserve(index)) return;
          // The window holds index only once fewer than 3 are ahead of the next handed out.
          const std::size_t ahead = index - std::min(index, handed_out.load());
          std::size_t seen = furthest_ahead.load();
          while (ahead > seen && !furthest_ahead.compare_exchange_weak(seen, ahead)) {
          }
          ASSERT_TRUE(window.put(index, index));
        }
        window.end_at(kCount);
      });
    }
    for (std::size_t expected = 0; expected < kCount; ++expected) {
      const std::optional<std::size_t> item = window.pop();
      ASSERT_EQ(item, std::optional<std::size_t>(expected));
      handed_out = expected + 1;
    }
    EXPECT_EQ(window.pop(), std::nullopt);
  }
  EXPECT_TRUE(window.finished());
  // The window holds 3; handed_out lags pop() by one at most.
  EXPECT_LE(furthest_ahead.load(), 3u);
}

TEST(ReorderWindow, CloseReleasesEveryWaiterAndDropsWhatIsHeld) {
  ReorderWindow<int> window(1);
  ASSERT_TRUE(window.reserve(0));
  ASSERT_TRUE(window.put(0, 7));
  std::atomic<bool> reserved{true};
  std::jthread worker([&] { reserved = window.reserve(1); });  // blocks: index 1 is outside
  window.close();
  worker.join();
  EXPECT_FALSE(reserved.load());
  EXPECT_EQ(window.pop(), std::nullopt);  // closed: nothing more is handed out
  EXPECT_FALSE(window.put(1, 8));
  EXPECT_FALSE(window.finished());
}

TEST(ReorderWindow, CloseReleasesAWaitingReader) {
  ReorderWindow<int> window(2);
  std::optional<int> popped = 1;
  std::jthread reader([&] { popped = window.pop(); });  // blocks: nothing is there
  window.close();
  reader.join();
  EXPECT_EQ(popped, std::nullopt);
}

}  // namespace
}  // namespace narrator::detail
