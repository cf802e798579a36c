// The normalizer alone (no voice): golden tables per class, spans and classes, fallbacks, and the
// coverage property.
#include "normalizer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "golden_table.hpp"
#include "narrator/article.hpp"
#include "narrator/lexicon/name_router.hpp"
#include "narrator/lexicon/sentence_rules.hpp"
#include "number_text.hpp"
#include "sentence_splitter.hpp"
#include "ssml_stage.hpp"

namespace narrator {
namespace {

constexpr std::size_t kMaxSentenceBytes = 600;

struct Fixture {
  NormalizationData data = load_normalization_data("en");
  SentenceSplitter splitter{"en", load_sentence_rules("en"), kMaxSentenceBytes};
  Normalizer normalizer{data, "en"};
};

const Fixture& fixture() {
  static const Fixture instance;
  return instance;
}

struct Normalized {
  std::string spoken;
  std::vector<Diagnostic> diagnostics;
};

// What `narrate normalize` prints for one line: every sentence's spoken text, space-joined.
Normalized normalize(const std::string& line) {
  CollectingDiagnostics diagnostics;
  // One line of a table is not a page: a lone date or time is text here, not a timestamp.
  ReadOptions options;
  options.keep_page_furniture = true;
  const Article article = read_article(line, "test", options, diagnostics);
  Normalized out;
  for (const Sentence& sentence : fixture().splitter.split(article)) {
    const Utterance utterance = fixture().normalizer.normalize(article.text, sentence, diagnostics);
    for (const SpokenWord& word : utterance.words) {
      out.spoken += (out.spoken.empty() ? "" : " ") + word.text;
    }
  }
  // The reader's note of the encoding read is not the normalizer's to report.
  for (Diagnostic& diagnostic : diagnostics.items()) {
    if (diagnostic.code != "input.encoding") out.diagnostics.push_back(std::move(diagnostic));
  }
  return out;
}

// What the voice reads for one line of SSML body (wrapped in <speak><p>…</p></speak>): every
// sentence's words after normalization and the SSML rewrite (say-as, sub, phoneme).
// `reported` (when given) receives the diagnostics.
std::string normalize_ssml(const std::string& line, std::vector<Diagnostic>* reported = nullptr) {
  CollectingDiagnostics diagnostics;
  const Article article = read_input("<speak>\n<p>" + line + "</p></speak>", "test.ssml",
                                     InputFormat::kSsml, ReadOptions{}, diagnostics);
  const SpanRewriter rewriter(fixture().normalizer);
  std::string spoken;
  for (const Sentence& sentence : apply_breaks(article, fixture().splitter.split(article))) {
    Utterance utterance = fixture().normalizer.normalize(article.text, sentence, diagnostics);
    rewriter.rewrite(article, sentence, utterance, diagnostics);
    for (const SpokenWord& word : utterance.words) {
      spoken += (spoken.empty() ? "" : " ") + word.text;
    }
  }
  if (reported != nullptr) *reported = diagnostics.items();
  return spoken;
}

std::vector<Token> classify(const std::string& text) {
  return fixture().normalizer.classify(
      text, Sentence{SourceSpan{0, text.size()}, 0, PauseKind::kSentence, std::nullopt});
}

class NormalizeTable : public ::testing::TestWithParam<test::GoldenRow> {};

TEST_P(NormalizeTable, SpeaksTheExpectedText) {
  const test::GoldenRow& row = GetParam();
  EXPECT_EQ(normalize(row.input).spoken, row.expected)
      << row.file << ":" << row.line << ": \"" << row.input << "\"";
}

std::vector<test::GoldenRow> all_normalize_rows() {
  std::vector<test::GoldenRow> rows;
  for (const char* name :
       {"cardinal",    "ordinal",   "decimal",    "fraction",     "percent",      "money",
        "measure",     "date",      "year",       "time",         "range",        "telephone",
        "electronic",  "hashtag",   "roman",      "abbreviation", "acronym",      "symbol",
        "punctuation", "bad_input", "identifier", "address",      "letter_group", "digit",
        "verbatim",    "ratio"}) {
    std::vector<test::GoldenRow> table =
        test::load_golden_table(std::string("normalize/") + name + ".tsv");
    rows.insert(rows.end(), table.begin(), table.end());
  }
  return rows;
}

INSTANTIATE_TEST_SUITE_P(English, NormalizeTable, ::testing::ValuesIn(all_normalize_rows()),
                         test::golden_row_name);

// Numbers joined to signs and letters: equations and serials.
std::vector<test::GoldenRow> joined_number_rows() {
  std::vector<test::GoldenRow> rows = test::load_golden_table("normalize/math.tsv");
  const std::vector<test::GoldenRow> serial = test::load_golden_table("normalize/serial.tsv");
  rows.insert(rows.end(), serial.begin(), serial.end());
  return rows;
}

INSTANTIATE_TEST_SUITE_P(EnglishJoinedNumbers, NormalizeTable,
                         ::testing::ValuesIn(joined_number_rows()), test::golden_row_name);

class SayAsTable : public ::testing::TestWithParam<test::GoldenRow> {};

TEST_P(SayAsTable, SpeaksTheExpectedText) {
  const test::GoldenRow& row = GetParam();
  EXPECT_EQ(normalize_ssml(row.input), row.expected)
      << row.file << ":" << row.line << ": \"" << row.input << "\"";
}

INSTANTIATE_TEST_SUITE_P(English, SayAsTable,
                         ::testing::ValuesIn(test::load_golden_table("normalize/say_as.tsv")),
                         test::golden_row_name);

// A say-as whose text is not of its kind is read as written (the table above has what is said),
// with a warning that names the SSML line and what the kind expects.
TEST(Normalizer, SayAsTextOfAnotherKindIsReadAsWrittenWithAWarning) {
  std::vector<Diagnostic> reported;
  normalize_ssml(
      "<say-as interpret-as=\"cardinal\">1e308</say-as> and\n"
      "<say-as interpret-as=\"ordinal\">1e3</say-as> and\n"
      "<say-as interpret-as=\"cardinal\">-5</say-as>",
      &reported);
  ASSERT_EQ(reported.size(), 2u);
  EXPECT_EQ(reported[0].code, "ssml.say_as_mismatch");
  EXPECT_EQ(reported[0].severity, Severity::kWarning);
  EXPECT_EQ(reported[0].message,
            "test.ssml:2: <say-as interpret-as=\"cardinal\"> holds \"1e308\", which is not a "
            "number as written (such as \"-5\", \"1,204\" or \"3.5\"); it is read as written; "
            "change the text or the interpret-as");
  EXPECT_NE(reported[1].message.find("test.ssml:3: <say-as interpret-as=\"ordinal\"> holds "
                                     "\"1e3\", which is not a whole number"),
            std::string::npos)
      << reported[1].message;
}

// Prosody is clamped before it becomes the voice's integer settings: "1e300%" is the fastest rate
// (450 wpm), not an overflow into the slowest, and 256 nested hundredfold changes stay finite.
TEST(SsmlStage, ExtremeProsodyGivesTheVoicesLimits) {
  std::string nested;
  for (int i = 0; i < 250; ++i) nested += "<prosody rate=\"1e300%\" volume=\"silent\">";
  nested += "Deep.";
  for (int i = 0; i < 250; ++i) nested += "</prosody>";
  const std::string ssml =
      "<speak><p><prosody rate=\"1e300%\" pitch=\"+1e300st\">Fast.</prosody> " + nested +
      " <prosody rate=\"0.0001%\">Slow.</prosody></p></speak>";
  CollectingDiagnostics diagnostics;
  const Article article =
      read_input(ssml, "test.ssml", InputFormat::kSsml, ReadOptions{}, diagnostics);
  const std::vector<Sentence> sentences = apply_breaks(article, fixture().splitter.split(article));
  ASSERT_EQ(sentences.size(), 3u);
  const VoiceOptions voice;
  const VoiceOptions fast = voice_for(article, sentences[0], voice);
  EXPECT_EQ(fast.rate_wpm, 450);
  EXPECT_EQ(fast.pitch, 100);
  const VoiceOptions deep = voice_for(article, sentences[1], voice);
  EXPECT_EQ(deep.rate_wpm, 450);
  EXPECT_EQ(deep.volume, 0);
  EXPECT_EQ(voice_for(article, sentences[2], voice).rate_wpm, 80);
}

// A span changes how its words are said, never where a sentence ends: the sentence stays whole,
// and the voice changes in runs inside it; a <break> inside is a pause between two runs, and an
// <s> end still ends a sentence.
TEST(SsmlStage, SpansAndBreaksInsideASentenceMakeRunsNotSentences) {
  CollectingDiagnostics diagnostics;
  const Article article = read_input(
      "<speak><p>She was <prosody rate=\"slow\">very quiet</prosody> then "
      "<break time=\"300ms\"/> <lang xml:lang=\"fr\">bonjour</lang> and <emphasis>left</emphasis>."
      " <s>One <mark name=\"m\"/>more</s> <s>Last</s></p></speak>",
      "test.ssml", InputFormat::kSsml, ReadOptions{}, diagnostics);
  const std::vector<Sentence> sentences = apply_breaks(article, fixture().splitter.split(article));
  const auto text = [&](SourceSpan span) {
    return article.text.substr(span.begin_byte, span.size_bytes());
  };
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(text(sentences[0].span), "She was very quiet then bonjour and left.");
  EXPECT_EQ(text(sentences[1].span), "One more");
  EXPECT_EQ(text(sentences[2].span), "Last");
  const std::vector<VoiceRun> runs = voice_runs(article, sentences[0]);
  std::vector<std::string> texts;
  std::vector<int> pauses;
  for (const VoiceRun& run : runs) {
    texts.push_back(text(run.span));
    pauses.push_back(run.pause_after_ms);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"She was", "very quiet", "then", "bonjour", "and",
                                             "left", "."}));
  EXPECT_EQ(pauses, (std::vector<int>{0, 0, 300, 0, 0, 0, 0}));
  const VoiceOptions voice;
  EXPECT_LT(voice_for(article, Sentence{runs[1].span, 0, PauseKind::kSentence, std::nullopt}, voice)
                .rate_wpm,
            voice.rate_wpm);
  EXPECT_NE(language_span(article, Sentence{runs[3].span, 0, PauseKind::kSentence, std::nullopt}),
            nullptr);
  EXPECT_EQ(voice_runs(article, sentences[1]).size(), 1u) << "a mark makes no run";
}

