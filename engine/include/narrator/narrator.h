/* narrator.h: Narrator's C API, a thin layer over narrator::Engine (engine.hpp).
 *
 * Usable from C99 and C++; no C++ type crosses this header and no exception leaves it. It is the
 * whole interface of the shared library libnarrator.so, which exports nothing else, so it can be
 * loaded from any language with a C foreign-function interface (Python's ctypes, cffi, Go, Node).
 *
 *   narrator_engine* engine = narrator_create();           // ... narrator_destroy(engine)
 *   if (engine == NULL) { ... out of memory ... }
 *   narrator_set_option(engine, "voice", "en-gb");
 *   narrator_set_option(engine, "rate", "160");
 *   if (narrator_synthesize_file(engine, "story.txt", "story.mp3") != NARRATOR_OK) {
 *     fprintf(stderr, "%s\n", narrator_last_error(engine));
 *   }
 *   narrator_destroy(engine);
 *
 * Three ways to get audio: narrator_synthesize_file() writes a file; narrator_synthesize_text()
 * pushes each sentence's samples to a callback; narrator_start() and narrator_next() let the
 * caller pull one chunk at a time, with its speech marks (the time of each sentence and word and
 * where it stands in the text).
 *
 * Status: every function that can fail returns an int, NARRATOR_OK (0) on success or one of the
 * negative NARRATOR_ERR_* codes, and keeps a message for a person on the handle, which
 * narrator_last_error() (narrator_narration_last_error() for a narration) returns: what is wrong,
 * where (path:line:column when it is in a file) and what to do about it.
 *
 * Ownership: a pointer this header returns is either owned by the caller, and then the comment
 * names the function that frees it (narrator_create() / narrator_destroy(), narrator_start() /
 * narrator_narration_free(), narrator_next() / narrator_chunk_free()), or owned by Narrator, and
 * then the comment says until when it stays valid. A pointer the caller passes in is only read
 * during the call, except the user_data of the callbacks, which Narrator hands back untouched.
 *
 * Threads: an engine handle and the narrations started from it are not thread-safe; use them
 * from one thread at a time (not necessarily the same one). The one exception is
 * narrator_cancel(), which may be called from any thread at any time while the engine exists.
 * Separate engines may be used on separate threads. The speech backend (eSpeak NG) is
 * process-wide, so their syntheses are serialized rather than run in parallel.
 *
 * Warnings: what Narrator notices on the way (a word it had to guess, an SSML language without a
 * voice, text it left out) goes to the warning callback as it happens, if one is set
 * (narrator_set_warning_callback()); nothing is kept on the handle.
 *
 * Linking: `pkg-config --cflags --libs narrator` or, with CMake, find_package(Narrator) then
 * Narrator::narrator give the shared library; a C compiler is enough. The same functions are in
 * the static libraries too (`pkg-config --libs --static narrator-static`, Narrator::engine),
 * which need the C++ runtime and their dependencies at link time.
 */
#ifndef NARRATOR_NARRATOR_H
#define NARRATOR_NARRATOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks what libnarrator.so exports. */
#if defined(__GNUC__)
#define NARRATOR_API __attribute__((visibility("default")))
#else
#define NARRATOR_API
#endif

/* No function of this header throws; C++ callers see it. */
#ifdef __cplusplus
#define NARRATOR_NOEXCEPT noexcept
#else
#define NARRATOR_NOEXCEPT
#endif

/* The version of this header; narrator_version() gives the library's. */
#define NARRATOR_VERSION_MAJOR 0
#define NARRATOR_VERSION_MINOR 1
#define NARRATOR_VERSION_PATCH 0
#define NARRATOR_VERSION_STRING "0.1.0"

/* Status codes. Each error code stands for one narrator::ErrorCategory. */
enum narrator_status {
  NARRATOR_OK = 0,
  /* A null handle or argument, an unknown option, a bad option value, an unknown voice. */
  NARRATOR_ERR_USAGE = -1,
  /* The article or a lexicon file is missing, unreadable or malformed. */
  NARRATOR_ERR_INPUT = -2,
  /* The output file cannot be written. */
  NARRATOR_ERR_OUTPUT = -3,
  /* A sound device failed (no function of this header plays sound today). */
  NARRATOR_ERR_DEVICE = -4,
  /* The speech backend failed, or its data is missing. */
  NARRATOR_ERR_BACKEND = -5,
  /* Stopped on request: narrator_cancel() was called, or the audio callback returned non-zero. */
  NARRATOR_ERR_CANCELLED = -6,
  /* Out of memory, or a bug in Narrator. */
  NARRATOR_ERR_INTERNAL = -7
};

