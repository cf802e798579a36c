// name_guesser.hpp: a pronunciation for an unknown Belarusian or Slavic name written in Latin
// letters, the last lexicon layer before the voice's own English rules.
//
// The guesser reads romanized names (BGN/PCGN, the Belarusian national romanization, Łacinka,
// Russian-, Ukrainian- and Polish-style spellings) the way English-language broadcasters say
// them: the spelling read letter by letter ("kh" /x/, "zh" /ʒ/, "ts" /ts/, "ia" /jɑː/; е after a
// soft consonant with a j glide, "-kevich" /kjɛvɪtʃ/; "au", "ou", "eu" as diphthongs), then one
// pass of voicing assimilation and final devoicing ("Stoŭbcy" /ˈstoʊptsɪ/), stress on the
// native syllable where the spelling tells it (Belarusian writes о, э and ё only under stress,
// unless Russian or Polish spelling signs say otherwise) or an ending does (hand-written:
// "-enka", "-skaya", "-vich"; or learned from data, names/stress_rules.tsv), on the penultimate
// otherwise, unstressed vowels reduced and a long word's first syllable given a secondary
// stress. Endings are matched on the word as the news romanization writes it, so "Lukašenka",
// "Lukashenko" and "Lukashenka" are stressed alike. All of that is data: the rules in
// lexicon/data/names/guesser_rules.tsv, whose header documents the format. The guesser speaks
// IPA only, in symbols both voice backends map (phonemes/ipa_to_espeak_en.tsv and
// ipa_to_flite_us.tsv); it never calls eSpeak.
//
// Input: one word, UTF-8, Latin letters, any capitalization ("LUKASHENKA", "Cichanoŭskaja").
// Letters outside ASCII are handled as whole UTF-8 sequences and must be precomposed (NFC: "ŭ"
// as U+016D, not "u" + U+0306). The apostrophes ’ and ʼ read as ', which the rules read only
// between a consonant and a vowel ("Dar'ya"); the sign marks ʹ and ʺ of BGN/PCGN transliteration
// ("Vasilʹ") are skipped. A word with a character no rule covers (a digit, an apostrophe
// elsewhere, as in "Lukashenka's", "q", a combining mark), or with invalid UTF-8, is neither
// Belarusian-looking nor guessed.
//
// A NameGuesser is immutable after construction: its methods are const and safe to call from
// several threads at once. Copies share the loaded rules.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace narrator {

// How the guesser reads one word, rule by rule (NameGuesser::explain). Each rule is named by its
// key in guesser_rules.tsv ("letter:kh", "stress:enka#") or stress_rules.tsv ("latn:ovich").
struct GuessExplanation {
  struct Weight {
    std::string rule;  // a letter, ending, marker or foreign_sign rule that added weight
    int weight = 0;
    std::string note;  // the rule's note, may be empty
  };
  struct Sound {
    std::string letters;    // the letter group, lower case ("kh", "ia")
    std::string rule;       // "letter:ia/C_"
    std::string value;      // the rule's IPA: consonants, or a vowel's forms "ɑː|ə|ə"
    bool stressed = false;  // the vowel that carries the primary stress
  };
  bool readable =
      false;      // every letter has a rule and there is a vowel; nothing else is set if not
  int score = 0;  // the spelling's weight: looks_belarusian() when score >= min_score
  int min_score = 0;
  std::vector<Weight>
      weights;              // the rules that added weight, in reading order (zero weights left out)
  std::string stress_rule;  // the rule that placed the primary stress
  std::string stress_detail;  // what it says: "2 from the end, 120 of 131 names", "native: ..."
  std::vector<Sound> sounds;  // letter groups in order
  std::string ipa;            // guess(word, /*force=*/true)
};

namespace detail {
struct GuesserRules;  // the parsed rules, defined in name_guesser.cpp
}  // namespace detail

class NameGuesser {
 public:
  // Loads the built-in rules ("names/guesser_rules.tsv"). Throws Error(kInput)
  // "builtin:names/guesser_rules.tsv:LINE: ..." for a malformed rule, and Error(kUsage) when the
  // rules were not embedded in the build.
  NameGuesser();

  // Loads rules from `rules_tsv`, in the format of guesser_rules.tsv. `source_name` (a path, or
  // "builtin:names/guesser_rules.tsv") appears in error messages. Throws Error(kInput)
  // "source:line: ..." for a malformed row (wrong column count, unknown kind, bad pattern, bad
  // value or weight, a duplicate key), or "source: ..." when the default stress rule "stress:#"
  // or the setting "setting:min_score" is missing. `rules_tsv` is not kept after the call.
  NameGuesser(std::string_view rules_tsv, std::string_view source_name);

  // As above, plus the learned stress endings of `stress_tsv`, in the format of
  // names/stress_rules.tsv (the built-in guesser reads that file); `stress_source` names it in
  // error messages. lexicon/tools/learn_stress.cpp measures the guesser this way, with a table
  // learned without the names it tests. Throws Error(kInput) "source:line: ..." for a malformed
  // row of either.
  NameGuesser(std::string_view rules_tsv, std::string_view rules_source,
              std::string_view stress_tsv, std::string_view stress_source);

  // True when `word` looks like a romanized Belarusian or Slavic name: its spelling features
  // (endings such as "-enka", "-skaya", "-vich", clusters such as "kh", "zh", "shch", a consonant
  // before "ia"/"ya", Łacinka letters such as "ŭ", "ł", "š") add up to the rules' minimum score.
  // Ordinary English words and surnames do not.
  bool looks_belarusian(std::string_view word) const;

  // The IPA for `word` with exactly one primary stress mark ˈ, at most one secondary stress mark ˌ
  // (before it, on the first syllable of a long word) and only symbols that both
  // lexicon/data/phonemes/ipa_to_espeak_en.tsv and ipa_to_flite_us.tsv map, when the word looks
  // Belarusian or `force` is true (for Cyrillic input the caller has already transliterated to
  // Latin). nullopt when the word does not look Belarusian and `force` is false, when a character
  // has no rule, or when the word has no vowel.
  std::optional<std::string> guess(std::string_view word, bool force = false) const;

  // The spelling's weight (what looks_belarusian() compares with min_score()), or nullopt when
  // the word cannot be read (a character without a rule, no vowel, invalid UTF-8).
  std::optional<int> spelling_score(std::string_view word) const;
  int min_score() const noexcept;

  // How guess(word, /*force=*/true) reads `word`: the weights, the stress rule, the letter rules.
  GuessExplanation explain(std::string_view word) const;

 private:
  std::shared_ptr<const detail::GuesserRules> rules_;  // never null; shared by copies, immutable
};

}  // namespace narrator
