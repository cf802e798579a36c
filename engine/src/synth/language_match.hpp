// language_match.hpp: which voice reads a language tag, by the languages the voices list.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace narrator {

// One language a voice speaks.
struct SpokenLanguage {
  std::size_t voice = 0;  // index of the voice in its backend's list
  std::string language;   // a tag as the voice lists it ("en-gb", "fr")
  int priority = 0;       // lower is preferred among the voices that list the same language
};

// `tag` in the form voices list languages: lower case, '-' between subtags ("en_GB" → "en-gb").
std::string language_key(std::string_view tag);

// True when a voice of `language` reads text tagged `tag`: the same language, or the tag is a
// prefix of it at a subtag boundary ("en" and "en-US" are covered by "en-us", "en-GB" is not).
bool language_covers(std::string_view tag, std::string_view language);

// The voice closest to `tag`: one that lists the tag itself, else its shorter prefixes in turn
// ("de-AT", then "de"); the lowest priority wins, then the earliest voice. nullopt when no voice
// lists any of them.
std::optional<std::size_t> closest_voice(std::string_view tag,
                                         const std::vector<SpokenLanguage>& spoken);

}  // namespace narrator
