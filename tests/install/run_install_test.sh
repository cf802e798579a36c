#!/usr/bin/env bash
# run_install_test.sh BUILD_DIR SOURCE_DIR: Narrator as a user gets it from `cmake --install`.
#
# Installs the built tree into a temporary prefix, then builds samples/cpp and samples/c against
# it with find_package(Narrator), and samples/c once more with pkg-config alone; runs each and
# decodes the WAV it wrote (sox). Configures nothing in BUILD_DIR and writes only in its temp dir.
#
# Environment (set by tests/install/CMakeLists.txt, so a sanitizer build links its samples too):
#   CC, CXX                  compilers of the Narrator build
#   NARRATOR_C_FLAGS, NARRATOR_CXX_FLAGS, NARRATOR_LINKER_FLAGS   its CMAKE_*_FLAGS
#   NARRATOR_MIN_SECONDS     shortest acceptable narration (default 0.5)
set -euo pipefail

die() {
  echo "run_install_test: FAIL: $*" >&2
  exit 1
}
step() { echo "run_install_test: $*" >&2; }

[ $# -eq 2 ] || die "usage: run_install_test.sh BUILD_DIR SOURCE_DIR"
build_dir="$(cd "$1" && pwd)" || die "no build folder '$1'"
source_dir="$(cd "$2" && pwd)" || die "no source folder '$2'"
min_seconds="${NARRATOR_MIN_SECONDS:-0.5}"
cc="${CC:-cc}"
c_flags="${NARRATOR_C_FLAGS:-}"
cxx_flags="${NARRATOR_CXX_FLAGS:-}"
linker_flags="${NARRATOR_LINKER_FLAGS:-}"

for tool in cmake pkg-config soxi "$cc"; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/narrator-install-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

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

step "installing $build_dir into $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; die "cmake --install failed"; }
libdir=""
for candidate in "$prefix"/lib "$prefix"/lib64 "$prefix"/lib/*-linux-gnu; do
  [ -f "$candidate/pkgconfig/narrator.pc" ] && libdir="$candidate" && break
done
[ -n "$libdir" ] || die "no narrator.pc under $prefix/lib*"
for file in include/narrator/narrator.h include/narrator/engine.hpp include/narrator/error.hpp \
            include/narrator/audio/file_sinks.hpp bin/narrate; do
  [ -f "$prefix/$file" ] || die "$file was not installed"
done
for lib in narrator_engine narrator_audio narrator_lexicon; do
  [ -f "$libdir/lib$lib.a" ] || die "lib$lib.a was not installed in $libdir"
done
[ -f "$libdir/cmake/Narrator/NarratorConfig.cmake" ] || die "NarratorConfig.cmake was not installed"
# Public headers must not reach into the source tree or into private headers.
if grep -rn '#include "' "$prefix/include/narrator" | grep -v '"narrator/'; then
  die "an installed header includes a header that is not installed (above)"
fi
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

step "building samples/c with pkg-config only ($libdir/pkgconfig)"
export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pc_flags="$(pkg-config --cflags --libs --static narrator)" ||
  die "pkg-config cannot resolve narrator"
step "pkg-config --cflags --libs --static narrator: $pc_flags"
# shellcheck disable=SC2086  # the flags are words
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror $c_flags $linker_flags \
  "$source_dir/samples/c/main.c" -o "$work/c_pkgconfig" $pc_flags ||
  die "cc with pkg-config's flags failed"
run_sample "$work/c_pkgconfig" "$work/c-pkgconfig.wav"

step "PASS"
