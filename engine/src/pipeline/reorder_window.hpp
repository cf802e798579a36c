// reorder_window.hpp: results that several workers make out of order, handed out in order.
//
// Each result has an index (0, 1, 2…). A worker reserves its index before it starts, and may only
// start once the index is less than `capacity` ahead of the next one to hand out: results made
// ahead of a slow one wait in the window, never more than `capacity` of them, so memory stays flat
// however far the work goes.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace narrator::detail {

template <typename T>
class ReorderWindow {
 public:
  explicit ReorderWindow(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // Blocks until `index` fits in the window (fewer than `capacity` ahead of the next one to hand
  // out). Returns false once the window is closed.
  bool reserve(std::size_t index) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || index < next_ + capacity_; });
    return !closed_;
  }

  // Stores the result for a reserved `index`. Returns false (and drops `item`) once closed.
  bool put(std::size_t index, T item) {
    const std::lock_guard lock(mutex_);
    if (closed_ || index < next_) return false;
    const std::size_t slot = index - next_;
    if (slots_.size() <= slot) slots_.resize(slot + 1);
    slots_[slot] = std::move(item);
    changed_.notify_all();
    return true;
  }

  // There are `count` results in all: pop() returns nullopt once it handed out the last.
  void end_at(std::size_t count) {
    const std::lock_guard lock(mutex_);
    end_ = count;
    changed_.notify_all();
  }

  // The next result in index order, blocking until it is there. nullopt after the last one (see
  // finished()) or as soon as the window is closed.
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] {
      return closed_ || (end_ && next_ >= *end_) || (!slots_.empty() && slots_.front());
    });
    if (closed_ || slots_.empty() || !slots_.front()) return std::nullopt;
    std::optional<T> item = std::move(slots_.front());
    slots_.pop_front();
    ++next_;
    changed_.notify_all();
    return item;
  }

  // True once every result was handed out (end_at() was called and pop() reached it).
  bool finished() const {
    const std::lock_guard lock(mutex_);
    return end_ && next_ >= *end_;
  }

  // Stops everything: wakes every waiter, drops the results held, refuses new ones.
  void close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    slots_.clear();
    changed_.notify_all();
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::optional<T>> slots_;  // slots_[i] holds the result for index next_ + i
  std::size_t next_ = 0;                // the next index pop() hands out
  std::optional<std::size_t> end_;      // the number of results, once known
  bool closed_ = false;
};

}  // namespace narrator::detail
