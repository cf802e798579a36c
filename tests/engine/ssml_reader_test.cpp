// SSML → Article. The cases are golden files in tests/data/ssml (format in its README.md); the
// tests below need a generated document, or check what no golden file can show.
#include "ssml_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iomanip>
#include <iterator>
#include <locale>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

const fs::path& data_dir() {
  static const fs::path dir = fs::path(NARRATOR_TEST_DATA_DIR) / "ssml";
  return dir;
}

std::string number(double value) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << std::setprecision(4) << value;
  return out.str();
}

std::string golden_severity(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "?";
}

// "prosody 4-9 "quick" rate=1.25 pitch=1 volume=1"
std::string directive_line(const Article& article, const SpanDirective& directive) {
  const SourceSpan span = directive.span;
  const std::string where = std::to_string(span.begin_byte) + "-" + std::to_string(span.end_byte) +
                            " \"" + article.text.substr(span.begin_byte, span.size_bytes()) + "\"";
  if (const auto* change = std::get_if<ProsodyChange>(&directive.directive)) {
    return "prosody " + where + " rate=" + number(change->rate_scale) +
           " pitch=" + number(change->pitch_scale) + " volume=" + number(change->volume_scale);
  }
  if (const auto* say_as = std::get_if<SayAs>(&directive.directive)) {
    return "say-as " + where + " " + std::string(say_as_kind_name(say_as->kind)) +
           (say_as->format.empty() ? "" : " " + say_as->format);
  }
  if (const auto* sub = std::get_if<Substitution>(&directive.directive)) {
    return "sub " + where + " " + sub->alias;
  }
  if (const auto* phoneme = std::get_if<PhonemeOverride>(&directive.directive)) {
    return "phoneme " + where + " " + phoneme->ipa;
  }
  return "lang " + where + " " + std::get<LanguageSwitch>(directive.directive).language;
}

std::string render(const Article& article, const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Block& block : article.blocks) {
    out += "P " + article.text.substr(block.span.begin_byte, block.span.size_bytes()) + "\n";
  }
  for (const BreakPoint& point : article.breaks) {
    out += "break " + std::to_string(point.text_byte) + " " +
           (point.pause_ms == BreakPoint::kSentencePause ? std::string("sentence")
                                                         : std::to_string(point.pause_ms)) +
           "\n";
  }
  for (const MarkPoint& mark : article.marks) {
    out += "mark " + std::to_string(mark.text_byte) + " " + mark.name + "\n";
  }
  for (const SpanDirective& directive : article.directives) {
    out += directive_line(article, directive) + "\n";
  }
  for (const DroppedText& dropped : article.dropped) {
    out += "dropped " + std::to_string(dropped.line) + " " + dropped.rule + " " + dropped.excerpt +
           "\n";
  }
  for (const Diagnostic& diagnostic : diagnostics) {
    out += golden_severity(diagnostic.severity) + " " + diagnostic.code + " " + diagnostic.message +
           "\n";
  }
  return out;
}

std::string without_comments(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("#")) out += line + "\n";
  }
  return out;
}

// The input byte that Article::origins give for a text byte.
std::size_t input_byte_of(const Article& article, std::size_t text_byte) {
  const auto after = std::upper_bound(
      article.origins.begin(), article.origins.end(), text_byte,
      [](std::size_t byte, const TextOrigin& origin) { return byte < origin.text_byte; });
  if (after == article.origins.begin()) return text_byte;
  const TextOrigin& origin = *std::prev(after);
  return origin.input_byte + (text_byte - origin.text_byte);
}

// Each word of the text, as {begin byte, word}.
std::vector<std::pair<std::size_t, std::string>> words_of(const std::string& text) {
  std::vector<std::pair<std::size_t, std::string>> words;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t begin = text.find_first_not_of(" \n", i);
    if (begin == std::string::npos) break;
    const std::size_t end = std::min(text.find_first_of(" \n", begin), text.size());
    words.emplace_back(begin, text.substr(begin, end - begin));
    i = end;
  }
  return words;
}

