// player.js: Narrator's "Listen to this article" player. Inlined into the page that
// `narrate --player` writes, and written beside the fragment of `narrate --player-snippet`.
//
// Without JavaScript the page keeps a plain <audio controls> and the text; this script upgrades it:
// custom controls, the spoken word highlighted from the speech marks, click-to-seek, keys.
//
// Sync rule: once playback has begun (or the listener has moved the position), the highlighted
// word is the one whose mark interval [its start, the next word's start) contains
// audio.currentTime; before that no word is. The times are sorted, so the word is found by binary
// search on every animation frame while playing and on timeupdate/seeked.
//
// ArrowLeft: more than 1.5 s into a sentence, back to its start; within its first 1.5 s, to the
// sentence before (the terminal player's rule too, and most media players').
//
// Two sources of words:
//  - page mode: the page's own <span class="narrator-w" data-b="BEGIN_MS" data-e="END_MS">;
//  - snippet mode (data-narrator-marks="URL" on the player): the speech marks (Polly JSON lines)
//    are fetched and their words matched, by normalized text, to the words of the host page's
//    <p> elements (or data-narrator-select), which are then wrapped in spans.
//
// This file is placed inside an HTML script element: it must never contain the characters that end
// one or open an HTML comment (the build's unit test checks).
(function () {
  'use strict';

  // A time set from a mark (milliseconds / 1000) must land on that mark despite rounding.
  const EPSILON_S = 0.0005;
  // ArrowLeft within this long of a sentence's start goes to the previous sentence.
  const RESTART_WINDOW_S = 1.5;
  // Room kept between a followed word and the player bar above it.
  const FOLLOW_MARGIN_PX = 8;
  // After the reader scrolls by hand, the page does not follow the word for this long.
  const MANUAL_SCROLL_GRACE_MS = 4000;
  // Snippet mode: how far ahead in the page a mark's word is looked for.
  const MATCH_WINDOW_WORDS = 40;

  function clock(seconds) {
    const total = Math.floor(isFinite(seconds) && seconds > 0 ? seconds : 0);
    const h = Math.floor(total / 3600);
    const m = Math.floor(total / 60) % 60;
    const s = String(total % 60).padStart(2, '0');
    return h > 0 ? h + ':' + String(m).padStart(2, '0') + ':' + s : m + ':' + s;
  }

  // Index of the last of the sorted `times` at or before t; -1 when t is before the first.
  function lastAtOrBefore(times, t) {
    let lo = 0;
    let hi = times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t + EPSILON_S) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  // --- words of the page (page mode) ---

  function pageEntries() {
    const entries = [];
    document.querySelectorAll('.narrator-w').forEach(function (el) {
      const begin = Number(el.getAttribute('data-b'));
      if (isFinite(begin)) entries.push({ time: begin / 1000, elements: [el] });
    });
    // In time order for the binary search: an intro is spoken before the headline it follows.
    return entries.sort(function (a, b) { return a.time - b.time; });
  }

  function readData(root) {
    const node = root.querySelector('script.narrator-data');
    if (!node) return {};
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      console.warn('narrator: the player data is not JSON:', error);
      return {};
    }
  }

  // --- words of a host page (snippet mode) ---

  function normalize(word) {
    return word.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  }

  function parseMarks(text) {
    const words = [];
    const sentences = [];
    text.split('\n').forEach(function (line) {
      if (!line.trim()) return;
      const mark = JSON.parse(line);
      if (mark.type === 'sentence') sentences.push(mark.time / 1000);
      if (mark.type !== 'word') return;
      const raw = String(mark.value).split(/\s+/).filter(function (part) { return normalize(part); });
      if (raw.length) words.push({ time: mark.time / 1000, parts: raw.map(normalize), raw: raw });
    });
    return { words: words, sentences: sentences };
  }

  // Every word of the host page's paragraphs: its text node, offsets and normalized form.
  function hostWords(root) {
    const selector = root.getAttribute('data-narrator-select') || 'p';
    const words = [];
    document.querySelectorAll(selector).forEach(function (block) {
      if (root.contains(block) || block.closest('.narrator-player')) return;
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const pattern = /\S+/g;
        for (let m = pattern.exec(node.data); m; m = pattern.exec(node.data)) {
          const norm = normalize(m[0]);
          if (norm) {
            words.push({ node: node, start: m.index, end: m.index + m[0].length, norm: norm,
                         block: block });
          }
        }
      }
    });
    return words;
  }

  function matchesAt(page, at, parts) {
    if (at + parts.length > page.length) return false;
    for (let k = 0; k < parts.length; ++k) {
      if (page[at + k].norm !== parts[k]) return false;
    }
    return true;
  }

  // Aligns marks to page words in order. A mark found further on than the next page word must be
  // followed by the next mark's word, so that a word the page lacks (a headline outside its <p>
  // elements) does not pull the alignment forward onto a later, unrelated match.
  function align(marks, page) {
    const pairs = [];
    let cursor = 0;
    marks.forEach(function (mark, index) {
      const next = marks[index + 1];
      const limit = Math.min(page.length, cursor + MATCH_WINDOW_WORDS);
      for (let at = cursor; at < limit; ++at) {
        if (!matchesAt(page, at, mark.parts)) continue;
        const after = at + mark.parts.length;
        if (at > cursor && next && !matchesAt(page, after, next.parts)) continue;
        pairs.push({ time: mark.time, words: page.slice(at, after), raw: mark.raw });
        cursor = after;
        return;
      }
    });
    return pairs;
  }

  // Leaves out of the page word the punctuation around it that the spoken word lacks: the voice
  // says "permitting", the page has "permitting." (but "Mr." keeps its point).
  function trimTo(word, raw) {
    const text = word.node.data.slice(word.start, word.end);
    const lead = /^[^\p{L}\p{N}]*/u.exec(text)[0];
    const trail = /[^\p{L}\p{N}]*$/u.exec(text)[0];
    if (lead && !raw.startsWith(lead)) word.start += lead.length;
    if (trail && !raw.endsWith(trail) && word.end - trail.length > word.start) {
      word.end -= trail.length;
    }
  }

  // Wraps each matched word in a span; returns the player's entries.
  function wrapMatches(pairs) {
    const byNode = new Map();
    const entries = pairs.map(function (pair) {
      const entry = { time: pair.time, elements: [] };
      pair.words.forEach(function (word, k) {
        trimTo(word, pair.raw[k]);
        if (!byNode.has(word.node)) byNode.set(word.node, []);
        byNode.get(word.node).push({ word: word, entry: entry });
        word.block.setAttribute('data-narrator-block', '');
      });
      return entry;
    });
    byNode.forEach(function (items, node) {
      // From the last word back, so that earlier offsets stay valid as the node is split.
      for (let k = items.length - 1; k >= 0; --k) {
        const word = items[k].word;
        node.splitText(word.end);
        const text = node.splitText(word.start);
        const span = document.createElement('span');
        span.className = 'narrator-w';
        span.setAttribute('data-b', String(Math.round(items[k].entry.time * 1000)));
        text.parentNode.insertBefore(span, text);
        span.appendChild(text);
        items[k].entry.elements.unshift(span);
      }
    });
    return entries;
  }

  // --- the player ---

  function Player(root, entries, sentences) {
    const audio = root.querySelector('audio');
    const button = root.querySelector('.narrator-play');
    const controls = root.querySelector('.narrator-controls');
    const seek = root.querySelector('.narrator-seek');
    const elapsed = root.querySelector('.narrator-elapsed');
    const total = root.querySelector('.narrator-total');
    const speed = root.querySelector('.narrator-speed');
    const times = entries.map(function (entry) { return entry.time; });
    const indexOf = new Map();
    entries.forEach(function (entry, index) {
      entry.elements.forEach(function (el) { indexOf.set(el, index); });
    });
    const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
    let current = -1;
    let frame = 0;
    let dragging = false;
    let manualScrollAt = -Infinity;
    let followOnce = false;
    // Nothing is highlighted before the listener plays or moves the position.
    let engaged = false;
    // The page's player bar stays at the top of the view (position: sticky): a followed word must
    // not scroll under it. In a host page (snippet) the player scrolls with the text.
    const pageMode = document.body.classList.contains('narrator-page');

    // Progressive enhancement: the native controls give way to ours.
    audio.controls = false;
    controls.hidden = false;
    button.hidden = false;
    root.classList.add('narrator-ready');

    function duration() {
      return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : Number(seek.max);
    }

    function barBottom() {
      return pageMode ? Math.max(0, root.getBoundingClientRect().bottom) : 0;
    }

    function outOfView(el) {
      const rect = el.getBoundingClientRect();
      const height = window.innerHeight || document.documentElement.clientHeight;
      return rect.top < barBottom() || rect.bottom > height;
    }

    // Marks the bar as stuck (compact) once the page has scrolled it to the top of the view, and
    // keeps the page's scroll padding the bar's height, so scrolling to a word clears the bar.
    function placeBar() {
      if (!pageMode) return;
      const stuck = window.scrollY > 0 && root.getBoundingClientRect().top <= 0.5;
      root.classList.toggle('narrator-stuck', stuck);
      document.documentElement.style.scrollPaddingTop =
        (stuck ? root.offsetHeight + FOLLOW_MARGIN_PX : 0) + 'px';
    }

    function follow(el) {
      const playing = !audio.paused;
      if (!(playing || followOnce)) return;
      followOnce = false;
      if (Date.now() - manualScrollAt < MANUAL_SCROLL_GRACE_MS) return;
      if (!outOfView(el)) return;
      el.scrollIntoView({ block: 'nearest', inline: 'nearest',
                          behavior: reducedMotion.matches ? 'auto' : 'smooth' });
    }

    function highlight(index) {
      if (index === current) return;
      if (current >= 0) {
        entries[current].elements.forEach(function (el) {
          el.classList.remove('narrator-current');
          const block = el.closest('[data-narrator-block]');
          if (block) block.classList.remove('narrator-current-block');
        });
      }
      current = index;
      if (current < 0) return;
      entries[current].elements.forEach(function (el) {
        el.classList.add('narrator-current');
        const block = el.closest('[data-narrator-block]');
        if (block) block.classList.add('narrator-current-block');
      });
      follow(entries[current].elements[0]);
    }

    function update() {
      const t = audio.currentTime;
      if (!audio.paused || t > 0) engaged = true;
      highlight(engaged ? lastAtOrBefore(times, t) : -1);
      if (!dragging) seek.value = String(t);
      const end = duration();
      seek.max = String(end);
      elapsed.textContent = clock(t);
      total.textContent = clock(end);
      seek.setAttribute('aria-valuetext', clock(t) + ' of ' + clock(end));
    }

    function showState() {
      const playing = !audio.paused && !audio.ended;
      button.setAttribute('aria-label', playing ? 'Pause' : 'Play');
      button.classList.toggle('narrator-playing', playing);
      root.classList.toggle('narrator-is-playing', playing);
    }

    function tick() {
      update();
      frame = !audio.paused && !audio.ended ? requestAnimationFrame(tick) : 0;
    }

    function start() {
      // A refused play() (autoplay rules, no audio) leaves the player paused, which it shows.
      const promise = audio.play();
      if (promise) promise.catch(function (error) { console.warn('narrator:', error.message); });
    }

    function toggle() {
      if (audio.paused || audio.ended) start();
      else audio.pause();
    }

    function seekTo(t, andPlay) {
      engaged = true;
      audio.currentTime = Math.max(0, Math.min(t, duration() || t));
      followOnce = true;
      update();
      if (andPlay) start();
    }

    function stepSentence(direction) {
      if (!sentences.length) return;
      const t = audio.currentTime;
      const at = lastAtOrBefore(sentences, t);
      if (direction > 0) {
        if (at + 1 < sentences.length) seekTo(sentences[at + 1], false);
        return;
      }
      if (at < 0) return seekTo(0, false);
      const target = t - sentences[at] > RESTART_WINDOW_S || at === 0 ? at : at - 1;
      seekTo(sentences[target], false);
    }

    button.addEventListener('click', toggle);
    ['play', 'playing'].forEach(function (name) {
      audio.addEventListener(name, function () {
        showState();
        if (!frame) frame = requestAnimationFrame(tick);
      });
    });
    ['pause', 'ended', 'timeupdate', 'seeking', 'seeked', 'loadedmetadata', 'durationchange']
      .forEach(function (name) {
        audio.addEventListener(name, function () {
          update();
          showState();
        });
      });
    seek.addEventListener('input', function () {
      dragging = true;
      elapsed.textContent = clock(Number(seek.value));
    });
    seek.addEventListener('change', function () {
      dragging = false;
      seekTo(Number(seek.value), false);
    });
    speed.addEventListener('change', function () {
      audio.playbackRate = Number(speed.value);
    });
    ['wheel', 'touchmove'].forEach(function (name) {
      window.addEventListener(name, function () { manualScrollAt = Date.now(); },
                              { passive: true });
    });
    // Any seek, even one to the very start, is the listener moving the position.
    audio.addEventListener('seeking', function () { engaged = true; });
    window.addEventListener('scroll', placeBar, { passive: true });
    window.addEventListener('resize', placeBar);

    document.addEventListener('click', function (event) {
      if (event.defaultPrevented || event.button !== 0) return;
      const target = event.target;
      if (!(target instanceof Element) || target.closest('a, button, input, select, label')) return;
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return;  // the reader is selecting text
      const word = target.closest('.narrator-w');
      if (word && indexOf.has(word)) return seekTo(entries[indexOf.get(word)].time, true);
      const block = target.closest('[data-narrator-block]');
      if (!block) return;
      const first = block.querySelector('.narrator-w');
      if (first && indexOf.has(first)) seekTo(entries[indexOf.get(first)].time, true);
    });

    document.addEventListener('keydown', function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target;
      const editing = target instanceof Element &&
        (target.closest('input, select, textarea, [contenteditable]') !== null);
      if (event.key === ' ' || event.key === 'Spacebar') {
        // A focused button or link answers Space itself.
        if (editing || (target instanceof Element && target.closest('button, a, summary'))) return;
        event.preventDefault();
        toggle();
      } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
        if (editing) return;
        event.preventDefault();
        stepSentence(event.key === 'ArrowRight' ? 1 : -1);
      }
    });

    update();
    showState();
    placeBar();
  }

  function init(root) {
    const marksUrl = root.getAttribute('data-narrator-marks');
    if (!marksUrl) {
      const data = readData(root);
      const sentences = (data.sentences || []).map(function (ms) { return ms / 1000; });
      Player(root, pageEntries(), sentences);
      return;
    }
    fetch(marksUrl)
      .then(function (response) {
        if (!response.ok) throw new Error(marksUrl + ': HTTP ' + response.status);
        return response.text();
      })
      .then(function (text) {
        const marks = parseMarks(text);
        const entries = wrapMatches(align(marks.words, hostWords(root)));
        root.setAttribute('data-narrator-matched', String(entries.length));
        Player(root, entries, marks.sentences);
      })
      .catch(function (error) {
        // The audio still plays through its native controls; only the highlighting is missing.
        root.setAttribute('data-narrator-error', String(error.message || error));
        console.warn('narrator: cannot load the speech marks:', error);
      });
  }

  document.querySelectorAll('[data-narrator-player]').forEach(init);
})();
