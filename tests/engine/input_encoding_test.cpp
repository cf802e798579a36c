// Articles in other encodings: each page and text is written here in UTF-8 and encoded with ICU, so
// the cases read as what they say.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "charset.hpp"
#include "narrator/article.hpp"
#include "narrator/error.hpp"

namespace narrator {
namespace {

// Sentences of the project's own, long enough for the charset detector's statistics.
const std::string kBelarusian =
    "Гарадскі савет сабраўся ў аўторак, каб абмеркаваць новы бюджэт горада на наступны год. "
    "Дэпутаты доўга спрачаліся пра кошт рамонту моста праз раку і пра новыя школы.";
const std::string kRussian =
    "Городской совет собрался во вторник, чтобы обсудить новый бюджет города на следующий год. "
    "Депутаты долго спорили о стоимости ремонта моста через реку и о новых школах.";

std::string page(const std::string& head, const std::string& body) {
  return "<!DOCTYPE html><html><head>" + head + "<title>Навіны</title></head><body><article><p>" +
         body + "</p></article></body></html>";
}

struct Read {
  Article article;
  std::vector<Diagnostic> reports;
};

Read read(const std::string& bytes, InputFormat format, ReadOptions options = {}) {
  CollectingDiagnostics diagnostics;
  Article article = read_input(bytes, format == InputFormat::kHtml ? "page.html" : "story.txt",
                               format, options, diagnostics);
  return Read{std::move(article), diagnostics.items()};
}

// The "input.encoding" report, or "" when there is none.
std::string encoding_report(const Read& result) {
  for (const Diagnostic& report : result.reports) {
    if (report.code == "input.encoding") return report.message;
  }
  return "";
}

std::string first_block(const Article& article) {
  const SourceSpan span = article.blocks.at(0).span;
  return article.text.substr(span.begin_byte, span.size_bytes());
}

TEST(InputEncoding, PageInWindows1251DeclaredByMetaCharset) {
  const Read result =
      read(test::encode(page("<meta charset=\"windows-1251\">", kBelarusian), "windows-1251"),
           InputFormat::kHtml);
  EXPECT_EQ(first_block(result.article), kBelarusian);
  EXPECT_EQ(result.article.metadata.title, "Навіны");
  EXPECT_NE(encoding_report(result).find("read as windows-1251 (from <meta charset>)"),
            std::string::npos)
      << encoding_report(result);
}

TEST(InputEncoding, PageInWindows1251DeclaredByHttpEquiv) {
  const Read result =
      read(test::encode(
               page("<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=Windows-1251'>",
                    kRussian),
               "windows-1251"),
           InputFormat::kHtml);
  EXPECT_EQ(first_block(result.article), kRussian);
  EXPECT_NE(encoding_report(result).find("http-equiv"), std::string::npos);
}

TEST(InputEncoding, UndeclaredWindows1251PageIsDetected) {
  const Read result = read(test::encode(page("", kBelarusian), "windows-1251"), InputFormat::kHtml);
  EXPECT_EQ(first_block(result.article), kBelarusian);
  const auto detected =
      std::find_if(result.reports.begin(), result.reports.end(),
                   [](const Diagnostic& d) { return d.code == "input.encoding"; });
  ASSERT_NE(detected, result.reports.end());
  EXPECT_EQ(detected->severity, Severity::kWarning);  // a guess: said on every run
  EXPECT_NE(detected->message.find("windows-1251 (from detection"), std::string::npos)
      << detected->message;
}

TEST(InputEncoding, Koi8rPageDeclaredAndUndeclared) {
  EXPECT_EQ(first_block(read(test::encode(page("<meta charset=koi8-r>", kRussian), "KOI8-R"),
                             InputFormat::kHtml)
                            .article),
            kRussian);
  const Read detected = read(test::encode(page("", kRussian), "KOI8-R"), InputFormat::kHtml);
  EXPECT_EQ(first_block(detected.article), kRussian);
  EXPECT_NE(encoding_report(detected).find("KOI8-R"), std::string::npos)
      << encoding_report(detected);
}

TEST(InputEncoding, Utf16PagesWithByteOrderMarks) {
  // The BOM wins over a <meta> that could not be read as ASCII anyway.
  for (const char* charset : {"UTF-16LE", "UTF-16BE"}) {
    const std::string bytes = test::encode("\xEF\xBB\xBF" + page("", kRussian), charset);
    const Read result = read(bytes, InputFormat::kHtml);
    EXPECT_EQ(first_block(result.article), kRussian) << charset;
    EXPECT_NE(encoding_report(result).find(std::string("read as ") + charset), std::string::npos)
        << encoding_report(result);
  }
}

TEST(InputEncoding, Latin1LabelIsReadAsWindows1252) {
  // Browsers read "iso-8859-1" as windows-1252, whose 0x93 and 0x94 are curly quotes.
  const Read result = read(page("<meta charset=iso-8859-1>", "") +
                               "\x93"
                               "Caf\xE9"
                               "\x94 opened.",
                           InputFormat::kHtml);
  EXPECT_NE(result.article.text.find("\xE2\x80\x9C"
                                     "Caf\xC3\xA9\xE2\x80\x9D opened."),
            std::string::npos)
      << result.article.text;
}

TEST(InputEncoding, Iso8859_5PageByItsMeta) {
  const Read result =
      read(test::encode(page("<meta charset=\"ISO-8859-5\">", kRussian), "ISO-8859-5"),
           InputFormat::kHtml);
  EXPECT_EQ(first_block(result.article), kRussian);
}

// The report says which of a byte order mark, the encoding given, the server's Content-Type, the
// page's <meta>, detection (with its confidence) or the UTF-8 default chose the encoding.
TEST(InputEncoding, TheReportSaysWhatChoseTheEncoding) {
  const std::string declared = test::encode(page("<meta charset=koi8-r>", kRussian), "KOI8-R");
  EXPECT_EQ(encoding_report(read(declared, InputFormat::kHtml)),
            "page.html: read as koi8-r (from <meta charset>)");
  ReadOptions given;
  given.encoding = "KOI8-R";
  EXPECT_EQ(
      encoding_report(read(test::encode(page("", kRussian), "KOI8-R"), InputFormat::kHtml, given)),
      "page.html: read as KOI8-R (from the encoding given)");
  ReadOptions served = given;
  served.encoding_source = EncodingSource::kContentType;
  EXPECT_EQ(encoding_report(read(declared, InputFormat::kHtml, served)),
            "page.html: read as KOI8-R (from the server's Content-Type charset)");
  EXPECT_EQ(encoding_report(read(test::encode("\xEF\xBB\xBF" + page("", kRussian), "UTF-16LE"),
                                 InputFormat::kHtml, served)),
            "page.html: read as UTF-16LE (from a byte order mark)");
  const std::string detected =
      encoding_report(read(test::encode(page("", kRussian), "KOI8-R"), InputFormat::kHtml));
  EXPECT_TRUE(detected.starts_with("page.html: read as KOI8-R (from detection, confidence "))
      << detected;
  EXPECT_NE(detected.find(" of 100, as the page declares none)"), std::string::npos) << detected;
  EXPECT_EQ(encoding_report(read("The council met.\n", InputFormat::kText)),
            "story.txt: read as UTF-8 (the default for text)");
  EXPECT_EQ(encoding_report(read(test::encode("Совет.\n", "KOI8-R"), InputFormat::kText, given)),
            "story.txt: read as KOI8-R (from the encoding given)");
}

TEST(InputEncoding, Utf8PageIsLeftAsItIs) {
  const Read result = read(page("", kBelarusian), InputFormat::kHtml);
  EXPECT_EQ(first_block(result.article), kBelarusian);
  EXPECT_EQ(encoding_report(result),
            "page.html: read as UTF-8 (the page declares no encoding, and its bytes are UTF-8)");
}

TEST(InputEncoding, Utf8PageWithAStrayByteStaysUtf8) {
  // Detection would read the whole page wrong; the stray byte is the UTF-8 reader's to report.
  ReadOptions options;
  options.lossy = true;
  const Read result = read(page("", kBelarusian + "\xFF"), InputFormat::kHtml, options);
  EXPECT_EQ(first_block(result.article), kBelarusian + "\xEF\xBF\xBD");
  EXPECT_EQ(encoding_report(result),
            "page.html: read as UTF-8 (the page declares no encoding, and its bytes are UTF-8)");
  try {
    read(page("", kBelarusian + "\xFF"), InputFormat::kHtml);
    FAIL() << "a bad byte was read";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("invalid UTF-8 (byte 0xFF)"), std::string::npos)
        << error.what();
  }
}

TEST(InputEncoding, TextTakesTheEncodingGiven) {
  for (const char* charset : {"windows-1251", "KOI8-R", "ISO-8859-5", "UTF-16"}) {
    ReadOptions options;
    options.encoding = charset;
    const Read result = read(test::encode(kRussian, charset), InputFormat::kText, options);
    EXPECT_EQ(result.article.text, kRussian) << charset;
  }
}

TEST(InputEncoding, TextWithoutAnEncodingStaysUtf8Only) {
  try {
    read(test::encode(kRussian, "windows-1251"), InputFormat::kText);
    FAIL() << "windows-1251 text was read without --encoding";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_NE(std::string(error.what()).find("invalid UTF-8"), std::string::npos);
  }
}

TEST(InputEncoding, ByteWithoutACharacterFailsOrIsReplaced) {
  // 0xD2 is a byte windows-1253 (Greek) leaves unassigned.
  ReadOptions options;
  options.encoding = "windows-1253";
  const std::string bytes =
      test::encode("Αθήνα", "windows-1253") + "\xD2" + test::encode(" και Σπάρτη.", "windows-1253");
  try {
    read(bytes, InputFormat::kText, options);
    FAIL() << "an unassigned byte was read";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_NE(std::string(error.what())
                  .find("story.txt: byte 0xD2 at byte offset 5 is not a character in "
                        "windows-1253"),
              std::string::npos)
        << error.what();
  }
  options.lossy = true;
  const Read result = read(bytes, InputFormat::kText, options);
  EXPECT_EQ(result.article.text, "Αθήνα\xEF\xBF\xBD και Σπάρτη.");
  const auto replaced =
      std::find_if(result.reports.begin(), result.reports.end(),
                   [](const Diagnostic& d) { return d.code == "input.bytes_replaced"; });
  ASSERT_NE(replaced, result.reports.end());
  EXPECT_EQ(result.article.text.substr(replaced->span.begin_byte, replaced->span.size_bytes()),
            "\xEF\xBF\xBD");
}

TEST(InputEncoding, UnknownEncodingIsAUsageError) {
  EXPECT_FALSE(is_known_encoding("martian-7"));
  EXPECT_TRUE(is_known_encoding("CP1251"));  // an alias
  ReadOptions options;
  options.encoding = "martian-7";
  try {
    read("Hello.", InputFormat::kText, options);
    FAIL() << "an unknown encoding was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kUsage);
  }
}

TEST(InputEncoding, ContentTypeCharset) {
  EXPECT_EQ(content_type_charset("text/html; charset=Windows-1251"), "windows-1251");
  EXPECT_EQ(content_type_charset("text/html;charset=\"koi8-r\""), "koi8-r");
  EXPECT_EQ(content_type_charset("text/html"), "");
}

TEST(InputEncoding, BlankText) {
  EXPECT_TRUE(is_blank_text(""));
  EXPECT_TRUE(is_blank_text("\xE2\x80\x8B"));             // U+200B
  EXPECT_TRUE(is_blank_text("\xEF\xBB\xBF"));             // U+FEFF
  EXPECT_TRUE(is_blank_text(" \xC2\xA0\t\xEF\xBB\xBF"));  // U+00A0, U+FEFF
  EXPECT_FALSE(
      is_blank_text("\xE2\x80\x8B"
                    "a"));
}

}  // namespace
}  // namespace narrator
