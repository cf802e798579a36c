// article.hpp: an article as read, split into blocks (headings and paragraphs).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "narrator/diagnostics.hpp"
#include "narrator/source_span.hpp"

namespace narrator {

enum class BlockKind {
  kHeading,    // a headline or subhead: one short line without final punctuation
  kParagraph,  // running text
};

struct Block {
  SourceSpan span;  // into Article::text, trimmed of surrounding whitespace
  BlockKind kind = BlockKind::kParagraph;
};

// An article's own pronunciation, from a line "@pronounce GRAPHEME IPA" anywhere in the text. Such
// lines are not read aloud; their entries sit above every lexicon for this article only.
struct ArticlePronunciation {
  std::string grapheme;
  std::string ipa;       // with ˈ and ˌ, checked against the voice when the narration starts
  std::size_t line = 0;  // 1-based line in the article
};

// What the article says about itself. Empty strings when unknown.
struct ArticleMetadata {
  std::string title;        // the headline
  std::string byline;       // the author(s), without "By"
  std::string publication;  // the outlet: "Northern Ledger", "Reuters"
  std::string date;         // as the page gives it: "September 13, 2025" or "2025-09-13T09:12:00Z"
};

// Input that is not read aloud, and the rule that removed it. Every removal is reported: nothing is
// dropped silently.
struct DroppedText {
  std::size_t line = 0;     // 1-based line in the input as given (for HTML and SSML, the markup)
  std::string rule;         // "listen-prompt", "photo-credit" (page_furniture.tsv), "html:nav", ...
  std::string excerpt;      // the start of the dropped text, for reports
  std::string reason = {};  // the evidence, for HTML: "link density 0.82, name weight 0", "tag"
};

// For HTML and SSML, whose markup is not part of Article::text: where a run of the text came from
// in the input as given. Sorted by text_byte; a text byte comes from the last run at or before it.
struct TextOrigin {
  std::size_t text_byte = 0;   // in Article::text
  std::size_t input_byte = 0;  // in the input bytes
};

// SSML: a change of voice settings over a span. Each scale multiplies the voice's setting (1.0 =
// unchanged); emphasis is expressed as one too.
struct ProsodyChange {
  double rate_scale = 1.0;
  double pitch_scale = 1.0;
  double volume_scale = 1.0;
};

enum class SayAsKind { kCharacters, kCardinal, kOrdinal, kDate, kTelephone };

// SSML <say-as interpret-as="...">: read the span as this kind. `format` is SSML's date format
// ("mdy", "dmy", "ymd", ...), empty when not given.
struct SayAs {
  SayAsKind kind = SayAsKind::kCharacters;
  std::string format;
};

// SSML <sub alias="...">: say `alias` instead of the span.
struct Substitution {
  std::string alias;
};

// SSML <phoneme alphabet="ipa" ph="...">: say the span with this IPA (ˈ ˌ stress marks).
struct PhonemeOverride {
  std::string ipa;
};

// SSML xml:lang / <lang>: the span is in this language (a BCP 47 tag such as "be" or "fr-FR").
struct LanguageSwitch {
  std::string language;
};

struct SpanDirective {
  SourceSpan span;       // in Article::text
  std::size_t line = 0;  // 1-based line of the element in the input, for messages
  std::variant<ProsodyChange, SayAs, Substitution, PhonemeOverride, LanguageSwitch> directive;
};

// SSML <break> and <s> boundaries, with pause_ms of silence at text_byte. The end of an <s>
// (pause_ms kSentencePause, the voice's normal pause after a sentence) ends a sentence there; a
// <break> (pause_ms its time) sets the pause after the sentence it follows, or is a pause inside
// the sentence it stands in (the sentence does not end there).
struct BreakPoint {
  static constexpr int kSentencePause = -1;
  std::size_t text_byte = 0;
  int pause_ms = kSentencePause;
};

// SSML <mark name="...">: a named point in the text, reported with its time in speech marks.
struct MarkPoint {
  std::size_t text_byte = 0;
  std::string name;
};

enum class InputFormat { kText, kHtml, kSsml };

struct Article {
  std::string text;           // the input as read (UTF-8; after --lossy repair, if any); for HTML
                              // and SSML, the text content with blocks separated by blank lines
  std::string source_name;    // the path, or "<stdin>"; used in messages
  std::vector<Block> blocks;  // in reading order; never empty for an article read successfully
  std::vector<ArticlePronunciation> pronunciations;  // from "@pronounce" lines, in order
  InputFormat format = InputFormat::kText;
  ArticleMetadata metadata;
  std::vector<DroppedText> dropped;       // in input order
  std::vector<TextOrigin> origins;        // empty for plain text (text bytes are input bytes)
  std::vector<SpanDirective> directives;  // SSML only; sorted by span.begin_byte
  std::vector<BreakPoint> breaks;         // SSML only; sorted by text_byte
  std::vector<MarkPoint> marks;           // SSML only; sorted by text_byte
  // Where text appended after the input (the intro and disclaimer) starts; npos when none.
  std::size_t generated_from = std::string::npos;
};

// The byte of the input as given that Article::text byte `text_byte` comes from (through
// Article::origins for HTML and SSML); nullopt for generated text (the intro and disclaimer).
std::optional<std::size_t> original_byte_of(const Article& article, std::size_t text_byte) noexcept;

// What named ReadOptions::encoding, as the report of the encoding decision says.
enum class EncodingSource {
  kGiven,        // the caller (`narrate --encoding`)
  kContentType,  // the charset of the HTTP Content-Type a fetched page came with
};

struct ReadOptions {
  // Replace invalid UTF-8 and NUL bytes with U+FFFD (reported as diagnostics) instead of failing.
  bool lossy = false;
  // Read text copied from a page as it is: no page-furniture removal, bylines and timestamps kept.
  bool keep_page_furniture = false;
  std::string language = "en";  // whose page_furniture.tsv applies
  // The input's character encoding: an ICU converter name or alias ("windows-1251", "KOI8-R",
  // "ISO-8859-5", "UTF-16"). Empty: text is UTF-8, and a page's encoding is found from its byte
  // order mark, its <meta> or, failing those, by detection. Given, it is used for text, and for a
  // page unless the page starts with a byte order mark. Either way Article::text and every offset
  // into it (spans, origins, speech marks) are in the input's UTF-8 form. Reading throws
  // Error(kUsage) when ICU knows no such encoding (see is_known_encoding()).
  std::string encoding{};
  EncodingSource encoding_source = EncodingSource::kGiven;  // what named `encoding`
};

// True when ICU has a converter for the encoding `name` (any of its aliases, in any case).
bool is_known_encoding(std::string_view name) noexcept;

// The charset parameter of an HTTP Content-Type value, in lower case ("text/html;
// charset=Windows-1251" gives "windows-1251"), or "" when it names none.
std::string content_type_charset(std::string_view content_type);

// True when `text` has nothing to read: only whitespace (ASCII, and the Unicode spaces pages use:
// U+00A0, U+200B, U+2009, U+202F, U+3000) and byte order marks (U+FEFF). read_article() refuses
// such text as empty.
bool is_blank_text(std::string_view text) noexcept;

// Builds an Article from raw text. Blocks are separated by blank lines; in text whose lines are
// paragraphs (a line longer than a hard-wrapped one), each line is a block. Unless
// options.keep_page_furniture, the page's furniture is removed (see Article::dropped) and bylines
// and timestamps become Article::metadata.
// Throws Error(kInput) with "source:line:column: ..." for invalid UTF-8 or NUL bytes (unless
// options.lossy), and for an article with no text at all.
Article read_article(std::string bytes, std::string source_name, const ReadOptions& options,
                     Diagnostics& diagnostics);

// Reads the file at `path` and calls read_article(). Throws Error(kInput) when the file is missing,
// unreadable or a directory.
Article read_article_file(const std::string& path, const ReadOptions& options,
                          Diagnostics& diagnostics);

// Spoken before and after the article. Templates may use {title}, {publication}, {byline} and
// {date} (said as readable_date() writes it in `language`: "March 5, 2024", never raw ISO); a
// sentence of the template whose placeholder is unknown (empty) is left out.
struct Framing {
  bool intro = false;
  std::string intro_text = "{title}. From {publication}.";
  bool disclaimer = false;
  std::string disclaimer_text =
      "This audio was generated by a computer voice; mispronunciations can occur.";
  std::string language = "en";  // a BCP 47 tag, for {date}
};

// Adds the intro as the first block (a heading, so a longer pause follows) and the disclaimer as
// the last, when asked for. Their text is appended to Article::text after the input, so offsets
// into the input stay valid. An intro with nothing known to say is left out with a warning.
void add_framing(Article& article, const Framing& framing, Diagnostics& diagnostics);

// A byline as pages write it ("By Jane Smith ·", "by Jane Smith |", " — Jane Smith,") without
// the leading "By" and without the separators (· | • — – - , ;) and spaces around it:
// "Jane Smith". A byline made only of those gives "". Readers store bylines cleaned this way.
std::string clean_byline(std::string_view byline);

// ArticleMetadata::date as a reader reads it, formatted by ICU for `language` (a BCP 47 tag such as
// "en" or "en-GB"): "March 5, 2024" or "5 March 2024"; with the time, in the date's own offset,
// when it has one ("March 5, 2024 at 9:00 AM"). Takes ISO 8601 dates ("2024-03-05",
// "2024-03-05T09:00:00Z", "2024-03-05T09:00:00.000+01:00", "2024-03-05 09:00"); any other text,
// or an impossible date, comes back as written.
std::string readable_date(std::string_view date, std::string_view language);

// The format of an input: a path's extension decides (.html .htm .xhtml → HTML, .ssml → SSML,
// .txt .text → text); otherwise (stdin, .xml, no or another extension) the content does: a
// document starting with <speak> is SSML, one starting with <!DOCTYPE html> or <html> is HTML,
// anything else is text.
InputFormat detect_input_format(std::string_view path, std::string_view bytes) noexcept;

// Reads `bytes` as `format`: read_article() for text, else the HTML or SSML reader. HTML and SSML
// readers throw Error(kInput) with line:column for what they cannot read (see their headers).
Article read_input(std::string bytes, std::string source_name, InputFormat format,
                   const ReadOptions& options, Diagnostics& diagnostics);

// Reads the file at `path` (Error(kInput) when it is missing, unreadable or a directory) in
// `format`, or in the detected format when `format` is nullopt.
Article read_input_file(const std::string& path, std::optional<InputFormat> format,
                        const ReadOptions& options, Diagnostics& diagnostics);

// 1-based line and column (in characters) of byte `offset` of `text`, for messages that point
// into an article (Diagnostic spans, for example).
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset) noexcept;

}  // namespace narrator
