#include "html_template.hpp"

#include <set>

#include "listening_page.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

[[noreturn]] void template_error(const std::string& what) {
  throw Error(ErrorCategory::kInternal, "HTML template: " + what);
}

}  // namespace

std::string fill_template(std::string_view text, const TemplateSlots& slots) {
  std::string out;
  std::set<std::string_view> used;
  std::size_t at = 0;
  for (std::size_t open = text.find("{{"); open != std::string_view::npos;
       open = text.find("{{", at)) {
    out.append(text, at, open - at);
    const bool raw = text.substr(open, 3) == "{{{";
    const std::string_view close_mark = raw ? "}}}" : "}}";
    const std::size_t name_begin = open + close_mark.size();
    const std::size_t close = text.find(close_mark, name_begin);
    if (close == std::string_view::npos) {
      template_error("a slot opened at byte " + std::to_string(open) + " is not closed");
    }
    const std::string_view name = text.substr(name_begin, close - name_begin);
    const auto value = slots.find(name);
    if (value == slots.end()) template_error("the slot {{" + std::string(name) + "}} has no value");
    out += raw ? value->second : html_escape(value->second);
    used.insert(value->first);
    at = close + close_mark.size();
  }
  out.append(text, at);
  for (const auto& [name, value] : slots) {
    if (!used.contains(name)) template_error("'" + name + "' names no slot in the template");
  }
  return out;
}

}  // namespace narrator::cli