TEST(Normalizer, TokensKeepTheirSpansAndClasses) {
  const std::string text = "Prices rose 8.4% \xE2\x80\x94 to $1.2 billion\xC2\xA0in 2021.";
  const std::vector<Token> tokens = classify(text);
  ASSERT_EQ(tokens.size(), 9u);
  EXPECT_EQ(tokens[2].token_class, TokenClass::kPercent);
  EXPECT_EQ(tokens[2].span, (SourceSpan{12, 16}));
  EXPECT_EQ(tokens[3].token_class, TokenClass::kPunctuation);  // the em dash
  EXPECT_EQ(tokens[5].token_class, TokenClass::kMoney);
  EXPECT_EQ(text.substr(tokens[5].span.begin_byte, tokens[5].span.size_bytes()), "$1.2 billion");
  EXPECT_EQ(tokens[6].token_class, TokenClass::kWord);  // "in", after a no-break space
  EXPECT_EQ(tokens[7].token_class, TokenClass::kYear);
  EXPECT_EQ(tokens[8].token_class, TokenClass::kPunctuation);
}

TEST(Normalizer, PhonemeBracketsAndReplacementCharactersNeverReachTheVoice) {
  // Brackets around a word are pauses; inside a word they are removed and reported.
  const Normalized out = normalize("say [[h@l'oU]] and a[[b]]c caf\xEF\xBF\xBD now");
  // The bracketed word is text read sign by sign, its "@" by name (a fallback, reported).
  EXPECT_EQ(out.spoken, "say, H at l'oU, and abc caf now");
  ASSERT_EQ(out.diagnostics.size(), 3u);
  EXPECT_EQ(out.diagnostics[0].code, "tn.verbatim_fallback");
  EXPECT_EQ(out.diagnostics[0].span, (SourceSpan{6, 12}));
  EXPECT_EQ(out.diagnostics[1].code, "tn.unspeakable_removed");
  EXPECT_EQ(out.diagnostics[1].span, (SourceSpan{19, 26}));
}

