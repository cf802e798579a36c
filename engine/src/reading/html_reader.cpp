// html_reader.cpp: HTML → Article over libgumbo.
//
// gumbo builds the whole tree. A survey of it finds what the page says about itself (meta tags,
// <title>, the first headline, byline and date elements) and where the story is; a source map
// then notes where each text node came from in the input, so that the input can be freed before
// the headline and the chosen container are read into text; a last look reports the text left
// outside. Walks are iterative, so deeply nested markup costs heap, not stack. The peak is about
// the larger of input + tree and tree + text (the tree is two to three times the size of a page
// of short paragraphs).
#include "html_reader.hpp"

#include <gumbo.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "content_scorer.hpp"
#include "html_tree.hpp"
#include "input_encoding.hpp"
#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"
#include "text_builder.hpp"
#include "text_scan.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kMaxSiteNameWords = 5;  // a longer <title> suffix is part of the headline
constexpr std::size_t kNoLimit = SIZE_MAX;

// ---- the gumbo tree

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const noexcept {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

GumboOutputPtr parse(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  // Parse errors are never reported, and gumbo copies the open-element stack into each one, which
  // makes deeply nested pages cost memory quadratic in their depth.
  options.max_errors = 0;
  GumboOutputPtr output(gumbo_parse_with_options(&options, html.data(), html.size()));
  if (!output) throw Error(ErrorCategory::kInternal, "libgumbo returned no parse tree");
  return output;
}

using html::attribute;
using html::children_of;
using html::contains;
using html::has_attribute;
using html::holds_code;
using html::is_block;
using html::is_element;
using html::is_furniture_tag;
using html::is_hidden;
using html::is_text;
using html::Layout;
using html::layout_of;
using html::Visit;
using html::walk;

// Skipped by every search: furniture (but <header>, where headlines live) and hidden elements.
bool is_out_of_sight(const GumboNode* element) {
  const GumboTag tag = element->v.element.tag;
  return (is_furniture_tag(tag) && tag != GUMBO_TAG_HEADER) || is_hidden(element);
}

bool is_byline_element(const GumboNode* element) {
  const std::string rel = detail::ascii_lower(attribute(element, "rel"));
  const std::string classes = detail::ascii_lower(attribute(element, "class"));
  return rel.find("author") != std::string::npos || classes.find("byline") != std::string::npos ||
         classes.find("author") != std::string::npos;
}

// Schema.org properties that describe the page rather than tell the story (its address, image,
// dates, keywords, publisher); pages put them in elements that a style sheet hides.
std::string_view microdata_property(const GumboNode* element) {
  static constexpr std::array<std::string_view, 12> kProperties = {"url",
                                                                   "image",
                                                                   "datepublished",
                                                                   "datecreated",
                                                                   "datemodified",
                                                                   "keywords",
                                                                   "mainentityofpage",
                                                                   "publisher",
                                                                   "logo",
                                                                   "thumbnailurl",
                                                                   "width",
                                                                   "height"};
  const std::string_view property = attribute(element, "itemprop");
  if (property.empty()) return {};
  const std::string lower = detail::ascii_lower(property);
  const bool listed = std::find(kProperties.begin(), kProperties.end(), lower) != kProperties.end();
  return listed ? property : std::string_view();
}

// A <time datetime> that stands alone (in a byline, or directly in a container) rather than inside
// a sentence: the first inline-layout ancestor that is not inline decides.
bool is_date_element(const GumboNode* element) {
  if (element->v.element.tag != GUMBO_TAG_TIME || !has_attribute(element, "datetime")) return false;
  for (const GumboNode* node = element->parent; node != nullptr && is_element(node);
       node = node->parent) {
    if (is_byline_element(node)) return true;
    const Layout layout = layout_of(node->v.element.tag);
    if (layout == Layout::kParagraph || layout == Layout::kHeading) return false;
    if (layout == Layout::kContainer) return true;
  }
  return true;
}

using detail::is_html_space;

// Appends `text` with each run of HTML whitespace as one space, and none at the start of `out`.
void append_collapsed(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (!is_html_space(c)) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
}

void trim_trailing_space(std::string& text) {
  if (!text.empty() && text.back() == ' ') text.pop_back();
}

// The text under `root`, whitespace collapsed, with a space where a block ends; stops after about
// `limit` bytes. `skip(element)` leaves an element's text out.
template <typename Skip>
std::string text_of(const GumboNode* root, std::size_t limit, Skip&& skip) {
  std::string out;
  const auto boundary = [&](const GumboNode* node) {
    if (is_element(node) && layout_of(node->v.element.tag) != Layout::kInline) {
      append_collapsed(out, " ");
    }
  };
  walk(
      root,
      [&](const GumboNode* node) {
        if (out.size() > limit) return Visit::kStop;
        if (is_text(node)) append_collapsed(out, node->v.text.text);
        if (!is_element(node) || skip(node)) return Visit::kSkip;
        boundary(node);
        return Visit::kDescend;
      },
      boundary);
  trim_trailing_space(out);
  return out;
}

std::string text_of(const GumboNode* root, std::size_t limit = kNoLimit) {
  return text_of(root, limit, [](const GumboNode*) { return false; });
}

// ---- the survey: what the page says about itself, and where its story is

struct PageFacts {
  std::string og_title;          // <meta property="og:title">
  std::string site_name;         // og:site_name
  std::string application_name;  // <meta name="application-name">
  std::string author;            // <meta name="author">
  std::string article_author;    // article:author
  std::string published_time;    // article:published_time
  std::string meta_date;         // <meta name="date"> or "pubdate"
  std::string title;             // <title>
  const GumboNode* body = nullptr;
  const GumboNode* first_h1 = nullptr;  // the first <h1> with text
  const GumboNode* byline = nullptr;    // the first byline element with text
  const GumboNode* date = nullptr;      // the first standalone <time datetime>
};

struct MetaKey {
  std::string_view key;  // a <meta> property or name, lower case
  std::string PageFacts::*field;
};

constexpr MetaKey kMetaKeys[] = {
    {"og:title", &PageFacts::og_title},
    {"og:site_name", &PageFacts::site_name},
    {"application-name", &PageFacts::application_name},
    {"author", &PageFacts::author},
    {"article:author", &PageFacts::article_author},
    {"article:published_time", &PageFacts::published_time},
    {"date", &PageFacts::meta_date},
    {"pubdate", &PageFacts::meta_date},
};

constexpr std::string_view kBylineSeparators[] = {" | ", " \u00B7 ", " \u2022 "};

// A byline element's text without its dates, a leading "By" and what follows a separator.
std::string byline_text(const GumboNode* element) {
  std::string text = text_of(element, kNoLimit, [](const GumboNode* node) {
    return node->v.element.tag == GUMBO_TAG_TIME || is_out_of_sight(node);
  });
  text = clean_byline(text);  // first: a leading separator must not cut the whole byline away
  for (const std::string_view separator : kBylineSeparators) {
    text = text.substr(0, text.find(separator));
  }
  return clean_byline(text);
}

void note_meta(const GumboNode* meta, PageFacts& page) {
  std::string key = detail::ascii_lower(attribute(meta, "property"));
  if (key.empty()) key = detail::ascii_lower(attribute(meta, "name"));
  for (const MetaKey& entry : kMetaKeys) {
    std::string& field = page.*entry.field;
    if (entry.key == key && field.empty()) {
      field = detail::collapse_spaces(attribute(meta, "content"));
    }
  }
}

void note_element(const GumboNode* element, PageFacts& page) {
  const auto keep_first = [element](const GumboNode*& slot) {
    if (slot == nullptr) slot = element;
  };
  const GumboTag tag = element->v.element.tag;
  if (tag == GUMBO_TAG_META) note_meta(element, page);
  if (tag == GUMBO_TAG_TITLE && element->v.element.tag_namespace == GUMBO_NAMESPACE_HTML &&
      page.title.empty()) {
    page.title = text_of(element);
  }
  if (tag == GUMBO_TAG_BODY) keep_first(page.body);
  if (tag == GUMBO_TAG_H1 && page.first_h1 == nullptr && !text_of(element).empty()) {
    page.first_h1 = element;
  }
  if (page.date == nullptr && is_date_element(element)) keep_first(page.date);
  if (page.byline == nullptr && is_byline_element(element) && !byline_text(element).empty()) {
    keep_first(page.byline);
  }
}

PageFacts survey(const GumboNode* document) {
  PageFacts page;
  walk(document, [&page](const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT) return Visit::kDescend;
    if (!is_element(node) || is_out_of_sight(node)) return Visit::kSkip;
    note_element(node, page);
    return Visit::kDescend;
  });
  return page;
}

