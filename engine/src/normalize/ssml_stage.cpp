#include "ssml_stage.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

#include "narrator/detail/printable.hpp"
#include "normalize/classifier.hpp"
#include "ssml_reader.hpp"
#include "text_scan.hpp"

namespace narrator {
namespace {

constexpr double kMaxRunning = 1e9;  // a bound on nested prosody products, far above any range
constexpr std::size_t kBreakSlackBytes = 2;  // a break right after a sentence's final space

// A place in the text where SSML markup ends a sentence (<s>) or cuts it into voice runs (a
// <break>, the edge of a prosody or language span), and the pause there.
struct Cut {
  std::size_t at = 0;
  std::optional<int> pause_ms;  // nullopt: none added; kSentencePause: the voice's sentence pause
  bool ends_sentence = false;   // the end of an <s>
};

std::vector<Cut> cuts_of(const Article& article) {
  std::vector<Cut> cuts;
  for (const BreakPoint& point : article.breaks) {
    // <s> ends are the break points with the sentence pause (a <break> always has a time).
    cuts.push_back(
        Cut{point.text_byte, point.pause_ms, point.pause_ms == BreakPoint::kSentencePause});
  }
  for (const SpanDirective& directive : article.directives) {
    const bool changes_voice = std::holds_alternative<ProsodyChange>(directive.directive) ||
                               std::holds_alternative<LanguageSwitch>(directive.directive);
    if (!changes_voice) continue;
    cuts.push_back(Cut{directive.span.begin_byte, std::nullopt, false});
    cuts.push_back(Cut{directive.span.end_byte, std::nullopt, false});
  }
  std::stable_sort(cuts.begin(), cuts.end(),
                   [](const Cut& a, const Cut& b) { return a.at < b.at; });
  // One cut per place: a <break>'s own time beats an <s> end's sentence pause, which beats the
  // edge of a prosody span (no pause of its own). An <s> end there still ends the sentence.
  const auto strength = [](const Cut& cut) {
    if (!cut.pause_ms) return 0;
    return *cut.pause_ms == BreakPoint::kSentencePause ? 1 : 2;
  };
  std::vector<Cut> merged;
  for (const Cut& cut : cuts) {
    if (!merged.empty() && merged.back().at == cut.at) {
      const bool ends_sentence = merged.back().ends_sentence || cut.ends_sentence;
      if (strength(cut) > strength(merged.back()) ||
          (strength(cut) == 2 && *cut.pause_ms > *merged.back().pause_ms)) {
        merged.back() = cut;
      }
      merged.back().ends_sentence = ends_sentence;
      continue;
    }
    merged.push_back(cut);
  }
  return merged;
}

// The pause a cut adds where it ends a sentence (nullopt: the voice's sentence pause).
std::optional<int> sentence_pause(const Cut& cut) {
  if (!cut.pause_ms || *cut.pause_ms == BreakPoint::kSentencePause) return std::nullopt;
  return cut.pause_ms;
}

// What a <say-as> of this kind must hold, for the warning when it does not.
std::string say_as_expects(const SayAs& say_as) {
  switch (say_as.kind) {
    case SayAsKind::kCardinal:
      return "a number as written (such as \"-5\", \"1,204\" or \"3.5\")";
    case SayAsKind::kOrdinal:
      return "a whole number, with or without its suffix (such as \"3\" or \"21st\")";
    case SayAsKind::kDate:
      return "a date of digit groups in the format \"" +
             (say_as.format.empty() ? std::string("mdy") : say_as.format) + "\"";
    case SayAsKind::kTelephone:
      return "a telephone number (it has no digits)";
    case SayAsKind::kCharacters:
      break;
  }
  return "text";
}

bool overlaps(SourceSpan a, SourceSpan b) {
  return a.begin_byte < b.end_byte && b.begin_byte < a.end_byte;
}

}  // namespace

std::vector<Sentence> apply_breaks(const Article& article, std::vector<Sentence> sentences) {
  if (article.breaks.empty()) return sentences;
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
        piece.pause_ms = pause_ms;
      }
      out.push_back(piece);
    };
    for (const Cut& cut : cuts) {
      if (cut.ends_sentence && cut.at > sentence.span.begin_byte &&
          cut.at < sentence.span.end_byte) {
        emit(cut.at, sentence_pause(cut), false);
      }
    }
    emit(sentence.span.end_byte, std::nullopt, true);
    // A break right at the sentence's end sets the pause after it.
    for (const Cut& cut : cuts) {
      if (cut.pause_ms && cut.at >= sentence.span.end_byte &&
          cut.at <= sentence.span.end_byte + kBreakSlackBytes && !out.empty()) {
        if (const std::optional<int> pause = sentence_pause(cut)) out.back().pause_ms = *pause;
      }
    }
  }
  return out;
}

