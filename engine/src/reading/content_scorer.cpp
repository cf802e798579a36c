// content_scorer.cpp: Readability-style candidate scoring over a libgumbo tree, and conditional
// cleaning of the chosen blocks. One walk measures every element (text, links, commas,
// paragraphs, images, list items, form fields); the choices after it only read those numbers.
#include "content_scorer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "html_tree.hpp"
#include "narrator/detail/ascii.hpp"

namespace narrator::html {
namespace {

// A paragraph's text must reach this many characters to score (Readability's 25).
constexpr std::uint32_t kMinParagraphChars = 25;
// Each 100 characters add a point, up to this many.
constexpr float kMaxLengthPoints = 3;
// How many ancestors a paragraph's score reaches.
constexpr int kScoredAncestors = 5;
// From this weight up (one class weight of name_weights.tsv), a block's names say "story".
constexpr int kStoryNameWeight = NameWeights::kOneNameWeight;
// Candidates that score this close to the best, when there are this many, are parts of one
// story: their common ancestor is chosen.
constexpr float kAlternativeShare = 0.75F;
constexpr int kMinAlternatives = 3;
constexpr int kTopCandidates = 5;
// A sibling joins the best block when it scores this share of it (at least kMinSiblingScore).
constexpr float kSiblingShare = 0.2F;
constexpr float kMinSiblingScore = 10;
// A block that usually is furniture (a <form>) is read when its paragraphs score this much.
constexpr float kMinStoryScore = 5;
// A sibling paragraph joins when it is this long with few links, or shorter, linkless and a
// sentence.
constexpr std::uint32_t kLongSiblingChars = 80;
constexpr float kSiblingLinkDensity = 0.25F;
constexpr int kParagraphWrapperLevels = 3;
// Conditional cleaning: a block with fewer commas than this is judged by its shape.
constexpr std::uint32_t kManyCommas = 10;
constexpr std::uint32_t kShortBlockChars = 25;
constexpr float kLinkDensityNeutral = 0.2F;    // a block whose names say nothing
constexpr float kLinkDensityPositive = 0.5F;   // a block whose names say "story"
constexpr float kLinkParagraphDensity = 0.6F;  // a short paragraph that is mostly a link
// (400: a few headlines linked on lines of their own, "[VIDEO]" labels beside them, reach it)
constexpr std::uint32_t kLinkParagraphChars = 400;
constexpr float kHeadingDensity = 0.9F;
constexpr float kParagraphEvidence = 5;
constexpr std::uint32_t kInlineCardChars = 80;
constexpr float kInlineCardLinkDensity = 0.9F;
constexpr float kMajorShare = 0.5F;
// The block that holds the page's headline this close is the story's: its score counts more.
constexpr int kHeadlineLevels = 3;
constexpr float kHeadlineFactor = 1.5F;
constexpr std::uint32_t kShortEmbedChars = 75;

// ---- names

// Only the start of a class or id is read: names past it say nothing more, and a pathological
// attribute must not cost a scan per token.
constexpr std::size_t kMaxNameBytes = 256;

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// True when `token` occurs in `names`; a short token must stand alone, between separators.
bool names_token(std::string_view names, std::string_view token) {
  const bool whole = token.size() < 4;
  for (std::size_t at = names.find(token); at != std::string_view::npos;
       at = names.find(token, at + 1)) {
    if (!whole) return true;
    const std::size_t end = at + token.size();
    if ((at == 0 || !is_name_char(names[at - 1])) &&
        (end == names.size() || !is_name_char(names[end]))) {
      return true;
    }
  }
  return false;
}

// The strongest positive and the strongest negative weight that one attribute's names carry,
// summed (a class can name both, "post related-posts").
int attribute_weight(std::string_view value, const std::vector<NameWeight>& table) {
  if (value.empty()) return 0;
  const std::string names = detail::ascii_lower(value.substr(0, kMaxNameBytes));
  int positive = 0;
  int negative = 0;
  for (const NameWeight& entry : table) {
    if (!names_token(names, entry.name)) continue;
    positive = std::max(positive, entry.weight);
    negative = std::min(negative, entry.weight);
  }
  return positive + negative;
}

// The weight of the table's row for the whole attribute value, or 0.
int whole_value_weight(std::string_view value, const std::vector<NameWeight>& table) {
  if (value.empty()) return 0;
  const std::string lower = detail::ascii_lower(value.substr(0, kMaxNameBytes));
  int weight = 0;
  for (const NameWeight& entry : table) {
    if (entry.name == lower) weight += entry.weight;
  }
  return weight;
}

// ---- text measures

bool is_comma(char32_t c) {
  return c == U',' || c == U'\u060C' || c == U'\uFE50' || c == U'\uFE10' || c == U'\uFE11' ||
         c == U'\u2E41' || c == U'\u2E34' || c == U'\u2E32' || c == U'\uFF0C' || c == U'\u3001';
}

bool is_sentence_end(char32_t c) {
  return c == U'.' || c == U'!' || c == U'?' || c == U'\u3002' || c == U'\uFF01' || c == U'\uFF1F';
}

bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

struct TextMeasure {
  std::uint32_t chars = 0;
  std::uint32_t commas = 0;
  std::uint32_t sentence_ends = 0;
};

// Characters (code points, each whitespace run one), commas and sentence ends of a text node.
TextMeasure measure_text(std::string_view text) {
  TextMeasure measure;
  bool in_space = true;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (is_space_byte(text[at])) {
      if (!in_space) ++measure.chars;
      in_space = true;
      continue;
    }
    in_space = false;
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte
    ++measure.chars;
    char32_t c = byte;
    if (byte >= 0xC0 && at + 2 < text.size()) {  // the few non-ASCII marks counted are 2-3 bytes
      if (byte < 0xE0) {
        c = ((byte & 0x1FU) << 6) | (static_cast<unsigned char>(text[at + 1]) & 0x3FU);
      } else if (byte < 0xF0) {
        c = ((byte & 0x0FU) << 12) | ((static_cast<unsigned char>(text[at + 1]) & 0x3FU) << 6) |
            (static_cast<unsigned char>(text[at + 2]) & 0x3FU);
      }
    }
    if (is_comma(c)) ++measure.commas;
    if (is_sentence_end(c)) ++measure.sentence_ends;
  }
  return measure;
}

float density(std::uint32_t part, std::uint32_t whole) {
  return whole == 0 ? 0.0F : static_cast<float>(part) / static_cast<float>(whole);
}

// What a candidate's tag says before its paragraphs score (Readability's initializeNode).
int tag_weight(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
      return 5;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_BLOCKQUOTE:
      return 3;
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_FORM:
      return -3;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TH:
      return -5;
    default:
      return 0;
  }
}