/* An engine with its options. Opaque: only a pointer from narrator_create() is valid. */
typedef struct narrator_engine narrator_engine;

/* ---- Engines and options ------------------------------------------------------------------- */

/* Creates an engine with the default options (voice "en-us", 175 words per minute, the built-in
 * lexicons, input format detected). The speech backend is loaded later, by the first synthesis,
 * so creating is cheap and cannot fail for a missing voice.
 *
 * Returns the handle, owned by the caller, or NULL when memory runs out. Pair with
 * narrator_destroy(). */
NARRATOR_API narrator_engine* narrator_create(void) NARRATOR_NOEXCEPT;

/* Destroys an engine made by narrator_create(). NULL is allowed and does nothing. The handle and
 * every string it returned are invalid afterwards. Must not run while another thread uses the
 * handle (narrator_cancel() included). Narrations started from it stay usable: each keeps what
 * it needs, and must still be freed with narrator_narration_free(). */
NARRATOR_API void narrator_destroy(narrator_engine* engine) NARRATOR_NOEXCEPT;

/* Sets one option. Both strings are copied; the caller keeps ownership. An option takes effect at
 * the next synthesis, which rebuilds the engine when any option changed since the last one;
 * narrations already started keep the options they started with.
 *
 * name                  value
 * "voice"               a voice name, identifier or language, as `narrate voices` lists them
 *                       ("en-us", "en-gb", "gmw/en-US")
 * "rate"                speaking rate in words per minute, an integer (80-450)
 * "pitch"               base pitch, an integer (0-100)
 * "volume"              amplitude, an integer (0-200; 100 is normal)
 * "sentence_pause_ms"   silence after each sentence, in milliseconds (0-10000)
 * "paragraph_pause_ms"  silence at the end of a paragraph, in milliseconds (0-10000)
 * "heading_pause_ms"    silence after a headline or subhead, in milliseconds (0-10000)
 * "lexicon"             adds a house pronunciation lexicon (TSV or W3C PLS) by path; a later file
 *                       wins over an earlier one. The empty string removes every added file.
 * "input"               how narrator_synthesize_file() and narrator_start() read the article:
 *                       "text", "html", "ssml", or "auto" (the default: by the file's extension,
 *                       then by content; in memory, by content alone)
 * "encoding"            the character encoding of the article's bytes, for
 *                       narrator_synthesize_file(), narrator_synthesize_text() and
 *                       narrator_start(): an ICU converter name or alias ("windows-1251",
 *                       "KOI8-R", "ISO-8859-5", "UTF-16"), converted to UTF-8 as it is read (the
 *                       offsets of speech marks and narrator_narration_text() are then in that
 *                       UTF-8 text); "auto" or "" (the default): text is UTF-8, and an HTML page's
 *                       encoding is its byte order mark's, its <meta charset>'s, or detected. A
 *                       page's byte order mark wins over the option.
 *
 * Returns NARRATOR_OK; NARRATOR_ERR_USAGE for a null handle, name or value, an unknown name, a
 * value that is not an integer where one is needed, or an encoding ICU does not know. Ranges, voice
 * names and lexicon files are checked when the next synthesis builds the engine, which then fails
 * with NARRATOR_ERR_USAGE (a range, naming the field such as "voice.rate_wpm"; an unknown voice,
 * with close matches) or NARRATOR_ERR_INPUT (a lexicon file, with its path:line); set a good value
 * and synthesize again. A failed call leaves the option as it was. */
NARRATOR_API int narrator_set_option(narrator_engine* engine, const char* name,
                                     const char* value) NARRATOR_NOEXCEPT;

/* ---- Warnings ------------------------------------------------------------------------------ */

/* How much a diagnostic matters. */
enum narrator_severity {
  NARRATOR_SEVERITY_NOTE = 0,    /* for information: where a pronunciation came from */
  NARRATOR_SEVERITY_WARNING = 1, /* the narration differs from what the input asked for */
  NARRATOR_SEVERITY_ERROR = 2    /* part of the input could not be read at all */
};

/* One diagnostic, as narrator_warning_callback receives it.
 *
 * Every pointer is owned by Narrator and valid only during the callback: copy what you keep. */
