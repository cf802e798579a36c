// Engine::narrate_to() with several synthesis threads: the bytes and marks of one thread, chunks
// in sentence order, a bounded number of sentences ahead of the writer, and every worker stopped
// by the first error, a cancellation or a failing sink. With Flite's real voice, and with a
// backend the test drives.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "flite_backend.hpp"
#include "narrator/audio/memory_sink.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "synthesis_backend.hpp"

namespace narrator {
namespace {

// Only a guard against a hang: every wait below ends on an event long before.
constexpr std::chrono::seconds kHangGuard{60};

Article text_article(std::string text) {
  NullDiagnostics diagnostics;
  return read_article(std::move(text), "test", {}, diagnostics);
}

// Each chunk as the writer got it: the sentence, its samples and its marks.
struct Written {
  std::size_t sentence_index = 0;
  std::vector<std::int16_t> samples;
  std::vector<TimingMark> marks;
};

class Recorder final : public ProgressObserver {
 public:
  std::function<void(std::size_t)> on_sentence;  // called with each chunk's sentence index
  std::vector<Written> written;

  void on_chunk(const AudioChunk& chunk, std::size_t) override {
    written.push_back(Written{chunk.sentence_index, chunk.samples, chunk.marks});
    if (on_sentence) on_sentence(chunk.sentence_index);
  }
  void on_progress(const Progress&) override {}
};

std::string shown(const std::vector<TimingMark>& marks) {
  std::string text;
  for (const TimingMark& mark : marks) {
    text += std::to_string(static_cast<int>(mark.kind)) + "@" + std::to_string(mark.frame) + ":" +
            std::to_string(mark.span.begin_byte) + "-" + std::to_string(mark.span.end_byte) + " ";
  }
  return text;
}

// ---- Flite's rms voice ---------------------------------------------------------------------

const std::string kNews =
    "Minsk's city council met on Tuesday. It approved the budget for next year. "
    "Spending on schools rises by four percent. Roads get less than last year. "
    "The vote was twenty-one to six. Two members were absent.";

Written narrate_flite(std::size_t threads, const Article& article, std::vector<Written>* chunks) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.name = "rms";
  config.synthesis_threads = threads;
  const Engine engine(config, diagnostics);
  MemorySink sink(engine.format());
  Recorder recorder;
  engine.narrate_to(article, sink, {}, &recorder);
  EXPECT_TRUE(sink.finished());
  Written all;
  for (const Written& chunk : recorder.written) {
    all.marks.insert(all.marks.end(), chunk.marks.begin(), chunk.marks.end());
  }
  all.samples = sink.samples();
  if (chunks != nullptr) *chunks = std::move(recorder.written);
  return all;
}

TEST(ParallelSynthesis, FliteOnTwoThreadsGivesTheBytesAndMarksOfOneThread) {
  if (FliteBackend().max_parallel() < 2) {
    GTEST_SKIP() << "one core: Flite synthesizes one sentence at a time here";
  }
  const Article article = text_article(kNews);
  std::vector<Written> serial_chunks;
  const Written serial = narrate_flite(1, article, &serial_chunks);
  ASSERT_EQ(serial_chunks.size(), 6u);
  std::vector<Written> parallel_chunks;
  const Written parallel = narrate_flite(2, article, &parallel_chunks);
  EXPECT_EQ(parallel.samples, serial.samples);
  EXPECT_EQ(shown(parallel.marks), shown(serial.marks));
  ASSERT_EQ(parallel_chunks.size(), serial_chunks.size());
  for (std::size_t i = 0; i < parallel_chunks.size(); ++i) {
    EXPECT_EQ(parallel_chunks[i].sentence_index, i);
  }
  // The backend's own choice (one thread per core), and the pull API, which synthesizes on the
  // caller's thread, agree too.
  EXPECT_EQ(narrate_flite(0, article, nullptr).samples, serial.samples);
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.name = "rms";
  const Engine engine(config, diagnostics);
  Narration narration = engine.start(article);
  std::vector<std::int16_t> pulled;
  while (const std::optional<AudioChunk> chunk = narration.next()) {
    pulled.insert(pulled.end(), chunk->samples.begin(), chunk->samples.end());
  }
  EXPECT_EQ(pulled, serial.samples);
}

// ---- A backend the test drives -------------------------------------------------------------

// Synthesizes up to four sentences at once. Each chunk is 100 samples of its sentence's number
// plus one, so the output shows the order; `hook` runs at the start of each synthesis, on the
// worker's thread, with the sentence's index.
class DrivenBackend final : public SynthesisBackend {
 public:
  using Hook = std::function<void(std::size_t sentence, const CancelToken& cancel)>;
  DrivenBackend(std::vector<std::size_t> sentence_starts, Hook hook)
      : starts_(std::move(sentence_starts)), hook_(std::move(hook)) {}

