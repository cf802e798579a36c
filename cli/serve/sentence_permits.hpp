// sentence_permits.hpp: the server's sentence scheduler. A worker asks for a permit before it
// synthesizes each sentence and gives it back after; at most `permits` (-j) sentences are
// synthesized at once, however many workers hold requests. A request's first sentence goes
// ahead of every later sentence (a new request's first byte does not wait for the running ones to
// end), and among the rest the oldest request goes first (requests end in the order they came,
// as they would with one worker each).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace narrator::cli::serve {

// The permit frames on a worker's control socket (see worker_protocol.hpp): the worker sends
// {"permit":"acquire","first":bool} and {"permit":"release"}; the server answers an acquire with
// {"granted":true} when the permit is the worker's.
std::string permit_acquire_frame(bool first);
std::string permit_release_frame();
std::string permit_granted_frame();

class SentencePermits {
 public:
  explicit SentencePermits(int permits) : permits_(permits) {}
  SentencePermits(const SentencePermits&) = delete;
  SentencePermits& operator=(const SentencePermits&) = delete;

  // A job starts on worker `slot`, whose control socket `control_fd` receives the grants.
  void begin(std::size_t slot, int control_fd);
  // The worker on `slot` asks for a permit: granted at once when one is free and nobody of a
  // higher rank waits, else when one is released.
  void acquire(std::size_t slot, bool first);
  // The worker on `slot` gives its permit back.
  void release(std::size_t slot);
  // The job on `slot` has ended (its result came, or its worker died): a permit it held returns,
  // and its wait is dropped. Safe to call for a slot with no job.
  void end(std::size_t slot);

  int in_use() const;
  int waiting() const;

 private:
  struct Job {
    int control_fd = -1;
    std::uint64_t order = 0;  // when the job began: lower is older
    bool holds = false;
    bool waits = false;
    bool first = false;  // what it waits for is its first sentence
  };
  void grant_waiting();  // with mutex_ held

  const int permits_;
  mutable std::mutex mutex_;
  std::map<std::size_t, Job> jobs_;  // by slot
  int in_use_ = 0;
  std::uint64_t next_order_ = 0;
};

}  // namespace narrator::cli::serve
