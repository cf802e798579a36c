#include "parallel_synthesis.hpp"

#include <algorithm>
#include <utility>

#include "narrator/error.hpp"

namespace narrator {

ParallelSynthesis::ParallelSynthesis(Pipeline& pipeline, std::size_t threads, std::size_t window,
                                     std::stop_source stop, SynthesisGate* gate)
    : pipeline_(pipeline),
      stop_(std::move(stop)),
      gate_(gate),
      window_(std::max(window, threads)),
      close_on_stop_(stop_.get_token(), CloseWindow{&window_}) {
  threads = std::max<std::size_t>(threads, 1);
  workers_.reserve(threads);
  try {
    for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  } catch (...) {
    join();
    throw;
  }
}

ParallelSynthesis::~ParallelSynthesis() { join(); }

void ParallelSynthesis::join() {
  if (!window_.finished()) stop_.request_stop();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

std::optional<AudioChunk> ParallelSynthesis::next() {
  std::optional<AudioChunk> chunk = window_.pop();
  if (chunk || window_.finished()) return chunk;
  {
    const std::lock_guard lock(error_mutex_);
    if (error_) std::rethrow_exception(error_);
  }
  throw Error(ErrorCategory::kCancelled, "narration cancelled");
}

// One worker: the next sentence through the text stages (one worker at a time, in order), then
// its synthesis (all at once). Sentence k is taken only once it fits in the window, so a worker
// that runs ahead waits there, not with a finished chunk in hand.
void ParallelSynthesis::work() noexcept {
  try {
    while (true) {
      std::optional<SpokenSentence> spoken;
      std::size_t index = 0;
      {
        const std::lock_guard lock(text_mutex_);
        index = taken_;
        if (!window_.reserve(index)) return;
        spoken = pipeline_.next_text();
        if (!spoken) {
          window_.end_at(index);
          return;
        }
        ++taken_;
      }
      std::optional<AudioChunk> chunk = synthesize(index, *spoken);
      if (!chunk || !window_.put(index, std::move(*chunk))) return;
    }
  } catch (...) {
    fail(std::current_exception());
  }
}

// One sentence's synthesis, within the gate's permit when there is a gate. Nullopt when the
// narration was cancelled while waiting for the permit.
std::optional<AudioChunk> ParallelSynthesis::synthesize(std::size_t index,
                                                        const SpokenSentence& spoken) {
  if (gate_ == nullptr) return pipeline_.synthesize(spoken);
  if (!gate_->acquire(index, CancelToken(stop_.get_token()))) {
    stop_.request_stop();
    return std::nullopt;
  }
  try {
    AudioChunk chunk = pipeline_.synthesize(spoken);
    gate_->release(index);
    return chunk;
  } catch (...) {
    gate_->release(index);
    throw;
  }
}

// The first error wins: it is kept, and everything stops (later workers fail with kCancelled or
// see the window closed, and their errors are dropped).
void ParallelSynthesis::fail(std::exception_ptr error) noexcept {
  {
    const std::lock_guard lock(error_mutex_);
    if (!error_) error_ = std::move(error);
  }
  stop_.request_stop();
}

}  // namespace narrator
