#include "narrator/lexicon/name_router.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <set>
#include <utility>

#include "data_table.hpp"
#include "letter_pattern.hpp"
#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {

// ---------------------------------------------------------------------------------------------
// WordFile

WordFile::WordFile(std::string path, std::string name)
    : path_(std::move(path)), name_(std::move(name)) {}

void WordFile::load() const {
  std::call_once(loaded_, [this] {
    std::ifstream file(path_, std::ios::binary);
    if (!file) return;  // not installed: an empty list, available() says so
    bytes_.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    for (char& c : bytes_) c = detail::ascii_lower(c);
    std::string_view rest(bytes_);
    while (!rest.empty()) {
      const std::size_t end = rest.find('\n');
      std::string_view word = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (!word.empty() && word.back() == '\r') word.remove_suffix(1);
      if (word.empty() || word.ends_with("'s")) continue;
      if (set_.insert(word).second) words_.push_back(word);
    }
  });
}

bool WordFile::contains(std::string_view lower) const {
  load();
  return set_.contains(lower);
}

bool WordFile::available() const {
  load();
  return !bytes_.empty();
}

const std::vector<std::string_view>& WordFile::words() const {
  load();
  return words_;
}

// ---------------------------------------------------------------------------------------------
// The routing rules

namespace {

constexpr std::string_view kBuiltinRouting = "names/routing_rules.tsv";

struct PatternRule {
  detail::Pattern symbols;
  int weight = 0;
  std::string key;
};

struct Cue {
  std::vector<std::string> words;  // in reading order
  int weight = 0;
  std::string key;
};

// The routing patterns' vowel letters (C is any other letter).
const std::set<std::string>& vowels() {
  static const std::set<std::string> letters{"a", "e", "i", "o", "u", "y"};
  return letters;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

}  // namespace

namespace detail {

struct RoutingRules {
  std::vector<PatternRule> patterns;
  std::vector<Cue> before;  // strongest first
  std::vector<Cue> after;   // strongest first
  int route_score = 2;
  int neighbour = 2;
};

}  // namespace detail

namespace {

using Rules = detail::RoutingRules;

int parse_weight(std::string_view source, const TsvRow& row) {
  const std::string& text = row.fields[1];
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < -9 || value > 9) {
    detail::fail_at(source, row, "the weight '" + text + "' is not a number from -9 to 9");
  }
  return value;
}

Rules load_rules(std::string_view content, std::string_view source) {
  Rules rules;
  for (const TsvRow& row : parse_tsv(content, source, TsvShape{2, 3})) {
    const std::string& key = row.fields[0];
    const std::size_t colon = key.find(':');
    const std::string kind = key.substr(0, colon);
    const std::string_view rest =
        colon == std::string::npos ? std::string_view() : std::string_view(key).substr(colon + 1);
    const int weight = parse_weight(source, row);
    if (kind == "pattern") {
      rules.patterns.push_back(PatternRule{detail::parse_pattern(source, row, rest), weight, key});
    } else if (kind == "cue_before" || kind == "cue_after") {
      std::vector<std::string> words = split_words(rest);
      if (words.empty()) detail::fail_at(source, row, "the cue has no words");
      (kind == "cue_before" ? rules.before : rules.after).push_back(Cue{words, weight, key});
    } else if (key == "setting:route_score") {
      rules.route_score = weight;
    } else if (key == "setting:neighbour") {
      rules.neighbour = weight;
    } else {
      detail::fail_at(source, row,
                      "unknown key '" + key +
                          "'; use pattern:, cue_before:, cue_after:, setting:route_score or "
                          "setting:neighbour");
    }
  }
  for (std::vector<Cue>* cues : {&rules.before, &rules.after}) {
    std::stable_sort(cues->begin(), cues->end(), [](const Cue& a, const Cue& b) {
      if (a.weight != b.weight) return a.weight > b.weight;
      return a.words.size() > b.words.size();
    });
  }
  return rules;
}

// Whether `side` (nearest first) begins with the cue's words (written in reading order; for a
// cue before the word, its last word is the nearest).
bool cue_matches(const Cue& cue, const std::vector<std::string_view>& side, bool before) {
  if (side.size() < cue.words.size()) return false;
  for (std::size_t i = 0; i < cue.words.size(); ++i) {
    const std::string& want = before ? cue.words[cue.words.size() - 1 - i] : cue.words[i];
    if (detail::ascii_lower(side[i]) != want) return false;
  }
  return true;
}

bool starts_upper_ascii_or_other(std::string_view word) {
  if (word.empty()) return false;
  const auto first = static_cast<unsigned char>(word.front());
  return !(first >= 'a' && first <= 'z');
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// NameRouter

NameRouter::NameRouter(NameGuesser guesser,
                       std::vector<std::shared_ptr<const WordList>> dictionaries)
    : guesser_(std::move(guesser)),
      dictionaries_(std::move(dictionaries)),
      rules_(std::make_shared<const Rules>(
          load_rules(detail::require_builtin(std::string(kBuiltinRouting)),
                     "builtin:" + std::string(kBuiltinRouting)))) {}

bool NameRouter::strong(std::string_view word) const {
  if (!starts_upper_ascii_or_other(word)) return false;
  const std::optional<int> score = guesser_.spelling_score(word);
  return score && *score >= guesser_.min_score();
}

RouteDecision NameRouter::route(std::string_view word, const RouteContext& context,
                                Detail detail) const {
  RouteDecision decision;
  const std::optional<int> spelling = guesser_.spelling_score(word);
  if (!spelling) {
    decision.reason = "the guesser cannot read it (a letter without a rule, or no vowel)";
    return decision;
  }
  decision.readable = true;
  decision.spelling_score = *spelling;
  decision.evidence.push_back(RouteEvidence{"spelling", "guesser_rules.tsv", *spelling});
  const std::string lower = detail::ascii_lower(word);
  int weak = 0;
  const detail::Letters letters = detail::split_letters(lower).value_or(detail::Letters());
  for (const PatternRule& pattern : rules_->patterns) {
    if (pattern.weight == 0 || !detail::occurs_in(pattern.symbols, letters, vowels())) continue;
    weak += pattern.weight;
    decision.evidence.push_back(RouteEvidence{"pattern", pattern.key, pattern.weight});
  }
  decision.pattern_score = weak;
  if (context.weight != 0) {
    decision.evidence.push_back(RouteEvidence{"context", context.reason, context.weight});
  }
  const int min_score = guesser_.min_score();
  const int threshold = std::min(rules_->route_score, min_score);
  const bool dictionary_decides =
      *spelling < min_score && *spelling + weak + context.weight >= threshold;
  if (dictionary_decides || detail == Detail::kExplain) {
    for (const std::shared_ptr<const WordList>& list : dictionaries_) {
      if (!list->contains(lower)) continue;
      decision.dictionaries.emplace_back(list->name());
      decision.evidence.push_back(RouteEvidence{"dictionary", std::string(list->name()), 0});
    }
  }
  if (!decision.dictionaries.empty()) {
    // An English word: only a strong spelling takes it from the voice.
    decision.score = *spelling;
    decision.threshold = min_score;
    decision.to_guesser = *spelling >= min_score;
    decision.reason = decision.to_guesser
                          ? "an English word, but its spelling alone reaches min_score"
                          : "an English word; patterns and context do not count for it";
    return decision;
  }
  decision.score = *spelling + weak + context.weight;
  decision.threshold = threshold;
  decision.to_guesser = *spelling >= min_score || decision.score >= decision.threshold;
  decision.reason = decision.to_guesser ? "in no dictionary, and the evidence reaches route_score"
                                        : "in no dictionary, but the evidence is too weak";
  return decision;
}

RouteContext NameRouter::context(const std::vector<std::string_view>& before,
                                 const std::vector<std::string_view>& after,
                                 const IsName& is_name) const {
  for (const std::vector<std::string_view>* side : {&before, &after}) {
    if (side->empty() || !starts_upper_ascii_or_other(side->front())) continue;
    if (const std::optional<std::string> why = is_name(side->front())) {
      return RouteContext{rules_->neighbour,
                          "next to '" + std::string(side->front()) + "' (" + *why + ")"};
    }
  }
  // The strongest cue on either side (each side's cues are sorted strongest first).
  const Cue* best = nullptr;
  for (const Cue& cue : rules_->before) {
    if (cue_matches(cue, before, true)) {
      best = &cue;
      break;
    }
  }
  for (const Cue& cue : rules_->after) {
    if (cue_matches(cue, after, false)) {
      if (best == nullptr || cue.weight > best->weight) best = &cue;
      break;
    }
  }
  if (best == nullptr) return {};
  return RouteContext{best->weight, best->key};
}

}  // namespace narrator
