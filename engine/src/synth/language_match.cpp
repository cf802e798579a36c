#include "language_match.hpp"

#include "narrator/detail/ascii.hpp"

namespace narrator {

std::string language_key(std::string_view tag) {
  std::string key = detail::ascii_lower(tag);
  for (char& c : key) {
    if (c == '_') c = '-';
  }
  return key;
}

bool language_covers(std::string_view tag, std::string_view language) {
  const std::string wanted = language_key(tag);
  const std::string spoken = language_key(language);
  return spoken == wanted || (spoken.size() > wanted.size() && spoken.starts_with(wanted) &&
                              spoken[wanted.size()] == '-');
}

std::optional<std::size_t> closest_voice(std::string_view tag,
                                         const std::vector<SpokenLanguage>& spoken) {
  std::string candidate = language_key(tag);
  while (!candidate.empty()) {
    const SpokenLanguage* best = nullptr;
    for (const SpokenLanguage& entry : spoken) {
      if (language_key(entry.language) != candidate) continue;
      if (best == nullptr || entry.priority < best->priority) best = &entry;
    }
    if (best != nullptr) return best->voice;
    const std::size_t dash = candidate.rfind('-');
    candidate.resize(dash == std::string::npos ? 0 : dash);
  }
  return std::nullopt;
}

}  // namespace narrator