// What every Article read from SSML must satisfy, whatever the document.
void check_invariants(const Article& article, const std::string& input, const std::string& name) {
  std::string joined;
  for (const Block& block : article.blocks) {
    EXPECT_EQ(block.kind, BlockKind::kParagraph) << name;
    if (!joined.empty()) joined += "\n\n";
    joined += article.text.substr(block.span.begin_byte, block.span.size_bytes());
  }
  EXPECT_EQ(article.text, joined) << name << ": the text is its blocks, separated by blank lines";
  EXPECT_EQ(article.format, InputFormat::kSsml);
  const auto by_begin = [](const SpanDirective& a, const SpanDirective& b) {
    return a.span.begin_byte < b.span.begin_byte;
  };
  EXPECT_TRUE(std::is_sorted(article.directives.begin(), article.directives.end(), by_begin));
  for (const SpanDirective& directive : article.directives) {
    EXPECT_LT(directive.span.begin_byte, directive.span.end_byte) << name;
    EXPECT_LE(directive.span.end_byte, article.text.size()) << name;
  }
  EXPECT_TRUE(
      std::is_sorted(article.breaks.begin(), article.breaks.end(),
                     [](const auto& a, const auto& b) { return a.text_byte < b.text_byte; }));
  EXPECT_TRUE(
      std::is_sorted(article.marks.begin(), article.marks.end(),
                     [](const auto& a, const auto& b) { return a.text_byte < b.text_byte; }));
  // Each word leads back to its first character in the input, unless that is spelled with a
  // character reference.
  for (const auto& [begin, word] : words_of(article.text)) {
    const std::size_t at = input_byte_of(article, begin);
    ASSERT_LT(at, input.size()) << name << ": '" << word << "'";
    const std::string_view from(input.data() + at, input.size() - at);
    if (from.starts_with("&")) continue;
    EXPECT_EQ(from.front(), word.front())
        << name << ": '" << word << "' at text byte " << begin << " leads to input byte " << at;
  }
}

