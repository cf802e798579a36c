// html_reader.hpp: a news page in HTML → Article, over libgumbo (an HTML5 parser).
#pragma once

#include <string>

#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"

namespace narrator {

// Reads the HTML page in `bytes` (UTF-8) into an Article with format InputFormat::kHtml. Markup is
// parsed leniently, as a browser would: unclosed tags and stray end tags are never an error.
//
// Which part is read: the blocks html::ContentScorer (content_scorer.hpp) scores best, with the
// siblings that score near them; without a paragraph to score, the first <article>, <main> or
// role="main" with text, else <body>. Text outside them is reported once, as DroppedText
// "html:outside-article". Inside them, nav, aside, footer, header (unless it holds the headline),
// script, style, noscript, template, form (unless it holds story text), button, input, select,
// textarea, iframe, svg, canvas, audio, video, object, figure and figcaption are not read, nor
// are elements marked hidden, aria-hidden="true" or styled "display: none", bylines (rel="author",
// a class naming "byline" or "author"), standalone <time datetime> dates (not inside a sentence),
// microdata about the page (itemprop url, image, datePublished, ...) and the blocks the scorer
// finds to be boilerplate; each is reported in Article::dropped as "html:<tag>", "html:hidden",
// "html:byline", "html:date", "html:microdata" or the scorer's rule ("html:link-density", ...),
// with its line and, in DroppedText::reason, the evidence. A block left without a letter or digit
// (the "·" between a byline and a date) is reported as "html:no-words", and a block of 200 bytes
// or more that repeats one read above as "html:repeated".
//
// Article::text: the blocks, separated by "\n\n". h1-h6 are kHeading blocks; p, li, dd, dt,
// blockquote, pre, table rows (cells set off by spaces), and text directly inside div, section,
// article and the like are kParagraph blocks. Runs of HTML whitespace (space, tab, CR, LF, FF)
// become one space; a <br> between words becomes a line break ('\n') of the block, as the lines of
// copied text are, so that the page-furniture rules read each line; character references are
// decoded (&nbsp; stays U+00A0, but no block starts or ends with one). The headline is always the
// first block: the <h1> inside the part read that the page's og:title or <title> (less the site's
// name) names, else an <h1> or <h2> elsewhere on the page that those titles name (for example in a
// <header> above <article>), else the first <h1> of the part read that is not the site's name;
// never a menu's or another story's heading.
//
// Article::origins lead each text byte back to the input byte it came from: exact within runs of
// plain text, and at each word's first byte (a decoded reference leads to its '&'); in
// pathological markup a word may lead a few bytes off, never outside the input.
//
// Article::metadata: title from og:title, else the headline, else <title>; publication from
// og:site_name, else application-name, else the <title> suffix after " | " or " - "; a title
// ending in " | <publication>" loses that suffix. Byline from <meta name="author">, else
// article:author (unless a URL), else the first byline element up to a " | ", " · " or " • ",
// each cleaned by clean_byline() ("By Jane Smith ·" gives "Jane Smith"). Date from
// article:published_time, else the first standalone <time datetime>, else <meta name="date"> or
// "pubdate".
//
// Memory: gumbo holds the whole tree (about 2.6 times the input for a page of short paragraphs).
// The input is freed once the tree's text is mapped to it, so the peak is about the larger of
// input + tree and tree + text: about 4 times the input for such a page, 2.3 for long paragraphs.
//
// Throws Error(kInput) with "source_name:line:column: ..." for invalid UTF-8 or NUL bytes (unless
// options.lossy, which replaces them by U+FFFD and reports each run as an "input.bytes_replaced"
// warning whose span is in Article::text, or empty when the bytes were in markup); with
// "source_name: ..." when nothing readable is left, and for input of 4 GiB or more (libgumbo's
// positions are 32-bit). Elements nested more than 512 deep (counted from the tags by a cheap
// pre-scan, before parsing: start tags but those of void elements and of elements whose end tag
// may be left out, such as p and li, less end tags) are refused with Error(kInput)
// "source_name:line: ..." naming the depth and the limit.
Article read_html(std::string bytes, std::string source_name, const ReadOptions& options,
                  Diagnostics& diagnostics);

}  // namespace narrator
