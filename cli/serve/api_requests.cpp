#include "api_requests.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "media_type.hpp"
#include "option_limits.hpp"
#include "serve_tables.hpp"

namespace narrator::cli::serve {
namespace {

// The native API's ranges are the command line's, in option_limits.hpp; these are the other APIs'.
constexpr int kOpenAiPcmRateHz = 24000;  // OpenAI's pcm: 24 kHz, 16-bit, mono
constexpr double kMinOpenAiSpeed = 0.25;
constexpr double kMaxOpenAiSpeed = 4.0;

std::vector<VoiceAlias> read_aliases(std::string_view table, bool polly) {
  std::vector<VoiceAlias> aliases;
  std::istringstream lines{std::string(table)};
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> columns;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) columns.push_back(cell);
    VoiceAlias alias;
    alias.id = columns.at(0);
    alias.voice = columns.at(1);
    if (polly) {
      alias.gender = columns.at(2);
      alias.language = columns.at(3);
      alias.language_name = columns.at(4);
    }
    aliases.push_back(std::move(alias));
  }
  return aliases;
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

[[noreturn]] void bad_field(const std::string& field, const std::string& message,
                            const std::string& polly_type = "ValidationException") {
  throw RequestError(400, "invalid_field", field + ": " + message, field, polly_type);
}

// The fields of a request object, read once each; what is left over is an unknown field.
class Fields {
 public:
  Fields(const nlohmann::json& body) : body_(body) {
    if (!body.is_object()) {
      throw RequestError(400, "invalid_json", "the request body must be a JSON object");
    }
  }

  bool has(const char* name) {
    seen_.insert(name);
    return body_.contains(name) && !body_.at(name).is_null();
  }
  std::string text(const char* name) {
    if (!has(name)) return {};
    const nlohmann::json& value = body_.at(name);
    if (!value.is_string()) bad_field(name, "must be a string");
    return value.get<std::string>();
  }
  std::string required_text(const char* name) {
    if (!has(name)) bad_field(name, "is required");
    return text(name);
  }
  // A number from min to max; out of range, the message ends with `advice` ("use 0.25 to 4").
  double number(const char* name, double fallback, double min, double max,
                const std::string& advice) {
    if (!has(name)) return fallback;
    const nlohmann::json& value = body_.at(name);
    if (!value.is_number()) bad_field(name, "must be a number");
    const double number = value.get<double>();
    if (!(number >= min && number <= max)) {
      std::ostringstream message;
      message << "is " << number << ", out of range; " << advice;
      bad_field(name, message.str());
    }
    return number;
  }
  double number(const char* name, double fallback, const SettingRange& range) {
    return number(name, fallback, range.min, range.max, "use " + range_text(range));
  }
  int whole(const char* name, int fallback, const SettingRange& range) {
    if (!has(name)) return fallback;
    const nlohmann::json& value = body_.at(name);
    if (!value.is_number_integer()) bad_field(name, "must be a whole number");
    const long long number = value.get<long long>();
    if (!in_range(static_cast<double>(number), range)) {
      bad_field(name, "is " + std::to_string(number) + ", out of range; use " + range_text(range));
    }
    return static_cast<int>(number);
  }
  bool flag(const char* name) {
    if (!has(name)) return false;
    const nlohmann::json& value = body_.at(name);
    if (!value.is_boolean()) bad_field(name, "must be true or false");
    return value.get<bool>();
  }
  std::vector<std::string> texts(const char* name) {
    if (!has(name)) return {};
    const nlohmann::json& value = body_.at(name);
    if (!value.is_array()) bad_field(name, "must be an array of strings");
    std::vector<std::string> items;
    for (const nlohmann::json& item : value) {
      if (!item.is_string()) bad_field(name, "must be an array of strings");
      items.push_back(item.get<std::string>());
    }
    return items;
  }
  // Refuses a field the API does not take: a typo would otherwise be ignored silently.
  void refuse_unknown() const {
    for (const auto& [name, value] : body_.items()) {
      if (!seen_.contains(name)) {
        throw RequestError(400, "unknown_field",
                           name +
                               ": is not a field of this request; see the README's \"Serving "
                               "over HTTP\"",
                           name);
      }
    }
  }

