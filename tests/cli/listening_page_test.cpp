// The listening page as text: escaping, an article full of markup rendered inert, no other host
// referenced, the audio linked relatively or embedded, and the usage errors of --player.
#include "listening_page.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <tuple>

#include "html_template.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/error.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace narrator::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kStory =
    "Night Trains Return to the Valley\n"
    "\n"
    "The first sleeper service in a decade left Northgate at ten in the evening. Forty "
    "passengers were on board.\n"
    "\n"
    "Tickets cost $60 for adults, and include breakfast.\n";

constexpr std::string_view kMarkup =
    "Markup Stays Text\n"
    "\n"
    "It quotes <script>window.__xss=1</script> and <img src=x onerror=\"window.__xss=1\"> here.\n"
    "\n"
    "A link [link](javascript:window.__xss=1) and <a href=\"javascript:window.__xss=1\">x</a> "
    "and </script><!-- too.\n";

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// Every whitespace-separated word of the article's blocks, 300 ms apart.
std::vector<TimedWord> every_word(const Article& article) {
  std::vector<TimedWord> words;
  for (const Block& block : article.blocks) {
    std::size_t at = block.span.begin_byte;
    while (at < block.span.end_byte) {
      const std::size_t begin = article.text.find_first_not_of(" \n", at);
      if (begin >= block.span.end_byte) break;
      const std::size_t end =
          std::min(article.text.find_first_of(" \n", begin), block.span.end_byte);
      const auto time = std::chrono::milliseconds(300 * static_cast<long long>(words.size()));
      words.push_back(TimedWord{{begin, end}, time, time + 300ms});
      at = end;
    }
  }
  return words;
}

Article article_of(std::string_view text) {
  CollectingDiagnostics diagnostics;
  ReadOptions options;
  options.keep_page_furniture = true;
  return read_article(std::string(text), "test.txt", options, diagnostics);
}

TEST(WordTimeline, KeepsEachWordOnceInReadingOrder) {
  constexpr int kRateHz = 1000;  // one frame per millisecond
  WordTimeline timeline(kRateHz);
  AudioChunk intro;  // spoken first, its text appended after the article's
  intro.marks = {TimingMark{MarkKind::kSentence, 0, {100, 110}, "Intro text"},
                 TimingMark{MarkKind::kWord, 0, {100, 105}, "Intro"},
                 TimingMark{MarkKind::kWord, 200, {106, 110}, "text"}};
  timeline.add(intro, 0);
  AudioChunk body;
  body.marks = {TimingMark{MarkKind::kSentence, 0, {0, 10}, "First word"},
                TimingMark{MarkKind::kWord, 0, {0, 5}, "First"},
                TimingMark{MarkKind::kWord, 300, {6, 10}, "word"},
                TimingMark{MarkKind::kWord, 500, {0, 5}, "First"}};  // reported again
  timeline.add(body, 1000);
  const std::vector<TimedWord> words = timeline.words(2000ms);
  ASSERT_EQ(words.size(), 4u);
  const std::vector<std::tuple<std::size_t, long long, long long>> want{
      {0, 1000, 1300}, {6, 1300, 2000}, {100, 0, 200}, {106, 200, 1000}};
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(words[i].span.begin_byte, std::get<0>(want[i])) << i;
    EXPECT_EQ(words[i].begin.count(), std::get<1>(want[i])) << i;
    EXPECT_EQ(words[i].end.count(), std::get<2>(want[i])) << i;
  }
  EXPECT_EQ(timeline.sentence_starts(), (std::vector<std::chrono::milliseconds>{0ms, 1000ms}));
}

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("a<b>&\"c'd"), "a&lt;b&gt;&amp;&quot;c&#39;d");
  EXPECT_EQ(html_escape("plain — text"), "plain — text");
}