std::vector<std::string> golden_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(data_dir())) {
    if (entry.path().extension() == ".ssml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class SsmlGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(SsmlGolden, MatchesExpected) {
  const std::string name = GetParam() + ".ssml";
  const std::string input = test::read_file(data_dir() / name);
  CollectingDiagnostics diagnostics;
  std::string got;
  try {
    const Article article = read_ssml(input, name, diagnostics);
    check_invariants(article, input, name);
    got = render(article, diagnostics.items());
  } catch (const Error& error) {
    got = "error " + std::string(category_name(error.category())) + " " + error.what() + "\n";
  }
  const std::string expected = test::read_file(data_dir() / (GetParam() + ".expected"));
  EXPECT_EQ(got, without_comments(expected)) << name;
}

INSTANTIATE_TEST_SUITE_P(Files, SsmlGolden, ::testing::ValuesIn(golden_names()), test_name);

TEST(SsmlGoldenFiles, EveryDocumentHasItsExpectedFile) {
  for (const std::string& name : golden_names()) {
    EXPECT_TRUE(fs::exists(data_dir() / (name + ".expected"))) << name;
  }
}

// The error read_ssml() throws for `ssml`; fails the test when it throws none.
Error error_for(const std::string& ssml, const std::string& source_name = "test.ssml") {
  NullDiagnostics diagnostics;
  try {
    read_ssml(ssml, source_name, diagnostics);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error for: " << ssml.substr(0, 200);
  return Error(ErrorCategory::kInternal, "");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(SsmlReader, MalformedXmlNamesLineAndColumn) {
  const Error error = error_for("<speak>\n  <p>The ferry left <s>at dawn</p>\n</speak>\n");
  EXPECT_EQ(error.category(), ErrorCategory::kInput);
  const std::string message = error.what();
  EXPECT_TRUE(message.starts_with("test.ssml:2:")) << message;
  EXPECT_TRUE(contains(message, "mismatch")) << message;
  EXPECT_TRUE(message.ends_with("; fix the SSML")) << message;
}

TEST(SsmlReader, InvalidUtf8NamesLineAndColumn) {
  const Error error = error_for("<speak>\n<p>The orchard \xFF\xFE grew.</p></speak>");
  EXPECT_EQ(error.category(), ErrorCategory::kInput);
  EXPECT_TRUE(std::string(error.what()).starts_with("test.ssml:2:")) << error.what();
}

TEST(SsmlReader, BillionLaughsIsRefusedAtTheFirstDeclaration) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE speak [\n  <!ENTITY lol0 \"lol\">\n";
  for (int level = 1; level <= 9; ++level) {
    std::string value;
    for (int i = 0; i < 10; ++i) value += "&lol" + std::to_string(level - 1) + ";";
    bomb += "  <!ENTITY lol" + std::to_string(level) + " \"" + value + "\">\n";
  }
  bomb += "]>\n<speak>&lol9;</speak>\n";
  const Error error = error_for(bomb, "bomb.ssml");
  EXPECT_EQ(error.category(), ErrorCategory::kInput);
  const std::string message = error.what();
  EXPECT_TRUE(message.starts_with("bomb.ssml:3:3: the DOCTYPE declares the entity 'lol0'"))
      << message;
  EXPECT_TRUE(contains(message, "entity declarations are refused")) << message;
}

TEST(SsmlReader, ExternalEntityIsRefusedWithoutReadingTheFile) {
  const Error error = error_for(
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE speak [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n"
      "<speak>The key is &secret;.</speak>\n",
      "xxe.ssml");
  EXPECT_EQ(error.category(), ErrorCategory::kInput);
  const std::string message = error.what();
  EXPECT_TRUE(message.starts_with("xxe.ssml:2:18: the DOCTYPE declares the entity 'secret'"))
      << message;
  EXPECT_FALSE(contains(message, "root:")) << "the file's content leaked: " << message;
}

TEST(SsmlReader, UnparsedEntityIsRefused) {
  const Error error = error_for(
      "<!DOCTYPE speak [<!NOTATION gif SYSTEM \"image/gif\">\n"
      "<!ENTITY logo SYSTEM \"logo.gif\" NDATA gif>]>\n<speak>A logo.</speak>");
  EXPECT_TRUE(std::string(error.what())
                  .starts_with("test.ssml:2:1: the DOCTYPE declares the "
                               "entity 'logo'"))
      << error.what();
}

TEST(SsmlReader, UndeclaredEntityBehindAnExternalDtdIsAnError) {
  // The external subset is never loaded, so &nbsp; has no definition to expand.
  const Error error = error_for(
      "<!DOCTYPE speak SYSTEM \"http://example.invalid/speak.dtd\">\n"
      "<speak>Two&nbsp;words.</speak>");
  EXPECT_EQ(error.category(), ErrorCategory::kInput);
  EXPECT_TRUE(std::string(error.what()).starts_with("test.ssml:2:")) << error.what();
  EXPECT_TRUE(contains(error.what(), "nbsp")) << error.what();
}

std::string nested(int depth, const std::string& open, const std::string& close) {
  std::string ssml = "<speak>";
  for (int i = 0; i < depth; ++i) ssml += open;
  ssml += "deep";
  for (int i = 0; i < depth; ++i) ssml += close;
  return ssml + "</speak>";
}

TEST(SsmlReader, HundredThousandDeepNestingIsRefusedWithAClearMessage) {
  const Error error = error_for(nested(100000, "<p>", "</p>"));
  EXPECT_EQ(error.category(), ErrorCategory::kInput);
  // <speak> and 255 <p> are open; the 256th <p> would be the 257th level.
  EXPECT_EQ(std::string(error.what()),
            "test.ssml:1:773: elements are nested more than 256 deep; SSML nested this deeply "
            "cannot be read, flatten the markup");
}

TEST(SsmlReader, NestingUpToTheLimitIsRead) {
  NullDiagnostics diagnostics;
  const Article article =
      read_ssml(nested(255, "<emphasis>", "</emphasis>"), "test.ssml", diagnostics);
  EXPECT_EQ(article.text, "deep");
  ASSERT_EQ(article.directives.size(), 255u);
  EXPECT_EQ(article.directives.front().span, (SourceSpan{0, 4}));
}

TEST(SsmlReader, EmptyInputHasNoText) {
  for (const std::string ssml : {"", " \n\t", "<speak/>", "<speak>\n  <p> </p>\n</speak>",
                                 "<speak><desc>A picture of a lake.</desc><break/></speak>"}) {
    const Error error = error_for(ssml, "empty.ssml");
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_TRUE(std::string(error.what()).starts_with("empty.ssml: the SSML has no text to read"))
        << ssml << " → " << error.what();
  }
}

// A long document, so that libxml2 moves through its input buffer many times: every word must
// still lead back to exactly where it is written.
TEST(SsmlReader, OriginsLeadEveryWordBackToTheInputExactly) {
  std::string ssml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<speak xml:lang=\"en\">\r\n";
  for (int i = 0; i < 2000; ++i) {
    ssml +=
        "  <p>Paragraph " + std::to_string(i) + " tells\r\n     of the <emphasis>quiet</emphasis> ";
    ssml +=
        "<!-- a note -->harbour<break time=\"200ms\"/> and  Mińsk’s\t<s>late  trams</s></p>\r\n";
  }
  ssml += "</speak>\r\n";
  NullDiagnostics diagnostics;
  const Article article = read_ssml(ssml, "long.ssml", diagnostics);
  ASSERT_EQ(article.blocks.size(), 2000u);
  for (const auto& [begin, word] : words_of(article.text)) {
    const std::size_t at = input_byte_of(article, begin);
    ASSERT_EQ(ssml.compare(at, word.size(), word), 0)
        << "'" << word << "' at text byte " << begin << " leads to input byte " << at;
  }
}

TEST(SsmlReader, LibxmlNeverPrints) {
  ::testing::internal::CaptureStderr();
  error_for("<speak><p>Unclosed</speak>");
  error_for("<speak>\xC3(</speak>");
  error_for("<?xml version=\"1.0\" encoding=\"no-such-encoding\"?><speak>Text.</speak>");
  CollectingDiagnostics diagnostics;
  read_ssml("<speak>Fine <x xmlns=\"local\">print</x>.</speak>", "warn.ssml", diagnostics);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(SsmlReader, XmlWarningsBecomeDiagnostics) {
  CollectingDiagnostics diagnostics;
  const Article article =
      read_ssml("<speak>Fine <x xmlns=\"local\">print</x>.</speak>", "warn.ssml", diagnostics);
  EXPECT_EQ(article.text, "Fine print.");
  const std::vector<Diagnostic> items = diagnostics.items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].code, "ssml.xml_warning");
  EXPECT_EQ(items[0].message, "warn.ssml:1:29: xmlns: URI local is not absolute");
  EXPECT_EQ(items[1].code, "ssml.unknown_element");
}

}  // namespace
}  // namespace narrator
