// ssml_reader.hpp: an SSML 1.1 document (<speak>) → Article, over libxml2.
#pragma once

#include <string>
#include <string_view>

#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"

namespace narrator {

// Reads the SSML document in `bytes` into an Article with format InputFormat::kSsml.
//
// Article::text is the document's text content with each run of XML whitespace collapsed to one
// space. Each <p>, and each stretch of text outside any <p>, is one kParagraph block; blocks are
// separated by "\n\n". <s>, <break>, <mark>, <prosody>, <emphasis>, <say-as>, <sub>, <phoneme>,
// <lang> and xml:lang become Article::breaks, marks and directives, whose positions index
// Article::text. Article::origins map text bytes back to input bytes (exact for UTF-8 input).
// <desc>, <meta>, <metadata> and <lexicon> are not read (text content goes to Article::dropped);
// <voice> and <audio> contents are read with the narration's voice. Unknown elements are read as
// text, with one "ssml.unknown_element" warning per element name; SSML features that are parsed
// but not carried out are reported as "ssml.unsupported" warnings.
//
// The parser never loads a DTD, never substitutes entities and never touches the network; a
// DOCTYPE that declares any entity is refused outright.
//
// Throws Error(kInput) with "source_name:line:column: ..." for XML that is not well-formed, an
// entity declaration, elements nested more than 256 deep, a root other than <speak>, and an
// attribute value outside SSML's forms (break time and strength, prosody, emphasis level, a
// phoneme alphabet other than IPA, a missing required attribute); and with "source_name: ..." for
// a document without any text to read.
Article read_ssml(std::string bytes, std::string source_name, Diagnostics& diagnostics);

// The <say-as interpret-as> value that names `kind` ("characters", "cardinal", "ordinal", "date",
// "telephone"): the first of the names the reader takes for it.
std::string_view say_as_kind_name(SayAsKind kind);

}  // namespace narrator
