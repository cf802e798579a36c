// Fuzz target: short articles (text, or SSML when the input starts with <speak>) through the
// engine's text stages and Flite's voices. Flite ends the process (exit(-1)) on an internal error
// and trusts what it is given; the backend must hand it nothing that reaches such a path, whatever
// the article says. Any input must be narrated or refused with narrator::Error; nothing may exit,
// crash, hang or leak.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "narrator/article.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "narrator/options.hpp"

namespace {

// Synthesis is the costly part (rms makes about 70 s of speech a second without the sanitizers,
// several times less with them), so inputs are cut short: a few sentences still reach every
// stage, and Flite's front end sees each sentence whole.
constexpr std::size_t kMaxInputBytes = 200;

narrator::EngineConfig flite_config(const char* voice) {
  narrator::EngineConfig config;
  config.voice.name = voice;
  config.synthesis_threads = 1;  // one fuzz process per core already
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static narrator::NullDiagnostics quiet;  // declared first: outlives the engines
  // rms, the default voice (clustergen; about 1 s an input under the sanitizers), for one input in
  // eight; kal16 (diphone, about 15 times faster) for the rest. They share the US English front
  // end, where most of the exits are.
  static const narrator::Engine rms(flite_config("rms"), quiet);
  static const narrator::Engine kal16(flite_config("kal16"), quiet);
  if (size == 0) return 0;
  const narrator::Engine& engine = data[0] % 8 == 0 ? rms : kal16;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, std::min(size - 1, kMaxInputBytes));
  const narrator::ReadOptions options{.lossy = true, .keep_page_furniture = true};
  try {
    const narrator::InputFormat format = narrator::detect_input_format("", bytes);
    narrator::Narration narration =
        engine.start(narrator::read_input(std::move(bytes), "fuzz", format, options, quiet));
    while (const std::optional<narrator::AudioChunk> chunk = narration.next()) {
    }
  } catch (const narrator::Error&) {
    // a clear refusal is a fine answer
  }
  return 0;
}
