#include "narrator/lexicon/lexicon.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "data_table.hpp"
#include "narrator/detail/plural.hpp"
#include "narrator/detail/printable.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/normalization_data.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

constexpr std::string_view kPrimaryStress = "\xCB\x88";  // ˈ

constexpr std::array<std::string_view, 3> kBuiltinLayers{
    "names/be_people.tsv", "names/be_places.tsv", "names/be_orgs.tsv"};

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool starts_lower(std::string_view word) {
  if (word.empty()) return false;
  const auto first = static_cast<unsigned char>(word.front());
  if (first < 0x80) return first >= 'a' && first <= 'z';
  UChar32 c = 0;
  int32_t at = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(word.data()), at, static_cast<int32_t>(word.size()), c);
  return c >= 0 && u_islower(c) != 0;
}

bool has_cyrillic(std::string_view text) {
  // Cyrillic letters U+0400–U+04FF are encoded with a lead byte 0xD0–0xD3.
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0xD0 && byte <= 0xD3;
  });
}

// The English possessive ending after a pronunciation, by its last sound (/ɪz/ after a
// sibilant, /s/ after a voiceless sound); /z/ after any sound the table does not list.
std::string possessive_ending(std::string_view ipa,
                              const std::vector<std::pair<std::string, std::string>>& endings) {
  for (const auto& [last, ending] : endings) {
    if (ipa.ends_with(last)) return ending;
  }
  return "z";
}

using TransliteratorPtr = std::unique_ptr<icu::Transliterator>;

// The ICU transliterator `id`. Throws Error(kInternal) with ICU's error when it cannot be made.
TransliteratorPtr make_transliterator(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  TransliteratorPtr transliterator(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !transliterator) {
    throw Error(ErrorCategory::kInternal, std::string("ICU cannot make the transliterator '") + id +
                                              "': " + u_errorName(status));
  }
  return transliterator;
}