// Searches below `root` as every search does (see is_out_of_sight); nullptr when nothing fits.
template <typename Match>
const GumboNode* find_in_sight(const GumboNode* root, Match&& match) {
  const GumboNode* found = nullptr;
  walk(root, [&](const GumboNode* node) {
    if (match(node)) {
      found = node;
      return Visit::kStop;
    }
    return is_element(node) && !is_out_of_sight(node) ? Visit::kDescend : Visit::kSkip;
  });
  return found;
}

// ---- metadata

constexpr std::string_view kTitleSeparators[] = {" | ", " - ", " \u2013 ", " \u2014 "};

// The part of a <title> after its last separator when it is short enough to be the site's name;
// empty otherwise.
std::string title_suffix(std::string_view title) {
  std::size_t best = std::string_view::npos;
  std::size_t separator_bytes = 0;
  for (const std::string_view separator : kTitleSeparators) {
    const std::size_t at = title.rfind(separator);
    if (at != std::string_view::npos && (best == std::string_view::npos || at > best)) {
      best = at;
      separator_bytes = separator.size();
    }
  }
  if (best == std::string_view::npos || best == 0) return "";
  const std::string_view suffix = title.substr(best + separator_bytes);
  if (detail::count_words(suffix) > kMaxSiteNameWords) return "";
  return std::string(suffix);
}

std::string without_site_suffix(std::string title, std::string_view publication) {
  if (publication.empty()) return title;
  for (const std::string_view separator : kTitleSeparators) {
    const std::string suffix = std::string(separator) + std::string(publication);
    if (title.size() > suffix.size() && title.ends_with(suffix)) {
      title.resize(title.size() - suffix.size());
      break;
    }
  }
  return title;
}

std::string first_known(std::initializer_list<std::string_view> values) {
  for (const std::string_view value : values) {
    if (!value.empty()) return std::string(value);
  }
  return "";
}

std::string publication_of(const PageFacts& page) {
  return first_known({page.site_name, page.application_name, title_suffix(page.title)});
}

// A title's letters and digits in lower case, so that punctuation and spacing ("..." or "…", a
// dash or a colon) do not decide whether two titles are the same.
std::string title_key(std::string_view text) {
  std::string key;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t begin = at;
    const std::optional<char32_t> c = detail::next_code_point(text, at);
    if (!c || !u_isalnum(static_cast<UChar32>(*c))) continue;
    if (*c < 0x80) {
      key += static_cast<char>(u_tolower(static_cast<UChar32>(*c)));
    } else {
      key.append(text.substr(begin, at - begin));
    }
  }
  return key;
}

