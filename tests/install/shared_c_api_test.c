/* shared_c_api_test.c: libnarrator.so as a C program sees it, compiled as C99 against the installed
 * header and linked with the C compiler through `pkg-config --libs narrator` (no C++ anywhere).
 * Run by run_shared_api_test.sh with the real eSpeak NG voice.
 *
 *   shared_c_api_test WORK_DIR    (writes only in WORK_DIR)
 *
 * Checks the pull API (chunks that are not silence, whose length matches the callback API's, and
 * marks in order whose offsets slice the input to the word), the warning callback, and
 * narrator_cancel() from another thread stopping each kind of synthesis, and the "encoding"
 * option. Prints one line per failed check and exits 1 when any failed. */
#include <math.h>
#include <narrator/narrator.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A headline, then a paragraph with a non-ASCII word (so that bytes and characters differ) and a
 * Belarusian name from the built-in lexicon (so that the lexicon reports a note). */
static const char kArticle[] =
    "Harbour reopens after the storm\n"
    "\n"
    "The harbour at Millbrook reopened on Tuesday morning, and the caf\xC3\xA9 by the pier opened "
    "too. Ferries are back on their usual timetable. Aleinik took the first boat at 7:15 a.m.\n";

/* An SSML language without a voice: read with the engine's voice, with an ssml.no_voice warning. */
static const char kSsml[] =
    "<speak>The word <lang xml:lang=\"xx-nowhere\">bonjour</lang> is French.</speak>";

static const double kSilenceFloorRms = 300.0;

static int failures = 0;

static void check(int ok, const char* format, ...) {
  va_list args;
  if (ok) return;
  failures += 1;
  fprintf(stderr, "FAIL: ");
  va_start(args, format);
  vfprintf(stderr, format, args);
  va_end(args);
  fputc('\n', stderr);
}

static void step(const char* name) { fprintf(stderr, "shared_c_api_test: %s\n", name); }

static narrator_engine* make_engine(void) {
  narrator_engine* engine = narrator_create();
  if (engine == NULL) {
    fprintf(stderr, "FAIL: narrator_create returned NULL\n");
    exit(1);
  }
  return engine;
}

/* Code points in the first `bytes` bytes of `text`. */
static size_t count_chars(const char* text, size_t bytes) {
  size_t chars = 0, i;
  for (i = 0; i < bytes; ++i) {
    if (((unsigned char)text[i] & 0xC0) != 0x80) chars += 1;
  }
  return chars;
}

/* ---- The pull API --------------------------------------------------------------------------- */

struct pulled {
  size_t chunk_count;
  size_t frame_count;
  double square_sum;
  int sample_rate_hz;
};

static void check_marks(const narrator_chunk* chunk, const char* text, size_t text_length,
                        uint64_t* last_frame, size_t* word_count) {
  size_t i;
  const uint64_t chunk_end = chunk->first_frame + chunk->frame_count;
  for (i = 0; i < chunk->mark_count; ++i) {
    const narrator_mark* mark = &chunk->marks[i];
    const size_t length = mark->end_byte - mark->begin_byte;
    check(mark->frame >= *last_frame, "mark %lu of sentence %lu goes back in time",
          (unsigned long)i, (unsigned long)chunk->sentence_index);
    check(mark->frame >= chunk->first_frame && mark->frame <= chunk_end,
          "mark '%s' at frame %lu is outside its chunk [%lu, %lu]", mark->value,
          (unsigned long)mark->frame, (unsigned long)chunk->first_frame, (unsigned long)chunk_end);
    check(mark->time_ms == mark->frame * 1000 / (uint64_t)chunk->sample_rate_hz,
          "mark '%s': time_ms %lu does not match frame %lu", mark->value,
          (unsigned long)mark->time_ms, (unsigned long)mark->frame);
    *last_frame = mark->frame;
    check(mark->begin_byte <= mark->end_byte && mark->end_byte <= text_length,
          "mark '%s' spans bytes [%lu, %lu) of %lu", mark->value, (unsigned long)mark->begin_byte,
          (unsigned long)mark->end_byte, (unsigned long)text_length);
    if (mark->end_byte > text_length) continue;
    check(mark->begin_char == count_chars(text, mark->begin_byte) &&
              mark->end_char == count_chars(text, mark->end_byte),
          "mark '%s': characters [%lu, %lu) do not match bytes [%lu, %lu)", mark->value,
          (unsigned long)mark->begin_char, (unsigned long)mark->end_char,
          (unsigned long)mark->begin_byte, (unsigned long)mark->end_byte);
    if (mark->kind == NARRATOR_MARK_WORD || mark->kind == NARRATOR_MARK_SENTENCE) {
      check(length > 0 && strlen(mark->value) == length &&
                memcmp(text + mark->begin_byte, mark->value, length) == 0,
            "mark '%s' does not slice the input: bytes [%lu, %lu) are '%.*s'", mark->value,
            (unsigned long)mark->begin_byte, (unsigned long)mark->end_byte, (int)length,
            text + mark->begin_byte);
    }
    if (mark->kind == NARRATOR_MARK_WORD) {
      *word_count += 1;
      if (strcmp(mark->value, "caf\xC3\xA9") == 0) {
        check(mark->end_char - mark->begin_char == 4 && length == 5,
              "'caf\xC3\xA9' is %lu characters in %lu bytes",
              (unsigned long)(mark->end_char - mark->begin_char), (unsigned long)length);
      }
    }
  }
  check(chunk->mark_count > 0 && chunk->marks[0].kind == NARRATOR_MARK_SENTENCE,
        "sentence %lu does not start with its sentence mark", (unsigned long)chunk->sentence_index);
}

