#include "ssml_stage.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string_view>

#include "text_scan.hpp"
#include "utf8.hpp"

namespace narrator {
namespace {

constexpr int kMinRateWpm = 80;
constexpr int kMaxRateWpm = 450;
constexpr int kMaxPitch = 100;
constexpr int kMaxVolume = 200;
constexpr std::size_t kBreakSlackBytes = 2;  // a break right after a sentence's final space

// A place where a sentence must end, and the pause after it (nullopt: none added; the break's
// kSentencePause: the voice's sentence pause).
struct Cut {
  std::size_t at = 0;
  std::optional<int> pause_ms;
};

std::vector<Cut> cuts_of(const Article& article) {
  std::vector<Cut> cuts;
  for (const BreakPoint& point : article.breaks) {
    cuts.push_back(Cut{point.text_byte, point.pause_ms});
  }
  for (const SpanDirective& directive : article.directives) {
    const bool changes_voice = std::holds_alternative<ProsodyChange>(directive.directive) ||
                               std::holds_alternative<LanguageSwitch>(directive.directive);
    if (!changes_voice) continue;
    cuts.push_back(Cut{directive.span.begin_byte, std::nullopt});
    cuts.push_back(Cut{directive.span.end_byte, std::nullopt});
  }
  std::stable_sort(cuts.begin(), cuts.end(),
                   [](const Cut& a, const Cut& b) { return a.at < b.at; });
  // One cut per place: a <break>'s own time beats an <s> end's sentence pause, which beats the
  // edge of a prosody span (no pause of its own).
  const auto strength = [](const Cut& cut) {
    if (!cut.pause_ms) return 0;
    return *cut.pause_ms == BreakPoint::kSentencePause ? 1 : 2;
  };
  std::vector<Cut> merged;
  for (const Cut& cut : cuts) {
    if (!merged.empty() && merged.back().at == cut.at) {
      if (strength(cut) > strength(merged.back()) ||
          (strength(cut) == 2 && *cut.pause_ms > *merged.back().pause_ms)) {
        merged.back() = cut;
      }
      continue;
    }
    merged.push_back(cut);
  }
  return merged;
}

bool overlaps(SourceSpan a, SourceSpan b) {
  return a.begin_byte < b.end_byte && b.begin_byte < a.end_byte;
}

std::string month_name(int month) {
  static constexpr std::string_view kMonths[] = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};
  return month >= 1 && month <= 12 ? std::string(kMonths[month - 1]) : std::string();
}

std::vector<std::string> digit_groups(const std::string& text) {
  std::vector<std::string> groups;
  std::string current;
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      current += c;
    } else if (!current.empty()) {
      groups.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) groups.push_back(current);
  return groups;
}

}  // namespace

std::vector<Sentence> apply_breaks(const Article& article, std::vector<Sentence> sentences) {
  if (article.breaks.empty() && article.directives.empty()) return sentences;
  const std::vector<Cut> cuts = cuts_of(article);
  std::vector<Sentence> out;
  for (const Sentence& sentence : sentences) {
    std::size_t begin = sentence.span.begin_byte;
    const auto emit = [&](std::size_t end, std::optional<int> pause_ms, bool last) {
      const SourceSpan span = detail::trim_span(article.text, SourceSpan{begin, end});
      begin = end;
      if (span.empty()) return;
      Sentence piece = sentence;
      piece.span = span;
      if (!last) {
        piece.pause = PauseKind::kSentence;
        piece.pause_ms = pause_ms ? std::optional<int>(*pause_ms) : std::optional<int>(0);
        if (pause_ms == BreakPoint::kSentencePause) piece.pause_ms.reset();
      }
      out.push_back(piece);
    };
    for (const Cut& cut : cuts) {
      if (cut.at > sentence.span.begin_byte && cut.at < sentence.span.end_byte) {
        emit(cut.at, cut.pause_ms, false);
      }
    }
    emit(sentence.span.end_byte, std::nullopt, true);
    // A break right at the sentence's end sets the pause after it.
    for (const Cut& cut : cuts) {
      if (cut.pause_ms && cut.at >= sentence.span.end_byte &&
          cut.at <= sentence.span.end_byte + kBreakSlackBytes && !out.empty()) {
        if (*cut.pause_ms != BreakPoint::kSentencePause) out.back().pause_ms = *cut.pause_ms;
      }
    }
  }
  return out;
}

