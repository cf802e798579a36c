#include "listening_page.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "html_template.hpp"
#include "manifest.hpp"
#include "media_type.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "url_encode.hpp"

namespace narrator::cli {
namespace {

std::string_view text_of(const Article& article, SourceSpan span) {
  const std::size_t begin = std::min(span.begin_byte, article.text.size());
  const std::size_t end = std::clamp(span.end_byte, begin, article.text.size());
  return std::string_view(article.text).substr(begin, end - begin);
}

// Times in the page are whole milliseconds, as in the speech marks.
std::string ms(std::chrono::milliseconds time) { return std::to_string(time.count()); }

std::string clock_text(std::chrono::milliseconds time) {
  const long long seconds = time.count() / 1000;
  std::string text = std::to_string(seconds / 60) + ":";
  if (seconds % 60 < 10) text += '0';
  text += std::to_string(seconds % 60);
  return text;
}

std::string estimate_text(std::chrono::milliseconds duration) {
  const long long minutes = estimated_minutes(duration);
  std::string text = "Estimated " + std::to_string(minutes);
  text += minutes == 1 ? " minute" : " minutes";
  return text;
}

// What differs between the page's player and the snippet's.
struct PlayerKind {
  std::optional<std::string> marks_src;  // the snippet's speech marks, which its script loads
  std::optional<std::string> data_json;  // the page's data for its script
};

// The controls shared by the page and the snippet (assets/player.html). Those that need JS are
// `hidden` until the script shows them; without it the native <audio controls> plays the file.
std::string player_html(const PlayerKind& kind, std::string_view audio_src,
                        std::string_view disclaimer, std::chrono::milliseconds duration) {
  constexpr std::string_view kMarksAttribute = " data-narrator-marks=\"{{marks_src}}\"";
  constexpr std::string_view kDataElement =
      "<script type=\"application/json\" class=\"narrator-data\">{{{json}}}</script>\n";
  return fill_template(
      player_template(),
      {{"marks_attribute",
        kind.marks_src ? fill_template(kMarksAttribute, {{"marks_src", *kind.marks_src}}) : ""},
       {"estimate", estimate_text(duration)},
       {"total", clock_text(duration)},
       {"duration_s", std::to_string(static_cast<double>(duration.count()) / 1000.0)},
       {"audio_src", std::string(audio_src)},
       {"disclaimer", std::string(disclaimer)},
       {"data", kind.data_json
                    ? fill_template(kDataElement, {{"json", script_safe_json(*kind.data_json)}})
                    : ""}});
}

// A block's text with each spoken word in a span carrying its times. `words` is in reading order.
std::string block_words_html(const Article& article, const Block& block,
                             const std::vector<TimedWord>& words) {
  std::string html;
  std::size_t at = block.span.begin_byte;
  auto word =
      std::lower_bound(words.begin(), words.end(), at,
                       [](const TimedWord& w, std::size_t b) { return w.span.begin_byte < b; });
  for (; word != words.end() && word->span.begin_byte < block.span.end_byte; ++word) {
    const std::size_t end = std::min(word->span.end_byte, block.span.end_byte);
    html += html_escape(text_of(article, {at, word->span.begin_byte}));
    html += "<span class=\"narrator-w\" data-b=\"" + ms(word->begin) + "\" data-e=\"";
    html += ms(word->end);
    html += "\">";
    html += html_escape(text_of(article, {word->span.begin_byte, end}));
    html += "</span>";
    at = end;
  }
  html += html_escape(text_of(article, {at, block.span.end_byte}));
  return html;
}

std::string block_html(std::string_view tag, std::string_view css_class, std::string_view inner) {
  std::string html = "<";
  html += tag;
  html += " data-narrator-block";
  if (!css_class.empty()) {
    html += " class=\"";
    html += css_class;
    html += '"';
  }
  html += '>';
  html += inner;
  html += "</";
  html += tag;
  html += ">\n";
  return html;
}

// What the page's script reads: the title, the duration and the sentence starts (for the keys).
std::string page_data(const std::string& title, const ListeningPageOptions& options) {
  nlohmann::json data;
  data["title"] = title;
  data["durationMs"] = options.duration.count();
  data["sentences"] = nlohmann::json::array();
  for (const std::chrono::milliseconds start : options.sentence_starts) {
    data["sentences"].push_back(start.count());
  }
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_framing(const Article& article, const Block& block) {
  return block.span.begin_byte >= article.generated_from;
}

// The index of the block that is the headline (the first of the input's blocks, a heading that
// is the title or when no title is known), or npos.
std::size_t headline_block(const Article& article) {
  for (std::size_t index = 0; index < article.blocks.size(); ++index) {
    const Block& block = article.blocks[index];
    if (is_framing(article, block)) continue;  // the intro comes before the headline
    const bool titled =
        article.metadata.title.empty() || text_of(article, block.span) == article.metadata.title;
    return block.kind == BlockKind::kHeading && titled ? index : std::string::npos;
  }
  return std::string::npos;
}

}  // namespace

std::string byline_line(const ArticleMetadata& metadata, std::string_view language) {
  // Each part without separators of its own, so that the line's one separator is never doubled.
  const std::string byline = clean_byline(metadata.byline);
  const std::string parts[] = {byline.empty() ? "" : "By " + byline,
                               clean_byline(metadata.publication),
                               clean_byline(readable_date(metadata.date, language))};
  std::string line;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!line.empty()) line += " \u00B7 ";
    line += part;
  }
  return line;
}