typedef struct narrator_diagnostic {
  int severity;        /* enum narrator_severity */
  const char* code;    /* a stable dotted identifier ("lex.guessed", "ssml.no_voice"), NUL-ended */
  const char* message; /* a complete sentence for a person, UTF-8, NUL-terminated */
  /* UTF-8 byte offsets, [begin_byte, end_byte), of what it is about in the article's text (see
   * narrator_narration_text()); equal when it concerns the whole input. */
  size_t begin_byte;
  size_t end_byte;
} narrator_diagnostic;

/* Receives each diagnostic as it happens. user_data is the pointer given to
 * narrator_set_warning_callback(). Calls for one engine never overlap, but they may come from
 * Narrator's synthesis threads (any of them, one at a time) while narrator_synthesize_file()
 * runs, not only from the thread that called into Narrator. The callback must return promptly
 * and must not call functions of this header on the same engine or its narrations, except
 * narrator_cancel(). */
typedef void (*narrator_warning_callback)(const narrator_diagnostic* diagnostic, void* user_data);

/* Sets the warning callback of `engine` and of the narrations started from it, from the next
 * diagnostic on; NULL removes it. Diagnostics reported while no callback is set are dropped:
 * nothing accumulates on the handle. `user_data` is not touched by Narrator, only handed back; it
 * must stay valid as long as the callback is set (or a narration of this engine is alive).
 *
 * Returns NARRATOR_OK; NARRATOR_ERR_USAGE for a null engine. */
NARRATOR_API int narrator_set_warning_callback(narrator_engine* engine,
                                               narrator_warning_callback callback,
                                               void* user_data) NARRATOR_NOEXCEPT;

/* ---- Cancellation -------------------------------------------------------------------------- */

/* Stops what `engine` is doing: a narrator_synthesize_file() or narrator_synthesize_text() running
 * on another thread, and every narration started from it that is not freed yet. Each of them
 * returns NARRATOR_ERR_CANCELLED at its next check (between sentences and during synthesis, so
 * within a fraction of a second); a file being written is removed and an older file at its path
 * is left as it was. Calls that begin after narrator_cancel() returned are not affected.
 *
 * Safe to call from any thread, at any time, any number of times, while the handle exists (not
 * during or after narrator_destroy()); also from the callbacks. Never blocks on a synthesis and
 * does not change narrator_last_error().
 *
 * Returns NARRATOR_OK; NARRATOR_ERR_USAGE for a null engine; NARRATOR_ERR_INTERNAL when memory
 * runs out (what was running is stopped all the same). */
NARRATOR_API int narrator_cancel(narrator_engine* engine) NARRATOR_NOEXCEPT;

/* ---- Whole-file and callback synthesis ----------------------------------------------------- */

/* Reads the article at article_path (UTF-8 text, HTML or SSML; see the "input" option) and
 * writes its narration to output_path, in the encoding its extension names: .wav (16-bit PCM),
 * .mp3, .flac, .ogg or .oga (Ogg Vorbis), .opus (Ogg Opus, resampled to 48000 Hz unless the voice
 * speaks at a rate Opus takes), .raw or .pcm (headerless 16-bit little-endian). Tags
 * (title, byline, publication, date) come from the article's metadata. An MP3 is normalized to
 * -16 LUFS integrated loudness (EBU R128, true peak at most -1 dBTP), as `narrate` makes it; other
 * formats keep the voice's level.
 *
 * The file appears only whole: audio goes to a temporary file beside output_path, renamed onto it
 * at the end. On any failure an older file at output_path is left untouched.
 *
 * Blocks until the whole file is written. Returns NARRATOR_OK; NARRATOR_ERR_USAGE for a null
 * argument, an unknown extension, a bad option or an unknown voice; NARRATOR_ERR_INPUT when the
 * article or a lexicon cannot be read or is malformed; NARRATOR_ERR_OUTPUT when the output cannot
 * be written; NARRATOR_ERR_BACKEND when synthesis fails; NARRATOR_ERR_CANCELLED after
 * narrator_cancel(); NARRATOR_ERR_INTERNAL otherwise. */
NARRATOR_API int narrator_synthesize_file(narrator_engine* engine, const char* article_path,
                                          const char* output_path) NARRATOR_NOEXCEPT;

