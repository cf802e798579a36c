#!/usr/bin/env bash
# setup.sh: install what is missing, build, then narrate a sample or run the tests.
#
#   bash setup.sh demo   install, build the library and narrate (Release, no tests), narrate
#                        samples/minsk-budget.txt to build/minsk-budget.mp3
#   bash setup.sh test   install, build everything (Release), run the whole test suite with ctest:
#                        under AddressSanitizer + UndefinedBehaviorSanitizer, and in the Release
#                        tree the tests that run leaves out (timing, browser, ...); each fuzz
#                        target on its corpus for a few seconds (FUZZ_SECONDS, default 3), and the
#                        tests that start threads under ThreadSanitizer
#   bash setup.sh build  install and build narrate and libnarrator (Release, no tests, no
#                        benchmarks), ready for `cmake --install build`: deploy/Containerfile's
#                        build stage
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
  libespeak-ng-dev espeak-ng-data espeak-ng flite1-dev
  libsndfile1-dev libportaudio2 portaudio19-dev libsoxr-dev libebur128-dev libasound2-dev libjack-jackd2-dev libicu-dev libcli11-dev nlohmann-json3-dev libssl-dev libxml2-dev libgumbo-dev libcurl4-openssl-dev
  libtag1-dev
  libcpp-httplib-dev
  libgtest-dev libgmock-dev
  lame sox time
  wamerican
)
# Only the tests need these: clang for the libFuzzer targets, chromium for the listening page.
test_packages=(clang libclang-rt-14-dev lld chromium python3 python3-mutagen haproxy)  # lld links the three test trees faster; python3: the ctypes test; mutagen reads the tags back; haproxy: the scale-out test

# The service tests drive `narrate serve` with real clients from npm (tests/service/package.json,
# pinned by its package-lock.json). A Node.js already on the PATH is used as it is (a newer one than
# Debian's may be installed, whose package conflicts with Debian's npm); else Debian's is installed.
need_node() {
  command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 || test_packages+=(nodejs npm)
}

# Installs the pinned clients into $build/service-clients (npm ci: exactly the lock file).
install_service_clients() {
  local dir="$build/service-clients"
  mkdir -p "$dir"
  cp "$here/tests/service/package.json" "$here/tests/service/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

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

# together NAME FUNCTION NAME FUNCTION: runs the two at once, each with its output in a log that
# is printed whole when it ends (no interleaved lines); fails when either fails.
together() {
  local started=$SECONDS status=0 i
  local names=("$1" "$3") steps=("$2" "$4") pids=() logs=()
  for i in 0 1; do
    logs+=("$logs_dir/${names[$i]}.log")
    echo "setup: -- ${names[$i]}" >&2
    (
      begun=$SECONDS
      set +e
      "${steps[$i]}"
      rc=$?
      echo "$((SECONDS - begun))" >"${logs[$i]}.seconds"
      exit "$rc"
    ) >"${logs[$i]}" 2>&1 &
    pids+=($!)
  done
  for i in 0 1; do
    local rc=0
    wait "${pids[$i]}" || rc=$?
    cat "${logs[$i]}" >&2
    local took
    took="$(cat "${logs[$i]}.seconds" 2>/dev/null || echo '?')"
    phases+=("$(printf '%-16s %5s s  (beside %s)' "${names[$i]}" "$took" "${names[$((1 - i))]}")")
    echo "setup: -- ${names[$i]} took $took s, exit $rc" >&2
    ((rc == 0)) || status=$rc
  done
  phases+=("$(printf '%-16s %5d s' "(both)" $((SECONDS - started)))")
  return "$status"
}
logs_dir="$build/setup-logs"

# Every test runs once where it checks most: under ASan + UBSan unless the asan test preset leaves
# its label out (CMakePresets.json, read here so that the two lists cannot drift apart), and those
# in the Release tree; the threaded ones again under ThreadSanitizer. `ctest --test-dir build` runs
# the whole suite in Release.
asan_left_out() {
  python3 -c 'import json, sys
presets = json.load(open(sys.argv[1]))["testPresets"]
print(next(p for p in presets if p["name"] == "asan")["filter"]["exclude"]["label"])' \
    "$here/CMakePresets.json"
}
release_tests() { ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -L "$(asan_left_out)"; }
asan_build() { cmake --preset asan >/dev/null && cmake --build --preset asan -j "$(nproc)"; }
asan_tests() { ctest --preset asan -j "$(nproc)"; }
tsan_build() { cmake --preset tsan >/dev/null && cmake --build --preset tsan -j "$(nproc)"; }
tsan_tests() { ctest --preset tsan -j "$(nproc)"; }
fuzz() { bash "$here/tests/fuzz/run" "${FUZZ_SECONDS:-3}"; }

# configure_release [CMAKE_ARGS...]
configure_release() {
  mkdir -p "$logs_dir"
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNARRATOR_WERROR=ON "$@" >/dev/null
}

# Publishing (deploy/): the Debian packages of the libraries narrate links at run time, which
# deploy/Containerfile's runtime stage installs (the packaging test checks both against the
# binary), and PyYAML for that test, which reads the Kubernetes manifests.
runtime_packages=(
  ca-certificates espeak-ng-data libespeak-ng1 libflite1 libgumbo1 libicu72 libssl3
  libxml2 libcurl4 libsndfile1 libsoxr0 libebur128-1 libtag1v5-vanilla libportaudio2
  libasound2 libjack-jackd2-0 libstdc++6 libcpp-httplib0.11
)
test_packages+=(python3-yaml)

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
    need_node
    packages+=("${test_packages[@]}")
    phase install install_missing
    phase npm-clients install_service_clients
    # The test code compiles at -O0 (NARRATOR_UNOPTIMIZED_TESTS: 2-3x faster to compile); the
    # library and narrate keep -O2.
    phase configure configure_release -DNARRATOR_UNOPTIMIZED_TESTS=ON
    phase release-build cmake --build "$build" -j "$(nproc)"
    # Each step below is paired with one that needs other cores at other moments (a test run has
    # a long tail of single slow tests; a build waits on its linker), so the two cores stay busy.
    # One clang tree (build/asan, CMakePresets.json) holds the suite and the libFuzzer targets,
    # all built once with AddressSanitizer + UndefinedBehaviorSanitizer. ThreadSanitizer builds
    # only what the tests that start threads need (label threads).
    together release-tests release_tests asan-build asan_build
    together asan-tests asan_tests tsan-build tsan_build
    together fuzz fuzz tsan-tests tsan_tests
    ;;
  build)
    # Without tests and benchmarks, neither GoogleTest nor the tools they run are needed.
    not_for_build=" libgtest-dev libgmock-dev espeak-ng lame sox time wamerican "
    for_build=()
    for p in "${packages[@]}"; do [[ $not_for_build == *" $p "* ]] || for_build+=("$p"); done
    packages=("${for_build[@]}")
    phase install install_missing
    phase configure configure_release -DNARRATOR_BUILD_TESTS=OFF -DNARRATOR_BENCH=OFF
    phase build cmake --build "$build" -j "$(nproc)" --target narrate narrator
    ;;
  *)
    echo "usage: bash setup.sh demo|test|build" >&2
    exit 2
    ;;
esac
