// ssml_reader.cpp: SSML 1.1 → Article.
//
// libxml2 builds the tree. A few SAX callbacks, each wrapped around libxml2's own, record what the
// tree forgets and refuse what must never be parsed. They stop the parse at the first entity
// declaration and at too deep a nesting, before any entity can expand or any stack can grow.
// The tree is then walked once, in document order, to build the text and its directives.
//
// Input offsets (TextOrigin, and the line:column of messages). libxml2 nodes carry only a line
// number, but during the parse the callbacks can read the parser's position: at a start tag's '>',
// and just after an end tag, comment or processing instruction. So each element's '<' is known,
// and each text node's raw text is the input between the markup before it and the markup after
// it. Within that slice the words of the node appear in order: each word starts at the next input
// byte that is not whitespace (or CDATA markup) and ends at the next whitespace. A TextOrigin is
// added wherever the text stops following the input byte for byte: after a tag, a collapsed run of
// whitespace or a character reference. For UTF-8 input (the SSML norm) every word leads back to
// its first byte; a word spelled with a reference leads to its '&'. A document libxml2 converts
// from another encoding gets positions in the converted text, which are approximate.
#include "ssml_reader.hpp"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "narrator/detail/printable.hpp"
#include "narrator/error.hpp"
#include "text_builder.hpp"
#include "text_scan.hpp"

