// content_scorer.hpp: where a news page's story is, found by scoring its blocks (text length,
// commas, link density, paragraph structure; class, id and ARIA role names as weights), and
// which blocks inside it are boilerplate (teaser cards, share bars, galleries, comment sections,
// link lists), each with the rule and the evidence that removes it.
//
// The design follows the published extractors: Readability's candidate scoring (each paragraph
// gives its score to its parent, half to its grandparent and less to the ancestors above; a
// candidate's score is scaled by its link density; siblings that score near the best join it;
// then blocks inside are cleaned conditionally), with jusText's and boilerpipe's shallow text
// features (length, link density) deciding short blocks.
#pragma once

#include <gumbo.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "narrator/lexicon/name_weights.hpp"

namespace narrator::html {

// Why an element is not read: a rule name ("html:link-density") and its evidence ("link density
// 0.82, score 1.5").
struct Removal {
  std::string rule;
  std::string reason;
};

class ContentScorer {
 public:
  // Measures and scores every element under `body` (one pass, linear in the page) and chooses the
  // story's blocks. The tree must outlive the scorer.
  // `headline`: the page's headline (the <h1> its titles name), or nullptr; the block that holds
  // it scores kHeadlineFactor times higher. `weights`: what class, id, role and itemprop names
  // say (lexicon/data/html/name_weights.tsv); it must outlive the scorer.
  ContentScorer(const GumboNode* body, const GumboNode* headline, const NameWeights& weights);

  // The story's top-level elements, in document order: the best-scoring block and the siblings
  // that join it. Never empty (the body when nothing scores).
  const std::vector<const GumboNode*>& roots() const { return roots_; }

  // Why `element`, inside the story, is boilerplate; nullopt when it is read. Asked top-down: an
  // element removed hides its descendants.
  std::optional<Removal> removal(const GumboNode* element) const;

  // True when `element` holds story text (a scored paragraph of its own), so that a tag that is
  // usually furniture (a <form> wrapping the page, a <header> around the story) is read.
  bool holds_story(const GumboNode* element) const;

  // True when `element` is one of the roots or holds one.
  bool around_story(const GumboNode* element) const;

 private:
  struct Stats {
    std::uint32_t chars = 0;       // text characters (a whitespace run counts one)
    std::uint32_t link_chars = 0;  // of them, inside <a href>
    std::uint32_t own_chars = 0;   // in the element or its inline descendants, not block children
    std::uint32_t own_link_chars = 0;
    std::uint32_t commas = 0;
    std::uint32_t own_commas = 0;
    std::uint32_t sentence_ends = 0;  // . ! ? and their full-width forms, own text only
    std::uint32_t paragraphs = 0;     // <p> below with text
    std::uint32_t images = 0;
    std::uint32_t list_items = 0;
    std::uint32_t inputs = 0;
    std::uint32_t embeds = 0;
    std::uint32_t heading_chars = 0;
    std::uint32_t articles = 0;  // <article> elements below
    float paragraph_scores = 0;  // the scores of the paragraphs in the subtree, summed
    float content = 0;           // as a candidate: the score its paragraphs gave it
    float base = 0;              // as a candidate: what its tag says (div +5, li -3, ...)
    float names = 0;             // as a candidate: what its class, id and role say
    bool candidate = false;
  };

  const Stats* stats_of(const GumboNode* element) const;
  void measure(const GumboNode* body);
  void score_paragraph(const GumboNode* element, Stats& stats);
  Stats& candidate(const GumboNode* element);
  const GumboNode* best_candidate(const GumboNode* body) const;
  const GumboNode* structural_container(const GumboNode* body) const;
  void choose_roots(const GumboNode* body);
  float final_score(const GumboNode* element) const;
  bool is_candidate(const GumboNode* element) const;
  bool is_paragraph_like(const GumboNode* element) const;
  bool joins(const GumboNode* sibling, const GumboNode* top, float threshold) const;

  std::unordered_map<const GumboNode*, Stats> stats_;
  std::vector<const GumboNode*> candidates_;  // in the order they were first scored
  std::vector<const GumboNode*> roots_;
  bool holds_headline(const GumboNode* element) const;

  const NameWeights& weights_;
  const GumboNode* headline_;
  float top_score_ = 0;
  float story_paragraph_scores_ = 0;  // of the best block
  std::uint32_t story_chars_ = 0;     // of the best block
};

// The weight that an element's class, id and role give it as a content block: positive for names
// of story bodies ("article-body", "entry-content", role="main"), negative for boilerplate
// ("comments", "share", "related", "promo"); 0 when they say neither. The names and their weights
// are the rows of `weights`.
int name_weight(const GumboNode* element, const NameWeights& weights);

}  // namespace narrator::html
