// name_router.hpp: which capitalized words go to the name guesser, and which stay with the voice.
//
// A word no lexicon lists is routed on graded evidence, each piece with its weight:
//   - the spelling: the name guesser's own score (NameGuesser::spelling_score, the weights of
//     guesser_rules.tsv), strong when it reaches the guesser's min_score;
//   - weaker letter patterns (lexicon/data/names/routing_rules.tsv, "pattern:" rows): Slavic
//     endings (-any, -ich, -yk, -ets, -ava), ia/io/iu between consonants, clusters English does
//     not write;
//   - the sentence: a neighbouring word that is a Belarusian name, or a cue ("village of X",
//     "X district", "in X"), given by the caller as a RouteContext (see LexiconStack);
//   - English dictionaries (WordList): a word in one stays with the voice unless its spelling
//     alone is strong.
// A word outside every dictionary goes to the guesser when spelling + patterns + context reach
// setting:route_score; a dictionary word only when its spelling score reaches min_score.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "narrator/lexicon/name_guesser.hpp"

namespace narrator {

// A list of ordinary English words, asked whether it holds a word.
class WordList {
 public:
  virtual ~WordList() = default;
  // A short name for messages and explanations ("wamerican", "cmulex").
  virtual std::string_view name() const noexcept = 0;
  // Whether the list holds `lower` (lower case, as the list writes it). Safe to call from several
  // threads at once.
  virtual bool contains(std::string_view lower) const = 0;
  // False when the list could not be found (a missing system file): it then holds nothing.
  virtual bool available() const { return true; }
};

// A word list read from a file of one word per line (Debian's wamerican:
// /usr/share/dict/american-english), on first use. Possessives ("Abby's") are left out; words are
// kept lower case. A missing file is an empty list (available() false), never an error: the
// routing then leans on the other lists.
class WordFile final : public WordList {
 public:
  static constexpr std::string_view kWamerican = "/usr/share/dict/american-english";
  explicit WordFile(std::string path = std::string(kWamerican), std::string name = "wamerican");
  std::string_view name() const noexcept override { return name_; }
  bool contains(std::string_view lower) const override;
  bool available() const override;
  // Every word of the list, in file order (for tests and measures).
  const std::vector<std::string_view>& words() const;

 private:
  void load() const;
  std::string path_;
  std::string name_;
  mutable std::once_flag loaded_;
  mutable std::string bytes_;
  mutable std::vector<std::string_view> words_;
  mutable std::unordered_set<std::string_view> set_;
};

// Context from the sentence around a word (LexiconStack::sentence_context).
struct RouteContext {
  int weight = 0;
  std::string
      reason;  // "next to 'Budny' (lexicon:be_people)", or the cue row "cue_before:village of"
};

struct RouteEvidence {
  std::string kind;    // "spelling", "pattern", "context", "dictionary"
  std::string detail;  // the rule or reason: "pattern:Cich#", "wamerican"
  int weight = 0;      // 0 for a dictionary membership (it changes the threshold instead)
};

struct RouteDecision {
  bool to_guesser = false;
  bool readable = false;   // the guesser can read the word at all
  int spelling_score = 0;  // the guesser's own score
  int pattern_score = 0;   // the weaker patterns' weights (counted for a word in no dictionary)
  int score = 0;           // spelling + patterns + context
  int threshold = 0;       // what the word needed (route_score, or min_score in a dictionary)
  std::vector<std::string> dictionaries;  // the lists that hold the word
  std::vector<RouteEvidence> evidence;
  std::string reason;  // one line: why the word goes where it goes
};

namespace detail {
struct RoutingRules;  // parsed routing_rules.tsv, defined in name_router.cpp
}  // namespace detail

class NameRouter {
 public:
  // The built-in routing rules (names/routing_rules.tsv) over `guesser`, with `dictionaries`
  // (searched in order). Throws Error(kInput) "builtin:names/routing_rules.tsv:LINE: ..." for a
  // malformed row.
  NameRouter(NameGuesser guesser, std::vector<std::shared_ptr<const WordList>> dictionaries);

  // How much route() finds out. kDecide asks the dictionaries only when the answer depends on
  // them: a spelling that reaches min_score goes to the guesser and evidence below route_score
  // stays with the voice either way, so most capitalized words ("The", "Monday") never load the
  // word list. kExplain always asks them (explain output, measures).
  enum class Detail { kDecide, kExplain };

  // Where `word` (a capitalized word, Latin letters) goes without a lexicon entry.
  RouteDecision route(std::string_view word, const RouteContext& context = {},
                      Detail detail = Detail::kDecide) const;

  // The context weight of a word in a sentence, from its neighbours: `before` and `after` are
  // the words around it (nearest first, at most two each, bare of punctuation); `is_name` says
  // whether a neighbour is a Belarusian name (a built-in lexicon entry, or strong by spelling).
  // `is_name` gives the reason ("lexicon:be_people") or nullopt. A neighbour that is a name
  // counts setting:neighbour; else the strongest cue row that matches (cue_before:, cue_after:).
  using IsName = std::function<std::optional<std::string>(std::string_view)>;
  RouteContext context(const std::vector<std::string_view>& before,
                       const std::vector<std::string_view>& after, const IsName& is_name) const;

  const NameGuesser& guesser() const noexcept { return guesser_; }
  const std::vector<std::shared_ptr<const WordList>>& dictionaries() const noexcept {
    return dictionaries_;
  }
  // Whether the word's own spelling routes it to the guesser (strong evidence).
  bool strong(std::string_view word) const;

 private:
  NameGuesser guesser_;
  std::vector<std::shared_ptr<const WordList>> dictionaries_;
  std::shared_ptr<const detail::RoutingRules> rules_;
};

}  // namespace narrator
