#!/usr/bin/env bash
# setup.sh: install what is missing, build, then narrate a sample or run the tests.
#
#   bash setup.sh demo   install, build (Release), narrate samples/minsk-budget.txt to build/minsk-budget.mp3
#   bash setup.sh test   install, build (Release), run the whole test suite with ctest; then the
#                        suite under AddressSanitizer + UndefinedBehaviorSanitizer, the threaded
#                        tests under ThreadSanitizer, and each fuzz target for 60 s
#
# Needs a Debian (bookworm) machine; installs packages with apt-get (sudo when not root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${NARRATOR_BUILD_DIR:-$here/build}"
mode="${1:-demo}"

packages=(
  build-essential cmake pkg-config
  libespeak-ng-dev espeak-ng-data espeak-ng flite1-dev
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

build_release() {
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNARRATOR_WERROR=ON
  cmake --build "$build" -j "$(nproc)"
}

# The sanitizer builds live in build/asan and build/tsan (CMakePresets.json).
run_sanitizers() {
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$(nproc)"
  ctest --preset asan -j "$(nproc)"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$(nproc)"
  ctest --preset tsan -j "$(nproc)"
}

case "$mode" in
  demo)
    install_missing
    build_release
    "$build/cli/narrate" "$here/samples/minsk-budget.txt" -o "$build/minsk-budget.mp3"
    echo "setup: wrote $build/minsk-budget.mp3" >&2
    ;;
  test)
    packages+=("${test_packages[@]}")
    install_missing
    build_release
    ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
    run_sanitizers
    bash "$here/tests/fuzz/run" 60
    ;;
  *)
    echo "usage: bash setup.sh demo|test" >&2
    exit 2
    ;;
esac