TEST(Normalizer, UnreadableTokensAreSpokenAsWrittenWithAWarning) {
  const Normalized out = normalize("The code 12:34:56:78 failed.");
  EXPECT_EQ(out.spoken, "The code 12:34:56:78 failed.");
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].code, "tn.verbatim_fallback");
  EXPECT_EQ(out.diagnostics[0].span, (SourceSpan{9, 20}));
}

TEST(Normalizer, SignsAndLettersNoRuleReadsAreReadSignBySignWithAWarning) {
  const Normalized out = normalize("The tag ok#go$ trended, and R&D grew.");
  EXPECT_EQ(out.spoken, "The tag ok number go dollar trended, and R and D grew.");
  // The mixed token is a fallback; letters joined by an ampersand are a rule of their own.
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].code, "tn.verbatim_fallback");
  EXPECT_EQ(out.diagnostics[0].span, (SourceSpan{8, 14}));
}

TEST(Normalizer, AHugeTokenIsReadWithoutDroppingText) {
  const std::string digits(500, '7');
  const Normalized out = normalize("Number " + digits + " ends.");
  std::size_t sevens = 0;
  for (std::size_t at = out.spoken.find("seven"); at != std::string::npos;
       at = out.spoken.find("seven", at + 1)) {
    ++sevens;
  }
  EXPECT_EQ(sevens, 500u);
  EXPECT_TRUE(out.spoken.starts_with("Number seven seven seven, seven")) << out.spoken;
  EXPECT_TRUE(out.spoken.ends_with("seven seven ends.")) << out.spoken;
}

