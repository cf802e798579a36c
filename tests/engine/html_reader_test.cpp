// HTML pages in several publishers' styles (tests/data/html/NAME.html): the blocks read, the
// metadata and every drop, against NAME.expected (format in tests/data/html/README.md). Then the
// reader's errors, character references, text origins, encodings and a large page.
#include "html_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "golden_table.hpp"
#include "narrator/article.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

fs::path pages_dir() { return fs::path(NARRATOR_TEST_DATA_DIR) / "html"; }

std::vector<std::string> page_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(pages_dir())) {
    if (entry.path().extension() == ".html") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string block_text(const Article& article, const Block& block) {
  return article.text.substr(block.span.begin_byte, block.span.size_bytes());
}

std::string describe(const Article& article) {
  std::string out;
  for (const Block& block : article.blocks) {
    out += block.kind == BlockKind::kHeading ? "H " : "P ";
    // A line break inside a block (a <br>) is written "\n", so that a block stays one line.
    for (const char c : block_text(article, block))
      out += c == '\n' ? std::string("\\n") : std::string(1, c);
    out += "\n";
  }
  const std::pair<const char*, const std::string*> fields[] = {
      {"title", &article.metadata.title},
      {"byline", &article.metadata.byline},
      {"publication", &article.metadata.publication},
      {"date", &article.metadata.date}};
  for (const auto& [name, value] : fields) {
    out += std::string("meta ") + name + ":" + (value->empty() ? "" : " " + *value) + "\n";
  }
  for (const DroppedText& drop : article.dropped) {
    out += "dropped " + std::to_string(drop.line) + " " + drop.rule + "\n";
  }
  return out;
}

// NAME.expected without its '#' comment lines.
std::string expected_for(const std::string& name) {
  std::istringstream in(test::read_file(pages_dir() / (name + ".expected")));
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with('#')) out += line + "\n";
  }
  return out;
}

// The input byte that text byte `text_byte` comes from, by Article::origins.
std::size_t input_byte_of(const Article& article, std::size_t text_byte) {
  const auto after = std::upper_bound(
      article.origins.begin(), article.origins.end(), text_byte,
      [](std::size_t byte, const TextOrigin& origin) { return byte < origin.text_byte; });
  if (after == article.origins.begin()) {
    ADD_FAILURE() << "no origin at or before text byte " << text_byte;
    return 0;
  }
  return (after - 1)->input_byte + (text_byte - (after - 1)->text_byte);
}

// What holds for every page: the text is exactly its blocks joined by blank lines, origins are
// sorted, and each word's first byte leads back to the same byte in the input, or to the '&' of
// the character reference it was decoded from.
void check_invariants(const Article& article, const std::string& input, const std::string& file) {
  std::string joined;
  for (const Block& block : article.blocks) {
    joined += (joined.empty() ? "" : "\n\n") + block_text(article, block);
  }
  EXPECT_EQ(article.text, joined) << file << ": text is not its blocks joined by blank lines";
  EXPECT_TRUE(std::is_sorted(
      article.origins.begin(), article.origins.end(),
      [](const TextOrigin& a, const TextOrigin& b) { return a.text_byte < b.text_byte; }))
      << file;
  for (std::size_t at = 0; at < article.text.size(); ++at) {
    const bool word_start =
        article.text[at] != ' ' && article.text[at] != '\n' &&
        (at == 0 || article.text[at - 1] == ' ' || article.text[at - 1] == '\n');
    if (!word_start) continue;
    const std::size_t from = input_byte_of(article, at);
    ASSERT_LT(from, input.size()) << file << ": text byte " << at;
    EXPECT_TRUE(input[from] == article.text[at] || input[from] == '&')
        << file << ": the word at text byte " << at << " ("
        << article.text.substr(at, article.text.find(' ', at) - at) << ") leads back to input byte "
        << from << " (" << input.substr(from, 12) << ")";
  }
}

class HtmlPages : public ::testing::TestWithParam<std::string> {};