  std::size_t max_parallel() const noexcept override { return 4; }
  StreamFormat format() const noexcept override { return StreamFormat{16000, 1}; }
  std::vector<VoiceInfo> voices() const override { return {}; }
  void check_voice(const VoiceOptions&) const override {}
  std::optional<std::string> unknown_ipa_symbol(std::string_view) const override {
    return std::nullopt;
  }
  std::string spoken_ipa(const Utterance&, const VoiceOptions&) override { return ""; }
  AudioChunk synthesize(const Utterance& utterance, const VoiceOptions&,
                        const CancelToken& cancel) override {
    const std::size_t begin = utterance.words.front().span.begin_byte;
    const auto after = std::upper_bound(starts_.begin(), starts_.end(), begin);
    const auto sentence = static_cast<std::size_t>(after - starts_.begin() - 1);
    hook_(sentence, cancel);
    AudioChunk chunk;
    chunk.format = format();
    chunk.samples.assign(100, static_cast<std::int16_t>(sentence + 1));
    return chunk;
  }

 private:
  std::vector<std::size_t> starts_;
  Hook hook_;
};

// An article of `count` short sentences, and where each starts.
struct Numbered {
  Article article;
  std::vector<std::size_t> starts;
};
Numbered numbered_sentences(std::size_t count) {
  std::string text;
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < count; ++i) {
    starts.push_back(text.size());
    text += "This is sentence " + std::to_string(i + 1) + ". ";
  }
  return Numbered{text_article(text), starts};
}

EngineConfig driven_config(std::size_t threads) {
  EngineConfig config;
  config.synthesis_threads = threads;
  config.pauses.sentence_ms = 0;
  config.pauses.paragraph_ms = 0;
  return config;
}