/* Receives synthesized audio, one sentence (speech plus the pause after it) per call, in order.
 *
 * samples:        frame_count * channels signed 16-bit samples, interleaved when channels > 1.
 *                 Owned by Narrator and valid only during the call: copy what you keep.
 * frame_count:    frames in `samples` (> 0).
 * sample_rate_hz: frames per second; the same on every call of one synthesis.
 * channels:       samples per frame (1 today).
 * user_data:      the pointer given to narrator_synthesize_text().
 *
 * Return 0 to go on, or non-zero to stop: the synthesis then ends at once and returns
 * NARRATOR_ERR_CANCELLED. The callback runs on the thread that called narrator_synthesize_text()
 * and must not call functions of this header on the same handle, except narrator_cancel(). */
typedef int (*narrator_audio_callback)(const int16_t* samples, size_t frame_count,
                                       int sample_rate_hz, int channels, void* user_data);

/* Narrates the `length` bytes at utf8_text, UTF-8 plain text (no terminating NUL needed; the
 * "input" option does not apply), and hands the audio to `callback`, one sentence per call, on the
 * calling thread; returns when the last sentence was delivered or the callback asked to stop.
 * The text is read as `narrate` reads a .txt article: blank lines separate paragraphs, a short
 * line without final punctuation is a heading, and page furniture (share prompts, photo credits)
 * is left out.
 *
 * Returns NARRATOR_OK when every sentence was delivered; NARRATOR_ERR_CANCELLED when the
 * callback returned non-zero (no further calls are made) or after narrator_cancel();
 * NARRATOR_ERR_USAGE for a null handle, text or callback, a bad option or an unknown voice;
 * NARRATOR_ERR_INPUT for invalid UTF-8, a NUL byte or text with nothing to say;
 * NARRATOR_ERR_BACKEND when synthesis fails; NARRATOR_ERR_INTERNAL otherwise. */
NARRATOR_API int narrator_synthesize_text(narrator_engine* engine, const char* utf8_text,
                                          size_t length, narrator_audio_callback callback,
                                          void* user_data) NARRATOR_NOEXCEPT;

/* ---- Pull API: one chunk at a time, with speech marks -------------------------------------- */

/* A narration in progress. Opaque: only a pointer from narrator_start() is valid. */
typedef struct narrator_narration narrator_narration;

/* What a speech mark stands for. */
enum narrator_mark_kind {
  NARRATOR_MARK_SENTENCE = 0, /* a sentence begins; value is the sentence as written */
  NARRATOR_MARK_WORD = 1,     /* a word (or a token read as several, "1,227") begins; value is it
                                 as written */
  NARRATOR_MARK_SSML = 2      /* an SSML <mark> is reached; value is its name, the span is empty */
};

/* A point in the audio tied to the text it speaks.
 *
 * Offsets count into the narration's text, narrator_narration_text(): for plain text input that
 * is the input itself, byte for byte; for HTML and SSML it is the text read out of the markup. */
typedef struct narrator_mark {
  int kind;          /* enum narrator_mark_kind */
  uint64_t frame;    /* where it is spoken: frames from the start of the narration */
  uint64_t time_ms;  /* the same point in milliseconds from the start (rounded down) */
  size_t begin_byte; /* UTF-8 byte offsets of the text, [begin_byte, end_byte) */
  size_t end_byte;
  size_t begin_char; /* the same span in Unicode code points, [begin_char, end_char) */
  size_t end_char;
  const char* value; /* UTF-8, NUL-terminated; owned by the chunk */
} narrator_mark;

/* One sentence's audio (speech plus the pause after it) and its marks. Owned by the caller, from
 * narrator_next() until narrator_chunk_free(); every pointer in it is owned by the chunk and valid
 * exactly as long. Read-only: change nothing in it. */
typedef struct narrator_chunk {
  const int16_t* samples;     /* frame_count * channels signed 16-bit samples, interleaved */
  size_t frame_count;         /* frames in samples; 0 only when a sentence had nothing to say */
  int sample_rate_hz;         /* frames per second; the same on every chunk of a narration */
  int channels;               /* samples per frame (1 today) */
  uint64_t first_frame;       /* frames of the narration before this chunk */
  size_t sentence_index;      /* which sentence this is, from 0 */
  size_t pause_frame_count;   /* trailing frames of silence after the speech, included above */
  const narrator_mark* marks; /* mark_count marks in time order: the sentence, then its words;
                                 NULL when mark_count is 0 */
  size_t mark_count;
  int is_last; /* non-zero on the narration's final chunk */
} narrator_chunk;

