// script_language.hpp: the language a sentence is likely in, from the script it is written in,
// for a voice that reads Latin letters only. The rules are data: lexicon/data/scripts/
// script_languages.tsv.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace narrator {

struct ScriptGuess {
  std::string language;  // BCP 47 ("be", "ru", "el")
  std::string script;    // the script's English name, for messages ("Cyrillic")
};

class ScriptLanguages {
 public:
  // Loads the built-in table. Throws Error(kInternal) when it is not built in, Error(kInput) with
  // its file:line when a row is malformed.
  ScriptLanguages();

  // The language of `text` (UTF-8) when most of its letters are in one script other than Latin
  // and the table names a language for it; nullopt for Latin text, text without letters, or a
  // script the table does not know.
  std::optional<ScriptGuess> language_of(std::string_view text) const;

 private:
  struct Rule {
    std::string script;      // ISO 15924 code ("Cyrl")
    std::string language;    // "be"
    std::u32string markers;  // letters that point to this language; empty for the default
  };
  std::vector<Rule> rules_;
};

}  // namespace narrator
