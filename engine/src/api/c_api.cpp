// c_api.cpp: narrator.h over narrator::Engine. Each extern "C" function that can fail runs its
// body through guarded(), which turns every exception into a status code and keeps the message on
// the handle; the others are noexcept by construction. No exception crosses the C boundary.
#include <charconv>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/audio/audio_chunk.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/audio/output_processing.hpp"
#include "narrator/cancel_token.hpp"
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
  std::string encoding;  // the input's character encoding; empty: UTF-8, or a page's own
};

// Where a failed call's message is kept, for narrator_last_error() and
// narrator_narration_last_error().
struct ErrorStore {
  std::string last_error;
  // Set instead of `last_error` when even the message could not be stored (out of memory).
  const char* fixed_error = nullptr;
};

// The engine's diagnostics sink: hands each diagnostic to the warning callback, if one is set, and
// keeps nothing. Shared by the engine handle, its Engine and its narrations, so that a narration
// can outlive the handle. report() runs on whichever thread reports (narrate_to's synthesis
// threads too); the lock keeps the callback's calls apart and its setting consistent.
class CallbackDiagnostics final : public narrator::Diagnostics {
 public:
  void set(narrator_warning_callback callback, void* user_data) {
    const std::lock_guard lock(mutex_);
    callback_ = callback;
    user_data_ = user_data;
  }

  void report(narrator::Diagnostic diagnostic) override {
    const std::lock_guard lock(mutex_);
    if (callback_ == nullptr) return;
    const narrator_diagnostic delivered{severity_of(diagnostic.severity), diagnostic.code.c_str(),
                                        diagnostic.message.c_str(), diagnostic.span.begin_byte,
                                        diagnostic.span.end_byte};
    callback_(&delivered, user_data_);
  }

 private:
  static int severity_of(narrator::Severity severity) noexcept {
    switch (severity) {
      case narrator::Severity::kInfo:
        return NARRATOR_SEVERITY_NOTE;
      case narrator::Severity::kWarning:
        return NARRATOR_SEVERITY_WARNING;
      case narrator::Severity::kError:
        return NARRATOR_SEVERITY_ERROR;
    }
    return NARRATOR_SEVERITY_WARNING;
  }

  std::mutex mutex_;
  narrator_warning_callback callback_ = nullptr;
  void* user_data_ = nullptr;
};

// The code-point offset of each byte offset asked for, counted from the last answer when the
// offsets go forwards (marks mostly do), so a narration counts its text about once.
class CharCounter {
 public:
  explicit CharCounter(std::string_view text) : text_(text) {}

  std::size_t char_offset(std::size_t byte) {
    if (byte > text_.size()) byte = text_.size();
    if (byte < byte_) byte_ = char_ = 0;
    for (; byte_ < byte; ++byte_) {
      // Every byte but a UTF-8 continuation byte (10xxxxxx) starts a code point.
      if ((static_cast<unsigned char>(text_[byte_]) & 0xC0) != 0x80) ++char_;
    }
    return char_;
  }

 private:
  std::string_view text_;  // the narration's text, which outlives the counter
  std::size_t byte_ = 0;
  std::size_t char_ = 0;
};

}  // namespace

struct narrator_engine : ErrorStore {
  Settings settings;
  // Declared before `engine`, which reports to it, so that it is destroyed after.
  std::shared_ptr<CallbackDiagnostics> diagnostics = std::make_shared<CallbackDiagnostics>();
  // Built from `settings` at the next synthesis when null; reset whenever an option changes.
  // Shared with the narrations started from it, which keep the options they started with.
  std::shared_ptr<const narrator::Engine> engine;
  // narrator_cancel() cancels `cancel_source` and puts a fresh one in its place; every call takes
  // a token of the one in place when it begins. The only state another thread may touch.
  std::mutex cancel_mutex;
  narrator::CancelSource cancel_source;
};

struct narrator_narration : ErrorStore {
  narrator_narration(std::shared_ptr<CallbackDiagnostics> diagnostics_in,
                     std::shared_ptr<const narrator::Engine> engine_in, std::string text_in,
                     narrator::Narration narration_in)
      : diagnostics(std::move(diagnostics_in)),
        engine(std::move(engine_in)),
        text(std::move(text_in)),
        chars(text),
        narration(std::move(narration_in)) {}