/* Pulls the whole narration of `text`; returns the status of the first failing call. */
static int pull_all(narrator_engine* engine, const char* text, size_t length,
                    struct pulled* pulled) {
  narrator_narration* narration = NULL;
  narrator_chunk* chunk = NULL;
  uint64_t last_frame = 0;
  size_t word_count = 0, i, text_length = 0;
  const char* narration_text;
  int status = narrator_start(engine, text, length, &narration);
  if (status != NARRATOR_OK) return status;
  narration_text = narrator_narration_text(narration, &text_length);
  check(narrator_narration_sentence_count(narration) == 4, "%lu sentences, want 4",
        (unsigned long)narrator_narration_sentence_count(narration));
  for (;;) {
    status = narrator_next(narration, &chunk);
    if (status != NARRATOR_OK || chunk == NULL) break;
    check(chunk->sentence_index == pulled->chunk_count, "chunk %lu says sentence %lu",
          (unsigned long)pulled->chunk_count, (unsigned long)chunk->sentence_index);
    check(chunk->first_frame == pulled->frame_count, "chunk %lu starts at frame %lu, want %lu",
          (unsigned long)pulled->chunk_count, (unsigned long)chunk->first_frame,
          (unsigned long)pulled->frame_count);
    check(chunk->channels == 1 && chunk->sample_rate_hz > 0, "chunk format %d Hz x %d",
          chunk->sample_rate_hz, chunk->channels);
    check(pulled->sample_rate_hz == 0 || pulled->sample_rate_hz == chunk->sample_rate_hz,
          "the sample rate changed");
    check(chunk->pause_frame_count < chunk->frame_count, "chunk %lu is all pause",
          (unsigned long)pulled->chunk_count);
    pulled->sample_rate_hz = chunk->sample_rate_hz;
    for (i = 0; i < chunk->frame_count * (size_t)chunk->channels; ++i) {
      pulled->square_sum += (double)chunk->samples[i] * chunk->samples[i];
    }
    check_marks(chunk, narration_text, text_length, &last_frame, &word_count);
    pulled->chunk_count += 1;
    pulled->frame_count += chunk->frame_count;
    if (chunk->is_last) {
      narrator_chunk_free(chunk);
      status = narrator_next(narration, &chunk);
      check(status == NARRATOR_OK && chunk == NULL, "after is_last: status %d, chunk %p", status,
            (void*)chunk);
      break;
    }
    narrator_chunk_free(chunk);
  }
  check(word_count >= 25, "%lu word marks, want the article's words", (unsigned long)word_count);
  narrator_narration_free(narration);
  return status;
}

static int count_frames(const int16_t* samples, size_t frame_count, int sample_rate_hz,
                        int channels, void* user_data) {
  (void)samples;
  (void)sample_rate_hz;
  (void)channels;
  *(size_t*)user_data += frame_count;
  return 0;
}