// True when a heading's text and a title name the same story: equal without case, or one holds
// the other whole (a title with a kicker or a site name left on it).
bool same_title(std::string_view heading, std::string_view title) {
  constexpr std::size_t kMinContainedBytes = 10;
  const std::string a = title_key(heading);
  const std::string b = title_key(title);
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  return (a.size() >= kMinContainedBytes && b.find(a) != std::string::npos) ||
         (b.size() >= kMinContainedBytes && a.find(b) != std::string::npos);
}

// The headline: the <h1> in the story that the page's titles name, else a heading elsewhere on
// the page that its og:title or <title> names, else the story's first <h1> that is not the site's
// name; so never a menu's or another story's. nullptr when there is none, or when the story sits
// inside it.
// True when the page's og:title or <title> (without the site's name) names `heading`, and the
// heading is not the site's name itself.
bool named_by_title(const PageFacts& page, const GumboNode* heading) {
  const std::string publication = publication_of(page);
  const std::string text = text_of(heading);
  if (!publication.empty() && title_key(text) == title_key(publication)) return false;
  return same_title(text, without_site_suffix(page.og_title, publication)) ||
         same_title(text, without_site_suffix(page.title, publication));
}

// The first <h1> in sight that the page's titles name; nullptr when none.
const GumboNode* titled_h1(const PageFacts& page, const GumboNode* body) {
  return find_in_sight(body, [&](const GumboNode* node) {
    return is_element(node) && node->v.element.tag == GUMBO_TAG_H1 && named_by_title(page, node);
  });
}

const GumboNode* find_headline(const PageFacts& page, const std::vector<const GumboNode*>& roots,
                               const GumboNode* body) {
  const auto named = [&](const GumboNode* heading) { return named_by_title(page, heading); };
  const std::string publication = publication_of(page);
  const GumboNode* first = nullptr;  // the first <h1> in the story that is not the site's name
  const GumboNode* headline = nullptr;
  for (const GumboNode* root : roots) {
    headline = find_in_sight(root, [&](const GumboNode* node) {
      if (!is_element(node) || node->v.element.tag != GUMBO_TAG_H1) return false;
      const std::string text = text_of(node);
      if (text.empty()) return false;
      if (first == nullptr && !same_title(text, publication)) first = node;
      return named(node);
    });
    if (headline != nullptr) break;
  }
  if (headline == nullptr) {
    headline = find_in_sight(body, [&](const GumboNode* node) {
      return is_element(node) &&
             (node->v.element.tag == GUMBO_TAG_H1 || node->v.element.tag == GUMBO_TAG_H2) &&
             named(node);
    });
  }
  if (headline == nullptr) headline = first;
  const bool around_story =
      headline != nullptr && std::any_of(roots.begin(), roots.end(), [&](const GumboNode* root) {
        return contains(headline, root);
      });
  return around_story ? nullptr : headline;
}

ArticleMetadata metadata_of(const PageFacts& page, const GumboNode* headline) {
  ArticleMetadata metadata;
  metadata.publication = publication_of(page);
  metadata.title = without_site_suffix(
      first_known({page.og_title, headline != nullptr ? text_of(headline) : "", page.title}),
      metadata.publication);
  const bool author_is_url = page.article_author.starts_with("http");
  metadata.byline = first_known({clean_byline(page.author),
                                 author_is_url ? "" : clean_byline(page.article_author),
                                 page.byline != nullptr ? byline_text(page.byline) : ""});
  metadata.date = first_known(
      {page.published_time,
       page.date != nullptr ? detail::collapse_spaces(attribute(page.date, "datetime")) : "",
       page.meta_date});
  return metadata;
}

// ---- text

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_ascii_alnum(char c) { return (c >= '0' && c <= '9') || is_ascii_alpha(c); }

using detail::char_end;

// Where the tag at source[at] ends, past its '>'; npos when no '>' comes within kMaxTagBytes (a
// bound that keeps pathological text linear; such a '<' is not taken for a tag).
std::size_t tag_end(std::string_view source, std::size_t at) {
  constexpr std::size_t kMaxTagBytes = 256;
  const std::size_t close = source.substr(at, kMaxTagBytes).find('>');
  return close == std::string_view::npos ? std::string_view::npos : at + close + 1;
}

// True at a tag in a text node's source that the parser ignored (a stray "</a>"): markup that the
// decoded text, `decoded` from here on, does not hold as it stands (<plaintext>, <xmp> and
// <textarea> keep their tags as text). An HTML tokenizer never reads '<' before a letter, '/', '!'
// or '?' as text.
bool is_ignored_tag_at(std::string_view source, std::size_t at, std::string_view decoded) {
  if (at + 1 >= source.size() || source[at] != '<') return false;
  const char next = source[at + 1];
  if (!is_ascii_alpha(next) && next != '/' && next != '!' && next != '?') return false;
  const std::size_t end = tag_end(source, at);
  return end != std::string_view::npos && !decoded.starts_with(source.substr(at, end - at));
}

std::size_t skip_tags(std::string_view source, std::size_t at, std::string_view decoded) {
  while (is_ignored_tag_at(source, at, decoded)) at = tag_end(source, at);
  return at;
}

