# install_common.sh: sourced by the scripts in tests/install. `cmake --install` into a temporary
# prefix, and what every script needs around it.
#
#   install_tree SCRIPT_NAME BUILD_DIR   sets $work (a temp dir removed on exit), $prefix, $libdir

die() {
  echo "$script_name: FAIL: $*" >&2
  exit 1
}
step() { echo "$script_name: $*" >&2; }

install_tree() {
  script_name="$1"
  local build_dir="$2"
  work="$(mktemp -d "${TMPDIR:-/tmp}/narrator-install-test.XXXXXX")"
  # shellcheck disable=SC2064  # $work is fixed now
  trap "rm -rf '$work'" EXIT
  prefix="$work/prefix"
  step "installing $build_dir into $prefix"
  cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; die "cmake --install failed"; }
  libdir=""
  local candidate
  for candidate in "$prefix"/lib "$prefix"/lib64 "$prefix"/lib/*-linux-gnu; do
    [ -f "$candidate/pkgconfig/narrator.pc" ] && libdir="$candidate" && break
  done
  [ -n "$libdir" ] || die "no narrator.pc under $prefix/lib*"
  export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
}
