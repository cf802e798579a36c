#!/usr/bin/env bash
# setup.sh: install what is missing, build, then narrate a sample or run the tests.
#
#   bash setup.sh demo   install, build (Release), narrate samples/minsk-budget.txt to build/minsk-budget.mp3
#   bash setup.sh test   install, build (Release), run the whole test suite with ctest
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

case "$mode" in
  demo)
    install_missing
    build_release
    "$build/cli/narrate" "$here/samples/minsk-budget.txt" -o "$build/minsk-budget.mp3"
    echo "setup: wrote $build/minsk-budget.mp3" >&2
    ;;
  test)
    install_missing
    build_release
    ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
    ;;
  *)
    echo "usage: bash setup.sh demo|test" >&2
    exit 2
    ;;
esac