// Past spaces and ignored tags in the source.
std::size_t skip_markup(std::string_view source, std::size_t at, std::string_view decoded) {
  while (at < source.size()) {
    if (is_html_space(source[at])) {
      ++at;
    } else if (is_ignored_tag_at(source, at, decoded)) {
      at = tag_end(source, at);
    } else {
      break;
    }
  }
  return at;
}

// Where the character reference at source[at] ends at the longest ("&amp;", "&#8217;", "&copy"),
// or the end of the one character there when it is not a '&'.
std::size_t reference_end(std::string_view source, std::size_t at) {
  if (at >= source.size()) return at;
  if (source[at] != '&') return char_end(source, at);
  std::size_t end = at + 1;
  if (end < source.size() && source[end] == '#') ++end;
  while (end < source.size() && is_ascii_alnum(source[end])) ++end;  // a name, digits, x and hex
  if (end < source.size() && source[end] == ';') ++end;
  return end;
}

constexpr int kDiffers = -1;

// How far the decoded text from `decoded_at` on is seen to go on as the source does from
// `source_at` on: byte for byte (past ignored tags) up to the source's next space or end, where the
// decoded text must have a space or end too, or up to its next reference, which cannot be compared.
// The number of bytes that agree, plus one for a space or end reached together; kDiffers when they
// differ.
int agreement(std::string_view decoded, std::size_t decoded_at, std::string_view source,
              std::size_t source_at) {
  for (int agreed = 0;; ++agreed, ++decoded_at, ++source_at) {
    if (decoded_at < decoded.size()) {
      source_at = skip_tags(source, source_at, decoded.substr(decoded_at));
    }
    if (source_at >= source.size()) return decoded_at >= decoded.size() ? agreed + 1 : kDiffers;
    if (source[source_at] == '&') return agreed;
    if (is_html_space(source[source_at])) {
      const bool together = decoded_at >= decoded.size() || is_html_space(decoded[decoded_at]);
      return together ? agreed + 1 : kDiffers;
    }
    if (decoded_at >= decoded.size() || decoded[decoded_at] != source[source_at]) return kDiffers;
  }
}

// One step through a text node: so many decoded bytes stand for so many source bytes.
struct Step {
  std::size_t decoded_bytes = 0;
  std::size_t source_bytes = 0;
};

// A character reference at source[i], decoded at decoded[j] into one character or two (a few
// references decode to two). A numeric reference takes all its digits; a name without ';' may be
// the start of a word ("&copy2025" is "©2025"), so a named one is the longest after which the
// decoded text is seen to go on as the source does.
Step reference_step(std::string_view decoded, std::size_t j, std::string_view source,
                    std::size_t i) {
  constexpr std::size_t kLongestNamedReference = 40;  // "&CounterClockwiseContourIntegral;"
  const std::size_t longest = reference_end(source, i);
  const bool numeric = i + 1 < source.size() && source[i + 1] == '#';
  const std::size_t shortest = numeric ? longest : i + 2;
  const std::size_t one = char_end(decoded, j);
  const std::size_t two = one < decoded.size() ? char_end(decoded, one) : one;
  std::optional<Step> unverified;  // the longest after which a reference follows at once
  for (std::size_t end = std::min(longest, i + kLongestNamedReference); end >= shortest; --end) {
    for (const std::size_t decoded_end : {one, two}) {
      const int agreed = agreement(decoded, decoded_end, source, end);
      if (agreed > 0) return Step{decoded_end - j, end - i};
      if (agreed == 0 && !unverified) unverified = Step{decoded_end - j, end - i};
    }
  }
  return unverified.value_or(Step{one - j, longest - i});
}

// The next step at a non-space decoded byte: the longest byte-for-byte stretch up to a space or a
// '&'; else a '&' that starts no reference; else a character reference; else a character the
// parser replaced.
Step next_step(std::string_view decoded, std::size_t j, std::string_view source, std::size_t i) {
  std::size_t same = 0;
  while (j + same < decoded.size() && i + same < source.size() &&
         decoded[j + same] == source[i + same] && !is_html_space(decoded[j + same]) &&
         source[i + same] != '&') {
    ++same;
  }
  if (same > 0) return Step{same, same};
  if (i >= source.size()) return Step{char_end(decoded, j) - j, 0};
  if (source[i] != '&') return Step{char_end(decoded, j) - j, char_end(source, i) - i};
  const std::size_t length = reference_end(source, i) - i;
  if (decoded.substr(j, length) == source.substr(i, length)) return Step{length, length};
  return reference_step(decoded, j, source, i);
}

// Where the source of a whitespace run in the decoded text ends, when it is not whitespace: after
// a reference that decoded to a space, or (when the two have drifted apart) after the rest of the
// source word, so that they meet again at the next space.
std::size_t skip_unspaced(std::string_view source, std::size_t i) {
  if (i < source.size() && source[i] == '&') return reference_end(source, i);
  while (i < source.size() && !is_html_space(source[i])) ++i;
  return i;
}

// True when `text` holds a letter or a digit: a block without one ("·", "|") is what is left of a
// line whose byline and date were dropped.
bool has_word(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::optional<char32_t> c = detail::next_code_point(text, at);
    if (c && u_isalnum(static_cast<UChar32>(*c))) return true;
  }
  return false;
}

// ---- where text came from