namespace narrator {
namespace {

constexpr std::string_view kSsmlNamespace = "http://www.w3.org/2001/10/synthesis";
constexpr std::string_view kCdataOpen = "<![CDATA[";
constexpr std::string_view kCdataClose = "]]>";
constexpr std::string_view kDocumentStart =
    "<speak version=\"1.1\" xmlns=\"http://www.w3.org/2001/10/synthesis\">";
// libxml2's own limit without XML_PARSE_HUGE (xmlParserMaxDepth). The callbacks stop the parse at
// this depth themselves so that the message can say what happened; it also bounds the recursion
// of the tree walk below.
constexpr int kMaxNestingDepth = 256;
constexpr double kMillisecondsPerSecond = 1000.0;
constexpr double kMaxPauseMs = 600 * kMillisecondsPerSecond;  // the longest <break>: ten minutes
constexpr double kPercent = 100.0;
constexpr double kSemitonesPerOctave = 12.0;
constexpr double kDecibelsPerTenfold = 20.0;  // amplitude: 20 dB is ten times louder
// The widest change one <prosody> attribute makes: a hundred times the rate, pitch or volume, or a
// hundredth of it, already far past what a voice does (the voice's own limits apply after). A
// value beyond is clamped to it with a warning, so "1e300%" is the fastest rate, not an overflow.
constexpr double kMaxProsodyScale = 100.0;
constexpr double kMinProsodyScale = 1.0 / kMaxProsodyScale;
// No network, no DTD loading, no entity substitution (XML_PARSE_NOENT and XML_PARSE_DTDLOAD are
// deliberately absent). NOERROR/NOWARNING silence libxml2's printing channels; every report goes to
// the structured handler on the context instead.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
                              XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;

#if LIBXML_VERSION >= 21200
using XmlErrorPointer = const xmlError*;
#else
using XmlErrorPointer = xmlError*;
#endif

struct ParserContextFree {
  void operator()(xmlParserCtxt* context) const noexcept { xmlFreeParserCtxt(context); }
};
using ParserContextPtr = std::unique_ptr<xmlParserCtxt, ParserContextFree>;

struct DocumentFree {
  void operator()(xmlDoc* document) const noexcept { xmlFreeDoc(document); }
};
using DocumentPtr = std::unique_ptr<xmlDoc, DocumentFree>;

struct XmlStringFree {
  void operator()(xmlChar* text) const noexcept { xmlFree(text); }
};
using XmlString = std::unique_ptr<xmlChar, XmlStringFree>;

std::string_view view(const xmlChar* text) {
  return text != nullptr ? std::string_view(reinterpret_cast<const char*>(text)) : "";
}

const xmlChar* xml(const char* text) { return reinterpret_cast<const xmlChar*>(text); }

using detail::is_xml_space;

// The text with each run of XML whitespace as one space, trimmed.
std::string collapsed(std::string_view text) { return detail::collapse_spaces(text, is_xml_space); }

std::string located(std::string_view source_name, TextPosition position) {
  return std::string(source_name) + ":" + std::to_string(position.line) + ":" +
         std::to_string(position.column) + ": ";
}

// A problem found while libxml2 was parsing, thrown once it has returned: exceptions must not
// cross libxml2's C frames.
struct Problem {
  TextPosition position;
  std::string message;
};

// ---- Parsing --------------------------------------------------------------------------------

// Input bytes [begin, end): the raw text of one text node, between two pieces of markup.
struct InputSlice {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// What the SAX callbacks learn that the tree does not keep.
struct ParseRecord {
  std::string_view input;
  std::unordered_map<const xmlNode*, std::size_t> element_begin;  // the '<' of the start tag
  std::unordered_map<const xmlNode*, InputSlice> text_slice;
  std::size_t markup_end = 0;          // just after the last tag, comment or PI
  const xmlNode* open_text = nullptr;  // the text node being filled; its slice is not closed yet
  std::size_t open_text_begin = 0;
  std::optional<Problem> refusal;      // an entity declaration, or too deep a nesting
  std::optional<Problem> first_error;  // libxml2's first error; later ones follow from it
  std::vector<Problem> warnings;
};

xmlParserCtxt& parser_of(void* context) noexcept { return *static_cast<xmlParserCtxt*>(context); }

ParseRecord& record_of(void* context) noexcept {
  return *static_cast<ParseRecord*>(parser_of(context)._private);
}

// Input byte of the parser's read position: exact for UTF-8 input; for a document libxml2 has
// converted from another encoding, a position in the converted text, kept within the input.
std::size_t read_position(void* context) noexcept {
  const xmlParserInput& input = *parser_of(context).input;
  const std::size_t here = input.consumed + static_cast<std::size_t>(input.cur - input.base);
  return std::min(here, record_of(context).input.size());
}

// Where `opener` last starts before `here`: the start of the markup the parser has just read.
// Attribute values cannot hold '<', so for tags this is exact.
std::size_t markup_begin(std::string_view input, std::string_view opener, std::size_t here) {
  if (here == 0) return 0;
  const std::size_t at = input.rfind(opener, here - 1);
  return at == std::string_view::npos ? here : at;
}

void close_text(ParseRecord& record, std::size_t markup_begin) noexcept {
  if (record.open_text == nullptr) return;
  record.text_slice[record.open_text] =
      InputSlice{record.open_text_begin, std::max(markup_begin, record.open_text_begin)};
  record.open_text = nullptr;
}

// After a comment, PI or end tag: the parser stands just after it.
void note_markup(void* context, std::string_view opener) noexcept {
  ParseRecord& record = record_of(context);
  const std::size_t here = read_position(context);
  close_text(record, markup_begin(record.input, opener, here));
  record.markup_end = here;
}

void refuse(void* context, std::size_t input_byte, std::string message) noexcept {
  ParseRecord& record = record_of(context);
  if (!record.refusal) {
    record.refusal = Problem{position_of(record.input, input_byte), std::move(message)};
  }
  xmlStopParser(&parser_of(context));
}

// The callbacks run inside libxml2: noexcept, so that running out of memory ends the process
// instead of unwinding through C frames.
void on_start_element(void* context, const xmlChar* local_name, const xmlChar* prefix,
                      const xmlChar* uri, int namespace_count, const xmlChar** namespaces,
                      int attribute_count, int default_count, const xmlChar** attributes) noexcept {
  xmlSAX2StartElementNs(context, local_name, prefix, uri, namespace_count, namespaces,
                        attribute_count, default_count, attributes);
  ParseRecord& record = record_of(context);
  const xmlParserCtxt& parser = parser_of(context);
  const std::size_t here = read_position(context);  // at the start tag's '>' or "/>"
  const std::size_t begin = markup_begin(record.input, "<", here);
  close_text(record, begin);
  record.markup_end = std::min(here + 1, record.input.size());
  if (parser.node != nullptr) record.element_begin[parser.node] = begin;
  if (parser.nameNr >= kMaxNestingDepth) {  // nameNr: the elements open around this one
    refuse(context, begin,
           "elements are nested more than " + std::to_string(kMaxNestingDepth) +
               " deep; SSML nested this deeply cannot be read, flatten the markup");
  }
}

void on_end_element(void* context, const xmlChar* local_name, const xmlChar* prefix,
                    const xmlChar* uri) noexcept {
  note_markup(context, "<");
  xmlSAX2EndElementNs(context, local_name, prefix, uri);
}

void on_comment(void* context, const xmlChar* value) noexcept {
  note_markup(context, "<!--");
  xmlSAX2Comment(context, value);
}

void on_processing_instruction(void* context, const xmlChar* target, const xmlChar* data) noexcept {
  note_markup(context, "<?");
  xmlSAX2ProcessingInstruction(context, target, data);
}

// libxml2 merges consecutive character callbacks (plain runs, character references, CDATA) into
// one text node; a new node starts right where the previous markup ended.
void on_characters(void* context, const xmlChar* characters, int length) noexcept {
  xmlSAX2Characters(context, characters, length);
  ParseRecord& record = record_of(context);
  const xmlNode* parent = parser_of(context).node;
  const xmlNode* text = parent != nullptr ? parent->last : nullptr;
  if (text == nullptr || text->type != XML_TEXT_NODE || text == record.open_text) return;
  close_text(record, record.markup_end);
  record.open_text = text;
  record.open_text_begin = record.markup_end;
}

void refuse_entity(void* context, const xmlChar* name) noexcept {
  const std::size_t here = read_position(context);
  refuse(context, markup_begin(record_of(context).input, "<!ENTITY", here),
         "the DOCTYPE declares the entity '" + std::string(view(name)) +
             "'; entity declarations are refused (an entity can expand without bound or read a "
             "local file); write the text itself and remove the declaration");
}

void on_entity_declaration(void* context, const xmlChar* name, int /*type*/,
                           const xmlChar* /*public_id*/, const xmlChar* /*system_id*/,
                           xmlChar* /*content*/) noexcept {
  refuse_entity(context, name);
}

void on_unparsed_entity_declaration(void* context, const xmlChar* name,
                                    const xmlChar* /*public_id*/, const xmlChar* /*system_id*/,
                                    const xmlChar* /*notation*/) noexcept {
  refuse_entity(context, name);
}

void on_xml_error(void* context, XmlErrorPointer error) noexcept {
  if (error == nullptr || context == nullptr) return;
  ParseRecord& record = record_of(context);
  std::string message = error->message != nullptr ? error->message : "not well-formed XML";
  while (!message.empty() && is_xml_space(message.back())) message.pop_back();
  Problem problem{TextPosition{static_cast<std::size_t>(std::max(error->line, 1)),
                               static_cast<std::size_t>(std::max(error->int2, 1))},
                  std::move(message)};
  if (error->level == XML_ERR_WARNING) {
    record.warnings.push_back(std::move(problem));
  } else if (!record.first_error) {
    record.first_error = std::move(problem);
  }
}

void install_callbacks(xmlParserCtxt& parser, ParseRecord& record) {
  parser._private = &record;  // userData stays the context itself: libxml2's SAX2 needs it
  xmlSAXHandler& sax = *parser.sax;
  sax.serror = on_xml_error;
  sax.startElementNs = on_start_element;
  sax.endElementNs = on_end_element;
  sax.characters = on_characters;
  sax.ignorableWhitespace = on_characters;
  sax.comment = on_comment;
  sax.processingInstruction = on_processing_instruction;
  sax.entityDecl = on_entity_declaration;
  sax.unparsedEntityDecl = on_unparsed_entity_declaration;
}

DocumentPtr parse(std::string_view bytes, const std::string& source_name, ParseRecord& record) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw Error(ErrorCategory::kInput,
                source_name + ": the SSML is larger than 2 GiB; split it into several documents");
  }
  const ParserContextPtr parser(xmlNewParserCtxt());
  if (!parser) {
    throw Error(ErrorCategory::kInternal,
                "libxml2 could not create a parser context; the system may be out of memory");
  }
  install_callbacks(*parser, record);
  DocumentPtr document(xmlCtxtReadMemory(parser.get(), bytes.data(), static_cast<int>(bytes.size()),
                                         source_name.c_str(), nullptr, kParseOptions));
  if (record.refusal) {
    throw Error(ErrorCategory::kInput,
                located(source_name, record.refusal->position) + record.refusal->message);
  }
  if (record.first_error || !document) {
    const xmlError& last = parser->lastError;  // only when the handler saw nothing
    const Problem problem = record.first_error.value_or(Problem{
        TextPosition{static_cast<std::size_t>(std::max(last.line, 1)),
                     static_cast<std::size_t>(std::max(last.int2, 1))},
        last.message != nullptr ? collapsed(last.message) : "the document is not well-formed XML"});
    throw Error(ErrorCategory::kInput,
                located(source_name, problem.position) + problem.message + "; fix the SSML");
  }
  return document;
}

// ---- Attribute values -------------------------------------------------------------------------

template <typename Value>
struct Named {
  std::string_view name;
  Value value;
};

template <typename Table>
auto find_named(const Table& table, std::string_view name)
    -> std::optional<std::remove_cvref_t<decltype(table[0].value)>> {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

// "a, b or c": the names of a table, for messages.
template <typename Table>
std::string alternatives(const Table& table) {
  std::string out;
  for (std::size_t i = 0; i < std::size(table); ++i) {
    if (i > 0) out += i + 1 == std::size(table) ? " or " : ", ";
    out += table[i].name;
  }
  return out;
}

enum class ElementKind {
  kSpeak,
  kParagraph,
  kSentence,
  kBreak,
  kProsody,
  kEmphasis,
  kSayAs,
  kSub,
  kPhoneme,
  kLang,
  kMark,
  kVoice,
  kAudio,
  kToken,
  kDesc,
  kMeta,
  kMetadata,
  kLexicon,
  kUnknown,
};

constexpr std::array<Named<ElementKind>, 19> kElementKinds{{
    {"speak", ElementKind::kSpeak},     {"p", ElementKind::kParagraph},
    {"s", ElementKind::kSentence},      {"break", ElementKind::kBreak},
    {"prosody", ElementKind::kProsody}, {"emphasis", ElementKind::kEmphasis},
    {"say-as", ElementKind::kSayAs},    {"sub", ElementKind::kSub},
    {"phoneme", ElementKind::kPhoneme}, {"lang", ElementKind::kLang},
    {"mark", ElementKind::kMark},       {"voice", ElementKind::kVoice},
    {"audio", ElementKind::kAudio},     {"token", ElementKind::kToken},
    {"w", ElementKind::kToken},         {"desc", ElementKind::kDesc},
    {"meta", ElementKind::kMeta},       {"metadata", ElementKind::kMetadata},
    {"lexicon", ElementKind::kLexicon},
}};

constexpr std::array<Named<int>, 6> kBreakStrengthMs{{
    {"none", 0},
    {"x-weak", 100},
    {"weak", 250},
    {"medium", 400},
    {"strong", 750},
    {"x-strong", 1200},
}};
constexpr int kDefaultBreakMs = 400;  // a <break> with neither time nor strength: medium

constexpr std::array<Named<ProsodyChange>, 4> kEmphasisLevels{{
    {"strong", {0.9, 1.1, 1.2}},
    {"moderate", {0.95, 1.05, 1.1}},
    {"reduced", {1.05, 0.95, 0.85}},
    {"none", {1.0, 1.0, 1.0}},
}};
constexpr std::string_view kDefaultEmphasis = "moderate";

constexpr std::array<Named<SayAsKind>, 7> kSayAsKinds{{
    {"characters", SayAsKind::kCharacters},
    {"spell-out", SayAsKind::kCharacters},
    {"cardinal", SayAsKind::kCardinal},
    {"number", SayAsKind::kCardinal},
    {"ordinal", SayAsKind::kOrdinal},
    {"date", SayAsKind::kDate},
    {"telephone", SayAsKind::kTelephone},
}};

constexpr std::array<Named<double>, 6> kRateLabels{{
    {"x-slow", 0.5},
    {"slow", 0.75},
    {"medium", 1.0},
    {"fast", 1.25},
    {"x-fast", 1.5},
    {"default", 1.0},
}};
constexpr std::array<Named<double>, 6> kPitchLabels{{
    {"x-low", 0.7},
    {"low", 0.85},
    {"medium", 1.0},
    {"high", 1.15},
    {"x-high", 1.3},
    {"default", 1.0},
}};
constexpr std::array<Named<double>, 7> kVolumeLabels{{
    {"silent", 0.0},
    {"x-soft", 0.4},
    {"soft", 0.7},
    {"medium", 1.0},
    {"loud", 1.3},
    {"x-loud", 1.6},
    {"default", 1.0},
}};

// The forms one <prosody> attribute accepts.
struct ScaleGrammar {
  const char* attribute;
  std::span<const Named<double>> labels;
  bool plain_percent = false;   // "80%": the scale itself
  bool signed_percent = false;  // "+10%", "-5%": a change
  bool semitones = false;       // "+2st"
  bool decibels = false;        // "+6dB"
  bool hertz = false;           // "200Hz", "+20Hz": valid SSML, but needs the voice's base pitch
  std::string_view forms;       // for messages
};

constexpr ScaleGrammar kRateGrammar{
    .attribute = "rate",
    .labels = kRateLabels,
    .plain_percent = true,
    .signed_percent = true,
    .forms =
        "x-slow, slow, medium, fast, x-fast, default, a percentage such as \"80%\" or a "
        "change such as \"+10%\""};
constexpr ScaleGrammar kPitchGrammar{
    .attribute = "pitch",
    .labels = kPitchLabels,
    .signed_percent = true,
    .semitones = true,
    .hertz = true,
    .forms =
        "x-low, low, medium, high, x-high, default, or a change such as \"+10%\", \"-5%\" "
        "or \"+2st\""};
constexpr ScaleGrammar kVolumeGrammar{
    .attribute = "volume",
    .labels = kVolumeLabels,
    .decibels = true,
    .forms =
        "silent, x-soft, soft, medium, loud, x-loud, default, or a change in decibels such "
        "as \"+6dB\" or \"-3dB\""};

// "+10%", "1.5s", "-3dB": a number, with its sign, and the unit after it.
struct Measure {
  double number = 0.0;
  bool has_sign = false;
  std::string_view unit;
};

std::optional<Measure> parse_measure(std::string_view text) {
  Measure measure;
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    measure.has_sign = true;
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() ||
      !(std::isdigit(static_cast<unsigned char>(text.front())) || text.front() == '.')) {
    return std::nullopt;
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || !std::isfinite(value)) return std::nullopt;
  measure.number = negative ? -value : value;
  measure.unit = text.substr(static_cast<std::size_t>(end - text.data()));
  return measure;
}

// "500ms", "1.5s": SSML's time designation, in milliseconds.
std::optional<double> duration_ms(std::string_view text) {
  const std::optional<Measure> measure = parse_measure(text);
  if (!measure || measure->has_sign) return std::nullopt;
  if (measure->unit == "ms") return measure->number;
  if (measure->unit == "s") return measure->number * kMillisecondsPerSecond;
  return std::nullopt;
}

std::optional<double> scale_of(const Measure& measure, const ScaleGrammar& grammar) {
  if (measure.unit == "%" && measure.has_sign && grammar.signed_percent) {
    return 1.0 + measure.number / kPercent;
  }
  if (measure.unit == "%" && !measure.has_sign && grammar.plain_percent) {
    return measure.number / kPercent;
  }
  if (measure.unit == "st" && measure.has_sign && grammar.semitones) {
    return std::exp2(measure.number / kSemitonesPerOctave);
  }
  if (measure.unit == "dB" && measure.has_sign && grammar.decibels) {
    return std::pow(10.0, measure.number / kDecibelsPerTenfold);
  }
  return std::nullopt;
}

std::optional<std::string> attribute(const xmlNode* node, const char* name) {
  const XmlString value(xmlGetNoNsProp(node, xml(name)));
  if (!value) return std::nullopt;
  return collapsed(view(value.get()));
}

std::string display_name(const xmlNode* node) {
  std::string name(view(node->name));
  if (node->ns != nullptr && node->ns->prefix != nullptr) {
    name = std::string(view(node->ns->prefix)) + ":" + name;
  }
  return name;
}

ElementKind element_kind(const xmlNode* node) {
  if (node->ns != nullptr && view(node->ns->href) != kSsmlNamespace) return ElementKind::kUnknown;
  return find_named(kElementKinds, view(node->name)).value_or(ElementKind::kUnknown);
}

bool is_unread(ElementKind kind) {
  return kind == ElementKind::kDesc || kind == ElementKind::kMeta ||
         kind == ElementKind::kMetadata || kind == ElementKind::kLexicon;
}

// ---- Text ---------------------------------------------------------------------------------------

// Line and column of input bytes, counted on from the previous answer, so that asking in
// document order costs one pass over the input.
class InputPositions {
 public:
  explicit InputPositions(std::string_view input) : input_(input) {}