// Elements whose own text is a paragraph that scores: not list items, cells of a header, or
// form parts (Readability scores p, pre, td, headings, and divs that hold only text).
bool scores_own_text(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_H1:  // the headline, read on its own
      return false;
    default:
      return true;
  }
}

bool is_list(GumboTag tag) { return tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL; }

bool is_embed(GumboTag tag) {
  return tag == GUMBO_TAG_IFRAME || tag == GUMBO_TAG_EMBED || tag == GUMBO_TAG_OBJECT ||
         tag == GUMBO_TAG_VIDEO || tag == GUMBO_TAG_AUDIO;
}

std::string format_reason(const char* format, double a, double b = 0, double c = 0) {
  std::array<char, 160> buffer{};
  std::snprintf(buffer.data(), buffer.size(), format, a, b, c);
  return buffer.data();
}

// True when `wrapper` is a container whose only element child is `child`, with no text of its own.
bool is_wrapper_of(const GumboNode* wrapper, const GumboNode* child) {
  if (wrapper == nullptr || !is_element(wrapper) ||
      layout_of(wrapper->v.element.tag) != Layout::kContainer ||
      wrapper->v.element.tag == GUMBO_TAG_BODY) {
    return false;
  }
  const GumboVector& children = wrapper->v.element.children;
  for (unsigned int i = 0; i < children.length; ++i) {
    const auto* node = static_cast<const GumboNode*>(children.data[i]);
    if (node == child || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_COMMENT) {
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

int name_weight(const GumboNode* element, const NameWeights& weights) {
  return attribute_weight(attribute(element, "class"), weights.names) +
         attribute_weight(attribute(element, "id"), weights.names) +
         whole_value_weight(attribute(element, "role"), weights.roles) +
         whole_value_weight(attribute(element, "itemprop"), weights.itemprops);
}

ContentScorer::ContentScorer(const GumboNode* body, const GumboNode* headline,
                             const NameWeights& weights)
    : weights_(weights), headline_(headline) {
  measure(body);
  choose_roots(body);
}

const ContentScorer::Stats* ContentScorer::stats_of(const GumboNode* element) const {
  const auto found = stats_.find(element);
  return found == stats_.end() ? nullptr : &found->second;
}

// One walk, children before parents: each element's measures, its paragraph's score given to its
// ancestors.
void ContentScorer::measure(const GumboNode* body) {
  struct Frame {
    const GumboNode* node;
    Stats stats;
    std::size_t block;  // the frame of the nearest block element (itself when it is one)
  };
  std::vector<Frame> stack;
  int links = 0;      // open <a href> elements
  int furniture = 0;  // open furniture elements, whose paragraphs do not score
  walk(
      body,
      [&](const GumboNode* node) {
        if (is_text(node)) {
          if (stack.empty() || node->type == GUMBO_NODE_WHITESPACE) return Visit::kSkip;
          const TextMeasure text = measure_text(node->v.text.text);
          Frame& top = stack.back();
          Stats& own = stack[top.block].stats;
          top.stats.chars += text.chars;
          own.own_chars += text.chars;
          top.stats.commas += text.commas;
          own.own_commas += text.commas;
          own.sentence_ends += text.sentence_ends;
          if (links > 0) {
            top.stats.link_chars += text.chars;
            own.own_link_chars += text.chars;
          }
          return Visit::kSkip;
        }
        if (!is_element(node)) return Visit::kSkip;
        const GumboTag tag = node->v.element.tag;
        if (holds_code(tag) || tag == GUMBO_TAG_NOSCRIPT || is_hidden(node)) return Visit::kSkip;
        if (!stack.empty()) {
          Stats& parent = stack.back().stats;
          if (tag == GUMBO_TAG_IMG) ++parent.images;
          if (tag == GUMBO_TAG_INPUT || tag == GUMBO_TAG_SELECT || tag == GUMBO_TAG_TEXTAREA) {
            ++parent.inputs;
          }
          if (is_embed(tag)) ++parent.embeds;
        }
        const bool block = stack.empty() || layout_of(tag) != Layout::kInline;
        stack.push_back(Frame{node, Stats{}, block ? stack.size() : stack.back().block});
        if (tag == GUMBO_TAG_A && has_attribute(node, "href")) ++links;
        if (is_furniture_tag(tag) && tag != GUMBO_TAG_FORM && tag != GUMBO_TAG_HEADER) ++furniture;
        return Visit::kDescend;
      },
      [&](const GumboNode* node) {
        if (!is_element(node)) return;
        const GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_A && has_attribute(node, "href")) --links;
        if (is_furniture_tag(tag) && tag != GUMBO_TAG_FORM && tag != GUMBO_TAG_HEADER) --furniture;
        Frame frame = std::move(stack.back());
        stack.pop_back();
        Stats& stats = frame.stats;
        if (tag == GUMBO_TAG_P && stats.chars > 0 && stats.own_chars < kMinParagraphChars) {
          ++stats.paragraphs;  // a short one; longer ones count when they score
        }
        if (tag == GUMBO_TAG_LI) ++stats.list_items;
        if (layout_of(tag) == Layout::kHeading) stats.heading_chars = stats.chars;
        if (furniture == 0 && layout_of(tag) != Layout::kInline) score_paragraph(node, stats);
        if (!stack.empty()) {
          Stats& parent = stack.back().stats;
          parent.chars += stats.chars;
          parent.link_chars += stats.link_chars;
          parent.commas += stats.commas;
          parent.paragraphs += stats.paragraphs;
          parent.images += stats.images;
          parent.list_items += stats.list_items;
          parent.inputs += stats.inputs;
          parent.embeds += stats.embeds;
          parent.heading_chars += stats.heading_chars;
          parent.articles += stats.articles + (tag == GUMBO_TAG_ARTICLE ? 1 : 0);
          parent.paragraph_scores += stats.paragraph_scores;
        }
        Stats& kept = stats_[node];
        const Stats as_candidate = kept;  // what paragraphs below gave it, if a candidate
        kept = stats;
        kept.content = as_candidate.content;
        kept.base = as_candidate.base;
        kept.names = as_candidate.names;
        kept.candidate = as_candidate.candidate;
      });
}

// A block's own text scores 1, a point per comma and per 100 characters (up to 3), less the share
// in links; the parent gets it all, the grandparent half, the ancestors above a third of their
// level.
void ContentScorer::score_paragraph(const GumboNode* element, Stats& stats) {
  if (stats.own_chars < kMinParagraphChars || !scores_own_text(element->v.element.tag)) return;
  const float length_points =
      std::min(kMaxLengthPoints, std::floor(static_cast<float>(stats.own_chars) / 100.0F));
  const float score = (1.0F + static_cast<float>(stats.own_commas) + length_points) *
                      (1.0F - density(stats.own_link_chars, stats.own_chars));
  stats.paragraph_scores += score;
  ++stats.paragraphs;
  // Text directly in a container (runs between <br>s) is its own paragraph, as Readability wraps
  // such runs in a <p>: the container is the one that holds it.
  const bool container = layout_of(element->v.element.tag) == Layout::kContainer;
  const GumboNode* ancestor = container ? element : element->parent;
  // A wrapper around this paragraph alone is the paragraph (Readability reads a <div> around one
  // <p> as that <p>): the score goes to the wrapper's parent.
  const GumboNode* wrapped = element;
  for (int level = 0;
       level < kParagraphWrapperLevels && !container && is_wrapper_of(ancestor, wrapped); ++level) {
    wrapped = ancestor;
    ancestor = ancestor->parent;
  }
  for (int level = 0; level < kScoredAncestors && ancestor != nullptr && is_element(ancestor) &&
                      ancestor->v.element.tag != GUMBO_TAG_HTML;
       ++level, ancestor = ancestor->parent) {
    const float divider = level == 0 ? 1.0F : level == 1 ? 2.0F : static_cast<float>(level * 3);
    candidate(ancestor).content += score / divider;
  }
}

ContentScorer::Stats& ContentScorer::candidate(const GumboNode* element) {
  Stats& stats = stats_[element];
  if (!stats.candidate) {
    stats.candidate = true;
    stats.base = static_cast<float>(tag_weight(element->v.element.tag));
    stats.names = static_cast<float>(name_weight(element, weights_));
    candidates_.push_back(element);
  }
  return stats;
}

// True when the page's headline is at most kHeadlineLevels below `element`.
bool ContentScorer::holds_headline(const GumboNode* element) const {
  const GumboNode* node = headline_;
  for (int level = 0; node != nullptr && level <= kHeadlineLevels; ++level, node = node->parent) {
    if (node == element) return level > 0;
  }
  return false;
}

float ContentScorer::final_score(const GumboNode* element) const {
  const Stats* stats = stats_of(element);
  if (stats == nullptr || !stats->candidate) return 0;
  // A name can add no more than the block's paragraphs gave it: a block does not win by its
  // name alone.
  const float names = std::min(stats->names, stats->content);
  const float score =
      (stats->base + stats->content + names) * (1.0F - density(stats->link_chars, stats->chars));
  if (holds_headline(element)) return score * kHeadlineFactor;
  // A block of several <article>s is a list of stories (teasers, related posts), not one story.
  return stats->articles >= 2 ? score / static_cast<float>(stats->articles) : score;
}

bool ContentScorer::is_candidate(const GumboNode* element) const {
  const Stats* stats = stats_of(element);
  return stats != nullptr && stats->candidate;
}

// Without a paragraph to score (a page of a few short lines), the page's own markup is the only
// evidence: the first <article>, <main> or role="main" with text, else the body.
const GumboNode* ContentScorer::structural_container(const GumboNode* body) const {
  const GumboNode* found = nullptr;
  walk(body, [&](const GumboNode* node) {
    if (!is_element(node) || is_hidden(node)) return Visit::kSkip;
    const GumboTag tag = node->v.element.tag;
    const bool marked = tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN ||
                        detail::ascii_lower(attribute(node, "role")) == "main";
    const Stats* stats = stats_of(node);
    if (marked && stats != nullptr && stats->chars > 0) {
      found = node;
      return Visit::kStop;
    }
    return is_furniture_tag(tag) && tag != GUMBO_TAG_FORM ? Visit::kSkip : Visit::kDescend;
  });
  return found != nullptr ? found : body;
}

// The best candidate (the first of equals), then Readability's corrections: the common ancestor
// of several near-equals, a parent that scores higher, and a wrapper with no other child.
const GumboNode* ContentScorer::best_candidate(const GumboNode* body) const {
  const GumboNode* top = nullptr;
  float top_score = 0;
  for (const GumboNode* element : candidates_) {
    const float score = final_score(element);
    if (top == nullptr || score > top_score) {
      top = element;
      top_score = score;
    }
  }
  if (top == nullptr || top == body) return structural_container(body);
  // Markup that leaves a headline open puts the story inside it: the story is around the
  // headline, which is read on its own.
  for (const GumboNode* node = top; node != nullptr && node != body; node = node->parent) {
    if (layout_of(node->v.element.tag) == Layout::kHeading) top = node->parent;
  }
  if (top == body) return body;
  // The best few candidates after the top one (Readability keeps five), those near its score.
  std::vector<std::pair<float, const GumboNode*>> best;
  for (const GumboNode* element : candidates_) {
    if (element != top) best.emplace_back(final_score(element), element);
  }
  const auto kept = std::min(best.size(), static_cast<std::size_t>(kTopCandidates - 1));
  std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(kept), best.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const GumboNode*> alternatives;
  for (std::size_t i = 0; i < kept; ++i) {
    if (best[i].first >= kAlternativeShare * top_score) alternatives.push_back(best[i].second);
  }
  if (alternatives.size() >= static_cast<std::size_t>(kMinAlternatives)) {
    for (const GumboNode* parent = top->parent; parent != nullptr && parent != body;
         parent = parent->parent) {
      const Stats* stats = stats_of(parent);
      if (stats != nullptr && stats->articles >= 2) break;  // a list of stories, not one story
      const auto held =
          std::count_if(alternatives.begin(), alternatives.end(),
                        [&](const GumboNode* other) { return contains(parent, other); });
      if (held >= kMinAlternatives) {
        top = parent;
        break;
      }
    }
  }
  float last = final_score(top);
  const float threshold = last / 3;
  for (const GumboNode* parent = top->parent;
       parent != nullptr && parent != body && is_element(parent); parent = parent->parent) {
    if (!is_candidate(parent)) continue;
    const float score = final_score(parent);
    if (score < threshold) break;
    if (score > last) {
      top = parent;
      break;
    }
    last = score;
  }
  while (top->parent != nullptr && top->parent != body && is_element(top->parent)) {
    const GumboVector& children = top->parent->v.element.children;
    const auto elements =
        std::count_if(children.data, children.data + children.length,
                      [](void* child) { return is_element(static_cast<const GumboNode*>(child)); });
    if (elements != 1) break;
    top = top->parent;
  }
  return top;
}

// A <p>, or what a page builds in its place: a block whose text is all its own (a <div> of
// inline text), or a wrapper around one such block alone (Readability reads both as a <p>).
bool ContentScorer::is_paragraph_like(const GumboNode* element) const {
  for (int level = 0; level < kParagraphWrapperLevels; ++level) {
    const GumboTag tag = element->v.element.tag;
    if (tag == GUMBO_TAG_P) return true;
    if (layout_of(tag) != Layout::kContainer) return false;
    const Stats* stats = stats_of(element);
    if (stats == nullptr) return false;
    if (stats->own_chars == stats->chars) return stats->chars > 0;
    const GumboNode* only = nullptr;
    const GumboVector& children = element->v.element.children;
    for (unsigned int i = 0; i < children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(children.data[i]);
      if (!is_element(child)) continue;
      if (only != nullptr) return false;
      only = child;
    }
    if (only == nullptr) return false;
    element = only;
  }
  return false;
}

bool ContentScorer::joins(const GumboNode* sibling, const GumboNode* top, float threshold) const {
  const GumboTag tag = sibling->v.element.tag;
  if ((is_furniture_tag(tag) && tag != GUMBO_TAG_FORM) || removal(sibling)) return false;
  // Several <article>s side by side are several stories (a list, teasers, comments): the best
  // one is read alone.
  if (tag == GUMBO_TAG_ARTICLE && top->v.element.tag == GUMBO_TAG_ARTICLE) return false;
  const std::string_view top_class = attribute(top, "class");
  const float bonus = !top_class.empty() && attribute(sibling, "class") == top_class
                          ? final_score(top) * kSiblingShare
                          : 0;
  if (is_candidate(sibling) && final_score(sibling) + bonus >= threshold) return true;
  if (!is_paragraph_like(sibling)) return false;
  const Stats* stats = stats_of(sibling);
  if (stats == nullptr || stats->chars == 0) return false;
  const float links = density(stats->link_chars, stats->chars);
  if (stats->chars > kLongSiblingChars) return links < kSiblingLinkDensity;
  return links == 0 && stats->sentence_ends > 0;
}

void ContentScorer::choose_roots(const GumboNode* body) {
  const GumboNode* top = best_candidate(body);
  top_score_ = final_score(top);
  if (const Stats* stats = stats_of(top)) {
    story_paragraph_scores_ = stats->paragraph_scores;
    story_chars_ = stats->chars;
  }
  if (top == body || top->parent == nullptr || !is_element(top->parent)) {
    roots_.push_back(top);
    return;
  }
  const float threshold = std::max(kMinSiblingScore, top_score_ * kSiblingShare);
  const GumboVector& siblings = top->parent->v.element.children;
  for (unsigned int i = 0; i < siblings.length; ++i) {
    const auto* sibling = static_cast<const GumboNode*>(siblings.data[i]);
    if (sibling == top || (is_element(sibling) && joins(sibling, top, threshold))) {
      roots_.push_back(sibling);
    }
  }
}

// Story text: paragraphs that score, with few form fields among them (a page-wide <form> holds
// a search box or two; a comment or sign-up form is mostly fields and labels).
bool ContentScorer::holds_story(const GumboNode* element) const {
  const Stats* stats = stats_of(element);
  return stats != nullptr && stats->paragraph_scores >= kMinStoryScore &&
         stats->inputs <= stats->paragraphs / 3;
}

bool ContentScorer::around_story(const GumboNode* element) const {
  return std::any_of(roots_.begin(), roots_.end(),
                     [&](const GumboNode* root) { return contains(element, root); });
}

std::optional<Removal> ContentScorer::removal(const GumboNode* element) const {
  const Stats* stats = stats_of(element);
  if (stats == nullptr || stats->chars == 0) return std::nullopt;
  // Without a paragraph that scored, the page is a few short lines: shapes say nothing.
  const bool judged_by_shape = story_paragraph_scores_ > 0;
  // A block with most of the story's paragraphs (or text, when nothing scored) is the story,
  // whatever it looks like.
  if (story_paragraph_scores_ > 0 ? stats->paragraph_scores > kMajorShare * story_paragraph_scores_
                                  : stats->chars > kMajorShare * static_cast<float>(story_chars_)) {
    return std::nullopt;
  }
  const GumboTag tag = element->v.element.tag;
  const Layout layout = layout_of(tag);
  const float links = density(stats->link_chars, stats->chars);
  // Inside a sentence, a picture with a run of links is a pop-up card (a person's other stories),
  // not words of the sentence.
  if (layout == Layout::kInline && judged_by_shape && stats->images > 0 &&
      stats->chars >= kInlineCardChars && links >= kInlineCardLinkDensity) {
    return Removal{
        "html:link-card",
        format_reason("a picture and %.0f characters, link density %.2f", stats->chars, links)};
  }
  if (!is_block(layout)) return std::nullopt;
  const int weight = name_weight(element, weights_);
  // A paragraph's own sentences weigh more against its names than a block's scattered ones.
  const float evidence =
      stats->paragraph_scores * (layout == Layout::kParagraph ? kParagraphEvidence : 1.0F);
  if (weight < 0 && static_cast<float>(weight) + evidence < 0) {
    return Removal{"html:boilerplate-name",
                   format_reason("class, id or role weight %.0f, paragraph score %.1f", weight,
                                 stats->paragraph_scores)};
  }
  if (judged_by_shape && tag == GUMBO_TAG_P && stats->chars < kLinkParagraphChars &&
      stats->commas <= 1 && stats->sentence_ends == 0 && links > kLinkParagraphDensity) {
    return Removal{"html:link-density",
                   format_reason("link density %.2f in a short paragraph, not a sentence", links)};
  }
  if (layout != Layout::kContainer || !judged_by_shape) return std::nullopt;
  const float score = final_score(element);
  if (is_candidate(element) && static_cast<float>(weight) + score < 0) {
    return Removal{"html:score", format_reason("score %.1f, name weight %.0f", score, weight)};
  }
  if (stats->commas >= kManyCommas) return std::nullopt;
  const bool list = is_list(tag);
  const auto paragraphs = static_cast<float>(stats->paragraphs);
  const auto images = static_cast<float>(stats->images);
  if (stats->images > 1 && paragraphs / images < 0.5F) {
    return Removal{"html:gallery",
                   format_reason("%.0f images over %.0f paragraphs", images, paragraphs)};
  }
  if (stats->inputs > stats->paragraphs / 3) {
    return Removal{"html:form-fields", format_reason("%.0f form fields over %.0f paragraphs",
                                                     stats->inputs, paragraphs)};
  }
  // A few words beside links or pictures: a button's label, "1 of 3", a caption of a thumbnail.
  if (!list && tag != GUMBO_TAG_TABLE && stats->chars < kShortBlockChars &&
      (stats->link_chars > 0 || stats->images > 0) &&
      density(stats->heading_chars, stats->chars) < kHeadingDensity) {
    return Removal{"html:short",
                   format_reason("%.0f characters, %.0f commas", stats->chars, stats->commas)};
  }
  if ((weight < kStoryNameWeight && links > kLinkDensityNeutral) ||
      (weight >= kStoryNameWeight && links > kLinkDensityPositive)) {
    return Removal{"html:link-density",
                   format_reason("link density %.2f, name weight %.0f", links, weight)};
  }
  if ((stats->embeds == 1 && stats->chars < kShortEmbedChars) || stats->embeds > 1) {
    return Removal{"html:embeds",
                   format_reason("%.0f embeds, %.0f characters", stats->embeds, stats->chars)};
  }
  return std::nullopt;
}

}  // namespace narrator::html
