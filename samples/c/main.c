/* main.c: Narrator's C API (narrator/narrator.h). Narrates a short built-in article to a WAV
 * file, then the same text through the audio callback, counting its frames, then pulls it one
 * sentence at a time and prints when each word is spoken.
 *
 *   narrator_c_sample [OUTPUT.wav]     (default: narrator-c-sample.wav)
 *
 * Build against an installed Narrator: see CMakeLists.txt beside this file. */
#include <narrator/narrator.h>
#include <stdio.h>

/* A headline, a blank line, then a paragraph: how Narrator reads plain text. */
static const char kArticle[] =
    "Harbour reopens after the storm\n"
    "\n"
    "The harbour at Millbrook reopened on Tuesday morning, three days after the storm closed it. "
    "Ferries to the islands are back on their usual timetable, and the first boat left at 7:15 "
    "a.m. with 212 passengers.\n";

struct audio_count {
  size_t chunk_count;
  size_t frame_count;
  int sample_rate_hz;
};

/* Called once per sentence; samples are valid only during the call. */
static int count_audio(const int16_t* samples, size_t frame_count, int sample_rate_hz, int channels,
                       void* user_data) {
  struct audio_count* count = (struct audio_count*)user_data;
  (void)samples;
  (void)channels;
  count->chunk_count += 1;
  count->frame_count += frame_count;
  count->sample_rate_hz = sample_rate_hz;
  return 0; /* non-zero would stop the narration */
}

/* narrator_synthesize_file() reads an article from a file: write the built-in one beside the
 * output. Returns 0 on success. */
static int write_article(const char* path) {
  FILE* file = fopen(path, "wb");
  int failed;
  if (file == NULL) return -1;
  failed = fwrite(kArticle, 1, sizeof kArticle - 1, file) != sizeof kArticle - 1;
  failed |= fclose(file) != 0;
  return failed ? -1 : 0;
}

/* The pull API: each chunk is one sentence's samples with its speech marks, owned by the caller
 * until narrator_chunk_free(). Returns the status of the call that failed, or NARRATOR_OK. */
static int print_words(narrator_engine* engine) {
  narrator_narration* narration = NULL; /* paired with narrator_narration_free() */
  narrator_chunk* chunk = NULL;
  size_t i;
  int status = narrator_start(engine, kArticle, sizeof kArticle - 1, &narration);
  if (status != NARRATOR_OK) return status;
  while ((status = narrator_next(narration, &chunk)) == NARRATOR_OK && chunk != NULL) {
    for (i = 0; i < chunk->mark_count; ++i) {
      const narrator_mark* mark = &chunk->marks[i];
      if (mark->kind != NARRATOR_MARK_WORD) continue;
      /* The mark's bytes are the word in kArticle, as written. */
      printf("%6lu ms  %.*s\n", (unsigned long)mark->time_ms,
             (int)(mark->end_byte - mark->begin_byte), kArticle + mark->begin_byte);
    }
    narrator_chunk_free(chunk);
  }
  if (status != NARRATOR_OK) {
    fprintf(stderr, "narrator_c_sample: narrator_next failed (%d): %s\n", status,
            narrator_narration_last_error(narration));
  }
  narrator_narration_free(narration);
  return status;
}

static int fail(narrator_engine* engine, const char* what, int status) {
  fprintf(stderr, "narrator_c_sample: %s failed (%d): %s\n", what, status,
          narrator_last_error(engine));
  narrator_destroy(engine);
  return 1;
}

int main(int argc, char** argv) {
  const char* output = argc > 1 ? argv[1] : "narrator-c-sample.wav";
  char article_path[4096];
  struct audio_count count = {0, 0, 0};
  narrator_engine* engine;
  int status;

  if (snprintf(article_path, sizeof article_path, "%s.article.txt", output) >=
      (int)sizeof article_path) {
    fprintf(stderr, "narrator_c_sample: output path too long\n");
    return 1;
  }
  if (write_article(article_path) != 0) {
    fprintf(stderr, "narrator_c_sample: cannot write %s\n", article_path);
    return 1;
  }

  printf("Narrator %s\n", narrator_version());
  engine = narrator_create(); /* paired with narrator_destroy() */
  if (engine == NULL) {
    fprintf(stderr, "narrator_c_sample: out of memory\n");
    remove(article_path);
    return 1;
  }
  /* Options apply at the next synthesis; values are strings. */
  if ((status = narrator_set_option(engine, "paragraph_pause_ms", "600")) != NARRATOR_OK ||
      (status = narrator_set_option(engine, "input", "text")) != NARRATOR_OK) {
    remove(article_path);
    return fail(engine, "narrator_set_option", status);
  }

  status = narrator_synthesize_file(engine, article_path, output);
  remove(article_path);
  if (status != NARRATOR_OK) return fail(engine, "narrator_synthesize_file", status);
  printf("%s: written\n", output);

  status = narrator_synthesize_text(engine, kArticle, sizeof kArticle - 1, count_audio, &count);
  if (status != NARRATOR_OK) return fail(engine, "narrator_synthesize_text", status);
  printf("callback: %lu chunks, %lu frames at %d Hz (%.2f s)\n", (unsigned long)count.chunk_count,
         (unsigned long)count.frame_count, count.sample_rate_hz,
         count.sample_rate_hz > 0 ? (double)count.frame_count / count.sample_rate_hz : 0.0);

  status = print_words(engine);
  if (status != NARRATOR_OK) return fail(engine, "narrator_start", status);

  narrator_destroy(engine);
  return count.frame_count > 0 ? 0 : 1;
}