/* Starts narrating the `length` bytes at utf8_text (no terminating NUL needed; copied, so the
 * caller may free it at once), read as the "input" option says ("auto": SSML when it starts with
 * <speak>, HTML when it starts with <!DOCTYPE html> or <html>, else plain text, read as
 * narrator_synthesize_text() reads it). Reading happens now; synthesis happens in
 * narrator_next(), on the thread that calls it.
 *
 * On success sets *narration to a new narration, owned by the caller: pair with
 * narrator_narration_free(). It keeps the engine's options as they are now, and stays usable
 * after narrator_destroy(engine); narrator_cancel(engine) stops it while the engine exists.
 *
 * Returns NARRATOR_OK; NARRATOR_ERR_USAGE for a null argument, a bad option or an unknown voice;
 * NARRATOR_ERR_INPUT for input that cannot be read (invalid UTF-8, malformed SSML, nothing to
 * say); NARRATOR_ERR_BACKEND when the voice cannot be loaded; NARRATOR_ERR_INTERNAL otherwise. On
 * failure *narration is set to NULL (when `narration` is not NULL) and the message is on the
 * engine, narrator_last_error(). */
NARRATOR_API int narrator_start(narrator_engine* engine, const char* utf8_text, size_t length,
                                narrator_narration** narration) NARRATOR_NOEXCEPT;

/* Synthesizes the next sentence. On NARRATOR_OK sets *chunk to it, owned by the caller (pair with
 * narrator_chunk_free()), or to NULL once the chunk with is_last was returned: the narration is
 * over, and further calls return NARRATOR_OK with NULL again.
 *
 * Returns NARRATOR_OK; NARRATOR_ERR_CANCELLED after narrator_cancel() on its engine;
 * NARRATOR_ERR_BACKEND when synthesis fails; NARRATOR_ERR_USAGE for a null argument;
 * NARRATOR_ERR_INTERNAL otherwise. On failure *chunk is NULL (when `chunk` is not NULL), the
 * message is narrator_narration_last_error(), and every further call returns the same status:
 * free the narration. */
NARRATOR_API int narrator_next(narrator_narration* narration,
                               narrator_chunk** chunk) NARRATOR_NOEXCEPT;

/* Frees a chunk from narrator_next() and everything it points to. NULL is allowed and does
 * nothing. A chunk may be freed before or after its narration. */
NARRATOR_API void narrator_chunk_free(narrator_chunk* chunk) NARRATOR_NOEXCEPT;

/* The number of sentences (and so of chunks) the narration will have; 0 for NULL. */
NARRATOR_API size_t narrator_narration_sentence_count(const narrator_narration* narration)
    NARRATOR_NOEXCEPT;

/* The text the marks' and diagnostics' offsets count into (see narrator_mark), UTF-8 and
 * NUL-terminated; its length in bytes goes to *length when `length` is not NULL. Owned by the
 * narration and valid until narrator_narration_free(). NULL for a NULL narration. */
NARRATOR_API const char* narrator_narration_text(const narrator_narration* narration,
                                                 size_t* length) NARRATOR_NOEXCEPT;

/* Why the most recent narrator_next() on `narration` failed; "" when it did not. Never NULL.
 * Owned by the narration: valid until the next narrator_next() or narrator_narration_free().
 * For a NULL narration, returns a fixed message saying so. */
NARRATOR_API const char* narrator_narration_last_error(const narrator_narration* narration)
    NARRATOR_NOEXCEPT;

/* Frees a narration from narrator_start(), stopping it; chunks already returned stay valid. NULL
 * is allowed and does nothing. */
NARRATOR_API void narrator_narration_free(narrator_narration* narration) NARRATOR_NOEXCEPT;

/* ---- Errors and version -------------------------------------------------------------------- */

/* Why the most recent call on `engine` failed; "" when it succeeded or no call was made yet.
 * Every function taking the handle, except this one and narrator_cancel(), clears the message
 * first. Never NULL.
 *
 * Owned by the handle: valid until the next call on it other than narrator_last_error() and
 * narrator_cancel(), or until narrator_destroy(). For a NULL engine, returns a fixed message
 * saying so. */
NARRATOR_API const char* narrator_last_error(const narrator_engine* engine) NARRATOR_NOEXCEPT;

/* The library's version, "MAJOR.MINOR.PATCH". Static storage; never NULL, never freed. */
NARRATOR_API const char* narrator_version(void) NARRATOR_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NARRATOR_NARRATOR_H */