// A one-way flag a thread can wait for, with a guard against a hang.
class Flag {
 public:
  void raise() {
    const std::lock_guard lock(mutex_);
    raised_ = true;
    changed_.notify_all();
  }
  bool wait() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kHangGuard, [&] { return raised_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool raised_ = false;
};

TEST(ParallelSynthesis, ChunksComeInSentenceOrderWhenALaterSentenceIsReadyFirst) {
  const Numbered input = numbered_sentences(6);
  Flag second_done;
  std::atomic<bool> first_waited_in_vain{false};
  auto backend = std::make_unique<DrivenBackend>(input.starts, [&](std::size_t sentence, auto&) {
    // Sentence 0 is finished only after sentence 1: the two are synthesized at once.
    if (sentence == 0 && !second_done.wait()) first_waited_in_vain = true;
    if (sentence == 1) second_done.raise();
  });
  NullDiagnostics diagnostics;
  const Engine engine(driven_config(2), diagnostics, std::move(backend));
  MemorySink sink(engine.format());
  Recorder recorder;
  const NarrationSummary summary = engine.narrate_to(input.article, sink, {}, &recorder);
  EXPECT_FALSE(first_waited_in_vain.load());
  EXPECT_EQ(summary.sentence_count, 6u);
  ASSERT_EQ(recorder.written.size(), 6u);
  for (std::size_t i = 0; i < recorder.written.size(); ++i) {
    EXPECT_EQ(recorder.written[i].sentence_index, i);
    EXPECT_EQ(recorder.written[i].samples.front(), static_cast<std::int16_t>(i + 1));
  }
  EXPECT_TRUE(sink.finished());
  EXPECT_EQ(sink.samples().size(), 600u);
}

TEST(ParallelSynthesis, OnlyAFewSentencesAreHeldAheadOfTheWriter) {
  const Numbered input = numbered_sentences(60);
  std::atomic<std::size_t> started{0};
  auto backend =
      std::make_unique<DrivenBackend>(input.starts, [&](std::size_t, auto&) { ++started; });
  NullDiagnostics diagnostics;
  const Engine engine(driven_config(4), diagnostics, std::move(backend));
  MemorySink sink(engine.format());
  Recorder recorder;
  std::size_t most_ahead = 0;
  recorder.on_sentence = [&](std::size_t sentence) {
    most_ahead = std::max(most_ahead, started.load() - (sentence + 1));
  };
  engine.narrate_to(input.article, sink, {}, &recorder);
  EXPECT_EQ(recorder.written.size(), 60u);
  // A window of four chunks plus one per thread, whatever the article's length.
  EXPECT_LE(most_ahead, 8u);
}

TEST(ParallelSynthesis, TheFirstErrorStopsEveryWorkerAndReachesTheCaller) {
  const Numbered input = numbered_sentences(60);
  std::atomic<std::size_t> started{0};
  auto backend = std::make_unique<DrivenBackend>(input.starts, [&](std::size_t sentence, auto&) {
    ++started;
    if (sentence == 3) throw Error(ErrorCategory::kBackend, "sentence 3 cannot be said");
  });
  NullDiagnostics diagnostics;
  const Engine engine(driven_config(4), diagnostics, std::move(backend));
  MemorySink sink(engine.format());
  try {
    engine.narrate_to(input.article, sink);
    FAIL() << "expected the backend's error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kBackend);
    EXPECT_STREQ(error.what(), "sentence 3 cannot be said");
  }
  EXPECT_FALSE(sink.finished());
  EXPECT_LE(sink.samples().size(), 300u);  // nothing from sentence 3 on
  EXPECT_LE(started.load(), 3u + 8u);      // no worker went on past the window
}

TEST(ParallelSynthesis, CancellationStopsWorkersThatAreMidSentence) {
  const Numbered input = numbered_sentences(20);
  std::atomic<bool> waited_in_vain{false};
  auto backend =
      std::make_unique<DrivenBackend>(input.starts, [&](std::size_t sentence, const auto& cancel) {
        if (sentence == 0) return;
        // Later sentences take until the narration is cancelled.
        const auto deadline = std::chrono::steady_clock::now() + kHangGuard;
        while (!cancel.cancelled()) {
          if (std::chrono::steady_clock::now() > deadline) {
            waited_in_vain = true;
            return;
          }
          std::this_thread::yield();
        }
        throw Error(ErrorCategory::kCancelled, "narration cancelled");
      });
  NullDiagnostics diagnostics;
  const Engine engine(driven_config(4), diagnostics, std::move(backend));
  MemorySink sink(engine.format());
  CancelSource source;
  Recorder recorder;
  recorder.on_sentence = [&](std::size_t) { source.cancel(); };
  try {
    engine.narrate_to(input.article, sink, source.token(), &recorder);
    FAIL() << "expected a cancellation";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kCancelled);
  }
  EXPECT_FALSE(waited_in_vain.load());
  EXPECT_FALSE(sink.finished());
  EXPECT_EQ(recorder.written.size(), 1u);
}

// A sink whose second write fails, as a full disk would.
class FailingSink final : public AudioSink {
 public:
  StreamFormat format() const noexcept override { return StreamFormat{16000, 1}; }
  void write(std::span<const std::int16_t>) override {
    if (++writes_ == 2) throw Error(ErrorCategory::kOutput, "disk full");
  }
  void finish() override { finished_ = true; }
  bool finished() const { return finished_; }