  TextPosition at(std::size_t offset) {
    offset = std::min(offset, input_.size());
    if (offset < offset_) {
      offset_ = 0;
      position_ = TextPosition{};
    }
    const TextPosition step = position_of(input_.substr(offset_), offset - offset_);
    if (step.line > 1) {
      position_.line += step.line - 1;
      position_.column = step.column;
    } else {
      position_.column += step.column - 1;
    }
    offset_ = offset;
    return position_;
  }

 private:
  std::string_view input_;
  std::size_t offset_ = 0;
  TextPosition position_;
};

// Article::text from text nodes (see detail::TextBuilder), with the origins that lead each word
// back to the input, and what SSML adds: spans of elements and marks, anchored at the first word
// that follows their start, so that they never begin with a space.
class SsmlText {
 public:
  explicit SsmlText(std::string_view input) : input_(input) {}

  // Appends a text node's content. `slice`, when known, is its raw text in the input.
  void append(std::string_view content, std::optional<InputSlice> slice);
  // A word boundary, as whitespace would be: the next word is not glued to the previous one.
  void soft_break() { builder_.add_space(); }
  // Ends the current block, if it has any text; the next word starts a new one.
  void end_block() {
    settle_marks();
    builder_.end_block();
  }
  // Spans nest: each close_span() ends the innermost open one. nullopt when it got no text.
  void open_span();
  std::optional<SourceSpan> close_span();
  // A mark waits for the next word and sits at its start; but when a pause comes first (a break,
  // the end of a sentence or of a block), it sits where the text before it ends, before the pause.
  void add_mark(std::string name) { pending_marks_.push_back(std::move(name)); }
  void settle_marks() { place_marks(builder_.size()); }
  std::size_t size() const { return builder_.size(); }
  // Ends the last block and moves the text, blocks, origins and marks into `article`.
  void finish(Article& article);