// Where the text of every text node came from, worked out while the input is still there so that
// the text can be built after it has been freed. A node's decoded byte 0 comes from its start
// position; anchors are kept only where that stops holding (character references, CR LF, a
// CDATA section's delimiters).
class SourceMap {
 public:
  // `parse_begin` is where the bytes given to gumbo start in `input` (after a byte order mark).
  SourceMap(const GumboNode* document, std::string_view input, std::size_t parse_begin)
      : parse_begin_(parse_begin) {
    walk(document, [&](const GumboNode* node) {
      if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) map_node(node, input);
      return is_element(node) || node->type == GUMBO_NODE_DOCUMENT ? Visit::kDescend : Visit::kSkip;
    });
    std::sort(runs_.begin(), runs_.end(), [](const AnchorRun& a, const AnchorRun& b) {
      return std::less<const GumboNode*>()(a.node, b.node);
    });
  }

  std::size_t start_of(const GumboNode* node) const {
    return node->v.text.start_pos.offset + parse_begin_;
  }

  // Where the node's decoded text stops following its source, in order of decoded byte (the
  // anchors' text_byte); empty when it follows its source throughout.
  std::span<const detail::TextAnchor> anchors_of(const GumboNode* node) const {
    const auto run = std::lower_bound(runs_.begin(), runs_.end(), node,
                                      [](const AnchorRun& a, const GumboNode* b) {
                                        return std::less<const GumboNode*>()(a.node, b);
                                      });
    if (run == runs_.end() || run->node != node) return {};
    return std::span(anchors_).subspan(run->first, run->count);
  }

 private:
  void map_node(const GumboNode* node, std::string_view input) {
    const GumboText& text = node->v.text;
    const std::string_view decoded(text.text);
    std::string_view source(text.original_text.data, text.original_text.length);
    if (node->type == GUMBO_NODE_CDATA && source.starts_with("<![CDATA[")) {
      source.remove_prefix(std::string_view("<![CDATA[").size());
      if (source.ends_with("]]>")) source.remove_suffix(std::string_view("]]>").size());
    }
    const bool in_input = source.data() >= input.data() &&
                          source.data() + source.size() <= input.data() + input.size();
    if (!in_input) source = std::string_view();
    const std::size_t source_begin =
        in_input ? static_cast<std::size_t>(source.data() - input.data()) : start_of(node);
    if (source_begin == start_of(node) && decoded == source) return;
    const std::size_t first = anchors_.size();
    detail::TextAnchor current{0, start_of(node)};
    const auto mark = [&](std::size_t j, std::size_t input_byte) {
      if (current.input_byte + (j - current.text_byte) == input_byte) return;
      current = detail::TextAnchor{j, input_byte};
      anchors_.push_back(current);
    };
    std::size_t i = 0;  // in source
    std::size_t j = 0;  // in decoded
    while (j < decoded.size()) {
      if (is_html_space(decoded[j])) {
        while (j < decoded.size() && is_html_space(decoded[j])) ++j;
        const std::size_t space_begin = i;
        i = skip_markup(source, i, decoded.substr(j));
        const std::string_view skipped = source.substr(space_begin, i - space_begin);
        if (std::none_of(skipped.begin(), skipped.end(), is_html_space)) {
          i = skip_markup(source, skip_unspaced(source, i), decoded.substr(j));
        }
        continue;
      }
      i = skip_markup(source, i, decoded.substr(j));  // and a newline dropped after <pre>
      const Step step = next_step(decoded, j, source, i);
      mark(j, source_begin + std::min(i, source.size()));
      i += step.source_bytes;
      j += step.decoded_bytes;
    }
    if (anchors_.size() > first) runs_.push_back(AnchorRun{node, first, anchors_.size() - first});
  }

  // The anchors of one node: anchors_[first, first + count).
  struct AnchorRun {
    const GumboNode* node;
    std::size_t first;
    std::size_t count;
  };

  std::vector<detail::TextAnchor> anchors_;  // in document order
  std::vector<AnchorRun> runs_;              // by node
  std::size_t parse_begin_;
};

// Article::text, blocks and origins from text nodes in reading order (see detail::TextBuilder):
// HTML whitespace collapsed, and blocks trimmed of all spaces (U+00A0 too). A block without a
// letter or digit is dropped and reported at its first text's line.
class PageText {
 public:
  // `capacity`: the bytes to reserve for the text.
  PageText(Article& article, std::size_t capacity) : article_(article) {
    builder_.reserve(capacity);
  }

  // Ends the current block, if it has text; text from now on starts a block of `kind`.
  void start_block(BlockKind kind) {
    end_block();
    kind_ = kind;
  }

  void add_space() { builder_.add_space(); }
  void add_line_break() { builder_.add_line_break(); }

  // A text node's text (references decoded), starting on line `line`: decoded byte 0 comes from
  // input byte `start`, unless `anchors` say otherwise.
  void add_text(std::string_view decoded, std::size_t start,
                std::span<const detail::TextAnchor> anchors, std::size_t line) {
    const bool opens_block = !builder_.block_open();
    const std::optional<detail::FirstWord> first = builder_.add_text(decoded, start, anchors);
    if (opens_block && first) {
      const std::string_view before = decoded.substr(0, first->added_byte);
      block_line_ = line + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    }
  }

  // Ends the last block and moves the text, blocks and origins into the article.
  void finish() {
    end_block();
    builder_.finish(article_);
  }

 private:
  void end_block() {
    const std::optional<SourceSpan> span = builder_.end_block(kind_);
    if (!span) return;
    const std::string_view block = builder_.text(*span);
    if (!has_word(block)) {
      article_.dropped.push_back(
          DroppedText{block_line_, "html:no-words", detail::excerpt(block), "no letter or digit"});
      builder_.remove_last_block();
    } else if (block.size() >= kMinRepeatedBytes && !seen_.insert(std::string(block)).second) {
      article_.dropped.push_back(DroppedText{block_line_, "html:repeated", detail::excerpt(block),
                                             "the same text was read above"});
      builder_.remove_last_block();
    }
  }

