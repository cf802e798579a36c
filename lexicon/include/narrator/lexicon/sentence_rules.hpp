// sentence_rules.hpp: what the sentence splitter must know about a language, read from data.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace narrator {

// How a period-final abbreviation affects a sentence break after it.
enum class AbbreviationKind {
  kTitle,   // "Mr.", "Dr.", "Gen.": always followed by a name, never ends a sentence
  kFinite,  // "U.S.", "a.m.", "Inc.": may end a sentence; a break stays only before a sentence
            // starter
};

struct SentenceRules {
  // Abbreviation as written, with its periods ("Mr.", "U.S."), matched case-sensitively.
  std::unordered_map<std::string, AbbreviationKind> abbreviations;
  // Lower-case words that typically open a sentence ("the", "he", "but").
  std::unordered_set<std::string> sentence_starters;
};

// The built-in rules for `language` ("en"): sentence_exceptions.tsv, plus every period-final
// abbreviation in abbreviations.tsv that the exceptions do not list. Throws Error(kInput) naming
// file:line when the embedded data is malformed, and Error(kUsage) when the language has no data.
SentenceRules load_sentence_rules(std::string_view language);

}  // namespace narrator