static void test_pull_api(void) {
  narrator_engine* engine = make_engine();
  struct pulled pulled = {0, 0, 0.0, 0};
  size_t pushed_frames = 0;
  double rms, pulled_s, pushed_s;
  int status;
  step("pull API: chunks, samples and marks");
  check(narrator_set_option(engine, "input", "text") == NARRATOR_OK, "set input");
  status = pull_all(engine, kArticle, sizeof kArticle - 1, &pulled);
  check(status == NARRATOR_OK, "pulling failed (%d): %s", status, narrator_last_error(engine));
  check(pulled.chunk_count == 4, "%lu chunks, want 4 (the headline and three sentences)",
        (unsigned long)pulled.chunk_count);
  if (pulled.frame_count == 0 || pulled.sample_rate_hz == 0) {
    check(0, "no audio pulled");
    narrator_destroy(engine);
    return;
  }
  rms = sqrt(pulled.square_sum / (double)pulled.frame_count);
  check(rms > kSilenceFloorRms, "RMS %.1f is silence", rms);
  /* The same text through the callback API: the same length, to eSpeak NG's few milliseconds of
   * difference between two runs in one process. */
  status =
      narrator_synthesize_text(engine, kArticle, sizeof kArticle - 1, count_frames, &pushed_frames);
  check(status == NARRATOR_OK, "narrator_synthesize_text failed (%d)", status);
  pulled_s = (double)pulled.frame_count / pulled.sample_rate_hz;
  pushed_s = (double)pushed_frames / pulled.sample_rate_hz;
  check(pulled_s > 5.0, "the narration lasts %.2f s", pulled_s);
  check(fabs(pulled_s - pushed_s) < 0.1, "pulled %.2f s, the callback got %.2f s", pulled_s,
        pushed_s);
  fprintf(stderr, "  %lu chunks, %.2f s, RMS %.0f\n", (unsigned long)pulled.chunk_count, pulled_s,
          rms);
  narrator_destroy(engine);
}

/* ---- The warning callback ------------------------------------------------------------------- */

struct warnings {
  int no_voice_count;
  int lexicon_count;
  int other_count;
  size_t text_length;
  int span_ok;
};

static void collect_warning(const narrator_diagnostic* diagnostic, void* user_data) {
  struct warnings* warnings = (struct warnings*)user_data;
  if (strcmp(diagnostic->code, "ssml.no_voice") == 0) {
    warnings->no_voice_count += 1;
    warnings->span_ok = diagnostic->severity == NARRATOR_SEVERITY_WARNING &&
                        diagnostic->begin_byte < diagnostic->end_byte &&
                        strstr(diagnostic->message, "xx-nowhere") != NULL;
  } else if (strncmp(diagnostic->code, "lex.", 4) == 0) {
    warnings->lexicon_count += 1;
  } else {
    warnings->other_count += 1;
  }
}

static void test_warning_callback(void) {
  narrator_engine* engine = make_engine();
  narrator_narration* narration = NULL;
  narrator_chunk* chunk = NULL;
  struct warnings warnings;
  int round, status;
  step("warning callback: SSML language without a voice, every call its own");
  check(narrator_set_warning_callback(engine, collect_warning, &warnings) == NARRATOR_OK,
        "set the warning callback");
  /* Twice: each narration reports its own warning once, not the earlier calls' again. */
  for (round = 0; round < 2; ++round) {
    memset(&warnings, 0, sizeof warnings);
    status = narrator_start(engine, kSsml, sizeof kSsml - 1, &narration);
    check(status == NARRATOR_OK, "narrator_start(SSML) failed (%d): %s", status,
          narrator_last_error(engine));
    if (status != NARRATOR_OK) break;
    while ((status = narrator_next(narration, &chunk)) == NARRATOR_OK && chunk != NULL) {
      narrator_chunk_free(chunk);
    }
    check(status == NARRATOR_OK, "narrator_next failed (%d): %s", status,
          narrator_narration_last_error(narration));
    check(warnings.no_voice_count == 1, "round %d: %d ssml.no_voice warnings, want 1", round,
          warnings.no_voice_count);
    check(warnings.span_ok, "round %d: the warning's severity, span or message is wrong", round);
    narrator_narration_free(narration);
  }
  /* Removed: nothing is delivered, and nothing is kept for later either. */
  check(narrator_set_warning_callback(engine, NULL, NULL) == NARRATOR_OK, "remove the callback");
  memset(&warnings, 0, sizeof warnings);
  status = narrator_start(engine, kSsml, sizeof kSsml - 1, &narration);
  if (status == NARRATOR_OK) {
    while (narrator_next(narration, &chunk) == NARRATOR_OK && chunk != NULL) {
      narrator_chunk_free(chunk);
    }
    narrator_narration_free(narration);
  }
  check(warnings.no_voice_count == 0, "a removed callback was called");
  narrator_destroy(engine);
}

