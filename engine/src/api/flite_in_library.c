/* flite_in_library.c: what Flite's static libraries need to live in libnarrator.so. Linked into
 * libnarrator.so only: programs that link the static Narrator libraries use libflite.so.
 *
 * libnarrator.so holds Flite's static libraries (flite1-dev), so that Flite calls the library's
 * own rand() (engine/src/synth/flite_backend.cpp), seeded per sentence on each thread, and not
 * libc's, however the library is loaded (linked, or dlopen'ed by Python). Every symbol here is
 * local to the library: the version script exports only narrator_*.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <flite.h>
#include <stdio.h>

/* Debian compiles Flite as position-independent executable code, which reads libc's stdin,
 * stdout and stderr PC-relative: that only links into an executable. Here the three are the
 * library's own variables, pointing at libc's streams from load on. Flite uses them only for its
 * messages on the way to exit(), which the backend never lets it reach. */
FILE* stdin = NULL;
FILE* stdout = NULL;
FILE* stderr = NULL;

/* libc's own variable, found by name: this object's are not in the dynamic symbol table. */
static FILE* libc_stream(const char* name) {
  FILE** stream = (FILE**)dlsym(RTLD_DEFAULT, name);
  return stream != NULL ? *stream : NULL;
}

__attribute__((constructor(101))) static void narrator_point_std_streams(void) {
  stdin = libc_stream("stdin");
  stdout = libc_stream("stdout");
  stderr = libc_stream("stderr");
}

/* Flite's audio output, which flite.c and the streaming code refer to, would bring in its ALSA
 * driver. The library plays nothing itself (the narrate tool plays through PortAudio), so it has
 * none: every device fails to open, and a wave cannot be played. */
cst_audiodev* audio_open(int sps, int channels, cst_audiofmt fmt) {
  (void)sps;
  (void)channels;
  (void)fmt;
  return NULL;
}

int audio_close(cst_audiodev* ad) {
  (void)ad;
  return 0;
}

int audio_write(cst_audiodev* ad, void* buff, int num_bytes) {
  (void)ad;
  (void)buff;
  (void)num_bytes;
  return -1;
}

int play_wave(cst_wave* w) {
  (void)w;
  return CST_ERROR_FORMAT;
}