 private:
  struct WordPlace {
    std::size_t begin = 0;  // where the word starts in the input
    std::size_t next = 0;   // where to look for the next word
  };
  WordPlace locate(std::size_t cursor, std::size_t end) const;
  void place_marks(std::size_t text_byte);

  std::string_view input_;
  detail::TextBuilder builder_{detail::kXmlWhitespace};
  std::vector<MarkPoint> marks_;
  std::vector<std::string> pending_marks_;  // to be placed at the next word
  std::vector<std::size_t> span_begins_;    // open spans, innermost last
  std::size_t unanchored_ = 0;              // how many innermost spans still wait for a word
};

void SsmlText::append(std::string_view content, std::optional<InputSlice> slice) {
  std::vector<detail::TextAnchor> anchors;  // each word's first byte in the input
  if (slice) {
    std::size_t cursor = slice->begin;
    for (std::size_t at = 0; at < content.size();) {
      if (is_xml_space(content[at])) {
        ++at;
        continue;
      }
      const WordPlace place = locate(cursor, slice->end);
      anchors.push_back(detail::TextAnchor{at, place.begin});
      cursor = place.next;
      while (at < content.size() && !is_xml_space(content[at])) ++at;
    }
  }
  const std::optional<detail::FirstWord> first = builder_.add_text(content, std::nullopt, anchors);
  if (!first) return;
  for (; unanchored_ > 0; --unanchored_) {
    span_begins_[span_begins_.size() - unanchored_] = first->text_byte;
  }
  place_marks(first->text_byte);
}

// Words come in input order, and whitespace in the content is whitespace in the input, so a word
// starts at the next input byte that is neither whitespace nor CDATA markup, and ends at the next
// input whitespace. A word spelled with a character reference starts at its '&'. (Whitespace
// written as a reference, "&#32;", breaks the rule: later words of that node lead a little off.)
SsmlText::WordPlace SsmlText::locate(std::size_t cursor, std::size_t end) const {
  end = std::min(end, input_.size());
  std::size_t begin = std::min(cursor, end);
  while (begin < end) {
    const std::string_view rest = input_.substr(begin, end - begin);
    if (is_xml_space(rest.front())) {
      ++begin;
    } else if (rest.starts_with(kCdataOpen)) {
      begin += kCdataOpen.size();
    } else if (rest.starts_with(kCdataClose)) {
      begin += kCdataClose.size();
    } else {
      break;
    }
  }
  std::size_t next = begin;
  while (next < end && !is_xml_space(input_[next])) ++next;
  return WordPlace{begin, next};
}

void SsmlText::place_marks(std::size_t text_byte) {
  for (std::string& name : pending_marks_) marks_.push_back(MarkPoint{text_byte, std::move(name)});
  pending_marks_.clear();
}

void SsmlText::open_span() {
  span_begins_.push_back(builder_.size());
  ++unanchored_;
}

std::optional<SourceSpan> SsmlText::close_span() {
  const std::size_t begin = span_begins_.back();
  span_begins_.pop_back();
  if (unanchored_ > 0) {  // the innermost span is among those still waiting: it got no text
    --unanchored_;
    return std::nullopt;
  }
  return SourceSpan{begin, builder_.size()};
}

void SsmlText::finish(Article& article) {
  end_block();
  builder_.finish(article);
  article.marks = std::move(marks_);
}

// ---- The walk ---------------------------------------------------------------------------------

using DirectiveValue = decltype(SpanDirective::directive);

// One element being read: where it starts, and what it says about its span once that is known.
struct ElementFrame {
  const xmlNode* node = nullptr;
  ElementKind kind = ElementKind::kUnknown;
  TextPosition at;
  std::vector<DirectiveValue> directives;
  std::vector<Diagnostic> warnings;  // spans filled in when the element closes
};

// A directive with the document order of its element, so that among directives starting at the
// same byte the outer element comes first.
struct OrderedDirective {
  std::size_t order = 0;
  SpanDirective directive;
};

class SsmlWalker {
 public:
  SsmlWalker(const ParseRecord& record, const std::string& source_name, Diagnostics& diagnostics)
      : record_(record),
        source_name_(source_name),
        diagnostics_(diagnostics),
        positions_(record.input),
        text_(record.input) {}

