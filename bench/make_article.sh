#!/usr/bin/env bash
# make_article.sh WORDS OUT: write a plain-text article of about WORDS words (within 5% for WORDS >= 1000)
# to OUT, built from the samples/*.txt articles.
#
# The output is a headline line, a blank line, then blocks separated by single blank lines. The blocks
# are each sample's headline (used as a subhead) followed by its paragraphs and subheads, the samples
# taken in byte order of their file names and repeated as often as needed. Whole blocks are added while
# they fit; the article then ends with the whole sentences of the next paragraph that bring it nearest
# to WORDS, so it never ends on a subhead. Words are counted as `wc -w` counts them. The same inputs always give the same bytes.
set -euo pipefail

usage() {
  echo "usage: $(basename "$0") WORDS OUT" >&2
  exit 2
}

[ $# -eq 2 ] || usage
words="$1"
out="$2"
case "$words" in
  '' | *[!0-9]*) usage ;;
esac
[ "$words" -gt 0 ] || usage

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
samples_dir="${NARRATOR_SAMPLES_DIR:-$here/../samples}"

export LC_ALL=C # byte order for the glob, byte semantics for awk
samples=("$samples_dir"/*.txt)
if [ ! -e "${samples[0]}" ]; then
  echo "make_article.sh: no samples/*.txt in $samples_dir" >&2
  exit 1
fi

mkdir -p "$(dirname "$out")"
tmp="$(mktemp "$out.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

awk -v target="$words" -v ldq=$'\xe2\x80\x9c' -v rdq=$'\xe2\x80\x9d' -v rsq=$'\xe2\x80\x99' '
  # Paragraph mode: each record is one block; the first block of a file is its headline.
  BEGIN {
    RS = ""; nblocks = 0
    closers = "(\"|\\)|" rdq "|" rsq ")*"
    end_re = "[.!?]" closers "$"           # ends a sentence
    para_re = "[.!?:;,]" closers "$"       # ends a paragraph (a subhead has none of these)
    strip_re = "^(\"|\\(|" ldq ")+"         # opening quotes and brackets
    start_re = "^([A-Z0-9\"]|" ldq ")"     # starts a sentence
  }
  {
    gsub(/[ \t]*\n[ \t]*/, " ")   # a block is one line, whatever its wrapping in the sample
    sub(/^ +/, ""); sub(/ +$/, "")
    if ($0 == "") next
    block[++nblocks] = $0
    headline[nblocks] = (FNR == 1)
  }

  function count(s,   tmp) { return split(s, tmp, /[ \t\n]+/) - (s ~ /^[ \t\n]/) }

  # Is words[i] the end of a sentence? It ends in . ! or ? (maybe inside closing quotes), is not a
  # common abbreviation, and the next word starts a new sentence (capital letter, digit or a quote).
  function sentence_end(w, n, i,   word, bare) {
    word = w[i]
    if (i == n) return 1
    if (word !~ end_re) return 0
    bare = word
    gsub(strip_re, "", bare)
    if (bare ~ /^(Mr|Mrs|Ms|Dr|St|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Gen|Gov|Sen|Rep|No)\.$/) return 0
    if (bare ~ /^([A-Z]\.)+$/) return 0                # U.S., U.N., initials
    return w[i + 1] ~ start_re
  }

  END {
    paragraphs = 0
    for (b = 1; b <= nblocks; b++) if (!headline[b] && block[b] ~ para_re) paragraphs++
    if (paragraphs == 0) { print "make_article.sh: the samples have no paragraphs" > "/dev/stderr"; exit 1 }
    title = "Belarus and the region: a news digest"
    total = count(title)
    body = ""
    pending = ""                                      # a subhead waits until a paragraph follows it
    pending_words = 0
    for (k = 0; ; k++) {
      b = k % nblocks + 1
      text = block[b]
      nw = count(text)
      is_subhead = headline[b] || text !~ para_re
      if (is_subhead) {
        if (pending != "") { total -= pending_words }  # two subheads in a row: keep the later one
        pending = text; pending_words = nw; total += nw
        continue
      }
      if (total + nw <= target) {
        if (pending != "") { body = body "\n\n" pending; pending = "" }
        body = body "\n\n" text
        total += nw
        continue
      }
      # The paragraph does not fit whole: take whole sentences while they fit.
      n = split(text, w, / +/)
      part = ""; partw = 0; sent = ""; sentw = 0
      for (i = 1; i <= n; i++) {
        sent = (sent == "" ? w[i] : sent " " w[i]); sentw++
        if (!sentence_end(w, n, i)) continue
        # A sentence that overshoots is kept only if that lands nearer the target than stopping.
        over = total + partw + sentw - target
        if (over > 0 && over >= target - total - partw) break
        part = (part == "" ? sent : part " " sent); partw += sentw
        sent = ""; sentw = 0
        if (over >= 0) break
      }
      if (part != "") {
        if (pending != "") { body = body "\n\n" pending; pending = "" }
        body = body "\n\n" part
        total += partw
      }
      if (pending != "") total -= pending_words
      break
    }
    printf "%s%s\n", title, body
  }
' "${samples[@]}" >"$tmp"

mv "$tmp" "$out"
trap - EXIT
