// html_tree.hpp: what the HTML reader and the content scorer both need to know about a libgumbo
// tree: node kinds, attributes, an iterative walk, and what each element means for reading (its
// layout, and whether it is furniture, code or hidden).
#pragma once

#include <gumbo.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/detail/ascii.hpp"

namespace narrator::html {

inline bool is_element(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

inline bool is_text(const GumboNode* node) {
  return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
         node->type == GUMBO_NODE_WHITESPACE;
}

inline const GumboVector* children_of(const GumboNode* node) {
  if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
  if (is_element(node)) return &node->v.element.children;
  return nullptr;
}

inline std::string_view attribute(const GumboNode* element, const char* name) {
  const GumboAttribute* found = gumbo_get_attribute(&element->v.element.attributes, name);
  return found != nullptr ? std::string_view(found->value) : std::string_view();
}

inline bool has_attribute(const GumboNode* element, const char* name) {
  return gumbo_get_attribute(&element->v.element.attributes, name) != nullptr;
}

inline bool contains(const GumboNode* ancestor, const GumboNode* node) {
  for (; node != nullptr; node = node->parent) {
    if (node == ancestor) return true;
  }
  return false;
}

enum class Visit { kDescend, kSkip, kStop };

// Calls enter(node) for `root` and each node below it in document order, and leave(node) after the
// children of each node whose enter() returned kDescend. kStop ends the walk at once.
template <typename Enter, typename Leave>
void walk(const GumboNode* root, Enter&& enter, Leave&& leave) {
  struct Frame {
    const GumboNode* node;
    unsigned int next_child = 0;
  };
  std::vector<Frame> stack;
  const auto visit = [&](const GumboNode* node) {
    const Visit next = enter(node);
    if (next == Visit::kDescend) stack.push_back(Frame{node});
    return next != Visit::kStop;
  };
  if (!visit(root)) return;
  while (!stack.empty()) {
    const GumboVector* children = children_of(stack.back().node);
    if (children != nullptr && stack.back().next_child < children->length) {
      const auto* child = static_cast<const GumboNode*>(children->data[stack.back().next_child++]);
      if (!visit(child)) return;
    } else {
      const GumboNode* done = stack.back().node;
      stack.pop_back();
      leave(done);
    }
  }
}

template <typename Enter>
void walk(const GumboNode* root, Enter&& enter) {
  walk(root, enter, [](const GumboNode*) {});
}

// How an element lays out its text.
enum class Layout {
  kInline,     // its text flows on in the current block (a, em, span, unknown elements)
  kContainer,  // ends the current block; text directly inside continues the enclosing kind
  kParagraph,  // ends the current block; text inside is a paragraph
  kHeading,    // h1-h6
  kCell,       // td, th: inline in its row's paragraph, set off by spaces
  kBreak,      // <br>: a line break inside the block
};

inline constexpr GumboTag kHeadingTags[] = {GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3,
                                            GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6};
inline constexpr GumboTag kParagraphTags[] = {
    GUMBO_TAG_P,          GUMBO_TAG_LI,     GUMBO_TAG_DD,      GUMBO_TAG_DT,
    GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE,    GUMBO_TAG_LISTING, GUMBO_TAG_XMP,
    GUMBO_TAG_PLAINTEXT,  GUMBO_TAG_TR,     GUMBO_TAG_CAPTION, GUMBO_TAG_ADDRESS,
    GUMBO_TAG_SUMMARY,    GUMBO_TAG_LEGEND, GUMBO_TAG_OPTION};
inline constexpr GumboTag kContainerTags[] = {
    GUMBO_TAG_HTML,    GUMBO_TAG_BODY,     GUMBO_TAG_ARTICLE, GUMBO_TAG_MAIN,   GUMBO_TAG_SECTION,
    GUMBO_TAG_DIV,     GUMBO_TAG_HEADER,   GUMBO_TAG_FOOTER,  GUMBO_TAG_NAV,    GUMBO_TAG_ASIDE,
    GUMBO_TAG_HGROUP,  GUMBO_TAG_UL,       GUMBO_TAG_OL,      GUMBO_TAG_DL,     GUMBO_TAG_MENU,
    GUMBO_TAG_DIR,     GUMBO_TAG_TABLE,    GUMBO_TAG_THEAD,   GUMBO_TAG_TBODY,  GUMBO_TAG_TFOOT,
    GUMBO_TAG_DETAILS, GUMBO_TAG_FIELDSET, GUMBO_TAG_CENTER,  GUMBO_TAG_FIGURE, GUMBO_TAG_FORM,
    GUMBO_TAG_HR};
// Page furniture by tag: never read. (<header> is read when it holds the headline; <form> when it
// wraps the story, as some frameworks wrap the whole page.)
inline constexpr GumboTag kFurnitureTags[] = {
    GUMBO_TAG_NAV,       GUMBO_TAG_ASIDE,    GUMBO_TAG_FOOTER,   GUMBO_TAG_HEADER, GUMBO_TAG_SCRIPT,
    GUMBO_TAG_STYLE,     GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE, GUMBO_TAG_FORM,   GUMBO_TAG_BUTTON,
    GUMBO_TAG_INPUT,     GUMBO_TAG_SELECT,   GUMBO_TAG_TEXTAREA, GUMBO_TAG_IFRAME, GUMBO_TAG_SVG,
    GUMBO_TAG_CANVAS,    GUMBO_TAG_AUDIO,    GUMBO_TAG_VIDEO,    GUMBO_TAG_OBJECT, GUMBO_TAG_FIGURE,
    GUMBO_TAG_FIGCAPTION};

template <std::size_t kSize>
bool one_of(GumboTag tag, const GumboTag (&tags)[kSize]) {
  return std::find(std::begin(tags), std::end(tags), tag) != std::end(tags);
}

inline Layout layout_of(GumboTag tag) {
  if (one_of(tag, kHeadingTags)) return Layout::kHeading;
  if (one_of(tag, kParagraphTags)) return Layout::kParagraph;
  if (one_of(tag, kContainerTags)) return Layout::kContainer;
  if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) return Layout::kCell;
  return tag == GUMBO_TAG_BR ? Layout::kBreak : Layout::kInline;
}

inline bool is_block(Layout layout) {
  return layout == Layout::kContainer || layout == Layout::kParagraph || layout == Layout::kHeading;
}

inline bool is_furniture_tag(GumboTag tag) { return one_of(tag, kFurnitureTags); }

// Elements whose content is code or markup, not text a reader sees.
inline bool holds_code(GumboTag tag) {
  return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_TEMPLATE;
}

// True when an inline style hides the element ("display: none", "visibility:hidden").
inline bool styled_hidden(std::string_view style) {
  if (style.empty()) return false;
  std::string compact;
  for (const char c : style) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') compact += c;
  }
  compact = detail::ascii_lower(compact);
  return compact.find("display:none") != std::string::npos ||
         compact.find("visibility:hidden") != std::string::npos;
}

inline bool is_hidden(const GumboNode* element) {
  return has_attribute(element, "hidden") ||
         detail::ascii_lower(attribute(element, "aria-hidden")) == "true" ||
         styled_hidden(attribute(element, "style"));
}

}  // namespace narrator::html
