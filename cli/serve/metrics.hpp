// metrics.hpp: what /metrics reports, in Prometheus's text exposition format (version 0.0.4).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace narrator::cli::serve {

// The gauges read at scrape time, from the worker pool.
struct PoolGauges {
  int workers = 0;
  int busy = 0;
  int queued = 0;
  std::uint64_t restarts = 0;
  int permits_in_use = 0;         // sentences being synthesized
  int permits_waiting = 0;        // workers waiting to synthesize their next sentence
  std::uint64_t job_crashes = 0;  // jobs whose process died (their worker lived on)
};

class Metrics {
 public:
  // One finished request: its route (a fixed name such as "/v1/speech", or "other"), status,
  // total time and time to its first byte.
  void record(const std::string& route, int status, std::chrono::microseconds total,
              std::chrono::microseconds first_byte);
  void add_audio(std::chrono::milliseconds audio);

  std::string text(const PoolGauges& pool) const;

 private:
  // Upper bounds of the latency buckets, in seconds; +Inf is implicit.
  static constexpr std::array<double, 12> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                   0.5,   1,    2.5,   5,    10,  30};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum_s = 0;
    void observe(double seconds);
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, Histogram> first_byte_;
  double audio_s_ = 0;
};

}  // namespace narrator::cli::serve