std::vector<VoiceRun> voice_runs(const Article& article, const Sentence& sentence) {
  std::vector<VoiceRun> runs;
  std::size_t begin = sentence.span.begin_byte;
  if (!article.breaks.empty() || !article.directives.empty()) {
    for (const Cut& cut : cuts_of(article)) {
      if (cut.at <= begin || cut.at >= sentence.span.end_byte) continue;
      const SourceSpan span = detail::trim_span(article.text, SourceSpan{begin, cut.at});
      const int pause_ms = sentence_pause(cut).value_or(0);
      if (span.empty()) {
        if (!runs.empty()) runs.back().pause_after_ms += pause_ms;
        continue;
      }
      runs.push_back(VoiceRun{span, pause_ms});
      begin = cut.at;
    }
  }
  const SourceSpan rest =
      detail::trim_span(article.text, SourceSpan{begin, sentence.span.end_byte});
  if (!rest.empty() || runs.empty())
    runs.push_back(VoiceRun{rest.empty() ? sentence.span : rest, 0});
  return runs;
}

VoiceOptions voice_for(const Article& article, const Sentence& sentence,
                       const VoiceOptions& voice) {
  // Nested changes multiply; the running value is kept finite (256 levels of a hundredfold would
  // overflow a double) and is clamped to the voice's range before it becomes an integer, so that
  // a huge value is the fastest rate, never an overflow into the slowest.
  const auto scaled = [](double value, double scale) {
    const double product = value * scale;
    return std::isnan(product) ? 0.0 : std::clamp(product, 0.0, kMaxRunning);
  };
  const auto to_range = [](double value, int low, int high) {
    return static_cast<int>(
        std::lround(std::clamp(value, static_cast<double>(low), static_cast<double>(high))));
  };
  VoiceOptions adjusted = voice;
  double rate = voice.rate_wpm;
  double pitch = voice.pitch;
  double volume = voice.volume;
  const std::size_t at = sentence.span.begin_byte;
  for (const SpanDirective& directive : article.directives) {
    if (at < directive.span.begin_byte || at >= directive.span.end_byte) continue;
    if (const auto* prosody = std::get_if<ProsodyChange>(&directive.directive)) {
      rate = scaled(rate, prosody->rate_scale);
      pitch = scaled(pitch, prosody->pitch_scale);
      volume = scaled(volume, prosody->volume_scale);
    }
  }
  adjusted.rate_wpm = to_range(rate, limits::kMinRateWpm, limits::kMaxRateWpm);
  adjusted.pitch = to_range(pitch, 0, limits::kMaxPitch);
  adjusted.volume = to_range(volume, 0, limits::kMaxVolume);
  return adjusted;
}

const SpanDirective* language_span(const Article& article, const Sentence& sentence) {
  const SpanDirective* innermost = nullptr;
  const std::size_t at = sentence.span.begin_byte;
  for (const SpanDirective& directive : article.directives) {
    if (at < directive.span.begin_byte || at >= directive.span.end_byte) continue;
    // Directives are sorted: the innermost comes last.
    if (std::holds_alternative<LanguageSwitch>(directive.directive)) innermost = &directive;
  }
  return innermost;
}

SpanRewriter::SpanRewriter(const Normalizer& normalizer) : normalizer_(normalizer) {}

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
  std::vector<SpokenWord> words;
  if (const auto* as = std::get_if<SayAs>(&directive.directive)) {
    // Read by the main verbalizer, as the class say-as names; text that is not of that class is
    // read as written, which the author should know.
    if (!classify_as(text, *as)) {
      diagnostics.report(Diagnostic{
          Severity::kWarning, "ssml.say_as_mismatch", directive.span,
          article.source_name + ":" + std::to_string(directive.line) + ": <say-as interpret-as=\"" +
              std::string(say_as_kind_name(as->kind)) + "\"> holds \"" + detail::printable(text) +
              "\", which is not " + std::string(say_as_expects(*as)) +
              "; it is read as written; change the text or the interpret-as"});
    }
    words = normalizer_.say_as(text, *as, diagnostics);
  } else {
    // An alias is read like any text (numbers in it, say).
    const std::string& alias = std::get<Substitution>(directive.directive).alias;
    const Sentence alone{SourceSpan{0, alias.size()}, 0, PauseKind::kSentence, std::nullopt};
    words = normalizer_.normalize(alias, alone, diagnostics).words;
  }
  for (SpokenWord& each : words) each.span = directive.span;  // pinned to the span
  return words;
}

}  // namespace narrator