  // Pages repeat a paragraph for another layout (a print or slide view, a caption that quotes
  // the lead); shorter repeats (a schedule's rows, "Photo") may be the story's own.
  static constexpr std::size_t kMinRepeatedBytes = 200;
  std::unordered_set<std::string> seen_;  // the blocks read, from kMinRepeatedBytes up

  Article& article_;
  detail::TextBuilder builder_{detail::kHtmlWhitespace};
  BlockKind kind_ = BlockKind::kParagraph;
  std::size_t block_line_ = 0;  // of the open block's first text, in the input
};

// ---- reading

// Reads elements into text: blocks by layout; furniture, hidden elements, bylines, dates and the
// blocks the scorer finds to be boilerplate dropped, each reported with its reason.
class BodyReader {
 public:
  // `headline` is read on its own, and skipped where it stands.
  // `scorer`: what judges blocks as boilerplate; nullptr: the tag rules alone.
  BodyReader(const SourceMap& sources, const html::ContentScorer* scorer, const GumboNode* headline,
             Article& article, std::size_t capacity)
      : sources_(sources),
        scorer_(scorer),
        headline_(headline),
        article_(article),
        builder_(article, capacity) {}

  // Reads `root` and what is below it.
  void read(const GumboNode* root) {
    walk(
        root, [&](const GumboNode* node) { return enter(node, root); },
        [&](const GumboNode* node) { leave(node); });
    builder_.start_block(BlockKind::kParagraph);
  }

  // Moves the text read into the article.
  void finish() { builder_.finish(); }

 private:
  Visit enter(const GumboNode* node, const GumboNode* root) {
    if (node->type == GUMBO_NODE_WHITESPACE) {
      builder_.add_space();
      return Visit::kSkip;
    }
    if (is_text(node)) {
      add_text(node);
      return Visit::kSkip;
    }
    if (!is_element(node) || (node == headline_ && node != root)) return Visit::kSkip;
    const Layout layout = layout_of(node->v.element.tag);
    if (node != root) {
      if (std::optional<html::Removal> removal = drop_rule(node)) {
        article_.dropped.push_back(DroppedText{
            node->v.element.start_pos.line, std::move(removal->rule),
            detail::excerpt(text_of(node, detail::kExcerptBytes)), std::move(removal->reason)});
        if (is_block(layout)) {
          builder_.start_block(current_kind());
        } else {
          builder_.add_space();
        }
        return Visit::kSkip;
      }
    }
    switch (layout) {
      case Layout::kInline:
        return Visit::kDescend;
      case Layout::kCell:
        builder_.add_space();
        return Visit::kDescend;
      case Layout::kBreak:
        builder_.add_line_break();
        return Visit::kSkip;
      case Layout::kHeading:
        open(BlockKind::kHeading);
        return Visit::kDescend;
      case Layout::kParagraph:
        open(BlockKind::kParagraph);
        return Visit::kDescend;
      case Layout::kContainer:
        open(current_kind());
        return Visit::kDescend;
    }
    return Visit::kDescend;
  }

  void leave(const GumboNode* node) {
    if (!is_element(node)) return;
    const Layout layout = layout_of(node->v.element.tag);
    if (!is_block(layout)) {
      if (layout == Layout::kCell) builder_.add_space();
      return;
    }
    kinds_.pop_back();
    builder_.start_block(current_kind());
  }

  BlockKind current_kind() const { return kinds_.empty() ? BlockKind::kParagraph : kinds_.back(); }

  void open(BlockKind kind) {
    kinds_.push_back(kind);
    builder_.start_block(kind);
  }

  // Furniture by tag (a <header> with the headline and a <form> around story text are read),
  // hidden elements, bylines and dates, then what the scorer finds.
  std::optional<html::Removal> drop_rule(const GumboNode* element) const {
    const GumboTag tag = element->v.element.tag;
    const bool read_anyway =
        (tag == GUMBO_TAG_HEADER && contains(element, headline_)) ||
        (tag == GUMBO_TAG_FORM && scorer_ != nullptr && scorer_->holds_story(element));
    if (is_furniture_tag(tag) && !read_anyway) {
      return html::Removal{std::string("html:") + gumbo_normalized_tagname(tag), "tag"};
    }
    if (is_hidden(element)) return html::Removal{"html:hidden", "hidden attribute"};
    if (const std::string_view property = microdata_property(element); !property.empty()) {
      return html::Removal{"html:microdata", "itemprop=" + std::string(property)};
    }
    if (is_byline_element(element)) return html::Removal{"html:byline", "metadata"};
    if (is_date_element(element)) return html::Removal{"html:date", "metadata"};
    return scorer_ != nullptr ? scorer_->removal(element) : std::nullopt;
  }

  void add_text(const GumboNode* node) {
    builder_.add_text(node->v.text.text, sources_.start_of(node), sources_.anchors_of(node),
                      node->v.text.start_pos.line);
  }

  const SourceMap& sources_;
  const html::ContentScorer* scorer_;
  const GumboNode* headline_;
  Article& article_;
  PageText builder_;
  std::vector<BlockKind> kinds_;  // of the block elements around the current node
};