// A megabyte in one token (the splitter caps sentences, but the stages must not depend on it):
// classified in one linear pass and covered whole.
TEST(Normalizer, AMegabyteTokenIsClassifiedWhole) {
  for (const char* unit : {"7", "a1", "$-"}) {
    std::string text;
    while (text.size() < 1'000'000) text += unit;
    const std::vector<Token> tokens = classify(text);
    ASSERT_FALSE(tokens.empty()) << unit;
    EXPECT_EQ(tokens.front().span.begin_byte, 0u) << unit;
    EXPECT_EQ(tokens.back().span.end_byte, text.size()) << unit;
  }
}

TEST(Normalizer, ControlCharactersSeparateWordsAndAreNeverSpoken) {
  const Normalized out = normalize("Minsk\x01said\x1Fit\x7F rose 5\x02%.");
  EXPECT_EQ(out.spoken, "Minsk said it rose five percent.");
}

// Every letter and digit of the input lies inside some token's range: nothing is dropped
// between classification and the voice.
TEST(Normalizer, EveryLetterAndDigitIsCoveredByAToken) {
  const std::string alphabet =
      "abcXYZ0123456789 .,;:!?()[]{}'\"-\xE2\x80\x94\xE2\x80\x93$%/&@#+=\xE2\x82\xAC\xC2\xA3 "
      "\xD0\x90\xD0\xB1\xC5\x81\xC5\xAD\t";
  std::mt19937 random(20261123);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    for (int at = 0; at < 60; ++at) {
      const std::size_t chosen = pick(random);
      const auto byte = static_cast<unsigned char>(alphabet[chosen]);
      if (byte >= 0x80) continue;  // keep the text valid UTF-8: multi-byte letters come below
      text += alphabet[chosen];
    }
    text +=
        " \xD0\x90\xD0\xB1 \xC5\x81\xC5\xAD 4\xE2\x80\x93"
        "5";
    const std::vector<Token> tokens = classify(text);
    for (std::size_t at = 0; at < text.size(); ++at) {
      const auto byte = static_cast<unsigned char>(text[at]);
      if (!std::isalnum(byte) && byte < 0x80) continue;
      const bool covered = std::any_of(tokens.begin(), tokens.end(), [&](const Token& token) {
        return token.span.begin_byte <= at && at < token.span.end_byte;
      });
      ASSERT_TRUE(covered) << "byte " << at << " of \"" << text << "\"";
    }
  }
}

