#!/usr/bin/env bash
# setup.sh: install what is missing, build, then narrate a sample or run the tests.
#
#   bash setup.sh demo   install, build the library and narrate (Release, no tests), narrate
#                        samples/minsk-budget.txt to build/minsk-budget.mp3
#   bash setup.sh test   install, build everything (Release), run the whole test suite with ctest;
#                        then the suite under AddressSanitizer + UndefinedBehaviorSanitizer, each
#                        fuzz target on its corpus for a few seconds (FUZZ_SECONDS, default 10), and
#                        the tests that start threads under ThreadSanitizer
#
# Each phase prints how long it took, and a table of them all closes the run (also on failure), so
# the slow phase shows.
#
# Needs a Debian (bookworm) machine; installs packages with apt-get (sudo when not root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${NARRATOR_BUILD_DIR:-$here/build}"
mode="${1:-demo}"

packages=(
  build-essential cmake pkg-config
  libespeak-ng-dev espeak-ng-data espeak-ng
  libsndfile1-dev libportaudio2 portaudio19-dev libsoxr-dev libebur128-dev libasound2-dev libjack-jackd2-dev libicu-dev libcli11-dev nlohmann-json3-dev libssl-dev libxml2-dev libgumbo-dev
  libgtest-dev libgmock-dev
  lame sox time
)
# Only the tests need these: clang for the libFuzzer targets, chromium for the listening page.
test_packages=(clang libclang-rt-14-dev chromium python3)  # python3: the ctypes test

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# phase NAME COMMAND...: runs COMMAND and records how long it took.
phases=()
phase() {
  local name="$1" started=$SECONDS
  shift
  echo "setup: -- $name" >&2
  "$@"
  phases+=("$(printf '%-16s %5d s' "$name" $((SECONDS - started)))")
  echo "setup: -- $name took $((SECONDS - started)) s" >&2
}
report_phases() {
  local status=$?
  if ((${#phases[@]} == 0)); then return 0; fi
  echo "setup: phase times (load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores):" >&2
  printf 'setup:   %s\n' "${phases[@]}" >&2
  if ((status != 0)); then echo "setup: failed after the phases above" >&2; fi
}
trap report_phases EXIT

configure_release() {
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNARRATOR_WERROR=ON >/dev/null
}

case "$mode" in
  demo)
    phase install install_missing
    phase configure configure_release
    # The library and the tool only; `test` builds the test binaries.
    phase build cmake --build "$build" -j "$(nproc)" --target narrate
    "$build/cli/narrate" "$here/samples/minsk-budget.txt" -o "$build/minsk-budget.mp3"
    echo "setup: wrote $build/minsk-budget.mp3" >&2
    ;;
  test)
    packages+=("${test_packages[@]}")
    phase install install_missing
    phase configure configure_release
    phase release-build cmake --build "$build" -j "$(nproc)"
    phase release-tests ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
    # One clang tree (build/asan, CMakePresets.json) holds the suite and the libFuzzer targets,
    # all built once with AddressSanitizer + UndefinedBehaviorSanitizer.
    phase asan-configure cmake --preset asan >/dev/null
    phase asan-build cmake --build --preset asan -j "$(nproc)"
    phase asan-tests ctest --preset asan -j "$(nproc)"
    phase fuzz bash "$here/tests/fuzz/run" "${FUZZ_SECONDS:-10}"
    # ThreadSanitizer builds only what the tests that start threads need (label threads).
    phase tsan-configure cmake --preset tsan >/dev/null
    phase tsan-build cmake --build --preset tsan -j "$(nproc)"
    phase tsan-tests ctest --preset tsan -j "$(nproc)"
    ;;
  *)
    echo "usage: bash setup.sh demo|test" >&2
    exit 2
    ;;
esac