// The page around `container`: one report for its text (the headline aside), or nullopt when it
// has none.
std::optional<DroppedText> outside_report(const GumboNode* body,
                                          const std::vector<const GumboNode*>& roots,
                                          const GumboNode* headline) {
  const auto skip = [&](const GumboNode* element) {
    return std::find(roots.begin(), roots.end(), element) != roots.end() || element == headline ||
           holds_code(element->v.element.tag);
  };
  const GumboNode* first = nullptr;
  walk(body, [&](const GumboNode* node) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) first = node;
    if (first != nullptr) return Visit::kStop;
    return is_element(node) && !skip(node) ? Visit::kDescend : Visit::kSkip;
  });
  if (first == nullptr) return std::nullopt;
  const std::string_view text(first->v.text.text);
  const std::size_t spaces = std::min(text.size(), text.find_first_not_of(" \t\n\r\f"));
  const auto line = first->v.text.start_pos.line +
                    static_cast<std::size_t>(std::count(text.begin(), text.begin() + spaces, '\n'));
  return DroppedText{line, "html:outside-article",
                     detail::excerpt(text_of(body, detail::kExcerptBytes, skip)),
                     "outside the best-scoring blocks"};
}

// Passes on the encoding reports, their spans moved from the input into Article::text (empty for
// bytes that were in markup).
void forward_encoding_reports(const std::vector<Diagnostic>& reports, const Article& article,
                              Diagnostics& diagnostics) {
  const std::vector<TextOrigin>& origins = article.origins;
  std::vector<std::size_t> by_input(origins.size());
  for (std::size_t i = 0; i < by_input.size(); ++i) by_input[i] = i;
  std::sort(by_input.begin(), by_input.end(), [&](std::size_t a, std::size_t b) {
    return origins[a].input_byte < origins[b].input_byte;
  });
  for (Diagnostic report : reports) {
    const std::size_t input_byte = report.span.begin_byte;
    const auto after = std::upper_bound(
        by_input.begin(), by_input.end(), input_byte,
        [&](std::size_t byte, std::size_t run) { return byte < origins[run].input_byte; });
    SourceSpan span;
    if (after != by_input.begin()) {
      const std::size_t run = *(after - 1);
      const std::size_t run_end =
          run + 1 < origins.size() ? origins[run + 1].text_byte : article.text.size();
      const std::size_t text_byte = origins[run].text_byte + (input_byte - origins[run].input_byte);
      if (text_byte < run_end) {
        span = SourceSpan{text_byte, std::min(run_end, text_byte + report.span.size_bytes())};
      }
    }
    report.span = span;
    diagnostics.report(std::move(report));
  }
}

// ---- the nesting pre-scan

// How deep elements may nest: far beyond any real page (a few dozen levels; deep frameworks reach
// a hundred or two), and low enough that libgumbo, whose work grows with the square of the depth
// (100,000 levels took 13-19 s), stays fast.
constexpr std::size_t kMaxNestingDepth = 512;

// Elements that never hold others, or whose end tag a page may leave out and the parser supplies
// (a <p> or <li> closes the one before it): they never add depth, so a page full of them is not
// taken for a deep one.
constexpr std::array<std::string_view, 36> kFlatElements{
    "area", "base",  "br",     "col",   "embed",   "hr",       "img",      "input", "link",
    "meta", "param", "source", "track", "wbr",     "keygen",   "frame",    "html",  "head",
    "body", "p",     "li",     "dt",    "dd",      "option",   "optgroup", "tr",    "td",
    "th",   "thead", "tbody",  "tfoot", "caption", "colgroup", "rb",       "rt",    "rp"};