// ---- the digit property ---------------------------------------------------------------------

// A spoken word that says a number or part of one: "seven", "twenty-one", "oh", "thirteenth",
// "halves", "nineties".
bool is_number_word(std::string word) {
  static const std::vector<std::string> kWords{
      "zero",       "oh",        "one",       "two",       "three",     "four",     "five",
      "six",        "seven",     "eight",     "nine",      "ten",       "eleven",   "twelve",
      "thirteen",   "fourteen",  "fifteen",   "sixteen",   "seventeen", "eighteen", "nineteen",
      "twenty",     "thirty",    "forty",     "fifty",     "sixty",     "seventy",  "eighty",
      "ninety",     "hundred",   "thousand",  "million",   "billion",   "trillion", "first",
      "second",     "third",     "fifth",     "eighth",    "ninth",     "twelfth",  "half",
      "halve",      "quarter",   "twentieth", "thirtieth", "fortieth",  "fiftieth", "sixtieth",
      "seventieth", "eightieth", "ninetieth", "hundredth", "thousandth"};
  while (!word.empty() && !std::isalpha(static_cast<unsigned char>(word.back()))) word.pop_back();
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (word.ends_with("ies")) word = word.substr(0, word.size() - 3) + "y";  // nineties
  if (word.ends_with('s')) word.pop_back();                                 // thirds, halves
  if (std::find(kWords.begin(), kWords.end(), word) != kWords.end()) return true;
  return word.ends_with("th") &&
         std::find(kWords.begin(), kWords.end(), word.substr(0, word.size() - 2)) != kWords.end();
}

std::size_t count_number_words(const std::string& spoken) {
  std::size_t count = 0;
  std::string word;
  for (const char c : spoken + " ") {
    if (c == ' ' || c == '-' || c == ',') {
      count += is_number_word(word) ? 1 : 0;
      word.clear();
    } else {
      word += c;
    }
  }
  return count;
}

// One generated sentence: digits in the shapes the rules read (codes, ranges, dates, money,
// units, addresses, web addresses, glued punctuation) and in shapes no rule reads.
std::string generated_sentence(std::mt19937& random) {
  const auto digits = [&](std::size_t min, std::size_t max) {
    std::string out;
    const std::size_t length = std::uniform_int_distribution<std::size_t>(min, max)(random);
    for (std::size_t at = 0; at < length; ++at) {
      out += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(random));
    }
    return out;
  };
  const auto caps = [&](std::size_t length) {
    std::string out;
    for (std::size_t at = 0; at < length; ++at) {
      out += static_cast<char>('A' + std::uniform_int_distribution<int>(0, 25)(random));
    }
    return out;
  };
  const std::vector<std::string> shapes{
      caps(2) + " " + digits(3, 6),
      digits(1, 4) + "-" + digits(1, 4),
      "0" + digits(2, 3) + "-" + digits(3, 4),
      digits(1, 3) + "-" + digits(1, 4) + "-" + digits(1, 5) + "-X",
      digits(1, 2) + "/" + digits(1, 2) + "/" + digits(2, 2),
      "$" + digits(1, 4) + "." + digits(2, 2),
      "$." + digits(2, 2),
      "Rs." + digits(1, 5),
      digits(1, 3) + "\" long",
      digits(1, 3) + " hp",
      digits(1, 2) + "\xC2\xBA",
      "march," + digits(4, 4),
      "(" + digits(1, 2) + " April " + digits(4, 4) + ").then",
      "the " + digits(4, 4) + " strike",
      digits(3, 4) + " W Elm St",
      "www.ex" + digits(1, 3) + ".com/a" + digits(1, 4) + ".pdf",
      "C" + digits(1, 3) + "++",
      digits(1, 2) + ":" + digits(2, 2) + ":" + digits(2, 2) + ":" + digits(1, 2),
      digits(1, 3) + "- " + digits(1, 3) + " = " + digits(1, 3),
      caps(1) + digits(1, 5) + caps(1) + digits(1, 3),
      digits(9, 30),
      digits(1, 3) + "(" + digits(1, 2) + "):e" + digits(5, 8),
  };
  std::string sentence = "Here";
  for (int count = 0; count < 3; ++count) {
    sentence +=
        " " + shapes[std::uniform_int_distribution<std::size_t>(0, shapes.size() - 1)(random)];
  }
  return sentence + " ends.";
}