  // Kept alive for `narration`, which reports to the one and reads the other; declared first so
  // that they are destroyed last.
  std::shared_ptr<CallbackDiagnostics> diagnostics;
  std::shared_ptr<const narrator::Engine> engine;
  std::string text;  // Article::text, for narrator_narration_text() and the character offsets
  CharCounter chars;
  narrator::Narration narration;
  std::uint64_t next_frame = 0;     // frames returned so far
  bool over = false;                // the chunk with is_last was returned
  int failed_status = NARRATOR_OK;  // a failed next() makes every later one fail the same way
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

int fail(ErrorStore& handle, int status, const char* message) noexcept {
  try {
    handle.last_error = message;
  } catch (const std::bad_alloc&) {
    handle.fixed_error = "out of memory (the error message could not be stored)";
  }
  return status;
}

// Runs body(handle) and maps what it throws to a status; the message stays on the handle (an
// engine or a narration). A null handle has nowhere to keep a message, so it only gets the code.
template <typename Handle, typename Body>
int guarded(Handle* handle, Body&& body) noexcept {
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
    {"encoding", false,
     [](Settings& s, std::string_view, std::string_view value) {
       if (value == "auto") value = {};
       if (!value.empty() && !narrator::is_known_encoding(value)) {
         throw Error(ErrorCategory::kUsage,
                     "option 'encoding': '" + std::string(value) +
                         "' is not an encoding ICU knows; use a name such as windows-1251, "
                         "KOI8-R, ISO-8859-5, UTF-16 or UTF-8, or auto");
       }
       s.encoding = std::string(value);
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
const std::shared_ptr<const narrator::Engine>& ready_engine(narrator_engine& handle) {
  if (!handle.engine) {
    handle.engine =
        std::make_shared<const narrator::Engine>(handle.settings.config, *handle.diagnostics);
  }
  return handle.engine;
}

// A token that narrator_cancel() cancels from now on, for the call that is beginning.
narrator::CancelToken cancel_token(narrator_engine& handle) {
  const std::lock_guard lock(handle.cancel_mutex);
  return handle.cancel_source.token();
}

// A chunk as narrator_next() hands it out: the public struct first, so that the pointer to it is
// the pointer to the whole (standard layout), and the storage its pointers point into.
struct ChunkBox {
  narrator_chunk chunk{};
  std::vector<std::int16_t> samples;
  std::vector<narrator_mark> marks;
  std::vector<std::string> values;  // each mark's value
};
static_assert(std::is_standard_layout_v<ChunkBox>,
              "narrator_chunk_free() finds the ChunkBox from its first member");

int mark_kind_of(narrator::MarkKind kind) noexcept {
  switch (kind) {
    case narrator::MarkKind::kSentence:
      return NARRATOR_MARK_SENTENCE;
    case narrator::MarkKind::kWord:
      return NARRATOR_MARK_WORD;
    case narrator::MarkKind::kSsml:
      return NARRATOR_MARK_SSML;
  }
  return NARRATOR_MARK_WORD;
}

// The chunk as narrator_next() hands it out; its marks' frames count from the narration's start.
std::unique_ptr<ChunkBox> box_chunk(narrator::AudioChunk chunk, narrator_narration& narration) {
  auto box = std::make_unique<ChunkBox>();
  const int sample_rate_hz = chunk.format.sample_rate_hz;
  const std::uint64_t first_frame = narration.next_frame;
  box->values.reserve(chunk.marks.size());
  box->marks.reserve(chunk.marks.size());
  for (narrator::TimingMark& mark : chunk.marks) {
    const std::uint64_t frame = first_frame + mark.frame;
    box->values.push_back(std::move(mark.value));
    narrator_mark out{};
    out.kind = mark_kind_of(mark.kind);
    out.frame = frame;
    out.time_ms =
        sample_rate_hz > 0 ? frame * 1000 / static_cast<std::uint64_t>(sample_rate_hz) : 0;
    out.begin_byte = mark.span.begin_byte;
    out.end_byte = mark.span.end_byte;
    out.begin_char = narration.chars.char_offset(mark.span.begin_byte);
    out.end_char = narration.chars.char_offset(mark.span.end_byte);
    box->marks.push_back(out);
  }
  // The strings stay where they are from here on: point the marks at them.
  for (std::size_t i = 0; i < box->marks.size(); ++i) box->marks[i].value = box->values[i].c_str();
  box->samples = std::move(chunk.samples);

  narrator_chunk& out = box->chunk;
  out.samples = box->samples.empty() ? nullptr : box->samples.data();
  out.frame_count = chunk.format.channels > 0
                        ? box->samples.size() / static_cast<std::size_t>(chunk.format.channels)
                        : 0;
  out.sample_rate_hz = sample_rate_hz;
  out.channels = chunk.format.channels;
  out.first_frame = first_frame;
  out.sentence_index = chunk.sentence_index;
  out.pause_frame_count = chunk.pause_frame_count;
  out.marks = box->marks.empty() ? nullptr : box->marks.data();
  out.mark_count = box->marks.size();
  out.is_last = chunk.is_last ? 1 : 0;
  return box;
}

// How narrator_start() reads text in memory: as the "input" option says, or by its content.
narrator::InputFormat memory_input_format(const Settings& settings, std::string_view bytes) {
  return settings.input_format ? *settings.input_format : narrator::detect_input_format("", bytes);
}

narrator::ReadOptions read_options(const Settings& settings) {
  narrator::ReadOptions options;
  options.language = settings.config.language;
  options.encoding = settings.encoding;
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

narrator_engine* narrator_create(void) noexcept {
  try {
    return new narrator_engine();
  } catch (...) {
    // Only std::bad_alloc can arrive here. NULL is the documented answer to out of memory; there
    // is no handle yet to keep a message on.
    return nullptr;
  }
}

void narrator_destroy(narrator_engine* engine) noexcept { delete engine; }

int narrator_set_option(narrator_engine* engine, const char* name, const char* value) noexcept {
  return guarded(engine, [&](narrator_engine& handle) {
    require(name != nullptr, "narrator_set_option", "name");
    require(value != nullptr, "narrator_set_option", "value");
    const OptionRow& option = find_option(name);
    option.set(handle.settings, option.name, value);
    if (option.rebuilds_engine) handle.engine.reset();
  });
}

int narrator_set_warning_callback(narrator_engine* engine, narrator_warning_callback callback,
                                  void* user_data) noexcept {
  return guarded(engine,
                 [&](narrator_engine& handle) { handle.diagnostics->set(callback, user_data); });
}

int narrator_cancel(narrator_engine* engine) noexcept {
  if (engine == nullptr) return NARRATOR_ERR_USAGE;
  // Not guarded(): another thread may be inside a call on this handle, using its message.
  try {
    std::optional<narrator::CancelSource> fresh;
    try {
      fresh.emplace();
    } catch (const std::bad_alloc&) {
      // Stop what runs all the same, below; the calls that begin later are then cancelled too,
      // which is the safe side.
    }
    const std::lock_guard lock(engine->cancel_mutex);
    engine->cancel_source.cancel();
    if (!fresh) return NARRATOR_ERR_INTERNAL;
    engine->cancel_source = std::move(*fresh);
    return NARRATOR_OK;
  } catch (...) {
    return NARRATOR_ERR_INTERNAL;  // the lock failed: a system error
  }
}

int narrator_synthesize_file(narrator_engine* engine, const char* article_path,
                             const char* output_path) noexcept {
  return guarded(engine, [&](narrator_engine& handle) {
    require(article_path != nullptr, "narrator_synthesize_file", "article_path");
    require(output_path != nullptr, "narrator_synthesize_file", "output_path");
    const std::optional<narrator::AudioFormat> format =
        narrator::audio_format_from_path(output_path);
    if (!format) {
      throw Error(ErrorCategory::kUsage,
                  "cannot tell the audio format of '" + std::string(output_path) +
                      "' from its extension; use .wav, .mp3, .flac, .ogg, .opus or .raw");
    }
    const narrator::Article article =
        narrator::read_input_file(article_path, handle.settings.input_format,
                                  read_options(handle.settings), *handle.diagnostics);
    const narrator::CancelToken cancel = cancel_token(handle);
    const narrator::Engine& ready = *ready_engine(handle);
    const std::unique_ptr<narrator::AudioSink> sink = narrator::open_output_file(
        output_path, *format, ready.format(), {}, encoder_options(article), cancel);
    ready.narrate_to(article, *sink, cancel);
  });
}

int narrator_synthesize_text(narrator_engine* engine, const char* utf8_text, size_t length,
                             narrator_audio_callback callback, void* user_data) noexcept {
  return guarded(engine, [&](narrator_engine& handle) {
    require(utf8_text != nullptr, "narrator_synthesize_text", "utf8_text");
    require(callback != nullptr, "narrator_synthesize_text", "callback");
    const narrator::CancelToken cancel = cancel_token(handle);
    narrator::Article article =
        narrator::read_article(std::string(utf8_text, length), "<text>",
                               read_options(handle.settings), *handle.diagnostics);
    narrator::Narration narration = ready_engine(handle)->start(std::move(article), cancel);
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

int narrator_start(narrator_engine* engine, const char* utf8_text, size_t length,
                   narrator_narration** narration) noexcept {
  if (narration != nullptr) *narration = nullptr;
  return guarded(engine, [&](narrator_engine& handle) {
    require(utf8_text != nullptr, "narrator_start", "utf8_text");
    require(narration != nullptr, "narrator_start", "narration");
    const narrator::CancelToken cancel = cancel_token(handle);
    std::string bytes(utf8_text, length);
    const narrator::InputFormat format = memory_input_format(handle.settings, bytes);
    narrator::Article article = narrator::read_input(
        std::move(bytes), "<text>", format, read_options(handle.settings), *handle.diagnostics);
    std::string text = article.text;
    const std::shared_ptr<const narrator::Engine>& ready = ready_engine(handle);
    narrator::Narration started = ready->start(std::move(article), cancel);
    *narration =
        new narrator_narration(handle.diagnostics, ready, std::move(text), std::move(started));
  });
}

int narrator_next(narrator_narration* narration, narrator_chunk** chunk) noexcept {
  if (chunk != nullptr) *chunk = nullptr;
  if (narration != nullptr && narration->failed_status != NARRATOR_OK) {
    return narration->failed_status;  // the message of the failure stays
  }
  const int status = guarded(narration, [&](narrator_narration& handle) {
    require(chunk != nullptr, "narrator_next", "chunk");
    if (handle.over) return;
    std::optional<narrator::AudioChunk> next = handle.narration.next();
    if (!next) {
      handle.over = true;
      return;
    }
    const bool is_last = next->is_last;
    std::unique_ptr<ChunkBox> box = box_chunk(std::move(*next), handle);
    handle.next_frame += box->chunk.frame_count;
    handle.over = is_last;
    *chunk = &box.release()->chunk;
  });
  if (narration != nullptr && chunk != nullptr && status != NARRATOR_OK) {
    narration->failed_status = status;
  }
  return status;
}

void narrator_chunk_free(narrator_chunk* chunk) noexcept {
  // narrator_next() hands out the first member of a ChunkBox (see box_chunk()).
  delete reinterpret_cast<ChunkBox*>(chunk);
}

size_t narrator_narration_sentence_count(const narrator_narration* narration) noexcept {
  return narration != nullptr ? narration->narration.sentence_count() : 0;
}

const char* narrator_narration_text(const narrator_narration* narration, size_t* length) noexcept {
  if (narration == nullptr) {
    if (length != nullptr) *length = 0;
    return nullptr;
  }
  if (length != nullptr) *length = narration->text.size();
  return narration->text.c_str();
}

const char* narrator_narration_last_error(const narrator_narration* narration) noexcept {
  if (narration == nullptr) return "narrator_narration_last_error: the narration handle is NULL";
  return narration->fixed_error != nullptr ? narration->fixed_error : narration->last_error.c_str();
}

void narrator_narration_free(narrator_narration* narration) noexcept { delete narration; }

const char* narrator_last_error(const narrator_engine* engine) noexcept {
  if (engine == nullptr) return "narrator_last_error: the engine handle is NULL";
  return engine->fixed_error != nullptr ? engine->fixed_error : engine->last_error.c_str();
}

const char* narrator_version(void) noexcept { return NARRATOR_VERSION_STRING; }

}  // extern "C"
