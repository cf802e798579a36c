#include "listening_page.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "manifest.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

constexpr std::array<std::string_view, 6> kSpeeds{"0.75", "1", "1.25", "1.5", "1.75", "2"};
constexpr std::string_view kNormalSpeed = "1";

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

// The controls shared by the page and the snippet. Those that need JS are `hidden` until the
// script shows them; without it the native <audio controls> plays the file.
std::string player_html(std::string_view root_attributes, std::string_view audio_src,
                        std::string_view disclaimer, std::chrono::milliseconds duration,
                        std::string_view data_json) {
  std::string html = "<section class=\"narrator-player\" data-narrator-player";
  html += root_attributes;
  html += " aria-label=\"Listen to this article\">\n<div class=\"narrator-listen\">\n";
  html +=
      "<button type=\"button\" class=\"narrator-play\" aria-label=\"Play\" hidden><span "
      "class=\"narrator-icon\" aria-hidden=\"true\"></span></button>\n";
  html += "<p class=\"narrator-listen-text\"><span class=\"narrator-listen-title\">Listen to this ";
  html += "article</span> <span class=\"narrator-estimate\">";
  html += estimate_text(duration);
  html += "</span></p>\n</div>\n<div class=\"narrator-controls\" hidden>\n";
  html += "<span class=\"narrator-time\"><span class=\"narrator-elapsed\">0:00</span> / ";
  html += "<span class=\"narrator-total\">";
  html += clock_text(duration);
  html += "</span></span>\n<input type=\"range\" class=\"narrator-seek\" aria-label=\"Seek\" ";
  html += "min=\"0\" max=\"";
  html += std::to_string(static_cast<double>(duration.count()) / 1000.0);
  html += "\" step=\"0.01\" value=\"0\">\n<label class=\"narrator-speed-label\">Speed ";
  html += "<select class=\"narrator-speed\" aria-label=\"Playback speed\">";
  for (const std::string_view speed : kSpeeds) {
    html += "<option value=\"";
    html += speed;
    html += speed == kNormalSpeed ? "\" selected>" : "\">";
    html += speed;
    html += "×</option>";
  }
  html += "</select></label>\n</div>\n";
  html += "<audio class=\"narrator-audio\" controls preload=\"metadata\" src=\"";
  html += html_escape(audio_src);
  html += "\">Your browser cannot play this audio.</audio>\n<p class=\"narrator-disclaimer\">";
  html += html_escape(disclaimer);
  html += "</p>\n";
  if (!data_json.empty()) {
    html += "<script type=\"application/json\" class=\"narrator-data\">";
    html += script_safe_json(data_json);
    html += "</script>\n";
  }
  html += "</section>\n";
  return html;
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

std::string byline_html(const ArticleMetadata& metadata) {
  std::string line;
  for (const std::string* part : {&metadata.byline, &metadata.publication, &metadata.date}) {
    if (part->empty()) continue;
    if (!line.empty()) line += " · ";
    if (part == &metadata.byline) line += "By ";
    line += *part;
  }
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
  if (title.empty()) title = "Listen to this article";

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

  nlohmann::json data;
  data["title"] = title;
  data["durationMs"] = options.duration.count();
  data["sentences"] = nlohmann::json::array();
  for (const std::chrono::milliseconds start : options.sentence_starts) {
    data["sentences"].push_back(start.count());
  }

  std::string page = "<!DOCTYPE html>\n<html lang=\"" + html_escape(options.language) + "\">\n";
  page += "<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" ";
  page += "content=\"" + html_escape(csp(player_js(), player_css())) + "\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  page += html_escape(title);
  page += "</title>\n<style>";
  page += player_css();
  page += "</style>\n</head>\n<body class=\"narrator-page\">\n<main class=\"narrator-article\">\n";
  page += "<header>\n" + header;
  page += byline_html(article.metadata);
  page += "</header>\n";
  page += player_html("", options.audio_src, options.disclaimer, options.duration,
                      data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  page += "<div class=\"narrator-text\">\n" + body + "</div>\n</main>\n<script>";
  page += player_js();
  page += "</script>\n</body>\n</html>\n";
  return page;
}

PlayerSnippet player_snippet(const SnippetOptions& options) {
  std::string html =
      "<!-- Narrator listening player. Place it where the player belongs in the article page; "
      "the words of the page's <p> elements that match the speech marks are highlighted as "
      "they are spoken. URLs are relative to this fragment's folder. -->\n";
  html += "<link rel=\"stylesheet\" href=\"" + html_escape(options.style_src) + "\">\n";
  html += player_html(" data-narrator-marks=\"" + html_escape(options.marks_src) + "\"",
                      options.audio_src, options.disclaimer, options.duration, "");
  html += "<script src=\"" + html_escape(options.script_src) + "\" defer></script>\n";
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
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      const auto byte = k < count ? static_cast<unsigned char>(bytes[i + k]) : 0u;
      group = (group << 8) | byte;
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out += k <= count ? kAlphabet[(group >> (18 - 6 * k)) & 0x3F] : '=';
    }
  }
  return out;
}

std::string data_uri(std::string_view bytes, AudioFormat format) {
  std::string_view type = "application/octet-stream";
  switch (format) {
    case AudioFormat::kMp3:
      type = "audio/mpeg";
      break;
    case AudioFormat::kWav:
      type = "audio/wav";
      break;
    case AudioFormat::kFlac:
      type = "audio/flac";
      break;
    case AudioFormat::kOgg:
      type = "audio/ogg";
      break;
    case AudioFormat::kRaw:
      break;
  }
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
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url;
  for (const char c : relative.generic_string()) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain =
        std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain && byte < 0x80) {
      url += c;
    } else {
      url += '%';
      url += kHex[byte >> 4];
      url += kHex[byte & 0xF];
    }
  }
  return url;
}

long long estimated_minutes(std::chrono::milliseconds duration) noexcept {
  // The same rounding as `narrate estimate`: to the nearest minute, at least 1.
  DurationEstimate estimate;
  estimate.duration = duration;
  return estimate.minutes();
}

std::string csp_hash(std::string_view content) {
  const std::string hex = sha256_hex(content);
  std::string digest;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    digest += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return "sha256-" + base64(digest);
}

}  // namespace narrator::cli
