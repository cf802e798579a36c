// tokens.hpp: the types that flow between the text stages of the pipeline.
//
// classify() cuts a sentence into Tokens, each with its byte range in the article, its semantic
// class and what the class needs to be read (its payload); verbalize() turns Tokens into
// SpokenWords. Keeping the phases apart lets each be tested alone, and lets a token whose class
// cannot be read fall back to its written form with a warning instead of being dropped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "narrator/lexicon/normalization_data.hpp"
#include "narrator/lexicon/pronunciation.hpp"
#include "narrator/source_span.hpp"

namespace narrator {

enum class TokenClass {
  kWord,          // read as written (passes on to the lexicon and the voice)
  kPunctuation,   // shapes prosody only: a pause, a sentence end, or nothing (quotes)
  kCardinal,      // 1,227 · -5 · 1.5 million
  kDecimal,       // 3.14
  kOrdinal,       // 13th
  kFraction,      // 1/2 · ½ · 2 1/2
  kPercent,       // 8.4%
  kMoney,         // $1.2 billion · Br 100
  kMeasure,       // 120 km · -5°C
  kYear,          // 2021 · 1990s · '90s
  kDate,          // July 13, 2021 · 2021-07-13 · Saturday (13)
  kTime,          // 3:30 p.m. · 15:30
  kRange,         // 2020–2022 · 10-15 km
  kTelephone,     // +375 17 222-33-44
  kElectronic,    // URLs, e-mail addresses, domains
  kHashtag,       // #tag · @handle
  kRoman,         // World War II · Louis XVI
  kAbbreviation,  // Mr. · St. · etc.
  kAcronym,       // CBC · NATO · U.S.
  kSymbol,        // & · + · §
  kDigits,        // 007 · a code read digit by digit (payload Reading: groups with pauses)
  kCharacters,    // spelled out, letter by letter and digit by digit (SSML say-as characters)
};

// A number as written, without grouping separators.
struct Number {
  bool negative = false;
  std::string integer;   // digits; empty for ".5"
  std::string fraction;  // digits after the point
  bool has_point = false;
};

enum class NumberStyle {
  kCardinal,  // one thousand two hundred
  kYear,      // twenty twenty-one
  kOrdinal,   // thirteenth
  kDecade,    // nineteen nineties ("1990s"), nineties ("'90s")
  kRegnal,    // the sixteenth (Louis XVI)
  kPairs,     // a house number read in pairs: one twenty-three (123), nineteen forty (1940)
};

// A number with what it counts: the payload of cardinals, ordinals, decimals, fractions,
// percentages, money, measures, years and Roman numerals.
struct Quantity {
  Number number;
  NumberStyle style = NumberStyle::kCardinal;
  std::string numerator;  // fractions: "1/2" (after `number`, the whole part, if any)
  std::string denominator;
  std::string scale;  // "million", "billion"
  const Currency* currency = nullptr;
  const Unit* unit = nullptr;
  const Unit* per_unit = nullptr;  // "$20/mo": twenty dollars per month
  bool percent = false;
  bool attributive = false;  // "a 120 km stretch": the unit stays singular
  std::string prefix;        // a word joined before the number: "mid" in "mid-1990s"
};

struct Range {
  Quantity from;
  Quantity to;
  std::string joiner = "to";  // "by" for dimensions: 2x8
};

struct DateValue {
  int year = 0;  // 0: not given
  int month = 0;
  int day = 0;
  int weekday = 0;          // "Saturday (13)"
  bool day_first = false;   // "13 July 2021": the thirteenth of July
  bool after_the = false;   // "on the 26th May": the article is already written
  bool short_year = false;  // "10/23/07": the year as written, two digits ("oh five")
};

struct TimeValue {
  int hour = 0;
  int minute = 0;
  int second = -1;       // -1: not given
  std::string meridiem;  // spoken ("A-M"), empty for a 24-hour time
  std::string zone;      // as written ("ET")
};

struct TimeRange {
  TimeValue from;
  TimeValue to;
};

// The spoken form, chosen from context while classifying (abbreviations, acronyms, symbols).
struct Reading {
  std::string spoken;
};

using TokenPayload =
    std::variant<std::monostate, Quantity, Range, DateValue, TimeValue, TimeRange, Reading>;

struct Token {
  SourceSpan span;  // into Article::text
  TokenClass token_class = TokenClass::kWord;
  TokenPayload payload;
  bool possessive = false;  // "KGB's": the spoken form takes "'s"
  bool verbatim = false;    // no rule read it: read as written, sign by sign (reported)
};

// One unit of text handed to the voice, linked back to the token it came from.
struct SpokenWord {
  std::string text;  // one or more words, with any prosody punctuation attached (", " ".")
  std::size_t token_index = 0;
  SourceSpan span;       // the source token's span
  bool is_word = true;   // false for a symbol read only for prosody
  bool lexical = false;  // read as written: the lexicon stage may give it a pronunciation
  std::optional<Pronunciation> pronunciation;  // set by the lexicon stage
};

// What the backend speaks for one sentence.
struct Utterance {
  std::vector<SpokenWord> words;
};

}  // namespace narrator
