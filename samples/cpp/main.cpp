// main.cpp: narrates a short built-in article to a WAV file with Narrator's C++ API.
//
//   narrator_cpp_sample [OUTPUT.wav]     (default: narrator-cpp-sample.wav)
//
// Build against an installed Narrator: see CMakeLists.txt beside this file.
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "narrator/article.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "narrator/options.hpp"

namespace {

// A headline, a blank line, then a paragraph: how Narrator reads plain text.
constexpr const char* kArticle =
    "Harbour reopens after the storm\n"
    "\n"
    "The harbour at Millbrook reopened on Tuesday morning, three days after the storm closed it. "
    "Ferries to the islands are back on their usual timetable, and the first boat left at 7:15 "
    "a.m. with 212 passengers.\n";

int narrate(const std::string& output) {
  narrator::CollectingDiagnostics diagnostics;  // warnings, printed below
  const narrator::Article article =
      narrator::read_article(kArticle, "<built-in article>", narrator::ReadOptions{}, diagnostics);

  narrator::EngineConfig config;  // defaults: voice en-us at 175 words per minute
  config.pauses.paragraph_ms = 600;
  const narrator::Engine engine(config, diagnostics);

  // The file appears at `output` only when finished; on an error an older file stays as it was.
  const std::unique_ptr<narrator::AudioSink> sink =
      narrator::open_file_sink(output, narrator::AudioFormat::kWav, engine.format());
  const narrator::NarrationSummary summary = engine.narrate_to(article, *sink);

  for (const narrator::Diagnostic& diagnostic : diagnostics.items()) {
    std::fprintf(stderr, "warning: %s: %s\n", diagnostic.code.c_str(), diagnostic.message.c_str());
  }
  std::printf("%s: %zu sentences, %zu words, %lld ms of audio\n", output.c_str(),
              summary.sentence_count, summary.word_count,
              static_cast<long long>(summary.audio_duration.count()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string output = argc > 1 ? argv[1] : "narrator-cpp-sample.wav";
  try {
    return narrate(output);
  } catch (const narrator::Error& error) {
    std::fprintf(stderr, "narrator_cpp_sample: %s error: %s\n",
                 std::string(narrator::category_name(error.category())).c_str(), error.what());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "narrator_cpp_sample: %s\n", error.what());
  }
  return 1;
}