// Elements whose content is text to the tokenizer, up to their end tag.
constexpr std::array<std::string_view, 9> kRawTextElements{
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"};

// Where the end tag "</name" of a raw-text element starts at or after `at`, or npos.
std::size_t end_tag(std::string_view html, std::size_t at, std::string_view name) {
  for (at = html.find("</", at); at != std::string_view::npos; at = html.find("</", at + 2)) {
    if (detail::ascii_lower(html.substr(at + 2, name.size())) == name) return at;
  }
  return std::string_view::npos;
}

struct Nesting {
  std::size_t deepest = 0;                           // open elements at the deepest point
  std::size_t too_deep_at = std::string_view::npos;  // where kMaxNestingDepth was first passed
};

// The nesting of `html`'s elements as its tags say, in one pass over the bytes (no tree): a start
// tag opens an element (but the flat ones above, and "<x/>" inside <svg> or <math>, where it
// closes itself), an end tag closes one. A page whose end tags are missing counts deeper than the
// parser would nest it, never shallower.
Nesting nesting_of(std::string_view html) {
  Nesting nesting;
  std::size_t depth = 0;
  std::size_t foreign_from = 0;  // the depth of the outermost open <svg> or <math>; 0: none
  std::size_t at = 0;
  while ((at = html.find('<', at)) != std::string_view::npos) {
    if (html.substr(at, 4) == "<!--") {
      at = html.find("-->", at + 4);
      if (at == std::string_view::npos) break;
      continue;
    }
    const bool closing = html.substr(at, 2) == "</";
    const std::size_t name_begin = at + (closing ? 2 : 1);
    std::size_t name_end = name_begin;
    while (name_end < html.size() && (is_ascii_alnum(html[name_end]) || html[name_end] == '-')) {
      ++name_end;
    }
    if (name_end == name_begin || !is_ascii_alpha(html[name_begin])) {  // "<!doctype", "a < b"
      ++at;
      continue;
    }
    const std::size_t tag_close = html.find('>', name_end);
    if (tag_close == std::string_view::npos) break;
    const std::string name = detail::ascii_lower(html.substr(name_begin, name_end - name_begin));
    const auto listed = [&](const auto& names) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    const bool foreign_root = name == "svg" || name == "math";
    const bool self_closed = html[tag_close - 1] == '/' && (foreign_from != 0 || foreign_root);
    if (listed(kFlatElements) || self_closed) {
      // adds no depth
    } else if (closing) {
      if (depth == foreign_from) foreign_from = 0;
      if (depth > 0) --depth;
    } else {
      nesting.deepest = std::max(nesting.deepest, ++depth);
      if (foreign_root && foreign_from == 0) foreign_from = depth;
      if (depth > kMaxNestingDepth && nesting.too_deep_at == std::string_view::npos) {
        nesting.too_deep_at = at;
      }
    }
    at = tag_close + 1;
    if (!closing && listed(kRawTextElements)) {
      at = end_tag(html, at, name);
      if (at == std::string_view::npos) break;
    }
  }
  return nesting;
}

// Refuses a page nested deeper than kMaxNestingDepth before libgumbo sees it.
void check_nesting(std::string_view html, const std::string& source_name) {
  const Nesting nesting = nesting_of(html);
  if (nesting.too_deep_at == std::string_view::npos) return;
  throw Error(ErrorCategory::kInput,
              source_name + ":" + std::to_string(position_of(html, nesting.too_deep_at).line) +
                  ": the HTML nests elements " + std::to_string(nesting.deepest) +
                  " deep, more than the limit of " + std::to_string(kMaxNestingDepth) +
                  " (real pages stay far below it), so the page is broken or made to stall "
                  "readers; save the article's text, or its <article> element alone, and read "
                  "that");
}

[[noreturn]] void fail_no_text(const std::string& source_name, const Article& article) {
  std::vector<std::string_view> rules;
  for (const DroppedText& drop : article.dropped) {
    if (std::find(rules.begin(), rules.end(), drop.rule) == rules.end()) rules.push_back(drop.rule);
  }
  std::string not_read;
  for (const std::string_view rule : rules) {
    not_read += (not_read.empty() ? "; not read: " : ", ") + std::string(rule);
  }
  throw Error(ErrorCategory::kInput,
              source_name +
                  ": no article text found in the HTML (scored every block of <body> by its "
                  "text, punctuation and links, and looked in <article>, <main>, role=\"main\")" +
                  not_read +
                  "); if the page builds its text with JavaScript, save it from the browser "
                  "after it has loaded, or give the article as plain text");
}

// Parses `input` and reads the page into `article`. Frees `input` as soon as the tree's text has
// been mapped to it, and the tree on return, so that input, tree and text never all coexist.
void read_page(std::string& input, Article& article) {
  const std::size_t skipped = input.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
  const GumboOutputPtr output = parse(std::string_view(input).substr(skipped));
  const PageFacts page = survey(output->document);
  const GumboNode* body = page.body != nullptr ? page.body : output->root;
  const NameWeights weights = load_name_weights();
  const html::ContentScorer scorer(body, titled_h1(page, body), weights);
  const std::vector<const GumboNode*>& roots = scorer.roots();
  const GumboNode* headline = find_headline(page, roots, body);
  article.metadata = metadata_of(page, headline);
  const SourceMap sources(output->document, input, skipped);
  // gumbo wants the input to outlive the tree because original_text, original_tag and
  // original_value point into it. From here on none of them is read (nor does
  // gumbo_destroy_output read them), so the input can go before the text is built.
  // Text is shorter than its markup (but for rare references).
  const std::size_t capacity = input.size();
  std::string().swap(input);  // (assigning an empty string would keep the capacity)
  const auto read_story = [&](const html::ContentScorer* judge) {
    BodyReader reader(sources, judge, headline, article, capacity);
    if (headline != nullptr) reader.read(headline);
    for (const GumboNode* root : roots) reader.read(root);
    reader.finish();
  };
  read_story(&scorer);
  if (article.blocks.empty()) {
    // Every block the story has was judged boilerplate (a page that names each paragraph as an
    // advertisement would be): the scorer's judgement is weight, not a gate, so the story is read
    // with the tag rules alone.
    ArticleMetadata metadata = std::move(article.metadata);
    article = Article{};
    article.format = InputFormat::kHtml;
    article.metadata = std::move(metadata);
    read_story(nullptr);
  }
  if (roots.front() != body) {
    if (std::optional<DroppedText> chrome = outside_report(body, roots, headline)) {
      article.dropped.push_back(std::move(*chrome));
    }
  }
  std::stable_sort(article.dropped.begin(), article.dropped.end(),
                   [](const DroppedText& a, const DroppedText& b) { return a.line < b.line; });
}

}  // namespace

Article read_html(std::string bytes, std::string source_name, const ReadOptions& options,
                  Diagnostics& diagnostics) {
  CollectingDiagnostics encoding_reports;
  std::string input =
      detail::validate_encoding(std::move(bytes), source_name, options, encoding_reports);
  if (input.size() >= UINT_MAX) {
    throw Error(ErrorCategory::kInput,
                source_name + ": the HTML is " + std::to_string(input.size()) +
                    " bytes; pages of 4 GiB or more cannot be read, so save the article alone");
  }
  check_nesting(input, source_name);
  Article article;
  article.format = InputFormat::kHtml;
  read_page(input, article);
  article.text.shrink_to_fit();
  article.origins.shrink_to_fit();
  forward_encoding_reports(encoding_reports.items(), article, diagnostics);
  if (article.blocks.empty()) fail_no_text(source_name, article);
  article.source_name = std::move(source_name);
  return article;
}

}  // namespace narrator