  // Reads the children of the root <speak>, whose own xml:lang is not a language switch.
  void read(const xmlNode* speak) { visit_children(speak, 1); }
  void finish(Article& article);

 private:
  void visit_children(const xmlNode* node, int depth);
  void visit_element(const xmlNode* node, int depth);
  void open(ElementFrame& frame);
  void close(ElementFrame& frame, std::optional<SourceSpan> span, std::size_t order);
  void add_language(ElementFrame& frame) const;
  void add_break(const ElementFrame& frame);
  std::optional<ProsodyChange> prosody(ElementFrame& frame);
  std::optional<double> prosody_scale(ElementFrame& frame, const ScaleGrammar& grammar);
  ProsodyChange emphasis(const ElementFrame& frame) const;
  std::optional<SayAs> say_as(ElementFrame& frame);
  PhonemeOverride phoneme(const ElementFrame& frame) const;
  std::string required(const ElementFrame& frame, const char* name, const std::string& why) const;
  void drop(const ElementFrame& frame);
  void warn_once(ElementFrame& frame, const std::string& key, const char* code,
                 const std::string& message);
  TextPosition where(const xmlNode* node);
  [[noreturn]] void fail(TextPosition at, const std::string& message) const {
    throw Error(ErrorCategory::kInput, located(source_name_, at) + message);
  }

