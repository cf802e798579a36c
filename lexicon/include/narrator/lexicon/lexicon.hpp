// lexicon.hpp: pronunciation lexicons (grapheme → IPA) and their layering.
//
// A Lexicon is one file: the built-in Belarusian tables, a publisher's house file (TSV or W3C PLS
// 1.0), or an article's own entries. A LexiconStack looks a word up through its layers, the last
// added first: article → house files (a later file wins) → built-in. Each answer names the layer
// that gave it. A word in no layer goes to the NameGuesser when it is Cyrillic or the NameRouter
// sends it (its spelling, weaker patterns, its sentence, English dictionaries); anything else is
// left to the voice's own rules (nullopt).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "narrator/lexicon/name_guesser.hpp"
#include "narrator/lexicon/name_router.hpp"
#include "narrator/lexicon/pronunciation.hpp"

namespace narrator {

struct LexiconEntry {
  std::string grapheme;  // as written in the lexicon (case and diacritics kept)
  std::string ipa;       // IPA with ˈ and ˌ; empty for an alias
  std::size_t line = 0;  // 1-based line in the source file, for messages
  std::string alias;     // PLS <alias>: text read instead of the grapheme
};

class Lexicon {
 public:
  // `name` identifies the layer in Pronunciation::source ("be_people", "house"); `source_name`
  // (a path or "builtin:names/be_people.tsv") appears in error messages.
  //
  // TSV: grapheme<TAB>IPA[<TAB>source[<TAB>note]], '#' comments. Throws Error(kInput)
  // "source:line: ..." for a malformed row, an IPA without a primary stress mark, a grapheme
  // listed twice with different IPA, a control character in any field (shown as "<U+0007>"), or
  // eSpeak phoneme brackets ("[[...]]") in a grapheme or an alias.
  static Lexicon from_tsv(std::string_view content, std::string name, std::string source_name);

  // W3C PLS 1.0 (alphabet="ipa"): <lexeme> with <grapheme>s and a <phoneme> or an <alias>
  // (text read instead of the grapheme). Throws Error(kInput) with the
  // file:line for malformed XML, another alphabet, a lexeme with neither phoneme nor alias, or any
  // entry from_tsv() refuses.
  // External entities and DTDs are never loaded.
  static Lexicon from_pls(std::string_view content, std::string name, std::string source_name);

  // Reads the file at `path`: ".pls" or ".xml" as PLS, anything else as TSV. The layer is named
  // after the file's stem. Throws Error(kInput) when the file cannot be read or parsed, or when
  // any entry is refused: the message is the first problem (file:line), with how many more
  // there are and how to list them all.
  static Lexicon load_file(const std::string& path);

  // Reads the file at `path` like load_file(), but every problem of a row or lexeme (its column
  // count, an empty key or IPA, a lexeme without a grapheme or a pronunciation, a missing stress
  // mark, a duplicate, a conflicting entry, a control character or phoneme brackets) is appended
  // to `problems` ("path:line: ...") instead of thrown, so one run lists them all (the first of
  // conflicting entries is kept; a bad entry is left out). Errors that stop the whole file (an
  // unreadable file, malformed XML, a PLS root or alphabet) still throw.
  static Lexicon check_file(const std::string& path, std::vector<std::string>& problems);

  // A layer made in code (an article's own entries). Throws as from_tsv() does.
  static Lexicon from_entries(std::string name, std::string source_name,
                              std::vector<LexiconEntry> entries);

  const std::string& name() const noexcept { return name_; }
  const std::string& source_name() const noexcept { return source_name_; }
  const std::vector<LexiconEntry>& entries() const noexcept { return entries_; }

  // The entry written exactly `word`, or nullptr.
  const LexiconEntry* find_exact(std::string_view word) const;
  // The entry whose folded form (lower case, diacritics removed, ł → l) equals `folded`.
  const LexiconEntry* find_folded(const std::string& folded) const;

 private:
  Lexicon(std::string name, std::string source_name);
  void add(LexiconEntry entry);
  [[noreturn]] void fail(std::size_t line, const std::string& message) const;
  void problem(std::size_t line, const std::string& message);
  static Lexicon read(const std::string& path, std::vector<std::string>& problems, bool checking);
  void fill_tsv(std::string_view content);
  void fill_pls(std::string_view content);

