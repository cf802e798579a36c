// page_cleaner.cpp: furniture rules (ICU regular expressions from data) applied block by block.
//
// Furniture is short: a block longer than kMaxFurnitureBytes is story text and is never matched,
// which also bounds the regex work on long paragraphs. Rules with a following extent (a video's
// title and description, a list of related headlines, a comment form) take the blocks after them
// while those look the part, and stop at a block another rule claims.
//
// Every rule runs with ICU's match time limit, so a pattern that backtracks catastrophically on
// some block costs a few milliseconds and a warning, never a hang.
#include "page_cleaner.hpp"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"
#include "text_scan.hpp"

namespace narrator {
namespace {

constexpr std::size_t kMaxFurnitureBytes = 800;
constexpr std::size_t kMaxDescriptionWords = 60;  // a video's description under its title
constexpr std::size_t kMaxListItemWords = 16;     // a related headline
constexpr std::size_t kMaxFormLineWords = 25;     // a comment form's labels and notices
constexpr std::size_t kMaxSectionWords = 3;       // "World", "Trends-CA", "Analysis"
constexpr std::size_t kMinHeadlineWords = 4;      // what a section label must sit above

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

// One cleaning of one article: the blocks, what each says, and which are dropped.
class Pass {
 public:
  Pass(const PageCleaner& cleaner, Article& article, Diagnostics& diagnostics,
       const std::function<std::size_t(std::size_t)>& line_of)
      : cleaner_(cleaner), article_(article), diagnostics_(diagnostics), line_of_(line_of) {}
  void run();

 private:
  std::string text_of(const Block& block) const {
    return detail::collapse_spaces(
        std::string_view(article_.text).substr(block.span.begin_byte, block.span.size_bytes()));
  }
  // Block i's match, worked out once: later rules look at the blocks around them again.
  const std::optional<PageCleaner::Match>& match(std::size_t i) {
    if (!matched_[i]) {
      const Block& block = article_.blocks[i];
      const std::string text = text_of(block);
      matched_[i].emplace(
          text.size() > kMaxFurnitureBytes
              ? std::nullopt
              : cleaner_.match(text, diagnostics_, block.span, where(block.span.begin_byte)));
    }
    return *matched_[i];
  }
  std::size_t line_at(std::size_t text_byte) const {
    return line_of_ ? line_of_(text_byte) : position_of(article_.text, text_byte).line;
  }
  // The place of a text byte for a message, "page.txt:12: ", worked out only when asked: the
  // line is counted from the start of the text.
  std::function<std::string()> where(std::size_t text_byte) const {
    return [this, text_byte] {
      return article_.source_name + ":" + std::to_string(line_at(text_byte)) + ": ";
    };
  }
  void split_furniture_lines();
  void apply(std::size_t& i, const PageCleaner::Match& found);
  void drop(std::size_t i, const std::string& rule);
  std::size_t take_following(std::size_t i, const std::string& rule, FurnitureAction action);
  bool is_section_label(std::size_t i);
  // A block that is only the publication's name (the site's banner inside the story's part of
  // the page), when the article has more than it.
  bool is_site_name(std::size_t i) const {
    const std::string& publication = article_.metadata.publication;
    return !publication.empty() && article_.blocks.size() > 1 &&
           detail::ascii_lower(text_of(article_.blocks[i])) ==
               detail::ascii_lower(detail::collapse_spaces(publication));
  }
  std::size_t words(std::size_t i) const {
    return detail::count_words(text_of(article_.blocks[i]));
  }