  const ParseRecord& record_;
  const std::string& source_name_;
  Diagnostics& diagnostics_;
  InputPositions positions_;
  SsmlText text_;
  std::vector<OrderedDirective> directives_;
  std::vector<BreakPoint> breaks_;
  std::vector<DroppedText> dropped_;
  std::set<std::string> warned_;  // keys of the warnings already given once
  std::size_t next_order_ = 0;
};

TextPosition SsmlWalker::where(const xmlNode* node) {
  const auto found = record_.element_begin.find(node);
  if (found != record_.element_begin.end()) return positions_.at(found->second);
  return TextPosition{static_cast<std::size_t>(std::max(xmlGetLineNo(node), 1L)), 1};
}

void SsmlWalker::visit_children(const xmlNode* node, int depth) {
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      visit_element(child, depth + 1);
    } else if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      const auto slice = record_.text_slice.find(child);
      text_.append(view(child->content),
                   slice != record_.text_slice.end() ? std::optional(slice->second) : std::nullopt);
    } else if (child->type == XML_ENTITY_REF_NODE) {
      fail(where(node), "the entity reference &" + std::string(view(child->name)) +
                            "; cannot be read: entities are refused; write the text itself");
    }  // comments and processing instructions are not text
  }
}

// Recursive, but never deeper than kMaxNestingDepth: the parse refuses deeper documents.
void SsmlWalker::visit_element(const xmlNode* node, int depth) {
  if (depth > kMaxNestingDepth) {
    throw Error(ErrorCategory::kInternal, source_name_ + ": the SSML tree is deeper than the " +
                                              "parser allows; this is a bug in Narrator");
  }
  ElementFrame frame{node, element_kind(node), where(node), {}, {}};
  if (is_unread(frame.kind)) {
    drop(frame);
    return;
  }
  const std::size_t order = next_order_++;
  open(frame);
  text_.open_span();
  visit_children(node, depth);
  close(frame, text_.close_span(), order);
}

void SsmlWalker::open(ElementFrame& frame) {
  add_language(frame);
  const std::string name = display_name(frame.node);
  switch (frame.kind) {
    case ElementKind::kParagraph:
      text_.end_block();
      break;
    case ElementKind::kSentence:
      text_.soft_break();
      break;
    case ElementKind::kBreak:
      add_break(frame);
      break;
    case ElementKind::kMark:
      text_.add_mark(required(frame, "name", "<mark> needs a name attribute"));
      break;
    case ElementKind::kProsody:
      if (std::optional<ProsodyChange> change = prosody(frame)) frame.directives.push_back(*change);
      break;
    case ElementKind::kEmphasis:
      frame.directives.push_back(emphasis(frame));
      break;
    case ElementKind::kSayAs:
      if (std::optional<SayAs> kind = say_as(frame)) frame.directives.push_back(*kind);
      break;
    case ElementKind::kSub:
      frame.directives.push_back(Substitution{
          required(frame, "alias", "<sub> needs an alias attribute: the text to say instead")});
      break;
    case ElementKind::kPhoneme:
      frame.directives.push_back(phoneme(frame));
      break;
    case ElementKind::kVoice:
      warn_once(frame, name, "ssml.unsupported",
                "<voice> does not change the voice; its text is read with the narration's voice");
      break;
    case ElementKind::kAudio:
      warn_once(frame, name, "ssml.unsupported",
                "<audio> is not played; its fallback text is read instead");
      break;
    case ElementKind::kUnknown:
      warn_once(frame, name, "ssml.unknown_element",
                "<" + name + "> is not an SSML element; its text is read as it is");
      break;
    default:
      break;
  }
}