  std::string name_;
  std::string source_name_;
  std::vector<LexiconEntry> entries_;
  std::vector<std::string>* problems_ = nullptr;  // collect instead of throwing (reading a file)
  bool checking_ = false;  // check_file(): a harmless duplicate is a problem too
  std::unordered_map<std::string, std::size_t> exact_;   // grapheme → index
  std::unordered_map<std::string, std::size_t> folded_;  // folded grapheme → index (first wins)
};

// "Białacki" → "bialacki", "Cichanoŭskaja" → "cichanouskaja": the key for case- and
// diacritic-insensitive lookup.
std::string fold_for_lookup(std::string_view word);

// Sorts check_file()'s problems ("source_name:line: ...", all of one file) into line order,
// keeping the order of a line's own problems.
void sort_by_line(std::vector<std::string>& problems, std::string_view source_name);

// Cyrillic (Belarusian or Russian) → Latin in the BGN/PCGN style ("Лукашэнка" → "Lukashenka"),
// or nullopt when `word` has no Cyrillic letters.
std::optional<std::string> transliterate_cyrillic(std::string_view word);

class CyrillicWords;  // lexicon.cpp: the transliterators and answers a LexiconStack reuses

class LexiconStack {
 public:
  // The built-in layers (lexicon/data/names/*.tsv), then `house_files` in order (a later file
  // wins). Throws Error(kInput) naming file:line for a malformed lexicon. `dictionaries` are the
  // English word lists that keep ordinary words from the guesser (see NameRouter); by default
  // Debian's wamerican.
  explicit LexiconStack(const std::vector<std::string>& house_files = {},
                        std::vector<std::shared_ptr<const WordList>> dictionaries = {
                            std::make_shared<const WordFile>()});

  // Every layer, the built-in ones first.
  const std::vector<Lexicon>& layers() const noexcept { return layers_; }

  // How `word` (one word, no surrounding punctuation) is said, or nullopt when the voice's own
  // rules should read it. Tries, in each layer from the top: the exact spelling, then case- and
  // diacritic-folded (not for a word that starts in lower case: "ales" is beer, "Ales" a name); a
  // possessive ('s, ’s) as the stem plus /z/, /s/ or /ɪz/; a hyphenated double name part by part;
  // Cyrillic through transliteration. Then the guesser, for words that look Belarusian (and for any
  // Cyrillic word).
  // `top`, when given, is searched before every layer (an article's own entries). `context` is
  // the word's weight from its sentence (sentence_context()).
  std::optional<Pronunciation> lookup(std::string_view word, const Lexicon* top = nullptr,
                                      const RouteContext& context = {}) const;

  // One word of a sentence for sentence_context(): the word bare of punctuation, and whether
  // punctuation followed it ("Kishida, Lukashenka": a list, not one name).
  struct SentenceWord {
    std::string_view bare;
    bool break_after = false;
  };

  // The routing context of each of a sentence's `words` (in reading order, lexical or not), from
  // its neighbours up to a punctuation break: a neighbour that a built-in lexicon layer lists (a
  // Belarusian name) or whose spelling alone routes it, or a cue such as "village of".
  std::vector<RouteContext> sentence_context(const std::vector<SentenceWord>& words,
                                             const Lexicon* top = nullptr) const;

  // The layer that lists `word` (its spelling, or folded, as lookup() searches), or nullptr.
  const Lexicon* layer_of(std::string_view word, const Lexicon* top = nullptr) const;

  const NameRouter& router() const noexcept { return router_; }

 private:
  std::optional<Pronunciation> lookup_once(std::string_view word, const Lexicon* top,
                                           const RouteContext& context) const;
  std::optional<Pronunciation> find(std::string_view word, const Lexicon* top) const;
  std::optional<Pronunciation> find_or_guess(std::string_view word, bool cyrillic,
                                             const Lexicon* top, const RouteContext& context) const;

  std::vector<Lexicon> layers_;
  NameRouter router_;
  // {last sound, ending} of the possessive, longest last sound first (possessive_endings.tsv).
  std::vector<std::pair<std::string, std::string>> possessive_endings_;
  std::shared_ptr<const CyrillicWords> cyrillic_;  // never null; thread-safe
};

}  // namespace narrator