  const PageCleaner& cleaner_;
  Article& article_;
  Diagnostics& diagnostics_;
  const std::function<std::size_t(std::size_t)>& line_of_;
  std::vector<bool> dropped_;
  std::vector<std::optional<std::optional<PageCleaner::Match>>> matched_;  // per block, once asked
};

void Pass::run() {
  split_furniture_lines();
  dropped_.assign(article_.blocks.size(), false);
  matched_.assign(article_.blocks.size(), std::nullopt);
  for (std::size_t i = 0; i < article_.blocks.size(); ++i) {
    if (dropped_[i]) continue;
    if (is_site_name(i)) {
      drop(i, "site-name");
      continue;
    }
    if (const std::optional<PageCleaner::Match> found = match(i)) apply(i, *found);
  }
  std::vector<Block> kept;
  for (std::size_t i = 0; i < article_.blocks.size(); ++i) {
    if (!dropped_[i]) kept.push_back(article_.blocks[i]);
  }
  article_.blocks = std::move(kept);
  for (const Block& block : article_.blocks) {
    if (block.kind != BlockKind::kHeading || !article_.metadata.title.empty()) continue;
    article_.metadata.title = text_of(block);
  }
}

// A block of several lines where one line alone is furniture ("Listen to this article" right
// above "Estimated 5 minutes"; "Share this" or "Updated 10:42" between the <br>s of an HTML
// paragraph) becomes one block per such line, the other lines kept together, so that a poem's or an
// address's lines stay one block. A block without a furniture line is left as it is.
void Pass::split_furniture_lines() {
  std::vector<Block> blocks;
  // Copied text says a line is a heading by its look; markup has said what its blocks are.
  const bool marked_up = article_.format != InputFormat::kText;
  // A line a rule claims; a few words alone on a line ("Harbour Office", a poem's "Port Ellis")
  // are a section label only above the headline, in the first block.
  const auto is_furniture_line = [&](std::string_view line, bool first_block, SourceSpan span) {
    const std::optional<PageCleaner::Match> found =
        cleaner_.match(line, diagnostics_, span, where(span.begin_byte));
    return found && (first_block || found->rule->action != FurnitureAction::kSection);
  };
  for (const Block& block : article_.blocks) {
    const bool first_block = &block == &article_.blocks.front();
    const std::string_view body =
        std::string_view(article_.text).substr(block.span.begin_byte, block.span.size_bytes());
    if (body.find('\n') == std::string_view::npos) {
      blocks.push_back(block);
      continue;
    }
    const std::size_t first_new = blocks.size();
    bool split = false;
    std::size_t run_begin = block.span.begin_byte;
    std::size_t run_end = run_begin;
    const auto close_run = [&] {
      if (run_end <= run_begin) return;
      const SourceSpan span = detail::trim_span(article_.text, SourceSpan{run_begin, run_end});
      const std::string_view run =
          std::string_view(article_.text).substr(span.begin_byte, span.size_bytes());
      const bool heading =
          marked_up ? block.kind == BlockKind::kHeading : detail::looks_like_heading(run);
      blocks.push_back(Block{span, heading ? BlockKind::kHeading : BlockKind::kParagraph});
    };
    for (std::size_t line_begin = block.span.begin_byte; line_begin < block.span.end_byte;) {
      std::size_t line_end = article_.text.find('\n', line_begin);
      if (line_end == std::string::npos || line_end > block.span.end_byte) {
        line_end = block.span.end_byte;
      }
      const std::string line = detail::collapse_spaces(
          std::string_view(article_.text).substr(line_begin, line_end - line_begin));
      if (line.size() <= kMaxFurnitureBytes &&
          is_furniture_line(line, first_block, SourceSpan{line_begin, line_end})) {
        close_run();  // the lines before it, then the furniture line on its own
        split = true;
        run_begin = line_begin;
        run_end = line_end;
        close_run();
        run_begin = run_end = line_end + 1;
      } else {
        run_end = line_end;
      }
      line_begin = line_end + 1;
    }
    close_run();
    if (!split) {
      blocks.resize(first_new);
      blocks.push_back(block);
    }
  }
  article_.blocks = std::move(blocks);
}

void Pass::apply(std::size_t& i, const PageCleaner::Match& found) {
  const FurnitureRule& rule = *found.rule;
  const auto keep_first = [](std::string& field, const std::string& value) {
    if (field.empty()) field = detail::collapse_spaces(value);
  };
  switch (rule.action) {
    case FurnitureAction::kSection:
      if (!is_section_label(i)) return;
      break;
    case FurnitureAction::kMetadata:
      keep_first(article_.metadata.byline, found.byline);
      keep_first(article_.metadata.publication, found.publication);
      keep_first(article_.metadata.date, found.date);
      break;
    case FurnitureAction::kDrop:
    case FurnitureAction::kVideo:
    case FurnitureAction::kList:
    case FurnitureAction::kForm:
      break;
  }
  drop(i, rule.name);
  i = take_following(i, rule.name, rule.action);
}

void Pass::drop(std::size_t i, const std::string& rule) {
  dropped_[i] = true;
  const Block& block = article_.blocks[i];
  article_.dropped.push_back(
      DroppedText{line_at(block.span.begin_byte), rule, detail::excerpt(text_of(block))});
}

// Drops the blocks after block i that belong to it; returns the index of the last one dropped.
std::size_t Pass::take_following(std::size_t i, const std::string& rule, FurnitureAction action) {
  const auto heading = [&](std::size_t j) {
    return article_.blocks[j].kind == BlockKind::kHeading;
  };
  // Another rule's block ends the extent; a section label only counts above the headline.
  const auto claimed = [&](std::size_t j) {
    const std::optional<PageCleaner::Match> other = match(j);
    return other && other->rule->action != FurnitureAction::kSection;
  };
  std::size_t last = i;
  const std::size_t count = article_.blocks.size();
  if (action == FurnitureAction::kVideo) {
    std::size_t j = i + 1;
    if (j < count && !claimed(j) && heading(j)) {  // the video's title, then its description
      drop(last = j++, rule);
      if (j < count && !claimed(j) && !heading(j) && words(j) <= kMaxDescriptionWords) {
        drop(last = j, rule);
      }
    } else if (j < count && !claimed(j) &&
               !detail::ends_with_full_stop(text_of(article_.blocks[j]))) {
      drop(last = j, rule);  // a description without a title: a caption, not a sentence
    }
  } else if (action == FurnitureAction::kList || action == FurnitureAction::kForm) {
    const std::size_t limit =
        action == FurnitureAction::kList ? kMaxListItemWords : kMaxFormLineWords;
    for (std::size_t j = i + 1; j < count && !claimed(j) && words(j) <= limit; ++j) {
      if (action == FurnitureAction::kList && !heading(j)) break;
      drop(last = j, rule);
    }
  }
  return last;
}

// A kicker or section label: the first block kept, a few words, above a real headline.
bool Pass::is_section_label(std::size_t i) {
  for (std::size_t j = 0; j < i; ++j) {
    if (!dropped_[j]) return false;
  }
  if (words(i) > kMaxSectionWords || article_.blocks[i].kind != BlockKind::kHeading) return false;
  for (std::size_t j = i + 1; j < article_.blocks.size(); ++j) {
    const std::optional<PageCleaner::Match> other = match(j);
    if (other && other->rule->action != FurnitureAction::kSection) continue;  // furniture between
    return article_.blocks[j].kind == BlockKind::kHeading && words(j) >= kMinHeadlineWords;
  }
  return false;
}

}  // namespace

struct PageCleaner::Compiled {
  FurnitureRule rule;
  std::unique_ptr<icu::RegexPattern> pattern;
  // Made once and reset for each block: a matcher per block and rule costs an allocation each,
  // which showed in the time to first audio of long articles. A PageCleaner is used by one thread.
  std::unique_ptr<icu::RegexMatcher> matcher;
};

PageCleaner::PageCleaner(const std::vector<FurnitureRule>& rules, std::int32_t match_steps) {
  for (const FurnitureRule& rule : rules) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError where{};
    std::unique_ptr<icu::RegexPattern> pattern(icu::RegexPattern::compile(
        icu::UnicodeString::fromUTF8(rule.pattern), UREGEX_CASE_INSENSITIVE, where, status));
    if (U_FAILURE(status)) {
      throw Error(ErrorCategory::kInput,
                  rule.source + ":" + std::to_string(rule.line) + ": the pattern of rule '" +
                      rule.name + "' is not a valid regular expression (" + u_errorName(status) +
                      " at offset " + std::to_string(where.offset) + "); fix the pattern");
    }
    std::unique_ptr<icu::RegexMatcher> matcher(pattern->matcher(status));
    if (U_SUCCESS(status)) matcher->setTimeLimit(match_steps, status);
    if (U_FAILURE(status)) {
      throw Error(ErrorCategory::kInternal,
                  std::string("cannot make a regex matcher: ") + u_errorName(status));
    }
    rules_.push_back(Compiled{rule, std::move(pattern), std::move(matcher)});
  }
}