TEST(ScriptSafeJson, CannotEndOrConfuseTheScriptElement) {
  const nlohmann::json value = {{"title", "</script><!-- & \xE2\x80\xA8 \xE2\x80\xA9 >"}};
  const std::string safe = script_safe_json(value.dump());
  for (const std::string_view bad : {"<", ">", "&", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
    EXPECT_EQ(safe.find(bad), std::string::npos) << bad;
  }
  EXPECT_NE(safe.find("\\u003c/script\\u003e\\u003c!--"), std::string::npos) << safe;
  EXPECT_EQ(nlohmann::json::parse(safe), value) << "the escapes keep the JSON's value";
}

TEST(Base64, MatchesRfc4648TestVectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\xff\x00\xfe", 3)), "/wD+");
}

TEST(Base64, EncodesALargeInputWholeWithoutLineBreaks) {
  std::string bytes(7'654'321, '\0');  // more than one piece of the encoder's input
  std::uint32_t state = 20261206;
  for (char& byte : bytes) {
    state = state * 1664525u + 1013904223u;
    byte = static_cast<char>(state >> 24);
  }
  const std::string encoded = base64(bytes);
  ASSERT_EQ(encoded.size(), (bytes.size() + 2) / 3 * 4);
  EXPECT_EQ(encoded.find_first_of("\r\n"), std::string::npos);
  std::string decoded(encoded.size() / 4 * 3, '\0');
  ASSERT_EQ(EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                            reinterpret_cast<const unsigned char*>(encoded.data()),
                            static_cast<int>(encoded.size())),
            static_cast<int>(decoded.size()));
  decoded.resize(bytes.size());  // EVP_DecodeBlock counts the padding as zero bytes
  EXPECT_TRUE(decoded == bytes) << "the encoding decodes back to the input";
}

TEST(FillTemplate, EscapesSlotsUnlessTheTemplateSaysRaw) {
  EXPECT_EQ(fill_template("<p title=\"{{t}}\">{{{html}}}</p>{{t}}",
                          {{"t", "a\"<b>&"}, {"html", "<b>x</b>"}}),
            "<p title=\"a&quot;&lt;b&gt;&amp;\"><b>x</b></p>a&quot;&lt;b&gt;&amp;");
  EXPECT_EQ(fill_template("no slots", {}), "no slots");
  EXPECT_EQ(fill_template("{{a}}{{b}}", {{"a", "{{b}}"}, {"b", "1"}}), "{{b}}1")
      << "a value is not a template";
}

TEST(FillTemplate, AnUnfilledOrUnknownSlotIsAnError) {
  const auto message = [](std::string_view text, const TemplateSlots& slots) -> std::string {
    try {
      fill_template(text, slots);
    } catch (const Error& error) {
      EXPECT_EQ(error.category(), ErrorCategory::kInternal);
      return error.what();
    }
    return "no error";
  };
  EXPECT_NE(message("<h1>{{title}}</h1>", {}).find("{{title}} has no value"), std::string::npos);
  EXPECT_NE(message("<h1>{{{body}}}</h1>", {{"title", "x"}}).find("{{body}} has no value"),
            std::string::npos);
  EXPECT_NE(
      message("<h1>{{title}}</h1>", {{"title", "x"}, {"tilte", "y"}}).find("'tilte' names no slot"),
      std::string::npos);
  EXPECT_NE(message("<h1>{{title</h1>", {{"title", "x"}}).find("not closed"), std::string::npos);
}

TEST(PlayerTemplates, EveryShippedTemplateIsFilledWhole) {
  // The templates hold no slot the code leaves unfilled: a page and a snippet come out with no
  // "{{" left over.
  const Article article = article_of(kStory);
  ListeningPageOptions options;
  options.audio_src = "story.mp3";
  const std::string page = listening_page_html(article, every_word(article), options);
  EXPECT_EQ(page.find("{{"), std::string::npos);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_EQ(page.substr(page.size() - 8), "</html>\n");
  const PlayerSnippet snippet = player_snippet(SnippetOptions{});
  EXPECT_EQ(snippet.html.find("{{"), std::string::npos);
  EXPECT_NE(snippet.html.find("data-narrator-marks=\"\""), std::string::npos)
      << "the snippet always names its marks";
}