 private:
  const nlohmann::json& body_;
  std::set<std::string> seen_;
};

// Characters as Polly counts them: code points, and in SSML those of the text between the tags.
std::size_t count_characters(std::string_view text, bool markup) {
  std::size_t count = 0;
  bool in_tag = false;
  for (const char c : text) {
    if (markup && c == '<') in_tag = true;
    const bool counted = !in_tag && (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (counted) ++count;
    if (markup && c == '>') in_tag = false;
  }
  return count;
}

void check_length(ApiRequest& request, const ApiLimits& limits, const char* field) {
  request.characters = count_characters(request.job.text, request.job.input != InputFormat::kText);
  if (limits.max_chars > 0 && request.characters > limits.max_chars) {
    throw RequestError(400, "text_too_long",
                       std::string(field) + ": " + std::to_string(request.characters) +
                           " characters, over this server's limit of " +
                           std::to_string(limits.max_chars) + " (--max-chars)",
                       field, "TextLengthExceededException");
  }
  if (request.characters == 0 && request.job.text.empty()) {
    bad_field(field, "is empty; give the text to speak");
  }
}

void check_lexicons(const std::vector<std::string>& names, const ApiLimits& limits,
                    const char* field) {
  for (const std::string& name : names) {
    if (limits.lexicons.contains(name)) continue;
    const std::vector<std::string> known(limits.lexicons.begin(), limits.lexicons.end());
    throw RequestError(400, "unknown_lexicon",
                       std::string(field) + ": no lexicon '" + name + "' is loaded; " +
                           (known.empty() ? std::string("this server loads none (--lexicon)")
                                          : "the server has: " + joined(known)),
                       field, "LexiconNotFoundException");
  }
}

// The voice an alias names, or the name itself (any narrate voice).
std::string voice_for(const std::string& name, const std::vector<VoiceAlias>& aliases) {
  for (const VoiceAlias& alias : aliases) {
    if (alias.id == name) return alias.voice;
  }
  return name;
}

AudioFormat native_format(const std::string& name) {
  const std::optional<AudioFormat> format = parse_audio_format(name);
  if (!format)
    bad_field("format", "'" + name + "' is not a format; use mp3, wav, flac, ogg, opus or raw");
  return *format;
}

void read_native_input(Fields& fields, Job& job) {
  int given = 0;
  for (const auto& [name, input] :
       {std::pair{"text", InputFormat::kText}, std::pair{"html", InputFormat::kHtml},
        std::pair{"ssml", InputFormat::kSsml}}) {
    if (!fields.has(name)) continue;
    job.text = fields.text(name);
    job.input = input;
    ++given;
  }
  if (given != 1) {
    throw RequestError(400, "invalid_field",
                       "text: give exactly one of text, html or ssml (the article)", "text");
  }
}

}  // namespace

const std::vector<VoiceAlias>& polly_voices() {
  static const std::vector<VoiceAlias> aliases = read_aliases(kPollyVoicesTsv, true);
  return aliases;
}

const std::vector<VoiceAlias>& openai_voices() {
  static const std::vector<VoiceAlias> aliases = read_aliases(kOpenAiVoicesTsv, false);
  return aliases;
}

// Raw samples go out as Polly's "audio/pcm"; the rest by the table the files use.
std::string audio_content_type(AudioFormat format) {
  return std::string(audio_media_type(format).value_or("audio/pcm"));
}

ApiRequest read_native(const nlohmann::json& body, JobKind kind, const ApiLimits& limits) {
  Fields fields(body);
  ApiRequest request;
  Job& job = request.job;
  job.kind = kind;
  read_native_input(fields, job);
  job.voice.name = fields.has("voice") ? fields.text("voice") : limits.default_voice;
  job.voice.rate_wpm = fields.whole("rate", job.voice.rate_wpm, kRateRange);
  job.voice.pitch = fields.whole("pitch", job.voice.pitch, kPitchRange);
  job.voice.volume = fields.whole("volume", job.voice.volume, kVolumeRange);
  job.pauses.sentence_ms = fields.whole("sentence_pause_ms", job.pauses.sentence_ms, kPauseRange);
  job.pauses.paragraph_ms =
      fields.whole("paragraph_pause_ms", job.pauses.paragraph_ms, kPauseRange);
  job.pauses.heading_ms = fields.whole("heading_pause_ms", job.pauses.heading_ms, kPauseRange);
  job.lexicons = fields.texts("lexicons");
  check_lexicons(job.lexicons, limits, "lexicons");
  if (fields.has("format")) job.format = native_format(fields.text("format"));
  if (fields.has("sample_rate")) {
    job.sample_rate_hz =
        fields.whole("sample_rate", 0, {kOutputRatesHz.front(), kOutputRatesHz.back(), "Hz"});
    if (!is_output_rate(job.sample_rate_hz)) {
      bad_field("sample_rate", "is " + std::to_string(job.sample_rate_hz) +
                                   ", not a rate narrate writes; use " + output_rates_text() +
                                   " (Hz)");
    }
  }
  job.channels = fields.whole("channels", 0, kChannelsRange);
  if (fields.has("loudness")) job.loudness_lufs = fields.number("loudness", 0, kLoudnessRange);
  job.mark_types = fields.texts("mark_types");
  for (const std::string& type : job.mark_types) {
    if (type != "sentence" && type != "word" && type != "ssml") {
      bad_field("mark_types", "'" + type + "' is not a mark type; use sentence, word or ssml");
    }
  }
  job.metadata.title = fields.text("title");
  job.metadata.byline = fields.text("byline");
  job.metadata.publication = fields.text("publication");
  job.metadata.date = fields.text("date");
  job.framing.intro = fields.flag("intro");
  job.framing.disclaimer = fields.flag("disclaimer");
  job.keep_page_furniture = fields.flag("keep_furniture");
  if (limits.test_hooks) job.test_crash = fields.flag("test_crash");
  fields.refuse_unknown();
  check_length(request, limits,
               job.input == InputFormat::kText   ? "text"
               : job.input == InputFormat::kHtml ? "html"
                                                 : "ssml");
  request.content_type = kind == JobKind::kAudio   ? audio_content_type(job.format)
                         : kind == JobKind::kMarks ? "application/x-json-stream"
                                                   : "application/json";
  return request;
}

ApiRequest read_polly(const nlohmann::json& body, const ApiLimits& limits) {
  Fields fields(body);
  ApiRequest request;
  Job& job = request.job;
  job.text = fields.required_text("Text");
  const std::string text_type = fields.has("TextType") ? fields.text("TextType") : "text";
  if (text_type != "text" && text_type != "ssml") {
    bad_field("TextType", "'" + text_type + "' is not a text type; use text or ssml");
  }
  job.input = text_type == "ssml" ? InputFormat::kSsml : InputFormat::kText;
  const std::string output = fields.required_text("OutputFormat");
  job.voice.name = voice_for(fields.required_text("VoiceId"), polly_voices());
  job.lexicons = fields.texts("LexiconNames");
  check_lexicons(job.lexicons, limits, "LexiconNames");
  job.mark_types = fields.texts("SpeechMarkTypes");
  if (fields.has("Engine") && fields.text("Engine") != "standard") {
    bad_field("Engine", "narrate has the standard engine only", "EngineNotSupportedException");
  }
  fields.text("LanguageCode");  // the voice decides the language
  std::vector<int> rates{8000, 16000, 22050, 24000};
  if (output == "mp3" || output == "ogg_vorbis") {
    job.format = output == "mp3" ? AudioFormat::kMp3 : AudioFormat::kOgg;
    job.sample_rate_hz = 22050;
  } else if (output == "pcm") {
    job.format = AudioFormat::kRaw;
    job.sample_rate_hz = 16000;
    rates = {8000, 16000};
  } else if (output == "json") {
    job.kind = JobKind::kMarks;
  } else {
    bad_field("OutputFormat", "'" + output + "' is not a format; use mp3, ogg_vorbis, pcm or json");
  }
  if (fields.has("SampleRate")) {
    const std::string rate = fields.text("SampleRate");
    const auto known = std::find_if(rates.begin(), rates.end(),
                                    [&](int hz) { return std::to_string(hz) == rate; });
    if (known == rates.end()) {
      std::vector<std::string> names;
      for (const int hz : rates) names.push_back(std::to_string(hz));
      bad_field("SampleRate",
                "'" + rate + "' is not a rate for " + output + "; use " + joined(names),
                "InvalidSampleRateException");
    }
    job.sample_rate_hz = *known;
  }
  if (job.kind == JobKind::kMarks) {
    job.sample_rate_hz = 0;
    if (job.mark_types.empty()) {
      bad_field("SpeechMarkTypes", "OutputFormat json needs the mark types: sentence, word, ssml");
    }
  } else if (!job.mark_types.empty()) {
    bad_field("SpeechMarkTypes", "speech marks come with OutputFormat json only",
              "MarksNotSupportedForFormatException");
  }
  for (const std::string& type : job.mark_types) {
    if (type == "ssml" && job.input != InputFormat::kSsml) {
      bad_field("SpeechMarkTypes", "ssml marks need TextType ssml",
                "SsmlMarksNotSupportedForTextTypeException");
    }
    if (type != "sentence" && type != "word" && type != "ssml") {
      bad_field("SpeechMarkTypes",
                "'" + type + "' is not a mark type narrate makes; use sentence, word or ssml");
    }
  }
  if (limits.test_hooks) job.test_crash = fields.flag("TestCrash");
  fields.refuse_unknown();
  check_length(request, limits, "Text");
  request.content_type =
      job.kind == JobKind::kMarks ? "application/x-json-stream" : audio_content_type(job.format);
  return request;
}

ApiRequest read_openai(const nlohmann::json& body, const ApiLimits& limits) {
  Fields fields(body);
  ApiRequest request;
  Job& job = request.job;
  fields.required_text("model");  // every model is narrate
  job.text = fields.required_text("input");
  job.voice.name = voice_for(fields.required_text("voice"), openai_voices());
  const std::string format = fields.has("response_format") ? fields.text("response_format") : "mp3";
  if (format == "mp3") {
    job.format = AudioFormat::kMp3;
  } else if (format == "opus") {
    job.format = AudioFormat::kOpus;  // Ogg Opus at 48 kHz, as OpenAI's is
  } else if (format == "flac") {
    job.format = AudioFormat::kFlac;
  } else if (format == "wav") {
    job.format = AudioFormat::kWav;
  } else if (format == "pcm") {
    job.format = AudioFormat::kRaw;
    job.sample_rate_hz = kOpenAiPcmRateHz;
  } else {
    throw RequestError(400, "unsupported_format",
                       "response_format: narrate cannot make '" + format +
                           "'; use mp3, opus, flac, wav or pcm (24 kHz 16-bit mono)",
                       "response_format");
  }
  std::ostringstream speeds;
  speeds << "use " << kMinOpenAiSpeed << " to " << kMaxOpenAiSpeed;
  const double speed = fields.number("speed", 1.0, kMinOpenAiSpeed, kMaxOpenAiSpeed, speeds.str());
  // Speed 1 is narrate's default rate (VoiceOptions'), which the job holds until it is set here.
  const double normal_wpm = job.voice.rate_wpm;
  const long rate = std::lround(speed * normal_wpm);
  if (!in_range(static_cast<double>(rate), kRateRange)) {
    std::ostringstream range;
    range.precision(3);
    range << "narrate speaks at " << kRateRange.min / normal_wpm << " to "
          << kRateRange.max / normal_wpm << " times its normal rate; give a speed in that range";
    bad_field("speed", range.str());
  }
  job.voice.rate_wpm = static_cast<int>(rate);
  if (fields.has("stream_format") && fields.text("stream_format") != "audio") {
    bad_field("stream_format", "narrate streams audio only; use audio");
  }
  fields.text("instructions");  // a voice's manner cannot be steered
  if (limits.test_hooks) job.test_crash = fields.flag("test_crash");
  // OpenAI's API grows: fields this server does not know are left, as its clients expect.
  check_length(request, limits, "input");
  request.content_type = audio_content_type(job.format);
  return request;
}

}  // namespace narrator::cli::serve
