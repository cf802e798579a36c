// job.hpp: one request's work, as the three APIs (native, Polly, OpenAI) all reduce to it and as
// it travels to a worker process.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/options.hpp"

namespace narrator::cli::serve {

enum class JobKind {
  kAudio,     // the narration, encoded in `format`
  kMarks,     // Polly's speech marks, one JSON object per line
  kScript,    // what will be spoken, as JSON
  kEstimate,  // the predicted duration, as JSON
};

// The request header that sets Job::test_crash_after_sentences when the test hooks are on
// (NARRATOR_SERVE_TEST_HOOKS=1); any request of the three APIs may carry it.
inline constexpr const char* kTestCrashAfterHeader = "X-Narrator-Test-Crash-After-Sentences";

struct Job {
  JobKind kind = JobKind::kAudio;
  std::string text;  // the article: text, HTML or SSML as `input` says
  InputFormat input = InputFormat::kText;
  VoiceOptions voice;
  PauseOptions pauses;
  std::vector<std::string> lexicons;  // names given to --lexicon NAME=FILE, in layering order
  AudioFormat format = AudioFormat::kMp3;
  int sample_rate_hz = 0;  // 0: the voice's own
  int channels = 0;        // 0: mono, the voice's own
  // Integrated loudness target in LUFS, reached in one pass (a per-voice gain and a true-peak
  // limiter) so that the audio streams. nullopt: -16 LUFS for MP3, the voice's level otherwise.
  std::optional<double> loudness_lufs;
  std::vector<std::string> mark_types;  // kMarks: "sentence", "word", "ssml"; empty: all
  ArticleMetadata metadata;             // overrides what the article says
  Framing framing;
  bool keep_page_furniture = false;
  bool test_crash = false;  // the worker dies at once (honoured only with the test hooks on)
  // > 0: the job's process (forked by the worker) dies once this many sentences' audio has gone
  // into the response, so that the body has begun to stream; the worker lives on (the test hooks
  // only; set from kTestCrashAfterHeader).
  int test_crash_after_sentences = 0;
};

// The job as the control socket carries it, and back. job_from_wire() throws Error(kInternal)
// on a malformed message (only the server writes them).
std::string job_to_wire(const Job& job);
Job job_from_wire(const std::string& json);

}  // namespace narrator::cli::serve
