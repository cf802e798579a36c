// listening_page.hpp: the "Listen to this article" player: a self-contained HTML page that plays
// the narration and highlights each word as it is spoken (--player), and a fragment with a JS/CSS
// pair that a CMS drops into its own article page (--player-snippet).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/audio/audio_chunk.hpp"
#include "narrator/audio/audio_format.hpp"

namespace narrator::cli {

// The note under the player unless --player-disclaimer says otherwise.
inline constexpr std::string_view kDefaultPlayerDisclaimer =
    "This audio is computer-generated. Mispronunciations can occur.";

// A spoken word with its place in Article::text and its time in the audio.
struct TimedWord {
  SourceSpan span;                     // in Article::text
  std::chrono::milliseconds begin{0};  // its word mark
  std::chrono::milliseconds end{0};    // the next word's mark (the end of the audio for the last)
};

// Word and sentence marks with Article::text spans (TimingCollector keeps offsets into the input
// as given, which for HTML point into the markup; the page needs the text the voice read).
class WordTimeline {
 public:
  explicit WordTimeline(int sample_rate_hz) : sample_rate_hz_(sample_rate_hz) {}

  void add(const AudioChunk& chunk, std::size_t first_frame);

  // The words in reading order (by span), each timed from its mark to the next word's mark in
  // time (the last to `audio_end`); a repeated report of a word already kept is left out.
  std::vector<TimedWord> words(std::chrono::milliseconds audio_end) const;
  const std::vector<std::chrono::milliseconds>& sentence_starts() const noexcept {
    return sentence_starts_;
  }

 private:
  struct WordMark {
    SourceSpan span;
    std::chrono::milliseconds time{0};
  };
  int sample_rate_hz_;
  std::vector<WordMark> marks_;
  std::vector<std::chrono::milliseconds> sentence_starts_;
};

struct ListeningPageOptions {
  std::string audio_src;  // a relative URL (relative_url()) or a data: URI (data_uri())
  std::string disclaimer{kDefaultPlayerDisclaimer};
  std::string language = "en";            // the page's lang attribute
  std::chrono::milliseconds duration{0};  // of the audio, for "Estimated N minutes"
  std::vector<std::chrono::milliseconds> sentence_starts;  // for the arrow keys
};

// The whole page: headline, player, disclaimer and the article's blocks with every spoken word in a
// <span class="narrator-w" data-b="BEGIN_MS" data-e="END_MS">. All article text is HTML-escaped;
// the CSS and JS are inline and allowed by hash in the page's Content-Security-Policy.
std::string listening_page_html(const Article& article, const std::vector<TimedWord>& words,
                                const ListeningPageOptions& options);

// The files of --player-snippet: a fragment (the player, pointing at FILE.js, FILE.css, the audio
// and the speech-marks file by URLs relative to the fragment's folder) and the JS and CSS.
struct PlayerSnippet {
  std::string html;
  std::string js;
  std::string css;
};
struct SnippetOptions {
  std::string audio_src;   // URL of the audio
  std::string marks_src;   // URL of the --marks file (Polly JSON lines)
  std::string script_src;  // URL of the JS
  std::string style_src;   // URL of the CSS
  std::string disclaimer{kDefaultPlayerDisclaimer};
  std::chrono::milliseconds duration{0};
};
PlayerSnippet player_snippet(const SnippetOptions& options);

// The inline assets (cli/assets/player.js and player.css, embedded at build time).
std::string_view player_js() noexcept;
std::string_view player_css() noexcept;

// The HTML templates (cli/assets/page.html, player.html and snippet.html, embedded at build time),
// filled by fill_template() (html_template.hpp).
std::string_view page_template() noexcept;
std::string_view player_template() noexcept;
std::string_view snippet_template() noexcept;

// --- small pure pieces, exposed for the tests ---

// The line under the headline: "By Jane Smith · The Daily Example · March 5, 2024 at 9:00 AM",
// the parts that are known joined by one " · ", the date made readable (readable_date()).
std::string byline_line(const ArticleMetadata& metadata, std::string_view language);

// The <h1> of a page whose article has no headline: the metadata title, else the first sentence
// of the article (first_sentence()), else the file name without its extension.
std::string page_headline(const Article& article);

// The first sentence of `text` without its full stop, cut at a word boundary with "…" when
// longer than 80 bytes.
std::string first_sentence(std::string_view text);

// Text for HTML element content or a double-quoted attribute value: & < > " ' escaped.
std::string html_escape(std::string_view text);

// JSON text made safe inside a <script> element: <, >, & and U+2028/U+2029 become \uXXXX escapes,
// so "</script>" and "<!--" cannot end or confuse the element. The JSON's value is unchanged.
std::string script_safe_json(std::string_view json);

// Standard base64 (RFC 4648, with padding, no line breaks), by OpenSSL's EVP_EncodeBlock.
std::string base64(std::string_view bytes);

// A data: URI holding `bytes` of the given audio format (audio/mpeg, audio/wav, ...).
std::string data_uri(std::string_view bytes, AudioFormat format);

// The URL of `target` relative to the folder holding `page` (both paths as given on the command
// line, relative to the working directory or absolute), with each path segment percent-encoded.
std::string relative_url(const std::string& page, const std::string& target);

// "Estimated N minutes": the duration rounded to the nearest minute, at least 1.
long long estimated_minutes(std::chrono::milliseconds duration) noexcept;

// "sha256-BASE64" of `content`, a Content-Security-Policy source for an inline script or style.
std::string csp_hash(std::string_view content);

}  // namespace narrator::cli
