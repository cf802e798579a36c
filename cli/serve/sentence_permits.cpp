#include "sentence_permits.hpp"

#include <nlohmann/json.hpp>

#include "narrator/error.hpp"
#include "worker_protocol.hpp"

namespace narrator::cli::serve {

std::string permit_acquire_frame(bool first) {
  return nlohmann::json{{"permit", "acquire"}, {"first", first}}.dump();
}
std::string permit_release_frame() { return nlohmann::json{{"permit", "release"}}.dump(); }
std::string permit_granted_frame() { return nlohmann::json{{"granted", true}}.dump(); }

void SentencePermits::begin(std::size_t slot, int control_fd) {
  const std::lock_guard lock(mutex_);
  jobs_[slot] = Job{control_fd, next_order_++, false, false, false};
}

void SentencePermits::acquire(std::size_t slot, bool first) {
  const std::lock_guard lock(mutex_);
  const auto job = jobs_.find(slot);
  if (job == jobs_.end() || job->second.holds) return;  // a worker holds one permit at most
  job->second.waits = true;
  job->second.first = first;
  grant_waiting();
}

void SentencePermits::release(std::size_t slot) {
  const std::lock_guard lock(mutex_);
  const auto job = jobs_.find(slot);
  if (job == jobs_.end() || !job->second.holds) return;
  job->second.holds = false;
  --in_use_;
  grant_waiting();
}

void SentencePermits::end(std::size_t slot) {
  const std::lock_guard lock(mutex_);
  const auto job = jobs_.find(slot);
  if (job == jobs_.end()) return;
  if (job->second.holds) --in_use_;
  jobs_.erase(job);
  grant_waiting();
}

void SentencePermits::grant_waiting() {
  while (in_use_ < permits_) {
    Job* best = nullptr;
    for (auto& [slot, job] : jobs_) {
      if (!job.waits) continue;
      if (best == nullptr || (job.first && !best->first) ||
          (job.first == best->first && job.order < best->order)) {
        best = &job;
      }
    }
    if (best == nullptr) return;
    best->waits = false;
    try {
      // A grant is a few bytes on a socket whose worker is waiting to read it: it never blocks.
      send_frame(best->control_fd, permit_granted_frame());
    } catch (const Error&) {
      continue;  // the worker has died: its request's thread sees that and ends the job
    }
    best->holds = true;
    ++in_use_;
  }
}

int SentencePermits::in_use() const {
  const std::lock_guard lock(mutex_);
  return in_use_;
}

int SentencePermits::waiting() const {
  const std::lock_guard lock(mutex_);
  int count = 0;
  for (const auto& [slot, job] : jobs_) count += job.waits ? 1 : 0;
  return count;
}

}  // namespace narrator::cli::serve