// No digit of the input is lost between the text and the voice. Every run of digits lies in a
// token, and each token says at least one number word per run of digits it covers, except the
// runs a rule consumed and reports by its class: a date's month ("11/17" → November), zeros a
// time or an amount leaves unsaid ("15:00" → fifteen o'clock, "$5.00" → five dollars). A token
// no rule reads goes to the voice as written, digits and all, with a warning.
TEST(Normalizer, NoDigitIsLostUnlessARuleConsumedIt) {
  std::mt19937 random(20261207);
  for (int round = 0; round < 300; ++round) {
    const std::string text = generated_sentence(random);
    SCOPED_TRACE(text);
    const Sentence sentence{SourceSpan{0, text.size()}, 0, PauseKind::kSentence, std::nullopt};
    CollectingDiagnostics diagnostics;
    const std::vector<Token> tokens = fixture().normalizer.classify(text, sentence);
    const Utterance utterance = fixture().normalizer.normalize(text, sentence, diagnostics);
    for (std::size_t index = 0; index < tokens.size(); ++index) {
      const Token& token = tokens[index];
      const std::string_view written =
          std::string_view(text).substr(token.span.begin_byte, token.span.size_bytes());
      const std::vector<std::string_view> runs = detail::digit_runs(written);
      if (runs.empty()) continue;
      std::string spoken;
      for (const SpokenWord& word : utterance.words) {
        if (word.token_index == index) spoken += word.text + " ";
      }
      if (token.token_class == TokenClass::kWord) {
        EXPECT_NE(spoken.find(runs.front()), std::string::npos) << written;
        const std::vector<Diagnostic> reported = diagnostics.items();
        const bool warned =
            std::any_of(reported.begin(), reported.end(), [&](const Diagnostic& item) {
              return item.code == "tn.verbatim_fallback" && item.span == token.span;
            });
        EXPECT_TRUE(warned) << "'" << written << "' is read as written without a warning";
        continue;
      }
      EXPECT_EQ(spoken.find_first_of("0123456789"), std::string::npos)
          << "'" << written << "' left digits for the voice: " << spoken;
      std::size_t consumed = 0;
      const bool drops_zeros = token.token_class == TokenClass::kTime ||
                               token.token_class == TokenClass::kMoney ||
                               token.token_class == TokenClass::kRange;
      for (const std::string_view run : runs) {
        const bool zeros = run.find_first_not_of('0') == std::string_view::npos;
        consumed += drops_zeros && zeros ? 1 : 0;
      }
      if (token.token_class == TokenClass::kDate) consumed += 1;
      EXPECT_GE(count_number_words(spoken) + consumed, runs.size())
          << "'" << written << "' (class " << static_cast<int>(token.token_class) << ") is spoken '"
          << spoken << "'";
    }
  }
}

// The acronym policy's evidence, each kind on its own: capitals of four or more letters that no
// table lists are a word when the voice's word lists hold them or English can say them, letters
// otherwise; acronyms.tsv overrides both ways.
class FixedWords final : public WordList {
 public:
  explicit FixedWords(std::vector<std::string> words) : words_(std::move(words)) {}
  std::string_view name() const noexcept override { return "fixed"; }
  bool contains(std::string_view lower) const override {
    return std::find(words_.begin(), words_.end(), lower) != words_.end();
  }

 private:
  std::vector<std::string> words_;
};

std::string spoken_with(const NormalizationData& data, const std::string& text,
                        std::vector<std::shared_ptr<const WordList>> words = {}) {
  const Normalizer normalizer(data, "en", std::move(words));
  CollectingDiagnostics diagnostics;
  const Sentence whole{SourceSpan{0, text.size()}, 0, PauseKind::kSentence, std::nullopt};
  std::string spoken;
  for (const SpokenWord& word : normalizer.normalize(text, whole, diagnostics).words) {
    spoken += (spoken.empty() ? "" : " ") + word.text;
  }
  return spoken;
}