void SsmlWalker::close(ElementFrame& frame, std::optional<SourceSpan> span, std::size_t order) {
  if (frame.kind == ElementKind::kParagraph) text_.end_block();
  if (frame.kind == ElementKind::kSentence) {
    text_.settle_marks();
    if (span) breaks_.push_back(BreakPoint{span->end_byte, BreakPoint::kSentencePause});
    text_.soft_break();
  }
  for (Diagnostic& warning : frame.warnings) {
    warning.span = span.value_or(SourceSpan{text_.size(), text_.size()});
    diagnostics_.report(std::move(warning));
  }
  if (!span) return;  // a directive over no text has nothing to act on
  for (DirectiveValue& value : frame.directives) {
    directives_.push_back(OrderedDirective{order, SpanDirective{*span, frame.at.line, value}});
  }
}

void SsmlWalker::add_language(ElementFrame& frame) const {
  const XmlString language(xmlGetNsProp(frame.node, xml("lang"), XML_XML_NAMESPACE));
  if (!language) {
    if (frame.kind == ElementKind::kLang) {
      fail(frame.at, "<lang> needs an xml:lang attribute, such as xml:lang=\"fr\"");
    }
    return;
  }
  const std::string tag = collapsed(view(language.get()));
  if (!tag.empty()) frame.directives.push_back(LanguageSwitch{tag});
}

void SsmlWalker::add_break(const ElementFrame& frame) {
  int pause_ms = kDefaultBreakMs;
  if (const std::optional<std::string> strength = attribute(frame.node, "strength")) {
    const std::optional<int> ms = find_named(kBreakStrengthMs, *strength);
    if (!ms) {
      fail(frame.at, "<break strength=\"" + *strength + "\">: strength must be " +
                         alternatives(kBreakStrengthMs));
    }
    pause_ms = *ms;
  }
  if (const std::optional<std::string> time = attribute(frame.node, "time")) {  // time wins
    const std::optional<double> ms = duration_ms(*time);
    if (!ms || *ms > kMaxPauseMs) {
      fail(frame.at, "<break time=\"" + *time +
                         "\">: time must be a duration such as \"500ms\" or \"1.5s\", at most " +
                         std::to_string(static_cast<int>(kMaxPauseMs / kMillisecondsPerSecond)) +
                         "s");
    }
    pause_ms = static_cast<int>(std::lround(*ms));
  }
  text_.soft_break();
  text_.settle_marks();
  breaks_.push_back(BreakPoint{text_.size(), pause_ms});
}

std::optional<ProsodyChange> SsmlWalker::prosody(ElementFrame& frame) {
  for (const char* ignored : {"range", "contour", "duration"}) {
    if (attribute(frame.node, ignored)) {
      warn_once(frame, std::string("prosody ") + ignored, "ssml.unsupported",
                std::string("<prosody ") + ignored + "> is not supported; it is ignored");
    }
  }
  const std::optional<double> rate = prosody_scale(frame, kRateGrammar);
  const std::optional<double> pitch = prosody_scale(frame, kPitchGrammar);
  const std::optional<double> volume = prosody_scale(frame, kVolumeGrammar);
  if (!rate && !pitch && !volume) return std::nullopt;
  return ProsodyChange{rate.value_or(1.0), pitch.value_or(1.0), volume.value_or(1.0)};
}

std::optional<double> SsmlWalker::prosody_scale(ElementFrame& frame, const ScaleGrammar& grammar) {
  const std::optional<std::string> value = attribute(frame.node, grammar.attribute);
  if (!value) return std::nullopt;
  if (const std::optional<double> label = find_named(grammar.labels, *value)) return label;
  const std::string shown = "<prosody " + std::string(grammar.attribute) + "=\"" + *value + "\">";
  const std::optional<Measure> measure = parse_measure(*value);
  if (measure && grammar.hertz && measure->unit == "Hz") {
    warn_once(frame, "prosody pitch Hz", "ssml.unsupported",
              shown + ": a pitch in Hz needs the voice's base pitch; the pitch is left unchanged");
    return std::nullopt;
  }
  const std::optional<double> scale = measure ? scale_of(*measure, grammar) : std::nullopt;
  if (!scale) {
    fail(frame.at, shown + ": " + grammar.attribute + " must be " + std::string(grammar.forms));
  }
  if (*scale <= 0.0) {
    fail(frame.at,
         shown + ": this leaves no " + grammar.attribute + " at all; use a smaller change");
  }
  if (*scale > kMaxProsodyScale || *scale < kMinProsodyScale) {
    const bool more = *scale > kMaxProsodyScale;
    warn_once(frame, shown, "ssml.prosody_clamped",
              shown + ": " + (more ? "more than a hundred times" : "less than a hundredth of") +
                  " the voice's " + grammar.attribute + "; the " + (more ? "highest" : "lowest") +
                  " " + grammar.attribute + " the voice allows is used");
    return std::clamp(*scale, kMinProsodyScale, kMaxProsodyScale);
  }
  return scale;
}

ProsodyChange SsmlWalker::emphasis(const ElementFrame& frame) const {
  const std::string level = attribute(frame.node, "level").value_or(std::string(kDefaultEmphasis));
  const std::optional<ProsodyChange> change = find_named(kEmphasisLevels, level);
  if (!change) {
    fail(frame.at,
         "<emphasis level=\"" + level + "\">: level must be " + alternatives(kEmphasisLevels));
  }
  return *change;
}

