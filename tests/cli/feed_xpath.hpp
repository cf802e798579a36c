// feed_xpath.hpp: a podcast feed parsed back with libxml2, and queried with XPath in the feed's
// namespaces (itunes, podcast, dc, atom), for the feed tests.
#pragma once

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace narrator::test {

class ParsedFeed {
 public:
  // Throws std::runtime_error when `xml` is not well-formed (entities and DTDs refused).
  explicit ParsedFeed(const std::string& xml)
      : document_(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) {
    if (!document_) throw std::runtime_error("the feed is not well-formed XML");
    context_.reset(xmlXPathNewContext(document_.get()));
    if (!context_) throw std::runtime_error("xmlXPathNewContext failed");
    const std::pair<const char*, const char*> spaces[] = {
        {"itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"},
        {"podcast", "https://podcastindex.org/namespace/1.0"},
        {"dc", "http://purl.org/dc/elements/1.1/"},
        {"atom", "http://www.w3.org/2005/Atom"}};
    for (const auto& [prefix, uri] : spaces) {
      xmlXPathRegisterNs(context_.get(), reinterpret_cast<const xmlChar*>(prefix),
                         reinterpret_cast<const xmlChar*>(uri));
    }
  }

  // The string value of every node `path` selects, in document order.
  std::vector<std::string> all(const std::string& path) const {
    struct ObjectFree {
      void operator()(xmlXPathObject* object) const noexcept { xmlXPathFreeObject(object); }
    };
    const std::unique_ptr<xmlXPathObject, ObjectFree> result(
        xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(path.c_str()), context_.get()));
    if (!result) throw std::runtime_error("bad XPath: " + path);
    std::vector<std::string> values;
    if (result->nodesetval == nullptr) return values;
    for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
      xmlChar* text = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
      values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
      xmlFree(text);
    }
    return values;
  }

  // The one value `path` selects; throws when it selects none or several.
  std::string one(const std::string& path) const {
    const std::vector<std::string> values = all(path);
    if (values.size() != 1) {
      throw std::runtime_error(path + " selects " + std::to_string(values.size()) + " nodes");
    }
    return values.front();
  }

 private:
  struct DocumentFree {
    void operator()(xmlDoc* document) const noexcept { xmlFreeDoc(document); }
  };
  struct ContextFree {
    void operator()(xmlXPathContext* context) const noexcept { xmlXPathFreeContext(context); }
  };
  std::unique_ptr<xmlDoc, DocumentFree> document_;
  std::unique_ptr<xmlXPathContext, ContextFree> context_;
};

}  // namespace narrator::test
