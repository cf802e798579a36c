// c_api.cpp: narrator.h over narrator::Engine. Each extern "C" function runs its body through
// guarded(), which turns every exception into a status code and keeps the message on the handle,
// so no exception crosses the C boundary.
#include <charconv>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "narrator/article.hpp"
#include "narrator/audio/audio_chunk.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/audio/output_processing.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "narrator/narrator.h"
#include "narrator/options.hpp"

namespace {

// What narrator_set_option() changes.
struct Settings {
  narrator::EngineConfig config;
  std::optional<narrator::InputFormat> input_format;  // nullopt: by extension, then content
};

}  // namespace

struct narrator_engine {
  Settings settings;
  // Warnings from reading and synthesis. Kept, not printed: library code never prints.
  narrator::CollectingDiagnostics diagnostics;
  // Built from `settings` at the next synthesis when null; reset whenever an option changes.
  // Declared after `diagnostics`, which it reports to, so it is destroyed first.
  std::unique_ptr<narrator::Engine> engine;
  std::string last_error;
  // Set instead of `last_error` when even the message could not be stored (out of memory).
  const char* fixed_error = nullptr;
};

namespace {

using narrator::Error;
using narrator::ErrorCategory;

int status_of(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::kUsage:
      return NARRATOR_ERR_USAGE;
    case ErrorCategory::kInput:
      return NARRATOR_ERR_INPUT;
    case ErrorCategory::kOutput:
      return NARRATOR_ERR_OUTPUT;
    case ErrorCategory::kDevice:
      return NARRATOR_ERR_DEVICE;
    case ErrorCategory::kBackend:
      return NARRATOR_ERR_BACKEND;
    case ErrorCategory::kCancelled:
      return NARRATOR_ERR_CANCELLED;
    case ErrorCategory::kInternal:
      return NARRATOR_ERR_INTERNAL;
  }
  return NARRATOR_ERR_INTERNAL;
}

int fail(narrator_engine& handle, int status, const char* message) noexcept {
  try {
    handle.last_error = message;
  } catch (const std::bad_alloc&) {
    handle.fixed_error = "out of memory (the error message could not be stored)";
  }
  return status;
}

// Runs body(handle) and maps what it throws to a status; the message stays on the handle. A null
// handle has nowhere to keep a message, so it only gets the code.
template <typename Body>
int guarded(narrator_engine* handle, Body&& body) noexcept {
  if (handle == nullptr) return NARRATOR_ERR_USAGE;
  handle->last_error.clear();
  handle->fixed_error = nullptr;
  try {
    body(*handle);
    return NARRATOR_OK;
  } catch (const Error& error) {
    return fail(*handle, status_of(error.category()), error.what());
  } catch (const std::bad_alloc&) {
    return fail(*handle, NARRATOR_ERR_INTERNAL, "out of memory");
  } catch (const std::exception& error) {
    return fail(*handle, NARRATOR_ERR_INTERNAL, error.what());
  } catch (...) {
    return fail(*handle, NARRATOR_ERR_INTERNAL, "an exception of unknown type reached narrator.h");
  }
}

void require(bool given, std::string_view function, std::string_view name) {
  if (!given) {
    throw Error(ErrorCategory::kUsage,
                std::string(function) + ": " + std::string(name) + " is NULL");
  }
}

int parse_int(std::string_view name, std::string_view value) {
  int parsed = 0;
  const char* const end = value.data() + value.size();
  const auto [stop, error] = std::from_chars(value.data(), end, parsed);
  if (value.empty() || error != std::errc() || stop != end) {
    throw Error(ErrorCategory::kUsage, "option '" + std::string(name) + "': '" +
                                           std::string(value) + "' is not a whole number");
  }
  return parsed;
}

std::optional<narrator::InputFormat> parse_input_format(std::string_view value) {
  struct Row {
    std::string_view name;
    std::optional<narrator::InputFormat> format;
  };
  static constexpr Row kRows[] = {{"text", narrator::InputFormat::kText},
                                  {"html", narrator::InputFormat::kHtml},
                                  {"ssml", narrator::InputFormat::kSsml},
                                  {"auto", std::nullopt}};
  for (const Row& row : kRows) {
    if (row.name == value) return row.format;
  }
  throw Error(ErrorCategory::kUsage, "option 'input': '" + std::string(value) +
                                         "' is not an input format; use text, html, ssml or auto");
}

// One row per option name of narrator_set_option(). `set` parses `value` into the settings and
// throws Error(kUsage) naming the option when it cannot.
struct OptionRow {
  std::string_view name;
  bool rebuilds_engine;  // whether the Engine must be built again for the change to apply
  void (*set)(Settings& settings, std::string_view name, std::string_view value);
};