std::optional<SayAs> SsmlWalker::say_as(ElementFrame& frame) {
  const std::string interpret_as =
      required(frame, "interpret-as",
               "<say-as> needs an interpret-as attribute: " + alternatives(kSayAsKinds));
  const std::optional<SayAsKind> kind = find_named(kSayAsKinds, interpret_as);
  if (!kind) {
    const std::string shown = "<say-as interpret-as=\"" + interpret_as + "\">";
    warn_once(frame, shown, "ssml.unsupported",
              shown + " is not supported (only " + alternatives(kSayAsKinds) +
                  "); the text is read as it is");
    return std::nullopt;
  }
  return SayAs{*kind, attribute(frame.node, "format").value_or("")};
}

PhonemeOverride SsmlWalker::phoneme(const ElementFrame& frame) const {
  const std::string alphabet = attribute(frame.node, "alphabet").value_or("ipa");
  if (alphabet != "ipa" && alphabet != "IPA") {
    fail(frame.at, "<phoneme alphabet=\"" + alphabet +
                       "\">: only alphabet=\"ipa\" is supported; write the pronunciation in IPA");
  }
  std::string ipa =
      required(frame, "ph", "<phoneme> needs a ph attribute with the pronunciation in IPA");
  if (detail::has_control_character(ipa)) {
    fail(frame.at, "<phoneme ph=\"" + detail::printable(ipa) +
                       "\">: the IPA holds a control character; remove it");
  }
  return PhonemeOverride{std::move(ipa)};
}

std::string SsmlWalker::required(const ElementFrame& frame, const char* name,
                                 const std::string& why) const {
  std::optional<std::string> value = attribute(frame.node, name);
  if (!value || value->empty()) fail(frame.at, why);
  return std::move(*value);
}

void SsmlWalker::drop(const ElementFrame& frame) {
  if (frame.kind == ElementKind::kLexicon) {
    const std::string uri = attribute(frame.node, "uri").value_or("");
    diagnostics_.report(Diagnostic{Severity::kWarning, "ssml.unsupported",
                                   SourceSpan{text_.size(), text_.size()},
                                   located(source_name_, frame.at) + "<lexicon uri=\"" + uri +
                                       "\"> is not loaded; pass the file with --lexicon"});
  }
  const XmlString content(xmlNodeGetContent(frame.node));
  const std::string text = collapsed(view(content.get()));
  if (text.empty()) return;
  dropped_.push_back(DroppedText{frame.at.line, "ssml:" + std::string(view(frame.node->name)),
                                 detail::excerpt(text)});
}

void SsmlWalker::warn_once(ElementFrame& frame, const std::string& key, const char* code,
                           const std::string& message) {
  if (!warned_.insert(key).second) return;
  frame.warnings.push_back(Diagnostic{Severity::kWarning, code, SourceSpan{},
                                      located(source_name_, frame.at) + message});
}

void SsmlWalker::finish(Article& article) {
  text_.finish(article);
  std::stable_sort(directives_.begin(), directives_.end(),
                   [](const OrderedDirective& a, const OrderedDirective& b) {
                     if (a.directive.span.begin_byte != b.directive.span.begin_byte) {
                       return a.directive.span.begin_byte < b.directive.span.begin_byte;
                     }
                     return a.order < b.order;
                   });
  for (OrderedDirective& entry : directives_) {
    article.directives.push_back(std::move(entry.directive));
  }
  article.breaks = std::move(breaks_);
  article.dropped = std::move(dropped_);
}

std::string no_text_message(const std::string& source_name) {
  return source_name + ": the SSML has no text to read; put the words to be spoken inside " +
         std::string(kDocumentStart) + " … </speak>";
}

bool is_speak(const xmlNode* node) {
  return node != nullptr && node->type == XML_ELEMENT_NODE &&
         element_kind(node) == ElementKind::kSpeak;
}

}  // namespace

Article read_ssml(std::string bytes, std::string source_name, Diagnostics& diagnostics) {
  if (std::all_of(bytes.begin(), bytes.end(), is_xml_space)) {
    throw Error(ErrorCategory::kInput, no_text_message(source_name));
  }
  ParseRecord record;
  record.input = bytes;
  const DocumentPtr document = parse(bytes, source_name, record);
  for (const Problem& warning : record.warnings) {
    diagnostics.report(Diagnostic{Severity::kWarning, "ssml.xml_warning", SourceSpan{},
                                  located(source_name, warning.position) + warning.message});
  }
  const xmlNode* root = xmlDocGetRootElement(document.get());
  if (!is_speak(root)) {
    const TextPosition at = root != nullptr && record.element_begin.contains(root)
                                ? position_of(bytes, record.element_begin.at(root))
                                : TextPosition{};
    throw Error(ErrorCategory::kInput, located(source_name, at) + "the root element is <" +
                                           (root != nullptr ? display_name(root) : std::string()) +
                                           ">, not <speak>; an SSML document starts with " +
                                           std::string(kDocumentStart));
  }
  Article article;
  SsmlWalker walker(record, source_name, diagnostics);
  walker.read(root);
  walker.finish(article);
  if (article.blocks.empty()) throw Error(ErrorCategory::kInput, no_text_message(source_name));
  article.format = InputFormat::kSsml;
  article.source_name = std::move(source_name);
  return article;
}

std::string_view say_as_kind_name(SayAsKind kind) {
  for (const auto& [name, value] : kSayAsKinds) {
    if (value == kind) return name;
  }
  return "characters";
}

}  // namespace narrator
