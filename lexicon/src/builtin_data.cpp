#include "narrator/lexicon/builtin_data.hpp"

#include "embedded_files.hpp"

namespace narrator {

std::optional<std::string_view> builtin_data(std::string_view relative_path) noexcept {
  for (const detail::EmbeddedFile& file : detail::embedded_files()) {
    if (file.path == relative_path) return file.bytes;
  }
  return std::nullopt;
}

}  // namespace narrator