PageCleaner::~PageCleaner() = default;

std::optional<PageCleaner::Match> PageCleaner::match(
    std::string_view text, Diagnostics& diagnostics, SourceSpan span,
    const std::function<std::string()>& where) const {
  if (std::optional<Match> found = match_rules(text, diagnostics, span, where)) return found;
  // A teaser or label set in brackets ("[Related: …]", "(Read more: …)") is what it encloses.
  const bool bracketed = text.size() > 2 && ((text.front() == '[' && text.back() == ']') ||
                                             (text.front() == '(' && text.back() == ')'));
  if (!bracketed) return std::nullopt;
  return match_rules(detail::collapse_spaces(text.substr(1, text.size() - 2)), diagnostics, span,
                     where);
}

std::optional<PageCleaner::Match> PageCleaner::match_rules(
    std::string_view text, Diagnostics& diagnostics, SourceSpan span,
    const std::function<std::string()>& where) const {
  const icu::UnicodeString subject = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  for (const Compiled& compiled : rules_) {
    UErrorCode status = U_ZERO_ERROR;
    icu::RegexMatcher* matcher = compiled.matcher.get();
    matcher->reset(subject);
    const bool matched = matcher->matches(status);
    if (U_FAILURE(status)) {  // U_REGEX_TIME_OUT, U_REGEX_STACK_OVERFLOW: the rule backtracks
      const FurnitureRule& rule = compiled.rule;
      diagnostics.report(Diagnostic{
          Severity::kWarning, "input.furniture_rule_skipped", span,
          (where ? where() : std::string()) + "page-furniture rule '" + rule.name + "' (" +
              rule.source + ":" + std::to_string(rule.line) +
              ") was skipped for this block: its pattern went over " + "the match limit (" +
              u_errorName(status) + "); the block is kept; rewrite the " +
              "pattern so that it cannot backtrack (possessive quantifiers, atomic groups)"});
      continue;
    }
    if (!matched) continue;
    Match found{&compiled.rule, {}, {}, {}};
    const auto named = [&](const char* name) {
      UErrorCode lookup = U_ZERO_ERROR;
      const int32_t number = compiled.pattern->groupNumberFromName(name, -1, lookup);
      if (U_FAILURE(lookup)) return std::string();  // the rule has no such group
      return to_utf8(matcher->group(number, lookup));
    };
    found.byline = named("byline");
    found.publication = named("publication");
    found.date = named("date");
    return found;
  }
  return std::nullopt;
}

void PageCleaner::clean(Article& article, Diagnostics& diagnostics,
                        const std::function<std::size_t(std::size_t)>& line_of) const {
  Pass(*this, article, diagnostics, line_of).run();
  if (article.blocks.empty()) {
    throw Error(ErrorCategory::kInput,
                article.source_name +
                    ": nothing is left to read once the page's furniture is removed (see "
                    "`narrate script --explain`); pass --keep-furniture to read it all");
  }
}

}  // namespace narrator