VoiceOptions voice_for(const Article& article, const Sentence& sentence,
                       const VoiceOptions& voice) {
  VoiceOptions adjusted = voice;
  double rate = voice.rate_wpm;
  double pitch = voice.pitch;
  double volume = voice.volume;
  const std::size_t at = sentence.span.begin_byte;
  for (const SpanDirective& directive : article.directives) {
    if (at < directive.span.begin_byte || at >= directive.span.end_byte) continue;
    if (const auto* prosody = std::get_if<ProsodyChange>(&directive.directive)) {
      rate *= prosody->rate_scale;
      pitch *= prosody->pitch_scale;
      volume *= prosody->volume_scale;
    } else if (const auto* language = std::get_if<LanguageSwitch>(&directive.directive)) {
      adjusted.name = language->language;  // directives are sorted: the innermost comes last
    }
  }
  adjusted.rate_wpm = std::clamp(static_cast<int>(std::lround(rate)), kMinRateWpm, kMaxRateWpm);
  adjusted.pitch = std::clamp(static_cast<int>(std::lround(pitch)), 0, kMaxPitch);
  adjusted.volume = std::clamp(static_cast<int>(std::lround(volume)), 0, kMaxVolume);
  return adjusted;
}

SpanRewriter::SpanRewriter(const Normalizer& normalizer, std::string_view locale)
    : normalizer_(normalizer), speller_(locale) {}

void SpanRewriter::rewrite(const Article& article, const Sentence& sentence, Utterance& utterance,
                           Diagnostics& diagnostics) const {
  for (const SpanDirective& directive : article.directives) {
    const bool rewrites = std::holds_alternative<SayAs>(directive.directive) ||
                          std::holds_alternative<Substitution>(directive.directive) ||
                          std::holds_alternative<PhonemeOverride>(directive.directive);
    if (!rewrites || !overlaps(directive.span, sentence.span)) continue;
    std::vector<SpokenWord>& words = utterance.words;
    const auto first = std::find_if(words.begin(), words.end(), [&](const SpokenWord& word) {
      return overlaps(word.span, directive.span);
    });
    const auto last = std::find_if(first, words.end(), [&](const SpokenWord& word) {
      return !overlaps(word.span, directive.span);
    });
    const std::size_t token = first != words.end() ? first->token_index : 0;
    // Punctuation the last replaced word carried ("2025." before the sentence ends) stays.
    std::string trailing;
    if (last != first) {
      const std::string& text = std::prev(last)->text;
      const std::size_t kept = text.find_last_not_of(",.;:!?");
      if (kept != std::string::npos) trailing = text.substr(kept + 1);
    }
    const auto at = words.erase(first, last);
    std::vector<SpokenWord> replacement = words_for(article, directive, diagnostics);
    for (SpokenWord& word : replacement) word.token_index = token;
    if (!replacement.empty() && !trailing.empty() &&
        replacement.back().text.find_last_not_of(",.;:!?") + 1 == replacement.back().text.size()) {
      replacement.back().text += trailing;
    }
    words.insert(at, replacement.begin(), replacement.end());
  }
}