TEST_P(HtmlPages, ReadAsExpected) {
  const std::string file = GetParam() + ".html";
  const std::string input = test::read_file(pages_dir() / file);
  CollectingDiagnostics diagnostics;
  const Article article = read_html(input, file, {}, diagnostics);
  EXPECT_EQ(describe(article), expected_for(GetParam()))
      << GetParam() << ".expected differs from what " << file << " reads as";
  EXPECT_EQ(article.format, InputFormat::kHtml) << file;
  EXPECT_EQ(article.source_name, file);
  EXPECT_TRUE(diagnostics.items().empty()) << file << ": " << diagnostics.items()[0].message;
  check_invariants(article, input, file);
}

INSTANTIATE_TEST_SUITE_P(Pages, HtmlPages, ::testing::ValuesIn(page_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

Article read(std::string html, ReadOptions options = {}) {
  NullDiagnostics diagnostics;
  return read_html(std::move(html), "page.html", options, diagnostics);
}

std::string error_of(std::string html, ReadOptions options = {}) {
  try {
    read(std::move(html), options);
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    return error.what();
  }
  ADD_FAILURE() << "expected an input error";
  return "";
}

TEST(HtmlReader, PageWithoutBodyTextIsAnErrorThatSaysWhatWasLookedFor) {
  const std::string message = error_of(
      "<!DOCTYPE html><html><head><title>Loading…</title></head><body>\n"
      "<nav><a href='/'>Home</a></nav>\n"
      "<div id='app' hidden>Please wait</div>\n"
      "<script>renderArticle();</script>\n"
      "</body></html>");
  EXPECT_TRUE(message.starts_with("page.html: no article text found in the HTML")) << message;
  EXPECT_NE(message.find("<article>, <main>, role=\"main\""), std::string::npos) << message;
  EXPECT_NE(message.find("not read: html:nav, html:hidden, html:script"), std::string::npos)
      << message;
  EXPECT_NE(message.find("JavaScript"), std::string::npos) << message;
  EXPECT_NE(error_of("").find("page.html: no article text found"), std::string::npos);
  EXPECT_NE(error_of("<p> &nbsp; </p>").find("no article text found"), std::string::npos);
}

TEST(HtmlReader, CharacterReferencesAreDecoded) {
  const Article article = read(
      "<p>Fish &amp; chips&nbsp;at 5 o&#8217;clock, &lt;fresh&gt; &#x2014; &copy; "
      "Pier&nbsp;Caf&eacute;"
      " &amp;c.</p>");
  ASSERT_EQ(article.blocks.size(), 1u);
  EXPECT_EQ(article.text,
            "Fish & chips\u00A0at 5 o\u2019clock, <fresh> \u2014 \u00A9 Pier\u00A0Caf\u00E9 &c.");
}

TEST(HtmlReader, WhitespaceCollapsesInsideABlockAndBlocksAreSeparatedByABlankLine) {
  const Article article = read(
      "<h2>\n  Two\tlines \r\n</h2>  <p>one\n\n   two <b>three</b>"
      "<br>four</p><div>bare <span>text</span><p>in</p>after</div>");
  // A <br> is a line break of its block, as in copied text.
  EXPECT_EQ(article.text, "Two lines\n\none two three\nfour\n\nbare text\n\nin\n\nafter");
  ASSERT_EQ(article.blocks.size(), 5u);
  EXPECT_EQ(article.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(article.blocks[1].kind, BlockKind::kParagraph);
  EXPECT_EQ(article.blocks[2].kind, BlockKind::kParagraph);
}

TEST(HtmlReader, OriginsLeadTextBytesBackToInputBytes) {
  const std::string input =
      "<html><body><article>\n<p>Caf&eacute; opens\n     at nine &amp; closes late.</p>\n"
      "<p>Second   paragraph.</p></article></body></html>";
  const Article article = read(input);
  ASSERT_EQ(article.text, "Café opens at nine & closes late.\n\nSecond paragraph.");
  for (const std::string word : {"Caf", "opens", "at", "nine", "closes", "Second", "paragraph"}) {
    const std::size_t text_byte = article.text.find(word);
    EXPECT_EQ(input_byte_of(article, text_byte), input.find(word)) << word;
  }
  EXPECT_EQ(input_byte_of(article, article.text.find("é")), input.find("&eacute;"));
  EXPECT_EQ(input_byte_of(article, article.text.find("&")), input.find("&amp;"));
  EXPECT_EQ(input_byte_of(article, article.text.find("late")), input.find("late"));
}

TEST(HtmlReader, InvalidUtf8IsAnErrorWithLineAndColumn) {
  const std::string message = error_of("<html>\n<body>\n<p>Caf\xE9 au lait</p>\n</body></html>");
  EXPECT_TRUE(message.starts_with("page.html:3:7: invalid UTF-8 (byte 0xE9)")) << message;
  EXPECT_NE(message.find("byte offset 20"), std::string::npos) << message;
  EXPECT_NE(message.find("--lossy"), std::string::npos) << message;
  EXPECT_NE(error_of(std::string("<p>A\0B</p>", 10)).find("page.html:1:5: NUL byte"),
            std::string::npos);
}

TEST(HtmlReader, LossyReplacesBadBytesAndReportsWhereTheyAreInTheText) {
  CollectingDiagnostics diagnostics;
  ReadOptions options;
  options.lossy = true;
  const Article article =
      read_html("<title>T\xFF</title><p>Caf\xE9 au lait</p>", "page.html", options, diagnostics);
  EXPECT_EQ(article.text, "Caf\uFFFD au lait");
  const std::vector<Diagnostic> items = diagnostics.items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].code, "input.bytes_replaced");
  EXPECT_TRUE(items[0].span.empty()) << "a byte in the <title> is not in the text";
  EXPECT_EQ(items[1].span, (SourceSpan{3, 6}));
  EXPECT_NE(items[1].message.find("page.html:1:24:"), std::string::npos) << items[1].message;
}

TEST(HtmlReader, ByteOrderMarkIsSkippedAndOffsetsStillCountIt) {
  const std::string input = "\xEF\xBB\xBF<p>Morning news</p>";
  const Article article = read(input);
  EXPECT_EQ(article.text, "Morning news");
  EXPECT_EQ(input_byte_of(article, 0), input.find("Morning"));
}

TEST(HtmlReader, HeadlineInsideTheArticleComesFirstAndIsNotRepeated) {
  const Article article = read(
      "<header><h1 class=logo>Site Name</h1></header>"
      "<article><p class=kicker>Weather</p><h1>Frost expected "
      "overnight</h1><p>Body.</p></article>");
  EXPECT_EQ(article.text, "Frost expected overnight\n\nWeather\n\nBody.");
  EXPECT_EQ(article.metadata.title, "Frost expected overnight");
}

TEST(HtmlReader, WithoutOgTitleOrHeadlineTheTitleElementGivesTheTitle) {
  Article article = read(
      "<html><head><title>Bridge closes for a week - Riverside Times</title></head>"
      "<body><p>Text.</p></body></html>");
  EXPECT_EQ(article.metadata.title, "Bridge closes for a week");
  EXPECT_EQ(article.metadata.publication, "Riverside Times");
  article = read(
      "<head><meta name=application-name content='RT News'><title>Rail - Bus - Tram plan agreed "
      "by the regional transport board today</title></head><p>Text.</p>");
  EXPECT_EQ(article.metadata.publication, "RT News");
  EXPECT_EQ(article.metadata.title,
            "Rail - Bus - Tram plan agreed by the regional transport board today")
      << "a long suffix is not a site's name";
}

TEST(HtmlReader, ExcerptsAreShortAndCutAtACharacterBoundary) {
  std::string aside;
  for (int i = 0; i < 20; ++i) aside += "Żółw ";
  const Article article = read("<article><p>Story.</p><aside>" + aside + "</aside></article>");
  ASSERT_EQ(article.dropped.size(), 1u);
  const std::string& excerpt = article.dropped[0].excerpt;
  EXPECT_EQ(article.dropped[0].rule, "html:aside");
  EXPECT_TRUE(excerpt.ends_with("\u2026")) << excerpt;
  EXPECT_LE(excerpt.size(), 60u + std::string("\u2026").size()) << excerpt;
  EXPECT_TRUE(aside.starts_with(excerpt.substr(0, excerpt.size() - 3))) << excerpt;
}

// Nesting is limited to 512 elements; the walks are iterative all the same, and a table nests
// four deep in the tree for each <table> the tags open.
TEST(HtmlReader, DeeplyNestedMarkupIsReadWithoutRecursion) {
  std::string html;
  for (int i = 0; i < 512; ++i) html += "<div>";
  html += "Deep text.";
  EXPECT_EQ(read(html).text, "Deep text.");
  std::string tables;
  for (int i = 0; i < 500; ++i) tables += "<table><tr><td>";
  tables += "Deep cell.";
  EXPECT_EQ(read(tables).text, "Deep cell.");
}

TEST(HtmlReader, NestingDeeperThanTheLimitIsRefusedBeforeParsing) {
  std::string html = "<!DOCTYPE html>\n<html><body>\n";
  for (int i = 0; i < 513; ++i) html += "<div>";
  html += "Too deep.";
  const std::string message = error_of(html);
  EXPECT_TRUE(
      message.starts_with("page.html:3: the HTML nests elements 513 deep, more than the "
                          "limit of 512"))
      << message;
  EXPECT_NE(message.find("save the article's text"), std::string::npos) << message;
  std::string huge = "<html><body>";
  for (int i = 0; i < 100000; ++i) huge += "<span><b>\n";
  EXPECT_NE(error_of(huge).find("nests elements 200000 deep"), std::string::npos);
  // Closed elements never add up, nor do void elements, elements whose end tag may be left out,
  // self-closed SVG, comments, and tags inside scripts and styles.
  std::string flat = "<html><body><article><h1>Flat page</h1>";
  for (int i = 0; i < 2000; ++i) {
    flat += "<div><span>A</span></div><p>Line<br><img src=x><li>item<dd>term<tr><td>cell";
    flat += "<svg><path d='M0'/><g/></svg><!-- <div> --><script>'<div>'</script>";
  }
  flat += "</article></body></html>";
  EXPECT_NO_THROW(read(flat));
}

// A scaled-down version of the memory measurement (a 100 MB page of paragraphs): every paragraph
// arrives, in order, with its origin.
TEST(HtmlReader, LargePageIsReadCompletely) {
  std::string html = "<!DOCTYPE html><html><body><nav>Menu</nav><article><h1>Long read</h1>\n";
  std::size_t paragraphs = 0;
  while (html.size() < 5 * 1024 * 1024) {
    ++paragraphs;
    html += "<p>Paragraph " + std::to_string(paragraphs) +
            " says the ferry &amp; the bus run\n    late on <em>Sundays</em>.</p>\n";
  }
  html += "</article><footer>Footer</footer></body></html>";
  const std::string input = html;
  const Article article = read(std::move(html));
  ASSERT_EQ(article.blocks.size(), paragraphs + 1);
  for (std::size_t i = 1; i <= paragraphs; ++i) {
    const std::string expected =
        "Paragraph " + std::to_string(i) + " says the ferry & the bus run late on Sundays.";
    ASSERT_EQ(block_text(article, article.blocks[i]), expected) << "paragraph " << i;
  }
  const std::size_t last = article.blocks.back().span.begin_byte;
  EXPECT_EQ(input_byte_of(article, last), input.rfind("Paragraph "));
  ASSERT_EQ(article.dropped.size(), 1u);
  EXPECT_EQ(article.dropped[0].rule, "html:outside-article");
}

// Every byline of the table, as written → as cleaned (tests/data/metadata/bylines.tsv).
TEST(BylineCleaning, EveryRowOfTheTable) {
  const std::vector<test::GoldenRow> rows = test::load_golden_table("metadata/bylines.tsv");
  ASSERT_GE(rows.size(), 10u);
  for (const test::GoldenRow& row : rows) {
    EXPECT_EQ(clean_byline(row.input), row.expected)
        << row.file << ":" << row.line << ": \"" << row.input << "\"";
  }
}

// Every date of the table: "LANGUAGE DATE" → as shown (tests/data/metadata/dates.tsv).
TEST(ReadableDate, EveryRowOfTheTable) {
  const std::vector<test::GoldenRow> rows = test::load_golden_table("metadata/dates.tsv");
  ASSERT_GE(rows.size(), 10u);
  for (const test::GoldenRow& row : rows) {
    const std::size_t space = row.input.find(' ');
    ASSERT_NE(space, std::string::npos) << row.file << ":" << row.line;
    EXPECT_EQ(readable_date(row.input.substr(space + 1), row.input.substr(0, space)), row.expected)
        << row.file << ":" << row.line << ": \"" << row.input << "\"";
  }
}

// The byline element keeps neither "By" nor the separator before the date, and a meta author is
// cleaned the same way; the date stays as the page gives it (tags and manifests want ISO).
TEST(HtmlReader, BylinesAreCleanedOfByAndSeparators) {
  const Article from_element = read(
      "<article><h1>Storm</h1><p class=\"byline\">By Jane Smith \u00B7 <time "
      "datetime=\"2024-03-05T09:00:00Z\">5 March</time></p><p>Rain fell.</p></article>");
  EXPECT_EQ(from_element.metadata.byline, "Jane Smith");
  EXPECT_EQ(from_element.metadata.date, "2024-03-05T09:00:00Z");
  const Article trailing =
      read("<article><h1>Storm</h1><p class=\"byline\">by Jane Smith |</p><p>Rain.</p></article>");
  EXPECT_EQ(trailing.metadata.byline, "Jane Smith");
  const Article from_meta = read(
      "<meta name=\"author\" content=\"By Jane Smith \u2022\"><article><h1>Storm</h1><p>Rain "
      "fell.</p></article>");
  EXPECT_EQ(from_meta.metadata.byline, "Jane Smith");
}

// The intro says a date as a reader reads it, never as raw ISO.
TEST(Framing, IntroSaysTheDateAsAReaderReadsIt) {
  Article article = read("<article><h1>Storm</h1><p>Rain fell.</p></article>");
  article.metadata.date = "2024-03-05T09:00:00Z";
  Framing framing;
  framing.intro = true;
  framing.intro_text = "{title}. Published {date}.";
  NullDiagnostics diagnostics;
  add_framing(article, framing, diagnostics);
  ASSERT_FALSE(article.blocks.empty());
  EXPECT_EQ(block_text(article, article.blocks.front()),
            "Storm. Published March 5, 2024 at 9:00 AM.");
}

}  // namespace
}  // namespace narrator

