#include "metrics.hpp"

#include <cstdio>

namespace narrator::cli::serve {
namespace {

std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

}  // namespace

void Metrics::Histogram::observe(double seconds) {
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++counts[i];
      break;
    }
  }
  ++count;
  sum_s += seconds;
}

void Metrics::record(const std::string& route, int status, std::chrono::microseconds total,
                     std::chrono::microseconds first_byte) {
  const std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  latency_[route].observe(static_cast<double>(total.count()) / 1e6);
  first_byte_[route].observe(static_cast<double>(first_byte.count()) / 1e6);
}

void Metrics::add_audio(std::chrono::milliseconds audio) {
  const std::lock_guard lock(mutex_);
  audio_s_ += static_cast<double>(audio.count()) / 1000;
}

std::string Metrics::text(const PoolGauges& pool) const {
  const std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP narrate_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE narrate_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "narrate_http_requests_total{route=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  const auto histograms = [&out](const char* name, const char* help,
                                 const std::map<std::string, Histogram>& by_route) {
    out += std::string("# HELP ") + name + " " + help + "\n";
    out += std::string("# TYPE ") + name + " histogram\n";
    for (const auto& [route, histogram] : by_route) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += histogram.counts[i];
        out += std::string(name) + "_bucket{route=\"" + route + "\",le=\"" + number(kBuckets[i]) +
               "\"} " + std::to_string(cumulative) + "\n";
      }
      out += std::string(name) + "_bucket{route=\"" + route + "\",le=\"+Inf\"} " +
             std::to_string(histogram.count) + "\n";
      out += std::string(name) + "_sum{route=\"" + route + "\"} " + number(histogram.sum_s) + "\n";
      out += std::string(name) + "_count{route=\"" + route + "\"} " +
             std::to_string(histogram.count) + "\n";
    }
  };
  histograms("narrate_http_request_duration_seconds",
             "Time from a request's first byte to its response's last, by route.", latency_);
  histograms("narrate_http_time_to_first_byte_seconds",
             "Time from a request's first byte to its response's first, by route.", first_byte_);
  const auto gauge = [&out](const char* name, const char* type, const char* help,
                            const std::string& value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + value + "\n";
  };
  gauge("narrate_queue_depth", "gauge", "Requests waiting for a worker.",
        std::to_string(pool.queued));
  gauge("narrate_workers", "gauge", "Worker processes.", std::to_string(pool.workers));
  gauge("narrate_workers_busy", "gauge", "Worker processes running a request.",
        std::to_string(pool.busy));
  gauge("narrate_sentence_permits_in_use", "gauge", "Sentences being synthesized (at most -j).",
        std::to_string(pool.permits_in_use));
  gauge("narrate_sentence_permits_waiting", "gauge",
        "Workers waiting for a permit to synthesize their next sentence.",
        std::to_string(pool.permits_waiting));
  gauge("narrate_worker_restarts_total", "counter",
        "Workers that died or were stopped, and were started again.",
        std::to_string(pool.restarts));
  gauge("narrate_job_crashes_total", "counter",
        "Jobs whose own process died (each worker forks one per job); the worker lived on.",
        std::to_string(pool.job_crashes));
  gauge("narrate_audio_seconds_total", "counter", "Seconds of audio made.", number(audio_s_));
  return out;
}

}  // namespace narrator::cli::serve
