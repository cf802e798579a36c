#include "job.hpp"

#include <nlohmann/json.hpp>

#include "narrator/error.hpp"

namespace narrator::cli::serve {

std::string job_to_wire(const Job& job) {
  nlohmann::json wire;
  wire["kind"] = static_cast<int>(job.kind);
  wire["text"] = job.text;
  wire["input"] = static_cast<int>(job.input);
  wire["voice"] = {job.voice.name, job.voice.rate_wpm, job.voice.pitch, job.voice.volume};
  wire["pauses"] = {job.pauses.sentence_ms, job.pauses.paragraph_ms, job.pauses.heading_ms};
  wire["lexicons"] = job.lexicons;
  wire["format"] = static_cast<int>(job.format);
  wire["sample_rate_hz"] = job.sample_rate_hz;
  wire["channels"] = job.channels;
  wire["loudness_lufs"] = job.loudness_lufs ? nlohmann::json(*job.loudness_lufs) : nullptr;
  wire["mark_types"] = job.mark_types;
  wire["metadata"] = {job.metadata.title, job.metadata.byline, job.metadata.publication,
                      job.metadata.date};
  wire["framing"] = {job.framing.intro, job.framing.intro_text, job.framing.disclaimer,
                     job.framing.disclaimer_text};
  wire["keep_page_furniture"] = job.keep_page_furniture;
  wire["test_crash"] = job.test_crash;
  wire["test_crash_after_sentences"] = job.test_crash_after_sentences;
  // The text may hold invalid UTF-8 (the reader reports it with its offset): kept as bytes.
  return wire.dump(-1, ' ', false, nlohmann::json::error_handler_t::ignore);
}

Job job_from_wire(const std::string& json) {
  try {
    const nlohmann::json wire = nlohmann::json::parse(json);
    Job job;
    job.kind = static_cast<JobKind>(wire.at("kind").get<int>());
    job.text = wire.at("text").get<std::string>();
    job.input = static_cast<InputFormat>(wire.at("input").get<int>());
    const nlohmann::json& voice = wire.at("voice");
    job.voice = VoiceOptions{voice.at(0).get<std::string>(), voice.at(1).get<int>(),
                             voice.at(2).get<int>(), voice.at(3).get<int>()};
    const nlohmann::json& pauses = wire.at("pauses");
    job.pauses =
        PauseOptions{pauses.at(0).get<int>(), pauses.at(1).get<int>(), pauses.at(2).get<int>()};
    job.lexicons = wire.at("lexicons").get<std::vector<std::string>>();
    job.format = static_cast<AudioFormat>(wire.at("format").get<int>());
    job.sample_rate_hz = wire.at("sample_rate_hz").get<int>();
    job.channels = wire.at("channels").get<int>();
    if (!wire.at("loudness_lufs").is_null()) {
      job.loudness_lufs = wire.at("loudness_lufs").get<double>();
    }
    job.mark_types = wire.at("mark_types").get<std::vector<std::string>>();
    const nlohmann::json& metadata = wire.at("metadata");
    job.metadata.title = metadata.at(0).get<std::string>();
    job.metadata.byline = metadata.at(1).get<std::string>();
    job.metadata.publication = metadata.at(2).get<std::string>();
    job.metadata.date = metadata.at(3).get<std::string>();
    const nlohmann::json& framing = wire.at("framing");
    job.framing.intro = framing.at(0).get<bool>();
    job.framing.intro_text = framing.at(1).get<std::string>();
    job.framing.disclaimer = framing.at(2).get<bool>();
    job.framing.disclaimer_text = framing.at(3).get<std::string>();
    job.keep_page_furniture = wire.at("keep_page_furniture").get<bool>();
    job.test_crash = wire.at("test_crash").get<bool>();
    job.test_crash_after_sentences = wire.at("test_crash_after_sentences").get<int>();
    return job;
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorCategory::kInternal,
                std::string("serve: a malformed job reached the worker: ") + error.what());
  }
}

}  // namespace narrator::cli::serve
