// html_template.hpp: HTML built from a template with named slots (cli/assets/*.html) instead of
// string concatenation, so that the markup reads as markup and every value is escaped unless the
// template says otherwise.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace narrator::cli {

// A template's slot names and their values.
using TemplateSlots = std::map<std::string, std::string, std::less<>>;

// Fills `text`'s slots: {{name}} takes the value HTML-escaped (html_escape()); {{{name}}} takes it
// as it is, for markup this program built itself (the article's words, the inline assets).
// Throws Error(kInternal) naming the slot when a slot in the template has no value, when a value
// names no slot in the template, or when a slot is not closed: each is a bug in the program.
std::string fill_template(std::string_view text, const TemplateSlots& slots);

}  // namespace narrator::cli