std::string page_headline(const Article& article) {
  if (!article.metadata.title.empty()) return article.metadata.title;
  for (const Block& block : article.blocks) {
    if (block.span.begin_byte >= article.generated_from) continue;  // the intro is not the article
    if (const std::string sentence = first_sentence(text_of(article, block.span));
        !sentence.empty()) {
      return sentence;
    }
  }
  const std::string name = std::filesystem::path(article.source_name).stem().string();
  return name.empty() || article.source_name == "<stdin>" ? "Article" : name;
}

std::string first_sentence(std::string_view text) {
  constexpr std::size_t kMaxBytes = 80;
  std::size_t end = text.size();
  for (std::size_t at = 0; at + 1 < text.size(); ++at) {
    if ((text[at] == '.' || text[at] == '!' || text[at] == '?') && text[at + 1] == ' ') {
      end = at + (text[at] == '.' ? 0 : 1);  // "Storm hits coast" from "Storm hits coast. ..."
      break;
    }
  }
  if (end == text.size() && !text.empty() && text.back() == '.') --end;
  std::string_view sentence = text.substr(0, end);
  if (sentence.size() <= kMaxBytes) return std::string(sentence);
  // Shortened at the last space that leaves room for the ellipsis, never inside a word.
  const std::size_t space = sentence.rfind(' ', kMaxBytes);
  std::size_t cut = space == std::string_view::npos || space == 0 ? kMaxBytes : space;
  while (cut > 0 && (static_cast<unsigned char>(sentence[cut]) & 0xC0) == 0x80) --cut;
  sentence = sentence.substr(0, cut);
  while (!sentence.empty() &&
         std::string_view(",;:-").find(sentence.back()) != std::string_view::npos) {
    sentence.remove_suffix(1);
  }
  return std::string(sentence) + "\u2026";
}

namespace {

std::string byline_html(const ArticleMetadata& metadata, std::string_view language) {
  const std::string line = byline_line(metadata, language);
  return line.empty() ? "" : "<p class=\"narrator-byline\">" + html_escape(line) + "</p>\n";
}

std::string csp(std::string_view script, std::string_view style) {
  std::string policy = "default-src 'none'; script-src '";
  policy += csp_hash(script);
  policy += "'; style-src '";
  policy += csp_hash(style);
  policy += "'; media-src 'self' data: blob:; img-src data:; base-uri 'none'; form-action 'none'";
  return policy;
}

// The assets go inside <script> and <style> elements verbatim, so they must not close them.
void check_inline_assets() {
  if (player_js().find("</") != std::string_view::npos ||
      player_js().find("<!--") != std::string_view::npos ||
      player_css().find("</") != std::string_view::npos) {
    throw Error(ErrorCategory::kInternal,
                "cli/assets/player.js or player.css contains \"</\" or \"<!--\", which would end "
                "its inline element; rewrite that part of the asset");
  }
}

}  // namespace

void WordTimeline::add(const AudioChunk& chunk, std::size_t first_frame) {
  for (const TimingMark& mark : chunk.marks) {
    const std::chrono::milliseconds time =
        frames_to_duration(first_frame + mark.frame, sample_rate_hz_);
    if (mark.kind == MarkKind::kSentence) sentence_starts_.push_back(time);
    if (mark.kind == MarkKind::kWord && !mark.span.empty()) marks_.push_back({mark.span, time});
  }
}

