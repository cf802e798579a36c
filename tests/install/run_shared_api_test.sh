#!/usr/bin/env bash
# run_shared_api_test.sh BUILD_DIR SOURCE_DIR CHECK: libnarrator.so as installed by
# `cmake --install`, into a temporary prefix (writes nothing else). CHECK is one of
#   exports  only narrator_* symbols are exported, the SONAME is set, neither the library nor
#            narrator.pc / narrator-static.pc links PortAudio, ALSA or JACK, and Flite is linked in
#            with the library's own rand()
#   c        tests/install/shared_c_api_test.c, compiled as C99 with the C compiler and
#            `pkg-config --cflags --libs narrator`, run
#   python   tests/install/shared_c_api_test.py, through ctypes, run with python3
#
# Environment (set by tests/install/CMakeLists.txt): CC, NARRATOR_C_FLAGS, NARRATOR_LINKER_FLAGS
# (the build's, so that a sanitizer build links the C test alike), NARRATOR_VERSION (project()).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=install_common.sh
source "$here/install_common.sh"
script_name=run_shared_api_test
[ $# -eq 3 ] || die "usage: run_shared_api_test.sh BUILD_DIR SOURCE_DIR exports|c|python"
build_dir="$(cd "$1" && pwd)" || die "no build folder '$1'"
source_dir="$(cd "$2" && pwd)" || die "no source folder '$2'"
check="$3"
cc="${CC:-cc}"
c_flags="${NARRATOR_C_FLAGS:-}"
linker_flags="${NARRATOR_LINKER_FLAGS:-}"
version="${NARRATOR_VERSION:?NARRATOR_VERSION is not set}"

install_tree run_shared_api_test "$build_dir"
library="$libdir/libnarrator.so"
[ -e "$library" ] || die "libnarrator.so was not installed in $libdir"

check_exports() {
  local tool soname wanted exported others needed
  for tool in nm objdump pkg-config; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed"
  done
  # 0.x: MAJOR.MINOR, as a minor version may break the API; MAJOR from 1.0 on.
  if [ "${version%%.*}" = 0 ]; then
    wanted="libnarrator.so.$(echo "$version" | cut -d. -f1-2)"
  else
    wanted="libnarrator.so.${version%%.*}"
  fi
  soname="$(objdump -p "$library" | awk '$1 == "SONAME" { print $2 }')"
  [ "$soname" = "$wanted" ] || die "SONAME is '$soname', want '$wanted'"
  [ -e "$libdir/$soname" ] || die "$soname, the name the loader looks for, was not installed"
  [ -e "$libdir/libnarrator.so.$version" ] || die "libnarrator.so.$version was not installed"
  step "SONAME $soname"

  exported="$(nm -D --defined-only "$library" | awk '{ print $NF }')"
  [ -n "$exported" ] || die "libnarrator.so exports nothing"
  others="$(echo "$exported" | grep -v '^narrator_' || true)"
  [ -z "$others" ] ||
    die "libnarrator.so exports more than narrator_*: $(echo "$others" | head -20)"
  # Every function narrator.h declares is exported, and nothing else.
  local declared
  declared="$(grep -v '#define' "$prefix/include/narrator/narrator.h" |
    grep -o 'NARRATOR_API [^(]*(' | sed -E 's/.*[ *]([a-z_0-9]+)\($/\1/' | sort)"
  [ "$declared" = "$(echo "$exported" | sort)" ] ||
    die "exports differ from narrator.h: $(diff <(echo "$declared") <(echo "$exported" | sort))"
  step "exports: $(echo "$exported" | wc -l) narrator_* functions, nothing else"

  needed="$(objdump -p "$library" | awk '$1 == "NEEDED" { print $2 }' | tr '\n' ' ')"
  step "NEEDED: $needed"
  case "$needed" in
    *portaudio* | *asound* | *jack*) die "libnarrator.so links a sound library: $needed" ;;
    *libflite*) die "libnarrator.so loads Flite's shared libraries, whose rand() is libc's: $needed" ;;
  esac
  # Flite is inside, and calls the library's own rand() (deterministic per sentence), not libc's.
  local undefined
  undefined="$(nm -D --undefined-only "$library" | awk '{ print $NF }')"
  if grep -qx 'rand\(@.*\)\?' <<<"$undefined"; then
    die "libnarrator.so takes rand() from outside: Flite's noise would not be deterministic"
  fi
  step "Flite linked in, with the library's own rand()"
  local pc
  for pc in narrator narrator-static; do
    local flags
    flags="$(pkg-config --libs --static "$pc")" || die "pkg-config cannot resolve $pc"
    case "$flags" in
      *portaudio* | *asound* | *jack*) die "$pc.pc links a sound library: $flags" ;;
    esac
  done
  # The shared library names its own dependencies: narrator.pc gives it alone.
  local flag
  for flag in $(pkg-config --libs --static narrator); do
    case "$flag" in
      -L* | -lnarrator) ;;
      *) die "pkg-config --libs --static narrator gives '$flag'; want only -L... -lnarrator" ;;
    esac
  done
}

run_c() {
  local flags
  flags="$(pkg-config --cflags --libs narrator)" || die "pkg-config cannot resolve narrator"
  step "$cc -std=c99 ... $flags"
  # shellcheck disable=SC2086  # the flags are words
  "$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror $c_flags $linker_flags \
    "$here/shared_c_api_test.c" -o "$work/shared_c_api_test" $flags -Wl,-rpath,"$libdir" \
    -pthread -lm || die "compiling shared_c_api_test.c against libnarrator.so failed"
  # Linked with the C compiler alone: libstdc++ comes only through libnarrator.so.
  "$work/shared_c_api_test" "$work" || die "shared_c_api_test failed"
}

run_python() {
  command -v python3 >/dev/null || die "python3 is not installed"
  # A sanitized library needs its runtime loaded first, which python3 does not do itself.
  local preload="" runtime
  case "$c_flags" in
    *sanitize=*address*) runtime=libasan.so ;;
    *sanitize=*thread*) runtime=libtsan.so ;;
    *) runtime="" ;;
  esac
  # The version read whole first: grep -q in a pipe can end the writer with SIGPIPE (pipefail).
  local compiler_version
  compiler_version="$("$cc" --version)"
  if [ -n "$runtime" ] && grep -q clang <<<"$compiler_version"; then
    # clang's runtime for shared objects: libclang_rt.asan-ARCH.so (with UBSan's handlers), in
    # its resource folder.
    preload="$("$cc" -print-resource-dir)/lib/linux/libclang_rt.${runtime#lib}"
    preload="${preload%.so}-$(uname -m).so"
    [ -e "$preload" ] || die "no clang runtime $preload to preload"
    preload="$preload libstdc++.so.6"
    step "preloading $preload"
  elif [ -n "$runtime" ]; then
    preload="$("$cc" -print-file-name="$runtime")"
    [ -e "$preload" ] || die "no $runtime for $cc to preload"
    # libstdc++ too: the runtime finds the real __cxa_throw only in libraries loaded before it
    # starts, and ctypes loads libnarrator.so (and so libstdc++) later.
    preload="$preload libstdc++.so.6"
    step "preloading $preload"
  fi
  # Python's own allocations at exit are not Narrator's leaks.
  LD_PRELOAD="$preload" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    python3 "$here/shared_c_api_test.py" "$library" "$work" || die "shared_c_api_test.py failed"
}

case "$check" in
  exports) check_exports ;;
  c) run_c ;;
  python) run_python ;;
  *) die "unknown check '$check'; use exports, c or python" ;;
esac
step "PASS"