 private:
  int writes_ = 0;
  bool finished_ = false;
};

TEST(ParallelSynthesis, AFailingSinkStopsEveryWorker) {
  const Numbered input = numbered_sentences(60);
  std::atomic<std::size_t> started{0};
  auto backend =
      std::make_unique<DrivenBackend>(input.starts, [&](std::size_t, auto&) { ++started; });
  NullDiagnostics diagnostics;
  const Engine engine(driven_config(4), diagnostics, std::move(backend));
  FailingSink sink;
  try {
    engine.narrate_to(input.article, sink);
    FAIL() << "expected the sink's error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kOutput);
  }
  EXPECT_FALSE(sink.finished());
  EXPECT_LE(started.load(), 2u + 8u);
}

TEST(ParallelSynthesis, ThreadsOutOfRangeAreAUsageError) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.name = "rms";
  config.synthesis_threads = 65;
  try {
    const Engine engine(config, diagnostics);
    FAIL() << "expected a usage error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kUsage);
    EXPECT_NE(std::string(error.what()).find("synthesis_threads"), std::string::npos);
  }
}

// ---- A SynthesisGate -----------------------------------------------------------------------

// One permit at a time, as a server with one core to share gives them; records what it saw.
class OnePermit final : public SynthesisGate {
 public:
  bool acquire(std::size_t sentence_index, const CancelToken& cancel) override {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !held_ || cancel.cancelled(); });
    if (cancel.cancelled()) return false;
    held_ = true;
    acquired.push_back(sentence_index);
    return true;
  }
  void release(std::size_t sentence_index) noexcept override {
    {
      const std::lock_guard lock(mutex_);
      EXPECT_TRUE(held_);
      held_ = false;
      released.push_back(sentence_index);
    }
    changed_.notify_all();
  }
  std::vector<std::size_t> acquired;
  std::vector<std::size_t> released;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
};

TEST(SynthesisGate, EverySentenceIsSynthesizedWithinAPermitAndGivesTheSameAudio) {
  const Article article = text_article(kNews);
  const Written plain = narrate_flite(2, article, nullptr);
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.name = "rms";
  config.synthesis_threads = 2;
  const Engine engine(config, diagnostics);
  MemorySink sink(engine.format());
  OnePermit gate;
  engine.narrate_to(article, sink, {}, nullptr, &gate);
  EXPECT_TRUE(sink.finished());
  EXPECT_EQ(sink.samples(), plain.samples);
  std::vector<std::size_t> acquired = gate.acquired;
  std::sort(acquired.begin(), acquired.end());
  EXPECT_EQ(acquired, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(gate.released.size(), 6u);
}

// A gate that never grants: the narration waits in acquire() until it is cancelled.
class NoPermit final : public SynthesisGate {
 public:
  explicit NoPermit(CancelSource& cancel) : cancel_(cancel) {}
  bool acquire(std::size_t, const CancelToken& cancel) override {
    cancel_.cancel();  // the caller gives up while this narration waits
    std::mutex mutex;
    std::condition_variable_any changed;
    std::unique_lock lock(mutex);
    changed.wait(lock, cancel.stop_token(), [] { return false; });
    return false;
  }
  void release(std::size_t) noexcept override { ADD_FAILURE() << "release without a permit"; }

 private:
  CancelSource& cancel_;
};

TEST(SynthesisGate, ANarrationWaitingForAPermitIsCancellable) {
  NullDiagnostics diagnostics;
  EngineConfig config;
  config.voice.name = "rms";
  config.synthesis_threads = 1;
  const Engine engine(config, diagnostics);
  MemorySink sink(engine.format());
  CancelSource cancel;
  NoPermit gate(cancel);
  try {
    engine.narrate_to(text_article(kNews), sink, cancel.token(), nullptr, &gate);
    FAIL() << "expected a cancellation";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kCancelled);
  }
  EXPECT_FALSE(sink.finished());
}

}  // namespace
}  // namespace narrator