/* ---- Cancellation from another thread ------------------------------------------------------- */

static void* cancel_engine(void* engine) {
  return (void*)(long)narrator_cancel((narrator_engine*)engine);
}

/* Calls narrator_cancel(engine) on a thread of its own and waits for it. */
static void cancel_from_another_thread(narrator_engine* engine) {
  pthread_t thread;
  void* result = NULL;
  if (pthread_create(&thread, NULL, cancel_engine, engine) != 0) {
    check(0, "pthread_create failed");
    return;
  }
  pthread_join(thread, &result);
  check((long)result == NARRATOR_OK, "narrator_cancel returned %ld", (long)result);
}

static void test_cancel_pull(void) {
  narrator_engine* engine = make_engine();
  narrator_narration* narration = NULL;
  narrator_chunk* chunk = NULL;
  int status;
  step("cancel: the pull API");
  status = narrator_start(engine, kArticle, sizeof kArticle - 1, &narration);
  check(status == NARRATOR_OK, "narrator_start failed (%d): %s", status,
        narrator_last_error(engine));
  if (status != NARRATOR_OK) {
    narrator_destroy(engine);
    return;
  }
  status = narrator_next(narration, &chunk);
  check(status == NARRATOR_OK && chunk != NULL, "the first chunk (%d)", status);
  narrator_chunk_free(chunk);

  cancel_from_another_thread(engine);
  status = narrator_next(narration, &chunk);
  check(status == NARRATOR_ERR_CANCELLED, "narrator_next after narrator_cancel: %d, want %d",
        status, NARRATOR_ERR_CANCELLED);
  check(chunk == NULL, "a cancelled narrator_next set a chunk");
  check(strstr(narrator_narration_last_error(narration), "cancel") != NULL,
        "the message does not say it was cancelled: '%s'",
        narrator_narration_last_error(narration));
  check(narrator_next(narration, &chunk) == NARRATOR_ERR_CANCELLED && chunk == NULL,
        "a cancelled narration goes on");
  narrator_narration_free(narration);

  /* A narration started after the cancel is not affected. */
  status = narrator_start(engine, kArticle, sizeof kArticle - 1, &narration);
  check(status == NARRATOR_OK, "narrator_start after cancel failed (%d)", status);
  if (status == NARRATOR_OK) {
    status = narrator_next(narration, &chunk);
    check(status == NARRATOR_OK && chunk != NULL, "a new narration after cancel: %d", status);
    narrator_chunk_free(chunk);
    narrator_narration_free(narration);
  }
  narrator_destroy(engine);
}

struct callback_job {
  narrator_engine* engine;
  size_t call_count;
};

/* Cancels from another thread during the first sentence, then lets the synthesis go on. */
static int cancel_on_first_sentence(const int16_t* samples, size_t frame_count, int sample_rate_hz,
                                    int channels, void* user_data) {
  struct callback_job* job = (struct callback_job*)user_data;
  (void)samples;
  (void)frame_count;
  (void)sample_rate_hz;
  (void)channels;
  job->call_count += 1;
  if (job->call_count == 1) cancel_from_another_thread(job->engine);
  return 0;
}

static void test_cancel_callback_api(void) {
  struct callback_job job;
  int status;
  step("cancel: the callback API");
  job.engine = make_engine();
  job.call_count = 0;
  status = narrator_synthesize_text(job.engine, kArticle, sizeof kArticle - 1,
                                    cancel_on_first_sentence, &job);
  check(status == NARRATOR_ERR_CANCELLED, "narrator_synthesize_text: %d, want %d", status,
        NARRATOR_ERR_CANCELLED);
  check(job.call_count == 1, "%lu sentences delivered after the cancel, want 1",
        (unsigned long)job.call_count);
  narrator_destroy(job.engine);
}

/* narrator_synthesize_file() runs on a worker thread; the main thread cancels it once the first
 * lexicon note shows that synthesis is under way. The note's callback waits for the cancel, so
 * the synthesis cannot finish first. */