std::vector<TimedWord> WordTimeline::words(std::chrono::milliseconds audio_end) const {
  // Each piece of text is wrapped in one span at most, or the markup would not nest: a mark whose
  // text overlaps a word already kept is left out, and its time goes to the word before it. The
  // eSpeak backend already reports each word once, in reading order; this holds for any backend.
  std::vector<TimedWord> words;
  std::map<std::size_t, std::size_t> taken;  // begin_byte -> end_byte of the kept words
  for (const WordMark& mark : marks_) {
    const auto after = taken.upper_bound(mark.span.begin_byte);
    const bool overlaps =
        (after != taken.end() && after->first < mark.span.end_byte) ||
        (after != taken.begin() && std::prev(after)->second > mark.span.begin_byte);
    if (overlaps) continue;
    taken.emplace(mark.span.begin_byte, mark.span.end_byte);
    words.push_back(TimedWord{mark.span, mark.time, mark.time});
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::chrono::milliseconds next = i + 1 < words.size() ? words[i + 1].begin : audio_end;
    words[i].end = std::max(words[i].begin, next);
  }
  // In reading order: the intro is spoken first but its text follows the article's.
  std::stable_sort(words.begin(), words.end(), [](const TimedWord& a, const TimedWord& b) {
    return a.span.begin_byte < b.span.begin_byte;
  });
  return words;
}

std::string listening_page_html(const Article& article, const std::vector<TimedWord>& words,
                                const ListeningPageOptions& options) {
  check_inline_assets();
  const std::size_t headline = headline_block(article);
  std::string title = article.metadata.title;
  if (title.empty() && headline != std::string::npos) {
    title = std::string(text_of(article, article.blocks[headline].span));
  }
  if (title.empty()) title = page_headline(article);

  std::string header;
  std::string body;
  for (std::size_t index = 0; index < article.blocks.size(); ++index) {
    const Block& block = article.blocks[index];
    const std::string inner = block_words_html(article, block, words);
    const std::string_view css_class = is_framing(article, block) ? "narrator-framing" : "";
    if (index == headline) {
      header += block_html("h1", css_class, inner);
    } else {
      body += block_html(block.kind == BlockKind::kHeading ? "h2" : "p", css_class, inner);
    }
  }
  if (headline == std::string::npos) header = "<h1>" + html_escape(title) + "</h1>\n";

  return fill_template(
      page_template(),
      {{"language", options.language},
       {"content_security_policy", csp(player_js(), player_css())},
       {"title", title},
       {"style", std::string(player_css())},
       {"headline", header},
       {"byline", byline_html(article.metadata, options.language)},
       {"player", player_html({.marks_src = std::nullopt, .data_json = page_data(title, options)},
                              options.audio_src, options.disclaimer, options.duration)},
       {"body", body},
       {"script", std::string(player_js())}});
}

PlayerSnippet player_snippet(const SnippetOptions& options) {
  std::string html = fill_template(
      snippet_template(),
      {{"style_src", options.style_src},
       {"player", player_html({.marks_src = options.marks_src, .data_json = std::nullopt},
                              options.audio_src, options.disclaimer, options.duration)},
       {"script_src", options.script_src}});
  return PlayerSnippet{std::move(html), std::string(player_js()), std::string(player_css())};
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string script_safe_json(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (json.substr(i, 3) == "\xE2\x80\xA8") {  // U+2028 LINE SEPARATOR
      out += "\\u2028";
      i += 2;
    } else if (json.substr(i, 3) == "\xE2\x80\xA9") {  // U+2029 PARAGRAPH SEPARATOR
      out += "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string base64(std::string_view bytes) {
  // EVP_EncodeBlock writes 4 characters per 3 bytes (padded) and a NUL, with no line breaks; it
  // takes an int length, so a large input goes through in pieces of whole 3-byte groups.
  constexpr std::size_t kPieceBytes = std::size_t{3} << 20;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t at = 0; at < bytes.size(); at += kPieceBytes) {
    const std::string_view piece = bytes.substr(at, kPieceBytes);
    std::string encoded((piece.size() + 2) / 3 * 4 + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                        reinterpret_cast<const unsigned char*>(piece.data()),
                                        static_cast<int>(piece.size()));
    out.append(encoded, 0, static_cast<std::size_t>(written));
  }
  return out;
}

std::string data_uri(std::string_view bytes, AudioFormat format) {
  // A data: URI's media type has no spaces (RFC 2397): "audio/ogg;codecs=opus".
  std::string type(audio_media_type(format).value_or("application/octet-stream"));
  std::erase(type, ' ');
  std::string uri = "data:";
  uri += type;
  uri += ";base64,";
  uri += base64(bytes);
  return uri;
}

std::string relative_url(const std::string& page, const std::string& target) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::absolute(fs::path(page)).lexically_normal().parent_path();
  const fs::path relative =
      fs::absolute(fs::path(target)).lexically_normal().lexically_relative(folder);
  return percent_encode(relative.generic_string(), "/");
}

long long estimated_minutes(std::chrono::milliseconds duration) noexcept {
  // The same rounding as `narrate estimate`: to the nearest minute, at least 1.
  DurationEstimate estimate;
  estimate.duration = duration;
  return estimate.minutes();
}

std::string csp_hash(std::string_view content) { return "sha256-" + base64(sha256(content)); }

}  // namespace narrator::cli
