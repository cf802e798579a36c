#!/bin/sh
# planted_rule_test.sh FUZZER RULES WORK: shows that fuzzing finds a page-furniture rule that
# backtracks catastrophically. fuzz_page_cleaner runs with RULES added to the built-in ones
# (NARRATOR_FUZZ_EXTRA_RULES), from a one-word seed, with the per-input timeout tests/fuzz/run
# gives it; libFuzzer must stop with "ERROR: libFuzzer: timeout" before -max_total_time, having
# grown an input the planted rule chokes on. WORK is emptied and holds the corpus, the log and
# the slow input.
set -eu
fuzzer="$1"
rules="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work/corpus"
printf 'News.' >"$work/corpus/seed.txt"
status=0
NARRATOR_FUZZ_EXTRA_RULES="$rules" "$fuzzer" "$work/corpus" -seed=1 -timeout=2 \
  -max_total_time=20 -len_control=0 -artifact_prefix="$work/" >"$work/log" 2>&1 || status=$?
if ! grep -q "ERROR: libFuzzer: timeout" "$work/log"; then
  echo "planted_rule_test: fuzz_page_cleaner found no slow input (exit $status); its log:" >&2
  tail -n 30 "$work/log" >&2
  exit 1
fi
executions="$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$work/log" | tail -n 1)"
echo "planted_rule_test: timeout reported after about ${executions:-?} executions; input:" \
  "$(ls "$work" | grep '^timeout-' || echo '(none written)')"
