// api_requests.hpp: the request bodies of the three APIs `narrate serve` speaks (native, Amazon
// Polly's SynthesizeSpeech, OpenAI's audio/speech) read into a Job, and what each answers with.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "job.hpp"

namespace narrator::cli::serve {

enum class Api { kNative, kPolly, kOpenAi };

// A request the server refuses: the status, a stable code, a message naming the field, and the
// error's name in Polly's terms (sent as x-amzn-ErrorType on the Polly route).
struct RequestError : std::runtime_error {
  RequestError(int status, std::string code, const std::string& message, std::string field = {},
               std::string polly_type = "ValidationException")
      : std::runtime_error(message),
        status(status),
        code(std::move(code)),
        field(std::move(field)),
        polly_type(std::move(polly_type)) {}
  int status;
  std::string code;
  std::string field;
  std::string polly_type;
};

// A voice another API names, and the narrate voice that speaks for it.
struct VoiceAlias {
  std::string id;        // "Joanna", "alloy"
  std::string voice;     // "slt"
  std::string gender;    // Polly's "Female" or "Male"; empty for OpenAI's
  std::string language;  // Polly's language code, "en-US"
  std::string language_name;
};

// polly_voices.tsv and openai_voices.tsv, embedded at build time.
const std::vector<VoiceAlias>& polly_voices();
const std::vector<VoiceAlias>& openai_voices();

struct ApiLimits {
  std::set<std::string> lexicons;     // the names --lexicon loaded
  std::size_t max_chars = 0;          // --max-chars
  bool test_hooks = false;            // NARRATOR_SERVE_TEST_HOOKS=1
  std::string default_voice = "rms";  // --voice: for a native request that names none
};

// A request read: the job, and what the response says about it.
struct ApiRequest {
  Job job;
  std::string content_type;    // of the response body
  std::size_t characters = 0;  // the input's characters (SSML: without its markup)
};

// Each throws RequestError for a body that is not what the API takes, naming the field.
ApiRequest read_native(const nlohmann::json& body, JobKind kind, const ApiLimits& limits);
ApiRequest read_polly(const nlohmann::json& body, const ApiLimits& limits);
ApiRequest read_openai(const nlohmann::json& body, const ApiLimits& limits);

// The response's Content-Type for audio in `format`.
std::string audio_content_type(AudioFormat format);

}  // namespace narrator::cli::serve