struct file_job {
  narrator_engine* engine;
  const char* article_path;
  const char* output_path;
  int status;
  pthread_mutex_t mutex;
  pthread_cond_t changed;
  int synthesizing;
  int cancelled;
};

static void wait_for_cancel(const narrator_diagnostic* diagnostic, void* user_data) {
  struct file_job* job = (struct file_job*)user_data;
  if (strncmp(diagnostic->code, "lex.", 4) != 0) return;
  pthread_mutex_lock(&job->mutex);
  job->synthesizing = 1;
  pthread_cond_broadcast(&job->changed);
  while (!job->cancelled) pthread_cond_wait(&job->changed, &job->mutex);
  pthread_mutex_unlock(&job->mutex);
}

static void* synthesize_file(void* user_data) {
  struct file_job* job = (struct file_job*)user_data;
  job->status = narrator_synthesize_file(job->engine, job->article_path, job->output_path);
  /* Wakes the main thread if the synthesis ended without a lexicon note. */
  pthread_mutex_lock(&job->mutex);
  job->synthesizing = 1;
  pthread_cond_broadcast(&job->changed);
  pthread_mutex_unlock(&job->mutex);
  return NULL;
}

static int write_file(const char* path, const char* content, size_t length) {
  FILE* file = fopen(path, "wb");
  int failed;
  if (file == NULL) return -1;
  failed = fwrite(content, 1, length, file) != length;
  failed |= fclose(file) != 0;
  return failed ? -1 : 0;
}

static void test_cancel_file(const char* work_dir) {
  static const char kOlder[] = "an older file";
  char article_path[4096], output_path[4096], read_back[64];
  struct file_job job;
  pthread_t worker;
  FILE* file;
  size_t read_count = 0;
  step("cancel: narrator_synthesize_file on another thread");
  snprintf(article_path, sizeof article_path, "%s/cancel.txt", work_dir);
  snprintf(output_path, sizeof output_path, "%s/cancel.wav", work_dir);
  if (write_file(article_path, kArticle, sizeof kArticle - 1) != 0 ||
      write_file(output_path, kOlder, sizeof kOlder - 1) != 0) {
    check(0, "cannot write in %s", work_dir);
    return;
  }
  memset(&job, 0, sizeof job);
  job.engine = make_engine();
  job.article_path = article_path;
  job.output_path = output_path;
  pthread_mutex_init(&job.mutex, NULL);
  pthread_cond_init(&job.changed, NULL);
  narrator_set_warning_callback(job.engine, wait_for_cancel, &job);
  if (pthread_create(&worker, NULL, synthesize_file, &job) != 0) {
    check(0, "pthread_create failed");
    return;
  }
  pthread_mutex_lock(&job.mutex);
  while (!job.synthesizing) pthread_cond_wait(&job.changed, &job.mutex);
  pthread_mutex_unlock(&job.mutex);

  check(narrator_cancel(job.engine) == NARRATOR_OK, "narrator_cancel failed");
  pthread_mutex_lock(&job.mutex);
  job.cancelled = 1;
  pthread_cond_broadcast(&job.changed);
  pthread_mutex_unlock(&job.mutex);
  pthread_join(worker, NULL);

  check(job.status == NARRATOR_ERR_CANCELLED, "narrator_synthesize_file: %d, want %d (%s)",
        job.status, NARRATOR_ERR_CANCELLED, narrator_last_error(job.engine));
  file = fopen(output_path, "rb");
  if (file != NULL) {
    read_count = fread(read_back, 1, sizeof read_back, file);
    fclose(file);
  }
  check(read_count == sizeof kOlder - 1 && memcmp(read_back, kOlder, read_count) == 0,
        "the older file at the output path was changed");
  narrator_destroy(job.engine);
  pthread_cond_destroy(&job.changed);
  pthread_mutex_destroy(&job.mutex);
  remove(article_path);
  remove(output_path);
}

/* ---- The "encoding" option ------------------------------------------------------------------ */

/* A windows-1251 article (Belarusian "Minsk" and a sentence in English around it) read with the
 * "encoding" option: the narration's text is its UTF-8 form; without the option the same bytes are
 * not UTF-8 and are refused; an encoding ICU does not know is refused when set. */
