// The W3C Pronunciation Lexicon Specification 1.0 reader (Lexicon::from_pls), over libxml2.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <vector>

#include "narrator/error.hpp"
#include "narrator/lexicon/lexicon.hpp"

namespace narrator {
namespace {

struct DocumentCloser {
  void operator()(xmlDoc* document) const noexcept { xmlFreeDoc(document); }
};
using DocumentPtr = std::unique_ptr<xmlDoc, DocumentCloser>;

struct XmlStringFree {
  void operator()(xmlChar* text) const noexcept { xmlFree(text); }
};
using XmlString = std::unique_ptr<xmlChar, XmlStringFree>;

bool named(const xmlNode* node, const char* local_name) {
  return node->type == XML_ELEMENT_NODE &&
         xmlStrcmp(node->name, reinterpret_cast<const xmlChar*>(local_name)) == 0;
}

std::string text_of(const xmlNode* node) {
  const XmlString content(xmlNodeGetContent(node));
  std::string text = content ? reinterpret_cast<const char*>(content.get()) : "";
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

std::string attribute(const xmlNode* node, const char* name) {
  const XmlString value(xmlGetProp(node, reinterpret_cast<const xmlChar*>(name)));
  return value ? reinterpret_cast<const char*>(value.get()) : "";
}

[[noreturn]] void fail_at_line(const std::string& source, long line, const std::string& message) {
  throw Error(ErrorCategory::kInput, source + ":" + std::to_string(line) + ": " + message);
}

// One <lexeme>: its graphemes, and a phoneme or an alias.
struct Lexeme {
  std::vector<std::string> graphemes;
  std::string phoneme;
  std::string alias;
  long line = 0;
};

Lexeme read_lexeme(const xmlNode* node) {
  Lexeme lexeme;
  lexeme.line = xmlGetLineNo(node);
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (named(child, "grapheme")) lexeme.graphemes.push_back(text_of(child));
    if (named(child, "phoneme") && lexeme.phoneme.empty()) lexeme.phoneme = text_of(child);
    if (named(child, "alias") && lexeme.alias.empty()) lexeme.alias = text_of(child);
  }
  return lexeme;
}

DocumentPtr parse(std::string_view content, const std::string& source) {
  // No entity substitution, no DTD loading, no network: a lexicon cannot pull in anything else.
  DocumentPtr document(xmlReadMemory(content.data(), static_cast<int>(content.size()),
                                     source.c_str(), nullptr,
                                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!document) {
    const xmlError* error = xmlGetLastError();
    std::string message =
        error != nullptr && error->message != nullptr ? error->message : "not well-formed XML";
    while (!message.empty() && message.back() == '\n') message.pop_back();
    fail_at_line(source, error != nullptr ? error->line : 1, message + "; fix the XML");
  }
  return document;
}

}  // namespace

Lexicon Lexicon::from_pls(std::string_view content, std::string name, std::string source_name) {
  Lexicon lexicon(std::move(name), std::move(source_name));
  lexicon.fill_pls(content);
  return lexicon;
}

void Lexicon::fill_pls(std::string_view content) {
  Lexicon& lexicon = *this;
  const std::string source = source_name_;
  const DocumentPtr document = parse(content, source);
  const xmlNode* root = xmlDocGetRootElement(document.get());
  if (root == nullptr || !named(root, "lexicon")) {
    fail_at_line(source, root != nullptr ? xmlGetLineNo(root) : 1,
                 "the root element is not <lexicon>; this is not a W3C PLS file");
  }
  const std::string alphabet = attribute(root, "alphabet");
  if (alphabet != "ipa" && alphabet != "IPA") {
    fail_at_line(source, xmlGetLineNo(root),
                 "alphabet \"" + alphabet +
                     "\" is not supported; write the phonemes in IPA "
                     "(alphabet=\"ipa\")");
  }
  std::vector<Lexeme> aliases;
  for (const xmlNode* node = root->children; node != nullptr; node = node->next) {
    if (!named(node, "lexeme")) continue;
    Lexeme lexeme = read_lexeme(node);
    if (lexeme.graphemes.empty()) {
      problem(static_cast<std::size_t>(lexeme.line),
              "a <lexeme> without a <grapheme>; add the word it is for, or remove the lexeme");
      continue;
    }
    if (lexeme.phoneme.empty() && lexeme.alias.empty()) {
      problem(static_cast<std::size_t>(lexeme.line),
              "'" + lexeme.graphemes.front() +
                  "' has neither a <phoneme> nor an <alias>; add its pronunciation in IPA as a "
                  "<phoneme>");
      continue;
    }
    if (lexeme.phoneme.empty()) {
      aliases.push_back(std::move(lexeme));
      continue;
    }
    for (std::string& grapheme : lexeme.graphemes) {
      lexicon.add(LexiconEntry{std::move(grapheme), lexeme.phoneme,
                               static_cast<std::size_t>(lexeme.line), ""});
    }
  }
  // An alias is read as its text instead of the grapheme ("W3C" → "World Wide Web
  // Consortium"); the voice's own rules (or this lexicon) then say that text.
  for (Lexeme& lexeme : aliases) {
    for (std::string& grapheme : lexeme.graphemes) {
      lexicon.add(LexiconEntry{std::move(grapheme), "", static_cast<std::size_t>(lexeme.line),
                               lexeme.alias});
    }
  }
}

}  // namespace narrator