namespace narrator {
namespace {

// Names weigh, they never decide alone: when every block of the story is named like an
// advertisement, the story is still read (with the tag rules alone), not refused as empty.
TEST(HtmlReader, AStoryWhoseEveryBlockIsNamedLikeBoilerplateIsStillRead) {
  const Article article = read(
      "<html><head><title>Pier lights restored</title></head><body>"
      "<div class='ad'><p>The lights along the pier were switched on again on Friday, after a "
      "winter of repairs to the old cables, the harbour board said.</p></div>"
      "<div class='ad'><p>Anglers, who fish from the end of the pier after dark, had asked for "
      "the work to be finished before the spring.</p></div>"
      "<nav><a href='/'>Home</a></nav></body></html>");
  EXPECT_EQ(article.text,
            "The lights along the pier were switched on again on Friday, after a winter of repairs "
            "to the old cables, the harbour board said.\n\nAnglers, who fish from the end of the "
            "pier after dark, had asked for the work to be finished before the spring.");
  EXPECT_EQ(article.metadata.title, "Pier lights restored");
  ASSERT_EQ(article.dropped.size(), 1u);
  EXPECT_EQ(article.dropped[0].rule, "html:nav");
}

}  // namespace
}  // namespace narrator

namespace narrator {
namespace {

// The site's name in an <h1> above the story is not the headline, though the og:title ends with
// it: the headline is the heading that the titles name once the site's name is taken off.
TEST(HtmlReader, TheSiteNameInAnH1IsNotTheHeadline) {
  const Article article = read(
      "<html><head><meta property='og:site_name' content='Riverside Notes'>"
      "<meta property='og:title' content='Dam repairs begin - Riverside Notes'></head><body>"
      "<div><h1 class='logo'>Riverside Notes</h1><h1>Dam repairs begin</h1>"
      "<p>Work to repair the old dam above the town began on Monday, and the footpath across it "
      "will stay closed until the end of the summer, the water company said.</p></div>"
      "</body></html>");
  EXPECT_TRUE(article.text.starts_with("Dam repairs begin\n\n")) << article.text;
  EXPECT_EQ(article.metadata.title, "Dam repairs begin");
  EXPECT_EQ(article.metadata.publication, "Riverside Notes");
}

}  // namespace
}  // namespace narrator
