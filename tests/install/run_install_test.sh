#!/usr/bin/env bash
# run_install_test.sh BUILD_DIR SOURCE_DIR: Narrator as a user gets it from `cmake --install`.
#
# Installs the built tree into a temporary prefix and checks what is there: the shared and the
# static libraries, the public headers and no others, the CMake package and the .pc files. Then
# builds samples/cpp (static C++ API) and samples/c (shared C API, C only) against it with
# find_package(Narrator), and samples/c twice more with pkg-config alone (narrator, then
# narrator-static); runs each and decodes the WAV it wrote (sox). Configures nothing in BUILD_DIR
# and writes only in its temp dir.
#
# Environment (set by tests/install/CMakeLists.txt, so a sanitizer build links its samples too):
#   CC, CXX                  compilers of the Narrator build
#   NARRATOR_C_FLAGS, NARRATOR_CXX_FLAGS, NARRATOR_LINKER_FLAGS   its CMAKE_*_FLAGS
#   NARRATOR_MIN_SECONDS     shortest acceptable narration (default 0.5)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=install_common.sh
source "$here/install_common.sh"
script_name=run_install_test
[ $# -eq 2 ] || die "usage: run_install_test.sh BUILD_DIR SOURCE_DIR"
build_dir="$(cd "$1" && pwd)" || die "no build folder '$1'"
source_dir="$(cd "$2" && pwd)" || die "no source folder '$2'"
min_seconds="${NARRATOR_MIN_SECONDS:-0.5}"
cc="${CC:-cc}"
c_flags="${NARRATOR_C_FLAGS:-}"
cxx_flags="${NARRATOR_CXX_FLAGS:-}"
linker_flags="${NARRATOR_LINKER_FLAGS:-}"

for tool in cmake pkg-config soxi objdump "$cc"; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed"
done

# A WAV that decodes and lasts at least min_seconds; prints its length.
check_wav() {
  local wav="$1" seconds
  [ -s "$wav" ] || die "$wav was not written"
  seconds="$(soxi -D "$wav" 2>&1)" || die "$wav does not decode: $seconds"
  [ "$(soxi -t "$wav")" = "wav" ] || die "$wav is not a WAV file: $(soxi -t "$wav")"
  awk -v s="$seconds" -v min="$min_seconds" 'BEGIN { exit !(s + 0 >= min + 0) }' ||
    die "$wav lasts $seconds s, less than $min_seconds s"
  step "$wav: $seconds s, $(soxi -r "$wav") Hz, $(soxi -c "$wav") channel(s)"
}

install_tree run_install_test "$build_dir"
for file in include/narrator/narrator.h include/narrator/engine.hpp include/narrator/error.hpp \
            include/narrator/audio/file_sinks.hpp bin/narrate; do
  [ -f "$prefix/$file" ] || die "$file was not installed"
done
for lib in narrator_engine narrator_audio narrator_lexicon; do
  [ -f "$libdir/lib$lib.a" ] || die "lib$lib.a was not installed in $libdir"
done
[ -e "$libdir/libnarrator.so" ] || die "libnarrator.so was not installed in $libdir"
[ -f "$libdir/pkgconfig/narrator-static.pc" ] || die "narrator-static.pc was not installed"
[ -f "$libdir/cmake/Narrator/NarratorConfig.cmake" ] || die "NarratorConfig.cmake was not installed"
# Only the public API: every installed header is included by another or is one the engine's
# API starts from, and the internal ones (lexicon data formats, narrator/detail, playback) are
# not there.
for internal in lexicon detail audio/playback.hpp audio/output_processing.hpp; do
  [ ! -e "$prefix/include/narrator/$internal" ] || die "include/narrator/$internal is installed"
done
# Public headers must not reach into the source tree or into headers that are not installed.
while IFS= read -r line; do
  header="${line%%:*}"
  included="$(echo "$line" | sed -E 's/.*#include "([^"]+)".*/\1/')"
  case "$included" in
    narrator/*) [ -f "$prefix/include/$included" ] ||
      die "$header includes $included, which is not installed" ;;
    *) die "$header includes \"$included\", which is not a Narrator header" ;;
  esac
done < <(grep -rn '#include "' "$prefix/include/narrator")
"$prefix/bin/narrate" --version >/dev/null || die "the installed narrate does not run"

build_sample() {
  local name="$1"
  step "building samples/$name against the installed package"
  cmake -S "$source_dir/samples/$name" -B "$work/$name" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="${CXX:-c++}" \
    -DCMAKE_C_FLAGS="$c_flags" -DCMAKE_CXX_FLAGS="$cxx_flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$linker_flags" >"$work/$name-configure.log" 2>&1 ||
    { cat "$work/$name-configure.log" >&2; die "configuring samples/$name failed"; }
  cmake --build "$work/$name" >"$work/$name-build.log" 2>&1 ||
    { cat "$work/$name-build.log" >&2; die "building samples/$name failed"; }
}

run_sample() {
  local program="$1" wav="$2"
  step "running $program"
  "$program" "$wav" >&2 || die "$program exited with status $?"
  check_wav "$wav"
}

build_sample cpp
run_sample "$work/cpp/narrator_cpp_sample" "$work/cpp.wav"

build_sample c
run_sample "$work/c/narrator_c_sample" "$work/c.wav"

# The shared library with the C compiler alone; the static libraries with their private
# dependencies (the C++ runtime among them).
for pc in narrator narrator-static; do
  step "building samples/c with pkg-config only ($pc)"
  pc_flags="$(pkg-config --cflags --libs --static "$pc")" || die "pkg-config cannot resolve $pc"
  step "pkg-config --cflags --libs --static $pc: $pc_flags"
  # shellcheck disable=SC2086  # the flags are words
  "$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror $c_flags $linker_flags \
    "$source_dir/samples/c/main.c" -o "$work/c_$pc" $pc_flags -Wl,-rpath,"$libdir" ||
    die "cc with $pc's flags failed"
  run_sample "$work/c_$pc" "$work/c-$pc.wav"
done
# Read whole before grep: `objdump | grep -q` fails under pipefail when grep quits at the match
# while objdump still writes (a sanitizer build's headers pass 4 KB), and objdump dies of SIGPIPE.
headers="$(objdump -p "$work/c_narrator")" || die "objdump cannot read $work/c_narrator"
grep -q 'NEEDED *libnarrator\.so' <<<"$headers" ||
  die "the sample built with narrator.pc does not load libnarrator.so"

step "PASS"
