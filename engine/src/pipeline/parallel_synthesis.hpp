// parallel_synthesis.hpp: a pipeline's sentences synthesized on several threads at once and handed
// out in sentence order.
//
// Each worker takes the next sentence through the text stages, then synthesizes it. The text
// stages run on one worker at a time (they share the pipeline's normalizer, whose ICU formatters
// are not made for concurrent use), and the next sentence is taken only once it fits in the
// reorder window; synthesis runs on every worker at once. So the chunks held at any moment, made
// or in progress, are at most the window's capacity, whatever the article's length.
#pragma once

#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "narrator/audio/audio_chunk.hpp"
#include "narrator/engine.hpp"
#include "pipeline.hpp"
#include "reorder_window.hpp"

namespace narrator {

class ParallelSynthesis {
 public:
  // Starts `threads` workers (at least one) over `pipeline`, which must outlive this object and be
  // used by nobody else meanwhile. `window` is how many chunks may be held, counting those being
  // synthesized (at least `threads`). `stop` stops everything: the owner requests it to cancel,
  // and a worker requests it when it fails. The pipeline must have been made with a CancelToken
  // over `stop`'s token, so that the stages see it too. `gate` (may be null, else outlives this
  // object) is asked before each sentence's synthesis.
  ParallelSynthesis(Pipeline& pipeline, std::size_t threads, std::size_t window,
                    std::stop_source stop, SynthesisGate* gate = nullptr);
  ParallelSynthesis(const ParallelSynthesis&) = delete;
  ParallelSynthesis& operator=(const ParallelSynthesis&) = delete;
  // Stops the workers and joins them.
  ~ParallelSynthesis();

  // The next sentence's chunk, in sentence order, or nullopt after the last one. Rethrows the
  // first error a worker met (and so every later call); throws Error(kCancelled) once stopped.
  // Called from one thread.
  std::optional<AudioChunk> next();

  // Joins the workers; nothing touches the pipeline afterwards. Stops them first unless every
  // chunk was handed out.
  void join();

 private:
  struct CloseWindow {
    detail::ReorderWindow<AudioChunk>* window;
    void operator()() const noexcept { window->close(); }
  };

  void work() noexcept;
  void fail(std::exception_ptr error) noexcept;
  std::optional<AudioChunk> synthesize(std::size_t index, const SpokenSentence& spoken);

  Pipeline& pipeline_;
  std::stop_source stop_;
  SynthesisGate* gate_;
  detail::ReorderWindow<AudioChunk> window_;
  std::stop_callback<CloseWindow> close_on_stop_;
  std::mutex text_mutex_;  // one worker in the text stages at a time
  std::size_t taken_ = 0;  // sentences taken through the text stages; guarded by text_mutex_
  std::mutex error_mutex_;
  std::exception_ptr error_;          // the first error; guarded by error_mutex_
  std::vector<std::thread> workers_;  // last: started once everything above exists
};

}  // namespace narrator
