// sample_ring.hpp: a single-producer, single-consumer ring of samples between a feeding thread and
// a real-time audio callback. The consumer side never blocks, never allocates and takes no lock.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace narrator::detail {

// Positions are running sample counts since the ring was made (they never wrap in practice: 2^64
// samples), so "how far has the consumer got" is a plain comparison.
class SampleRing {
 public:
  explicit SampleRing(std::size_t capacity_samples) : buffer_(capacity_samples) {}
  SampleRing(const SampleRing&) = delete;
  SampleRing& operator=(const SampleRing&) = delete;

  std::size_t capacity() const noexcept { return buffer_.size(); }

  // Producer: appends as many leading samples of `samples` as fit and returns how many.
  std::size_t push(std::span<const std::int16_t> samples) noexcept {
    const std::uint64_t write = write_.load(std::memory_order_relaxed);
    const std::uint64_t read = read_.load(std::memory_order_acquire);
    const auto free = static_cast<std::size_t>(buffer_.size() - (write - read));
    const std::size_t count = std::min(free, samples.size());
    for (std::size_t i = 0; i < count; ++i) buffer_[(write + i) % buffer_.size()] = samples[i];
    write_.store(write + count, std::memory_order_release);
    return count;
  }

  // Consumer: copies up to out.size() queued samples into `out` and returns how many. Skips
  // whatever discard() dropped first.
  std::size_t pop(std::span<std::int16_t> out) noexcept {
    std::uint64_t read = read_.load(std::memory_order_relaxed);
    read = std::max(read, discard_to_.load(std::memory_order_acquire));
    const std::uint64_t write = write_.load(std::memory_order_acquire);
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), write - read));
    for (std::size_t i = 0; i < count; ++i) out[i] = buffer_[(read + i) % buffer_.size()];
    read_.store(read + count, std::memory_order_release);
    return count;
  }

  // Producer: everything pushed so far is dropped; the consumer skips it on its next pop().
  void discard() noexcept {
    discard_to_.store(write_.load(std::memory_order_relaxed), std::memory_order_release);
  }

  std::uint64_t written() const noexcept { return write_.load(std::memory_order_acquire); }
  // Samples the consumer has taken or skipped.
  std::uint64_t consumed() const noexcept { return read_.load(std::memory_order_acquire); }

 private:
  std::vector<std::int16_t> buffer_;
  std::atomic<std::uint64_t> write_{0};       // written by the producer only
  std::atomic<std::uint64_t> read_{0};        // written by the consumer only
  std::atomic<std::uint64_t> discard_to_{0};  // written by the producer only
};

}  // namespace narrator::detail