// `word` through `transliterator`.
std::string transliterate(std::string_view word, const icu::Transliterator& transliterator) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  transliterator.transliterate(text);
  // The soft sign, the hard sign and the apostrophe come out as modifier letters (ʹ ʺ ʼ).
  for (const UChar32 mark : {0x02B9, 0x02BA, 0x02BC}) {
    text.findAndReplace(icu::UnicodeString(mark), icu::UnicodeString());
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

// Belarusian letters in the BGN/PCGN style, then Russian-only letters (и, щ, ъ) the same way.
constexpr const char* kCyrillicToLatin = "Belarusian-Latin/BGN; Russian-Latin/BGN; Any-Latin";
// A name spelled the Russian way ("Лукашенко"), as the Russian romanization writes it.
constexpr const char* kRussianToLatin = "Russian-Latin/BGN; Any-Latin";

// A BGN/PCGN romanization as English-language news usually writes it: "Tsikhanowskaya" →
// "Tsikhanouskaya", "Svyatlana" → "Sviatlana".
std::string press_spelling(std::string_view bgn) {
  std::string out;
  for (std::size_t at = 0; at < bgn.size(); ++at) {
    const char c = bgn[at];
    const bool after_consonant =
        at > 0 && std::string_view("aeiouyAEIOUY").find(bgn[at - 1]) == std::string_view::npos;
    if (c == 'w') {
      out += 'u';
    } else if (c == 'y' && after_consonant && at + 1 < bgn.size() &&
               std::string_view("aeou").find(bgn[at + 1]) != std::string_view::npos) {
      out += 'i';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Lexicon::Lexicon(std::string name, std::string source_name)
    : name_(std::move(name)), source_name_(std::move(source_name)) {}

void Lexicon::fail(std::size_t line, const std::string& message) const {
  throw Error(ErrorCategory::kInput, source_name_ + ":" + std::to_string(line) + ": " + message);
}

void Lexicon::problem(std::size_t line, const std::string& message) {
  if (problems_ == nullptr) fail(line, message);
  problems_->push_back(source_name_ + ":" + std::to_string(line) + ": " + message);
}

namespace {

// What is wrong with an entry's text, or "": a control character anywhere (it would act on the
// terminal that shows a message, and means nothing to a voice), or eSpeak's phoneme brackets in
// a grapheme or an alias (an alias is read as text, and "[[h@l'oU]]" there would reach eSpeak NG
// as raw phonemes, past the IPA checks).
std::string quoted(char mark, std::string_view text) {
  std::string out(1, mark);
  out += detail::printable(text);
  out += mark;
  return out;
}

std::string text_problem(const LexiconEntry& entry) {
  const std::string word = quoted('\'', entry.grapheme);
  const struct {
    std::string what;
    const std::string& text;
    bool read_as_text;
  } fields[] = {{"the grapheme " + word, entry.grapheme, true},
                {"the IPA for " + word, entry.ipa, false},
                {"the alias of " + word, entry.alias, true}};
  for (const auto& field : fields) {
    const std::string shown = quoted('"', field.text);
    if (detail::has_control_character(field.text)) {
      return field.what + " holds a control character (" + shown + "); remove it";
    }
    const bool brackets =
        field.text.find("[[") != std::string::npos || field.text.find("]]") != std::string::npos;
    if (field.read_as_text && brackets) {
      return field.what + " holds eSpeak phoneme brackets (" + shown +
             "), which would reach the voice as raw phonemes; write the pronunciation in IPA (a "
             "<phoneme>, or the IPA column) and an alias as plain words";
    }
  }
  return "";
}

}  // namespace

void Lexicon::add(LexiconEntry entry) {
  if (const std::string wrong = text_problem(entry); !wrong.empty()) {
    problem(entry.line, wrong);
    return;  // never loaded, so no later check shows its text raw
  }
  if (entry.alias.empty() && entry.ipa.find(kPrimaryStress) == std::string::npos) {
    problem(entry.line, "the IPA for '" + entry.grapheme +
                            "' has no primary stress mark; add ˈ before the stressed syllable");
  }
  const auto [where, inserted] = exact_.emplace(entry.grapheme, entries_.size());
  if (!inserted) {
    const LexiconEntry& first = entries_[where->second];
    if (first.ipa == entry.ipa && first.alias == entry.alias) {
      // The same pronunciation twice is harmless when loading, but worth a note when checking.
      if (checking_) {
        problem(entry.line, "'" + entry.grapheme + "' duplicates line " +
                                std::to_string(first.line) + "; remove one");
      }
      return;
    }
    problem(entry.line, "'" + entry.grapheme + "' is already on line " +
                            std::to_string(first.line) +
                            " with another pronunciation; keep one of them");
    return;
  }
  folded_.emplace(fold_for_lookup(entry.grapheme), entries_.size());
  entries_.push_back(std::move(entry));
}

Lexicon Lexicon::from_tsv(std::string_view content, std::string name, std::string source_name) {
  Lexicon lexicon(std::move(name), std::move(source_name));
  lexicon.fill_tsv(content);
  return lexicon;
}

void Lexicon::fill_tsv(std::string_view content) {
  const std::vector<TsvRow> rows = parse_tsv(content, source_name_, TsvShape{2, 4}, problems_);
  entries_.reserve(rows.size());
  exact_.reserve(rows.size());
  folded_.reserve(rows.size());
  for (const TsvRow& row : rows) {
    if (row.fields[1].empty()) {
      problem(row.line, "the IPA column of '" + detail::printable(row.fields[0]) +
                            "' is empty; write its pronunciation in IPA in the second column");
      continue;
    }
    add(LexiconEntry{row.fields[0], row.fields[1], row.line, ""});
  }
}

// The readers collect the problems of every row or lexeme on the way, so that one message can
// say how many there are.
Lexicon Lexicon::read(const std::string& path, std::vector<std::string>& problems, bool checking) {
  const std::filesystem::path file(path);
  const std::string extension = file.extension().string();
  const std::string content = detail::read_file(path, "lexicon");
  Lexicon lexicon(file.stem().string(), path);
  lexicon.problems_ = &problems;
  lexicon.checking_ = checking;
  if (extension == ".pls" || extension == ".xml") {
    lexicon.fill_pls(content);
  } else {
    lexicon.fill_tsv(content);
  }
  lexicon.problems_ = nullptr;
  lexicon.checking_ = false;
  sort_by_line(problems, path);
  return lexicon;
}

Lexicon Lexicon::load_file(const std::string& path) {
  std::vector<std::string> problems;
  Lexicon lexicon = read(path, problems, false);
  if (problems.empty()) return lexicon;
  std::string message = problems.front();
  if (problems.size() > 1) {
    message += " (and " + detail::counted(problems.size() - 1, "more problem") +
               "; 'narrate lexicon check " + path + "' lists them all)";
  }
  throw Error(ErrorCategory::kInput, std::move(message));
}

Lexicon Lexicon::check_file(const std::string& path, std::vector<std::string>& problems) {
  return read(path, problems, true);
}

const LexiconEntry* Lexicon::find_exact(std::string_view word) const {
  const auto found = exact_.find(std::string(word));
  return found == exact_.end() ? nullptr : &entries_[found->second];
}

const LexiconEntry* Lexicon::find_folded(const std::string& folded) const {
  const auto found = folded_.find(folded);
  return found == folded_.end() ? nullptr : &entries_[found->second];
}

void sort_by_line(std::vector<std::string>& problems, std::string_view source_name) {
  const auto line_of = [&](std::string_view problem) {
    std::size_t line = 0;
    for (std::size_t at = source_name.size() + 1; at < problem.size(); ++at) {
      if (problem[at] < '0' || problem[at] > '9') break;
      line = line * 10 + static_cast<std::size_t>(problem[at] - '0');
    }
    return line;
  };
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const auto& a, const auto& b) { return line_of(a) < line_of(b); });
}

std::string fold_for_lookup(std::string_view word) {
  if (is_ascii(word)) {
    std::string out(word);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(text, status) : text;
  if (U_FAILURE(status)) decomposed = text;
  icu::UnicodeString stripped;
  for (int32_t at = 0; at < decomposed.length();) {
    const UChar32 c = decomposed.char32At(at);
    at += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    stripped.append(c == 0x0141 || c == 0x0142 ? UChar32{'l'} : c);  // Ł ł
  }
  stripped.foldCase();
  std::string out;
  stripped.toUTF8String(out);
  return out;
}

std::optional<std::string> transliterate_cyrillic(std::string_view word) {
  if (!has_cyrillic(word)) return std::nullopt;
  return transliterate(word, *make_transliterator(kCyrillicToLatin));
}

// What a lookup of a Cyrillic word reuses, made once per stack: the transliterators for its
// romanizations, and its answers. Making an ICU transliterator costs about a millisecond (the
// registry parses each ID and locale), which for every Cyrillic word of a long page was most of
// its normalizing time. A Cyrillic word's answer depends on the word alone (its sentence never
// sends it elsewhere: it always goes to the guesser), and a page repeats its words, so the answer
// is kept for the word. ICU does not promise that one transliterator may run on two threads at
// once, so one mutex guards them and the answers.
class CyrillicWords {
 public:
  struct Spellings {
    std::string latin;    // BGN/PCGN, Belarusian letters first (as transliterate_cyrillic())
    std::string russian;  // the Russian romanization ("Лукашенко" → "Lukashenko")
  };

  CyrillicWords()
      : to_latin_(make_transliterator(kCyrillicToLatin)),
        russian_(make_transliterator(kRussianToLatin)) {}

  Spellings spellings(std::string_view word) const {
    const std::lock_guard lock(mutex_);
    return Spellings{transliterate(word, *to_latin_), transliterate(word, *russian_)};
  }

  // The answer remember() kept for `word`, or nullopt when there is none.
  std::optional<std::optional<Pronunciation>> answer(std::string_view word) const {
    const std::lock_guard lock(mutex_);
    const auto known = answers_.find(std::string(word));
    if (known == answers_.end()) return std::nullopt;
    return known->second;
  }
  void remember(std::string_view word, const std::optional<Pronunciation>& answer) const {
    const std::lock_guard lock(mutex_);
    if (answers_.size() >= kMaxWords) answers_.clear();  // bounds a long-lived engine's memory
    answers_.emplace(std::string(word), answer);
  }

 private:
  static constexpr std::size_t kMaxWords = 1 << 16;  // a few MB of words and IPA

  TransliteratorPtr to_latin_;
  TransliteratorPtr russian_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::optional<Pronunciation>> answers_;
};

LexiconStack::LexiconStack(const std::vector<std::string>& house_files,
                           std::vector<std::shared_ptr<const WordList>> dictionaries)
    : router_(NameGuesser(), std::move(dictionaries)),
      possessive_endings_(load_possessive_endings("en")),
      cyrillic_(std::make_shared<const CyrillicWords>()) {
  for (const std::string_view path : kBuiltinLayers) {
    const std::string relative(path);
    const std::string stem =
        relative.substr(relative.find('/') + 1, relative.rfind('.') - relative.find('/') - 1);
    layers_.push_back(
        Lexicon::from_tsv(detail::require_builtin(relative), stem, "builtin:" + relative));
  }
  for (const std::string& path : house_files) layers_.push_back(Lexicon::load_file(path));
}

Lexicon Lexicon::from_entries(std::string name, std::string source_name,
                              std::vector<LexiconEntry> entries) {
  Lexicon lexicon(std::move(name), std::move(source_name));
  for (LexiconEntry& entry : entries) lexicon.add(std::move(entry));
  return lexicon;
}

namespace {

// The entry of `layer` for `word`: its exact spelling, or (for a word not written in lower case)
// its folded form.
const LexiconEntry* entry_in(const Lexicon& layer, std::string_view word, bool name_like,
                             const std::string& folded) {
  const LexiconEntry* entry = layer.find_exact(word);
  if (entry == nullptr && name_like) entry = layer.find_folded(folded);
  return entry;
}

}  // namespace

const Lexicon* LexiconStack::layer_of(std::string_view word, const Lexicon* top) const {
  // A word written in lower case is an ordinary word ("ales", "malady"), never a name: only its
  // exact spelling counts.
  const bool name_like = !starts_lower(word);
  const std::string folded = name_like ? fold_for_lookup(word) : std::string();
  if (top != nullptr && entry_in(*top, word, name_like, folded) != nullptr) return top;
  for (auto layer = layers_.rbegin(); layer != layers_.rend(); ++layer) {
    if (entry_in(*layer, word, name_like, folded) != nullptr) return &*layer;
  }
  return nullptr;
}

std::optional<Pronunciation> LexiconStack::find(std::string_view word, const Lexicon* top) const {
  const Lexicon* layer = layer_of(word, top);
  if (layer == nullptr) return std::nullopt;
  const bool name_like = !starts_lower(word);
  const LexiconEntry* entry =
      entry_in(*layer, word, name_like, name_like ? fold_for_lookup(word) : std::string());
  return Pronunciation{entry->ipa, "lexicon:" + layer->name(), entry->alias};
}

std::vector<RouteContext> LexiconStack::sentence_context(const std::vector<SentenceWord>& words,
                                                         const Lexicon* top) const {
  const std::size_t builtin_count = kBuiltinLayers.size();
  // A neighbour is a Belarusian name when a built-in layer lists it, or its spelling is strong.
  const auto is_name = [&](std::string_view word) -> std::optional<std::string> {
    const Lexicon* layer = layer_of(word, top);
    for (std::size_t i = 0; i < builtin_count && i < layers_.size(); ++i) {
      if (layer == &layers_[i]) return "lexicon:" + layer->name();
    }
    if (layer == nullptr && router_.strong(word)) return std::string("its spelling");
    return std::nullopt;
  };
  std::vector<RouteContext> contexts(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].bare.empty() || starts_lower(words[i].bare)) continue;
    std::vector<std::string_view> before;
    std::vector<std::string_view> after;
    for (std::size_t back = 1; back <= 2 && back <= i && !words[i - back].break_after; ++back) {
      before.push_back(words[i - back].bare);
    }
    for (std::size_t ahead = 1;
         ahead <= 2 && i + ahead < words.size() && !words[i + ahead - 1].break_after; ++ahead) {
      after.push_back(words[i + ahead].bare);
    }
    contexts[i] = router_.context(before, after, is_name);
  }
  return contexts;
}

std::optional<Pronunciation> LexiconStack::find_or_guess(std::string_view word, bool cyrillic,
                                                         const Lexicon* top,
                                                         const RouteContext& context) const {
  if (std::optional<Pronunciation> found = find(word, top)) return found;
  if (!cyrillic && (starts_lower(word) || !router_.route(word, context).to_guesser)) {
    return std::nullopt;
  }
  std::optional<std::string> ipa = router_.guesser().guess(word, /*force=*/true);
  if (!ipa) return std::nullopt;
  return Pronunciation{std::move(*ipa), "guesser", ""};
}

std::optional<Pronunciation> LexiconStack::lookup(std::string_view word, const Lexicon* top,
                                                  const RouteContext& context) const {
  // Without an article's own entries, a Cyrillic word's answer is worked out once (see
  // CyrillicWords).
  if (top != nullptr || !has_cyrillic(word)) return lookup_once(word, top, context);
  if (std::optional<std::optional<Pronunciation>> known = cyrillic_->answer(word)) return *known;
  std::optional<Pronunciation> answer = lookup_once(word, top, context);
  cyrillic_->remember(word, answer);
  return answer;
}

std::optional<Pronunciation> LexiconStack::lookup_once(std::string_view word, const Lexicon* top,
                                                       const RouteContext& context) const {
  if (word.empty()) return std::nullopt;
  if (std::optional<Pronunciation> found = find(word, top)) return found;
  for (const std::string_view ending : {"'s", "\xE2\x80\x99s"}) {
    if (word.size() <= ending.size() || !word.ends_with(ending)) continue;
    std::optional<Pronunciation> stem =
        lookup(word.substr(0, word.size() - ending.size()), top, context);
    if (stem && stem->ipa.empty()) stem->alias += "'s";
    if (stem && !stem->ipa.empty()) stem->ipa += possessive_ending(stem->ipa, possessive_endings_);
    return stem;
  }
  // "Tsikhanouskaya-Kalesnikava": a double name, part by part; every part must be known.
  if (const std::size_t hyphen = word.find('-');
      hyphen != std::string_view::npos && hyphen > 0 && hyphen + 1 < word.size()) {
    std::optional<Pronunciation> first = lookup(word.substr(0, hyphen), top, context);
    std::optional<Pronunciation> rest =
        first ? lookup(word.substr(hyphen + 1), top, context) : std::nullopt;
    if (!first || !rest || first->ipa.empty() || rest->ipa.empty()) return std::nullopt;
    const std::string source =
        first->source == rest->source ? first->source : first->source + "+" + rest->source;
    return Pronunciation{first->ipa + " " + rest->ipa, source, ""};
  }
  if (has_cyrillic(word)) {
    // BGN/PCGN writes ў as w and я as ya; English-language news mostly writes u and ia. A name
    // spelled the Russian way ("Лукашенко") is found under its Russian romanization.
    const CyrillicWords::Spellings spelled = cyrillic_->spellings(word);
    const std::string& latin = spelled.latin;
    const std::string& russian = spelled.russian;
    for (const std::string& spelling : {latin, press_spelling(latin), russian}) {
      if (std::optional<Pronunciation> found = find(spelling, top)) return found;
    }
    if (std::optional<Pronunciation> guessed =
            find_or_guess(latin, /*cyrillic=*/true, top, context)) {
      return guessed;
    }
    // Never hand Cyrillic to an English voice, which spells it letter by letter.
    return Pronunciation{"", "transliteration", latin};
  }
  return find_or_guess(word, /*cyrillic=*/false, top, context);
}

}  // namespace narrator