constexpr OptionRow kOptions[] = {
    {"voice", true,
     [](Settings& s, std::string_view, std::string_view value) {
       s.config.voice.name = std::string(value);
     }},
    {"rate", true,
     [](Settings& s, std::string_view name, std::string_view value) {
       s.config.voice.rate_wpm = parse_int(name, value);
     }},
    {"pitch", true,
     [](Settings& s, std::string_view name, std::string_view value) {
       s.config.voice.pitch = parse_int(name, value);
     }},
    {"volume", true,
     [](Settings& s, std::string_view name, std::string_view value) {
       s.config.voice.volume = parse_int(name, value);
     }},
    {"sentence_pause_ms", true,
     [](Settings& s, std::string_view name, std::string_view value) {
       s.config.pauses.sentence_ms = parse_int(name, value);
     }},
    {"paragraph_pause_ms", true,
     [](Settings& s, std::string_view name, std::string_view value) {
       s.config.pauses.paragraph_ms = parse_int(name, value);
     }},
    {"heading_pause_ms", true,
     [](Settings& s, std::string_view name, std::string_view value) {
       s.config.pauses.heading_ms = parse_int(name, value);
     }},
    {"lexicon", true,
     [](Settings& s, std::string_view, std::string_view value) {
       if (value.empty()) {
         s.config.lexicon_files.clear();
       } else {
         s.config.lexicon_files.emplace_back(value);
       }
     }},
    {"input", false,
     [](Settings& s, std::string_view, std::string_view value) {
       s.input_format = parse_input_format(value);
     }},
};

const OptionRow& find_option(std::string_view name) {
  for (const OptionRow& row : kOptions) {
    if (row.name == name) return row;
  }
  std::string known;
  for (const OptionRow& row : kOptions) {
    known += (known.empty() ? "" : ", ") + std::string(row.name);
  }
  throw Error(ErrorCategory::kUsage,
              "unknown option '" + std::string(name) + "'; the options are " + known);
}

// The engine for the current settings, built now if an option changed since the last one. A build
// that fails leaves no engine, so the next call tries again with whatever was set meanwhile.
const narrator::Engine& ready_engine(narrator_engine& handle) {
  if (!handle.engine) {
    handle.engine = std::make_unique<narrator::Engine>(handle.settings.config, handle.diagnostics);
  }
  return *handle.engine;
}

narrator::ReadOptions read_options(const Settings& settings) {
  narrator::ReadOptions options;
  options.language = settings.config.language;
  return options;
}

narrator::EncoderOptions encoder_options(const narrator::Article& article) {
  narrator::EncoderOptions encoder;
  const narrator::ArticleMetadata& metadata = article.metadata;
  encoder.tags.title = metadata.title;
  encoder.tags.artist = metadata.byline;
  encoder.tags.album = metadata.publication;
  encoder.tags.date = metadata.date;
  return encoder;
}

}  // namespace

extern "C" {

narrator_engine* narrator_create(void) {
  try {
    return new narrator_engine();
  } catch (...) {
    // Only std::bad_alloc can arrive here. NULL is the documented answer to out of memory; there
    // is no handle yet to keep a message on.
    return nullptr;
  }
}

void narrator_destroy(narrator_engine* engine) { delete engine; }

int narrator_set_option(narrator_engine* engine, const char* name, const char* value) {
  return guarded(engine, [&](narrator_engine& handle) {
    require(name != nullptr, "narrator_set_option", "name");
    require(value != nullptr, "narrator_set_option", "value");
    const OptionRow& option = find_option(name);
    option.set(handle.settings, option.name, value);
    if (option.rebuilds_engine) handle.engine.reset();
  });
}

int narrator_synthesize_file(narrator_engine* engine, const char* article_path,
                             const char* output_path) {
  return guarded(engine, [&](narrator_engine& handle) {
    require(article_path != nullptr, "narrator_synthesize_file", "article_path");
    require(output_path != nullptr, "narrator_synthesize_file", "output_path");
    const std::optional<narrator::AudioFormat> format =
        narrator::audio_format_from_path(output_path);
    if (!format) {
      throw Error(ErrorCategory::kUsage,
                  "cannot tell the audio format of '" + std::string(output_path) +
                      "' from its extension; use .wav, .mp3, .flac, .ogg or .raw");
    }
    const narrator::Article article =
        narrator::read_input_file(article_path, handle.settings.input_format,
                                  read_options(handle.settings), handle.diagnostics);
    const narrator::Engine& ready = ready_engine(handle);
    const std::unique_ptr<narrator::AudioSink> sink = narrator::open_output_file(
        output_path, *format, ready.format(), {}, encoder_options(article));
    ready.narrate_to(article, *sink);
  });
}

int narrator_synthesize_text(narrator_engine* engine, const char* utf8_text, size_t length,
                             narrator_audio_callback callback, void* user_data) {
  return guarded(engine, [&](narrator_engine& handle) {
    require(utf8_text != nullptr, "narrator_synthesize_text", "utf8_text");
    require(callback != nullptr, "narrator_synthesize_text", "callback");
    narrator::Article article =
        narrator::read_article(std::string(utf8_text, length), "<text>",
                               read_options(handle.settings), handle.diagnostics);
    narrator::Narration narration = ready_engine(handle).start(std::move(article));
    while (const std::optional<narrator::AudioChunk> chunk = narration.next()) {
      if (chunk->frame_count() == 0) continue;
      const int stop = callback(chunk->samples.data(), chunk->frame_count(),
                                chunk->format.sample_rate_hz, chunk->format.channels, user_data);
      if (stop != 0) {
        throw Error(ErrorCategory::kCancelled,
                    "narration stopped: the audio callback returned " + std::to_string(stop) +
                        " after sentence " + std::to_string(chunk->sentence_index + 1) + " of " +
                        std::to_string(narration.sentence_count()));
      }
    }
  });
}

const char* narrator_last_error(const narrator_engine* engine) {
  if (engine == nullptr) return "narrator_last_error: the engine handle is NULL";
  return engine->fixed_error != nullptr ? engine->fixed_error : engine->last_error.c_str();
}

const char* narrator_version(void) { return NARRATOR_VERSION_STRING; }

}  // extern "C"