TEST(DataUri, NamesTheAudioType) {
  EXPECT_EQ(data_uri("foo", AudioFormat::kMp3), "data:audio/mpeg;base64,Zm9v");
  EXPECT_EQ(data_uri("foo", AudioFormat::kWav), "data:audio/wav;base64,Zm9v");
  EXPECT_EQ(data_uri("", AudioFormat::kOgg), "data:audio/ogg;base64,");
  EXPECT_EQ(data_uri("", AudioFormat::kOpus), "data:audio/ogg;codecs=opus;base64,");
}

TEST(RelativeUrl, IsRelativeToThePagesFolderAndPercentEncoded) {
  EXPECT_EQ(relative_url("story.html", "story.mp3"), "story.mp3");
  EXPECT_EQ(relative_url("out/story.html", "out/audio/story.mp3"), "audio/story.mp3");
  EXPECT_EQ(relative_url("pages/story.html", "audio/a b#?%.mp3"), "../audio/a%20b%23%3F%25.mp3");
  EXPECT_EQ(relative_url("/srv/www/p.html", "/srv/media/x.mp3"), "../media/x.mp3");
  EXPECT_EQ(relative_url("p.html", "ü.mp3"), "%C3%BC.mp3");
}

TEST(EstimatedMinutes, RoundsToTheNearestMinuteAndIsAtLeastOne) {
  EXPECT_EQ(estimated_minutes(0ms), 1);
  EXPECT_EQ(estimated_minutes(89'999ms), 1);
  EXPECT_EQ(estimated_minutes(90'000ms), 2);
  EXPECT_EQ(estimated_minutes(150'000ms), 3);
}

TEST(CspHash, IsTheBase64Sha256) {
  EXPECT_EQ(csp_hash(""), "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

TEST(PlayerAssets, CanBeInlined) {
  EXPECT_GT(player_js().size(), 1000u);
  EXPECT_GT(player_css().size(), 1000u);
  EXPECT_EQ(player_js().find("</"), std::string_view::npos);
  EXPECT_EQ(player_js().find("<!--"), std::string_view::npos);
  EXPECT_EQ(player_css().find("</"), std::string_view::npos);
}

TEST(ListeningPage, ShowsMarkupAsInertText) {
  Article article = article_of(kMarkup);
  article.metadata.title = "</script><script>window.__xss=1</script>";
  article.metadata.byline = "<b onmouseover=\"x\">Jo</b>";
  ListeningPageOptions options;
  options.audio_src = "a\" onerror=\"window.__xss=1.mp3";
  options.disclaimer = "<i>made by a machine</i>";
  options.duration = 5s;
  const std::string page = listening_page_html(article, every_word(article), options);
  EXPECT_NE(page.find("&lt;script&gt;window.__xss=1&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("onerror=&quot;window.__xss=1&quot;&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;/script&gt;&lt;!--"), std::string::npos);
  EXPECT_EQ(page.find("<script>window"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<a "), std::string::npos);
  EXPECT_EQ(page.find("<b "), std::string::npos);
  EXPECT_EQ(page.find("<i>"), std::string::npos);
  EXPECT_EQ(page.find("<!--"), std::string::npos);
  EXPECT_EQ(count(page, "<script"), 2u) << "the player's data and its code";
  EXPECT_EQ(count(page, "</script>"), 2u);
  EXPECT_NE(page.find("src=\"a&quot; onerror=&quot;window.__xss=1.mp3\""), std::string::npos);
}

// The line under the headline: one separator between the parts present, never doubled, even
// when a part brings its own; the date as a reader reads it, never raw ISO.
TEST(ListeningPage, BylineLineJoinsThePartsOnceWithAReadableDate) {
  ArticleMetadata metadata;
  metadata.byline = "By Jane Smith \u00B7";
  metadata.publication = "The Daily Example";
  metadata.date = "2024-03-05T09:00:00Z";
  EXPECT_EQ(byline_line(metadata, "en"),
            "By Jane Smith \u00B7 The Daily Example \u00B7 March 5, 2024 at 9:00 AM");
  EXPECT_EQ(byline_line(metadata, "en-GB"),
            "By Jane Smith \u00B7 The Daily Example \u00B7 5 March 2024 at 09:00");
  metadata.byline.clear();
  metadata.date = "2024-03-05";
  EXPECT_EQ(byline_line(metadata, "en"), "The Daily Example \u00B7 March 5, 2024");
  metadata.publication.clear();
  metadata.date = "Tuesday morning";
  EXPECT_EQ(byline_line(metadata, "en"), "Tuesday morning") << "an unparsable date as written";
  EXPECT_EQ(byline_line(ArticleMetadata{}, "en"), "");

  Article article = article_of(kStory);
  article.metadata.byline = "by Jane Smith |";
  article.metadata.publication = "The Daily Example";
  article.metadata.date = "2024-03-05T09:00:00Z";
  ListeningPageOptions options;
  options.audio_src = "story.mp3";
  const std::string page = listening_page_html(article, every_word(article), options);
  EXPECT_NE(page.find("<p class=\"narrator-byline\">By Jane Smith \u00B7 The Daily Example \u00B7 "
                      "March 5, 2024 at 9:00 AM</p>"),
            std::string::npos)
      << page;
  EXPECT_EQ(page.find("2024-03-05T"), std::string::npos) << "a raw ISO date is shown";
}

// An article without a headline: its <h1> is the metadata title, else its first sentence, else
// the file name; never the player label's words.
TEST(ListeningPage, HeadlineFallsBackToTitleThenFirstSentenceThenFileName) {
  constexpr std::string_view kNoHeadline =
      "The first sleeper service in a decade left Northgate at ten in the evening. Forty "
      "passengers were on board.\n\nTickets cost $60 for adults, and include breakfast.\n";
  ListeningPageOptions options;
  options.audio_src = "story.mp3";
  const auto h1_of = [&options](const Article& article) {
    const std::string page = listening_page_html(article, every_word(article), options);
    const std::size_t begin = page.find("<h1");
    const std::size_t end = page.find("</h1>", begin);
    const std::string_view markup = std::string_view(page).substr(0, page.find("<script>"));
    EXPECT_EQ(count(markup, "Listen to this article"), 2u) << "the player's label and name only";
    return begin == std::string::npos ? "" : page.substr(begin, end - begin);
  };

  Article article = article_of(kNoHeadline);
  ASSERT_EQ(article.blocks.front().kind, BlockKind::kParagraph);
  EXPECT_EQ(h1_of(article),
            "<h1>The first sleeper service in a decade left Northgate at ten in the evening");
  article.metadata.title = "Night Trains Return";
  EXPECT_EQ(h1_of(article), "<h1>Night Trains Return");

  const Article long_sentence = article_of(
      "Passengers who boarded the first sleeper service in a decade at Northgate on Friday said "
      "the beds were narrow but the coffee was good.\n");
  EXPECT_EQ(page_headline(long_sentence),
            "Passengers who boarded the first sleeper service in a decade at Northgate on\u2026");

  Article empty;
  empty.source_name = "stories/night-trains.html";
  EXPECT_EQ(page_headline(empty), "night-trains");
  EXPECT_EQ(first_sentence("Storm hits coast! More later."), "Storm hits coast!");
  EXPECT_EQ(first_sentence("Short one."), "Short one");
}

TEST(ListeningPage, AllowsOnlyItsOwnInlineCodeAndReferencesNoOtherHost) {
  const Article article = article_of(kStory);
  ListeningPageOptions options;
  options.audio_src = "story.mp3";
  options.duration = 95s;
  options.sentence_starts = {0ms, 2000ms};
  const std::string page = listening_page_html(article, every_word(article), options);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find("//"), page.find("// player.js")) << "no protocol-relative URL either";
  const std::string policy = "default-src 'none'; script-src 'sha256-";
  EXPECT_NE(page.find(html_escape(policy)), std::string::npos);
  EXPECT_NE(page.find(html_escape("'" + csp_hash(player_js()) + "'")), std::string::npos);
  EXPECT_NE(page.find(html_escape("'" + csp_hash(player_css()) + "'")), std::string::npos);
  EXPECT_NE(page.find(html_escape("media-src 'self' data: blob:")), std::string::npos);
  EXPECT_NE(page.find("Estimated 2 minutes"), std::string::npos);
  EXPECT_NE(page.find("<audio class=\"narrator-audio\" controls preload=\"metadata\" "
                      "src=\"story.mp3\">"),
            std::string::npos);
  EXPECT_NE(page.find(std::string(kDefaultPlayerDisclaimer)), std::string::npos);
  EXPECT_NE(page.find("<h1 data-narrator-block><span class=\"narrator-w\" data-b=\"0\" "
                      "data-e=\"300\">Night</span>"),
            std::string::npos)
      << "the headline is spoken, so its words are timed too";
  EXPECT_NE(page.find("\"sentences\":[0,2000]"), std::string::npos);
}

// --- through the narrate command ---

struct CliCase {
  std::string name;
  std::vector<std::string> args;  // after the article; "DIR/" is replaced by the temp folder
  std::string message;            // a part of the error message
};

class PlayerUsageErrors : public ::testing::TestWithParam<CliCase> {};

TEST_P(PlayerUsageErrors, ExitWithUsageCodeAndWriteNothing) {
  const test::TempDir dir;
  test::write_file(dir.path() / "story.txt", std::string(kStory));
  std::vector<std::string> args{dir.file("story.txt")};
  for (std::string arg : GetParam().args) {
    if (arg.rfind("DIR/", 0) == 0) arg = dir.file(arg.substr(4));
    args.push_back(arg);
  }
  const test::ProcessResult result = test::run_narrate(args);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(GetParam().message), std::string::npos) << result.err;
  std::vector<std::string> left;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir.path())) {
    if (entry.path().filename() != "story.txt") left.push_back(entry.path().filename());
  }
  EXPECT_TRUE(left.empty()) << "written: " << left.front();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PlayerUsageErrors,
    ::testing::Values(
        CliCase{"PlayerWithoutOutput",
                {"--player", "DIR/page.html"},
                "--player needs the narration in a file"},
        CliCase{"PlayerWithStdout", {"--player", "DIR/page.html", "-o", "-"}, "add -o FILE.mp3"},
        CliCase{"SnippetWithoutMarks",
                {"--player-snippet", "DIR/s.html", "-o", "DIR/a.wav"},
                "--player-snippet needs --marks FILE.jsonl"},
        CliCase{"SnippetNotHtml",
                {"--player-snippet", "DIR/s.js", "-o", "DIR/a.wav", "--marks", "DIR/m.jsonl"},
                "name the fragment FILE.html"},
        CliCase{"EmbedWithoutPlayer",
                {"-o", "DIR/a.wav", "--player-embed-audio"},
                "--player-embed-audio applies"},
        CliCase{
            "RawAudio", {"-o", "DIR/a.raw", "--player", "DIR/p.html"}, "cannot play raw samples"},
        CliCase{"PageIsTheAudio", {"-o", "DIR/a.wav", "--player", "DIR/a.wav"}, "named twice"}),
    [](const auto& info) { return info.param.name; });

std::vector<nlohmann::json> word_marks(const fs::path& path) {
  std::vector<nlohmann::json> words;
  std::istringstream lines(test::read_file(path));
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json mark = nlohmann::json::parse(line);
    // A word reported again further on (eSpeak NG does, at times) is not shown twice.
    const bool goes_back = !words.empty() && mark.at("start").get<std::size_t>() <
                                                 words.back().at("end").get<std::size_t>();
    if (mark.at("type") == "word" && !goes_back) words.push_back(std::move(mark));
  }
  return words;
}

TEST(PlayerOption, WritesAPageWhoseWordsAreTheSpeechMarks) {
  const test::TempDir dir;
  test::write_file(dir.path() / "story.txt", std::string(kStory));
  fs::create_directories(dir.path() / "audio");
  const test::ProcessResult result =
      test::run_narrate({dir.file("story.txt"), "-o", dir.file("audio/night trains.mp3"),
                         "--player", dir.file("story.html"), "--marks", dir.file("story.jsonl"),
                         "--player-disclaimer", "Read by <a machine>.", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string page = test::read_file(dir.path() / "story.html");
  EXPECT_NE(page.find("src=\"audio/night%20trains.mp3\""), std::string::npos);
  EXPECT_NE(page.find("Read by &lt;a machine&gt;."), std::string::npos);
  EXPECT_NE(page.find("Estimated 1 minute<"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);

  // Each word span is one speech mark: the same word, the same time, in order.
  const std::vector<nlohmann::json> marks = word_marks(dir.path() / "story.jsonl");
  const std::regex span(
      R"re(<span class="narrator-w" data-b="(\d+)" data-e="(\d+)">([^<]*)</span>)re");
  std::size_t index = 0;
  long long previous_end = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), span); it != std::sregex_iterator();
       ++it, ++index) {
    ASSERT_LT(index, marks.size());
    EXPECT_EQ((*it)[3].str(), marks[index].at("value").get<std::string>());
    EXPECT_EQ(std::stoll((*it)[1].str()), marks[index].at("time").get<long long>());
    if (index > 0) {
      EXPECT_EQ(std::stoll((*it)[1].str()), previous_end) << "intervals touch";
    }
    previous_end = std::stoll((*it)[2].str());
  }
  EXPECT_EQ(index, marks.size());
}

TEST(PlayerOption, EmbedsTheAudioAsADataUri) {
  const test::TempDir dir;
  test::write_file(dir.path() / "story.txt", std::string(kStory));
  const test::ProcessResult result =
      test::run_narrate({dir.file("story.txt"), "-o", dir.file("story.mp3"), "--player",
                         dir.file("story.html"), "--player-embed-audio", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string page = test::read_file(dir.path() / "story.html");
  const std::string prefix = "src=\"data:audio/mpeg;base64,";
  const std::size_t begin = page.find(prefix);
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = page.find('"', begin + prefix.size());
  EXPECT_EQ(page.substr(begin + prefix.size(), end - begin - prefix.size()),
            base64(test::read_file(dir.path() / "story.mp3")));
}

TEST(PlayerSnippetOption, WritesTheFragmentWithItsScriptAndStyleBeside) {
  const test::TempDir dir;
  test::write_file(dir.path() / "story.txt", std::string(kStory));
  const test::ProcessResult result = test::run_narrate(
      {dir.file("story.txt"), "-o", dir.file("story.wav"), "--marks", dir.file("story.jsonl"),
       "--player-snippet", dir.file("story-player.html"), "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string fragment = test::read_file(dir.path() / "story-player.html");
  EXPECT_NE(fragment.find("data-narrator-marks=\"story.jsonl\""), std::string::npos);
  EXPECT_NE(fragment.find("src=\"story.wav\""), std::string::npos);
  EXPECT_NE(fragment.find("<script src=\"story-player.js\" defer></script>"), std::string::npos);
  EXPECT_NE(fragment.find("<link rel=\"stylesheet\" href=\"story-player.css\">"),
            std::string::npos);
  EXPECT_EQ(fragment.find("<html"), std::string::npos) << "a fragment, not a page";
  EXPECT_EQ(test::read_file(dir.path() / "story-player.js"), player_js());
  EXPECT_EQ(test::read_file(dir.path() / "story-player.css"), player_css());
}

}  // namespace
}  // namespace narrator::cli