std::vector<SpokenWord> SpanRewriter::words_for(const Article& article,
                                                const SpanDirective& directive,
                                                Diagnostics& diagnostics) const {
  const std::string text =
      detail::collapse_spaces(std::string_view(article.text)
                                  .substr(directive.span.begin_byte, directive.span.size_bytes()));
  const auto word = [&](std::string spoken) {
    return SpokenWord{std::move(spoken), 0, directive.span, true, false, std::nullopt};
  };
  if (const auto* phoneme = std::get_if<PhonemeOverride>(&directive.directive)) {
    SpokenWord said = word(text);
    said.lexical = true;
    said.pronunciation = Pronunciation{phoneme->ipa, "ssml", ""};
    return {said};
  }
  std::string spoken = text;
  if (const auto* sub = std::get_if<Substitution>(&directive.directive)) spoken = sub->alias;
  if (const auto* as = std::get_if<SayAs>(&directive.directive)) spoken = say_as(text, *as);
  if (spoken.empty()) return {};
  // The replacement is read like any text (numbers in an alias, say), then pinned to the span.
  const Sentence alone{SourceSpan{0, spoken.size()}, 0, PauseKind::kSentence, std::nullopt};
  std::vector<SpokenWord> words = normalizer_.normalize(spoken, alone, diagnostics).words;
  for (SpokenWord& each : words) each.span = directive.span;
  return words;
}

std::string SpanRewriter::say_as(const std::string& text, const SayAs& say_as) const {
  switch (say_as.kind) {
    case SayAsKind::kCharacters: {
      // Letters joined by hyphens, as the voice spells "C-B-C"; digits as words; the rest as is.
      std::string out;
      bool in_letters = false;
      for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = detail::utf8_sequence_length(text, at).value_or(1);
        const std::string one = text.substr(at, length);
        at += length;
        const auto byte = static_cast<unsigned char>(one[0]);
        const bool letter = one.size() == 1 && std::isalpha(byte);
        if (one == " ") {
          in_letters = false;
          continue;
        }
        if (!out.empty()) out += letter && in_letters ? "-" : " ";
        if (letter) {
          out += static_cast<char>(std::toupper(byte));
        } else {
          out += one.size() == 1 && std::isdigit(byte) ? speller_.digits(one) : one;
        }
        in_letters = letter;
      }
      return out;
    }
    case SayAsKind::kCardinal:
    case SayAsKind::kOrdinal: {
      std::string digits;
      for (const std::string& group : digit_groups(text)) digits += group;
      if (digits.empty()) return text;
      return say_as.kind == SayAsKind::kCardinal ? speller_.cardinal(digits)
                                                 : speller_.ordinal(digits);
    }
    case SayAsKind::kDate:
      return say_date(text, say_as.format);
    case SayAsKind::kTelephone: {
      std::string out;
      for (const std::string& group : digit_groups(text)) {
        out += (out.empty() ? "" : ", ") + speller_.digits(group);
      }
      if (out.empty()) return text;
      return text.starts_with('+') ? "plus " + out : out;
    }
  }
  return text;
}

// A numeric date in SSML's format ("mdy", "dmy", "ymd", "md", "dm", "my", "ym", "y"), read as
// "July thirteenth, twenty twenty-one". Unknown shapes are read as written.
std::string SpanRewriter::say_date(const std::string& text, const std::string& format) const {
  const std::vector<std::string> groups = digit_groups(text);
  const std::string order = format.empty() ? "mdy" : format;
  if (groups.size() != order.size()) return text;
  std::string day, month_digits, year;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == 'd') day = groups[i];
    if (order[i] == 'm') month_digits = groups[i];
    if (order[i] == 'y') year = groups[i];
  }
  const std::string month =
      month_digits.empty() || month_digits.size() > 2 ? "" : month_name(std::stoi(month_digits));
  if (!month_digits.empty() && month.empty()) return text;
  std::string out = month;
  if (!day.empty()) out += (out.empty() ? "the " : " ") + speller_.ordinal(day);
  if (!day.empty() && month.empty()) out.clear();
  if (!year.empty()) out += (out.empty() ? "" : ", ") + speller_.year(year);
  return out.empty() ? text : out;
}

}  // namespace narrator
