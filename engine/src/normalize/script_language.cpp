#include "script_language.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <map>

#include "narrator/error.hpp"
#include "narrator/lexicon/builtin_data.hpp"
#include "narrator/lexicon/tsv_reader.hpp"

namespace narrator {
namespace {

constexpr std::string_view kTablePath = "scripts/script_languages.tsv";

std::u32string code_points(std::string_view text) {
  std::u32string out;
  std::int32_t at = 0;
  const auto length = static_cast<std::int32_t>(text.size());
  while (at < length) {
    UChar32 c = 0;
    U8_NEXT(text.data(), at, length, c);
    if (c >= 0) out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

}  // namespace

ScriptLanguages::ScriptLanguages() {
  const std::string source = "builtin:" + std::string(kTablePath);
  for (const TsvRow& row : parse_tsv(required_builtin_data(kTablePath), source, TsvShape{2, 3})) {
    const std::string& key = row.fields[0];
    const std::size_t slash = key.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == key.size()) {
      throw Error(ErrorCategory::kInput, source + ":" + std::to_string(row.line) + ": '" + key +
                                             "' must be script/language, such as Cyrl/ru");
    }
    rules_.push_back(Rule{key.substr(0, slash), key.substr(slash + 1), code_points(row.fields[1])});
  }
}

std::optional<ScriptGuess> ScriptLanguages::language_of(std::string_view text) const {
  const std::u32string letters = code_points(text);
  std::map<UScriptCode, std::size_t> counts;
  for (const char32_t c : letters) {
    if (!u_isalpha(static_cast<UChar32>(c))) continue;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &status);
    if (U_SUCCESS(status) && script != USCRIPT_COMMON && script != USCRIPT_INHERITED) {
      ++counts[script];
    }
  }
  UScriptCode top = USCRIPT_INVALID_CODE;
  std::size_t top_count = 0;
  for (const auto& [script, count] : counts) {
    if (count > top_count) {
      top = script;
      top_count = count;
    }
  }
  if (top_count == 0 || top == USCRIPT_LATIN) return std::nullopt;
  const std::string code = uscript_getShortName(top);
  // The rule whose marker letters the text holds most often, else the script's default.
  const Rule* fallback = nullptr;
  const Rule* marked = nullptr;
  std::size_t marked_hits = 0;
  for (const Rule& rule : rules_) {
    if (rule.script != code) continue;
    if (rule.markers.empty()) {
      if (fallback == nullptr) fallback = &rule;
      continue;
    }
    std::size_t hits = 0;
    for (const char32_t c : letters) {
      const auto lower = static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
      if (rule.markers.find(lower) != std::u32string::npos) ++hits;
    }
    if (hits > marked_hits) {
      marked = &rule;
      marked_hits = hits;
    }
  }
  const Rule* chosen = marked != nullptr ? marked : fallback;
  if (chosen == nullptr) return std::nullopt;
  return ScriptGuess{chosen->language, uscript_getName(top)};
}

}  // namespace narrator