TEST(AcronymPolicy, PronounceabilityFollowsEnglishSyllables) {
  for (const char* word : {"CERN", "ICANN", "DARPA", "SEPTA", "EURO", "HRODNA", "Minsk"}) {
    EXPECT_TRUE(pronounceable(word, fixture().data.syllable_clusters)) << word;
  }
  // No vowel, an onset or coda English does not have, three vowels, a vowel pair no word starts
  // with.
  for (const char* word : {"GCHQ", "FCDO", "NCAA", "TSBN", "DHKL", "ZQEP", "AOEU", "IAFT", ""}) {
    EXPECT_FALSE(pronounceable(word, fixture().data.syllable_clusters)) << word;
  }
  EXPECT_EQ(spoken_with(fixture().data, "The CERN team and the FCDO met."),
            "The Cern team and the F-C-D-O met.");
}

TEST(AcronymPolicy, TheVoicesWordListsMakeAWord) {
  // "STRENGTHS" ends in a cluster the syllable test does not know: spelled without evidence, a
  // word once a word list holds it.
  ASSERT_FALSE(pronounceable("STRENGTHS", fixture().data.syllable_clusters));
  EXPECT_EQ(spoken_with(fixture().data, "The STRENGTHS were listed."),
            "The S-T-R-E-N-G-T-H-S were listed.");
  const auto words = std::make_shared<const FixedWords>(std::vector<std::string>{"strengths"});
  EXPECT_EQ(spoken_with(fixture().data, "The STRENGTHS were listed.", {words}),
            "The Strengths were listed.");
  // The lists fold case and hold acronyms too: an entry that cannot begin a word is still spelled.
  const auto acronyms =
      std::make_shared<const FixedWords>(std::vector<std::string>{"fcdo", "gchq"});
  ASSERT_FALSE(sayable_start("FCDO", fixture().data.syllable_clusters));
  ASSERT_TRUE(sayable_start("STRENGTHS", fixture().data.syllable_clusters));
  EXPECT_EQ(spoken_with(fixture().data, "The FCDO and GCHQ met.", {acronyms}),
            "The F-C-D-O and G-C-H-Q met.");
}

TEST(AcronymPolicy, ShortWordsInShoutedTextAreWordsWhenTheListsHoldThem) {
  const auto words = std::make_shared<const FixedWords>(
      std::vector<std::string>{"breaking", "news", "no", "deal", "at", "cbc", "today"});
  // In a run of shouted words, a short group the lists hold and English can say is a word; one
  // English cannot say ("CBC") and a listed acronym ("UN") stay letters, and so does a lone one.
  EXPECT_EQ(spoken_with(fixture().data, "BREAKING NEWS: NO DEAL AT CBC OR UN TODAY", {words}),
            "breaking news: no Deal at C-B-C O-R U-N Today");
  EXPECT_EQ(spoken_with(fixture().data, "He said NO to it.", {words}), "He said N-O to it.");
  EXPECT_EQ(spoken_with(fixture().data, "BREAKING NEWS: NO DEAL", {words}),
            "breaking news: no Deal");
  EXPECT_EQ(spoken_with(fixture().data, "BREAKING NEWS: NO DEAL"), "Breaking N-E-W-S: N-O Deal");
}

TEST(AcronymPolicy, TheExceptionsTableOverridesBothWays) {
  // Sayable but spelled (listed letters), short but said (listed word).
  ASSERT_TRUE(pronounceable("OSCE", fixture().data.syllable_clusters));
  EXPECT_EQ(spoken_with(fixture().data, "The OSCE and a SIM card."), "The O-S-C-E and a SIM card.");
  // A row wins over the word lists and the syllable test alike.
  NormalizationData data = fixture().data;
  data.acronyms["CERN"] = Acronym{AcronymReading::kLetters, ""};
  data.acronyms["GCHQ"] = Acronym{AcronymReading::kWord, "Gee-chuck"};
  const auto words = std::make_shared<const FixedWords>(std::vector<std::string>{"cern"});
  EXPECT_EQ(spoken_with(data, "CERN and GCHQ met.", {words}), "C-E-R-N and Gee-chuck met.");
}

}  // namespace
}  // namespace narrator
