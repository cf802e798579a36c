/* narrator.h: Narrator's C API, a thin layer over narrator::Engine (engine.hpp).
 *
 * Usable from C99 and C++; no C++ type crosses this header and no exception leaves it.
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
 * Status: every function that can fail returns an int, NARRATOR_OK (0) on success or one of the
 * negative NARRATOR_ERR_* codes, and keeps a message for a person on the handle, which
 * narrator_last_error() returns: what is wrong, where (path:line:column when it is in a file) and
 * what to do about it.
 *
 * Threads: a handle is not thread-safe; use it from one thread at a time. Separate handles may be
 * used on separate threads. The speech backend (eSpeak NG) is process-wide, so their syntheses
 * are serialized rather than run in parallel.
 *
 * Linking: the Narrator libraries are static C++ libraries. Link them with a C++ linker, or add
 * the C++ runtime; `pkg-config --libs --static narrator` and the CMake package
 * (find_package(Narrator) then Narrator::engine) give the full list.
 */
#ifndef NARRATOR_NARRATOR_H
#define NARRATOR_NARRATOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
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
  /* The audio callback asked to stop. */
  NARRATOR_ERR_CANCELLED = -6,
  /* Out of memory, or a bug in Narrator. */
  NARRATOR_ERR_INTERNAL = -7
};

/* An engine with its options. Opaque: only a pointer from narrator_create() is valid. */
typedef struct narrator_engine narrator_engine;

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
 * and must not call functions of this header on the same handle. */
typedef int (*narrator_audio_callback)(const int16_t* samples, size_t frame_count,
                                       int sample_rate_hz, int channels, void* user_data);

/* Creates an engine with the default options (voice "en-us", 175 words per minute, the built-in
 * lexicons, input format detected). The speech backend is loaded later, by the first synthesis,
 * so creating is cheap and cannot fail for a missing voice.
 *
 * Returns the handle, or NULL when memory runs out. Pair with narrator_destroy(). */
narrator_engine* narrator_create(void);

/* Destroys an engine made by narrator_create(). NULL is allowed and does nothing. The handle and
 * every string it returned are invalid afterwards. */
void narrator_destroy(narrator_engine* engine);

/* Sets one option. Both strings are copied; the caller keeps ownership. An option takes effect at
 * the next synthesis, which rebuilds the engine when any option changed since the last one.
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
 * "input"               how narrator_synthesize_file() reads the article: "text", "html", "ssml",
 *                       or "auto" (the default: by extension, then by content)
 *
 * Returns NARRATOR_OK; NARRATOR_ERR_USAGE for a null handle, name or value, an unknown name, or a
 * value that is not an integer where one is needed. Ranges, voice names and lexicon files are
 * checked when the next synthesis builds the engine, which then fails with NARRATOR_ERR_USAGE
 * (a range, naming the field such as "voice.rate_wpm"; an unknown voice, with close matches) or
 * NARRATOR_ERR_INPUT (a lexicon file, with its path:line); set a good value and synthesize again.
 * A failed call leaves the option as it was. */
int narrator_set_option(narrator_engine* engine, const char* name, const char* value);

/* Reads the article at article_path (UTF-8 text, HTML or SSML; see the "input" option) and
 * writes its narration to output_path, in the encoding its extension names: .wav (16-bit PCM),
 * .mp3, .flac, .ogg or .oga (Ogg Vorbis), .raw or .pcm (headerless 16-bit little-endian). Tags
 * (title, byline, publication, date) come from the article's metadata.
 *
 * The file appears only whole: audio goes to a temporary file beside output_path, renamed onto it
 * at the end. On any failure an older file at output_path is left untouched.
 *
 * Blocks until the whole file is written. Returns NARRATOR_OK; NARRATOR_ERR_USAGE for a null
 * argument, an unknown extension, a bad option or an unknown voice; NARRATOR_ERR_INPUT when the
 * article or a lexicon cannot be read or is malformed; NARRATOR_ERR_OUTPUT when the output cannot
 * be written; NARRATOR_ERR_BACKEND when synthesis fails; NARRATOR_ERR_INTERNAL otherwise. */
int narrator_synthesize_file(narrator_engine* engine, const char* article_path,
                             const char* output_path);

/* Narrates the `length` bytes at utf8_text, UTF-8 plain text (no terminating NUL needed; the
 * "input" option does not apply), and hands the audio to `callback`, one sentence per call, on the
 * calling thread; returns when the last sentence was delivered or the callback asked to stop.
 * The text is read as `narrate` reads a .txt article: blank lines separate paragraphs, a short
 * line without final punctuation is a heading, and page furniture (share prompts, photo credits)
 * is left out.
 *
 * Returns NARRATOR_OK when every sentence was delivered; NARRATOR_ERR_CANCELLED when the
 * callback returned non-zero (no further calls are made); NARRATOR_ERR_USAGE for a null handle,
 * text or callback, a bad option or an unknown voice; NARRATOR_ERR_INPUT for invalid UTF-8, a NUL
 * byte or text with nothing to say; NARRATOR_ERR_BACKEND when synthesis fails;
 * NARRATOR_ERR_INTERNAL otherwise. */
int narrator_synthesize_text(narrator_engine* engine, const char* utf8_text, size_t length,
                             narrator_audio_callback callback, void* user_data);

/* Why the most recent call on `engine` failed; "" when it succeeded or no call was made yet.
 * Every function taking the handle, except this one, clears the message first. Never NULL.
 *
 * Owned by the handle: valid until the next call on it other than narrator_last_error(), or until
 * narrator_destroy(). For a NULL engine, returns a fixed message saying so. */
const char* narrator_last_error(const narrator_engine* engine);

/* The library's version, "MAJOR.MINOR.PATCH". Static storage; never NULL, never freed. */
const char* narrator_version(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NARRATOR_NARRATOR_H */