static void test_encoding_option(void) {
  static const char kCp1251[] = "The train to \xCC\xB3\xED\xF1\xEA left on time.\n";
  static const char kUtf8[] = "The train to \xD0\x9C\xD1\x96\xD0\xBD\xD1\x81\xD0\xBA left on time.";
  narrator_engine* engine = make_engine();
  narrator_narration* narration = NULL;
  const char* text;
  size_t length = 0;
  int status;
  step("the encoding option");
  check(narrator_set_option(engine, "voice", "en-us") == NARRATOR_OK, "set voice");
  check(narrator_set_option(engine, "input", "text") == NARRATOR_OK, "set input");
  status = narrator_start(engine, kCp1251, sizeof kCp1251 - 1, &narration);
  check(status == NARRATOR_ERR_INPUT && narration == NULL,
        "windows-1251 bytes without the option: %d, want %d", status, NARRATOR_ERR_INPUT);
  check(strstr(narrator_last_error(engine), "UTF-8") != NULL, "the error does not say UTF-8: %s",
        narrator_last_error(engine));

  check(narrator_set_option(engine, "encoding", "windows-1251") == NARRATOR_OK, "set encoding: %s",
        narrator_last_error(engine));
  status = narrator_start(engine, kCp1251, sizeof kCp1251 - 1, &narration);
  check(status == NARRATOR_OK && narration != NULL, "narrator_start with the encoding: %d (%s)",
        status, narrator_last_error(engine));
  if (narration != NULL) {
    text = narrator_narration_text(narration, &length);
    check(text != NULL && length == strlen(text) && strstr(text, kUtf8) != NULL,
          "the narration's text is not the article in UTF-8: %s", text == NULL ? "(null)" : text);
    narrator_narration_free(narration);
  }

  check(narrator_set_option(engine, "encoding", "martian-7") == NARRATOR_ERR_USAGE,
        "an unknown encoding was accepted");
  check(strstr(narrator_last_error(engine), "martian-7") != NULL, "the error does not name it: %s",
        narrator_last_error(engine));
  check(narrator_set_option(engine, "encoding", "auto") == NARRATOR_OK, "set encoding auto");
  narration = NULL;
  status = narrator_start(engine, kCp1251, sizeof kCp1251 - 1, &narration);
  check(status == NARRATOR_ERR_INPUT && narration == NULL, "auto reads UTF-8 again: %d", status);
  narrator_destroy(engine);
}

/* ---- Handles and arguments ------------------------------------------------------------------ */

static void test_null_arguments(void) {
  narrator_chunk* chunk = (narrator_chunk*)&chunk;
  narrator_narration* narration = (narrator_narration*)&narration;
  step("NULL handles and arguments");
  check(narrator_cancel(NULL) == NARRATOR_ERR_USAGE, "narrator_cancel(NULL)");
  check(narrator_set_warning_callback(NULL, NULL, NULL) == NARRATOR_ERR_USAGE,
        "narrator_set_warning_callback(NULL)");
  check(narrator_start(NULL, "Hi.", 3, &narration) == NARRATOR_ERR_USAGE && narration == NULL,
        "narrator_start(NULL)");
  check(narrator_next(NULL, &chunk) == NARRATOR_ERR_USAGE && chunk == NULL, "narrator_next(NULL)");
  check(narrator_narration_text(NULL, NULL) == NULL, "narrator_narration_text(NULL)");
  check(narrator_narration_sentence_count(NULL) == 0, "narrator_narration_sentence_count(NULL)");
  check(strlen(narrator_narration_last_error(NULL)) > 0, "narrator_narration_last_error(NULL)");
  narrator_chunk_free(NULL);
  narrator_narration_free(NULL);
  check(strcmp(narrator_version(), NARRATOR_VERSION_STRING) == 0, "version %s, header %s",
        narrator_version(), NARRATOR_VERSION_STRING);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: shared_c_api_test WORK_DIR\n");
    return 2;
  }
  test_null_arguments();
  test_pull_api();
  test_warning_callback();
  test_cancel_pull();
  test_cancel_callback_api();
  test_cancel_file(argv[1]);
  test_encoding_option();
  if (failures > 0) {
    fprintf(stderr, "shared_c_api_test: %d check(s) failed\n", failures);
    return 1;
  }
  fprintf(stderr, "shared_c_api_test: PASS\n");
  return 0;
}
