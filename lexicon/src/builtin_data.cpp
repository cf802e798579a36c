#include "narrator/lexicon/builtin_data.hpp"

#include <string>

#include "embedded_files.hpp"
#include "narrator/error.hpp"

namespace narrator {

std::optional<std::string_view> builtin_data(std::string_view relative_path) noexcept {
  for (const detail::EmbeddedFile& file : detail::embedded_files()) {
    if (file.path == relative_path) return file.bytes;
  }
  return std::nullopt;
}

std::string_view required_builtin_data(std::string_view relative_path) {
  const std::optional<std::string_view> data = builtin_data(relative_path);
  if (!data) {
    throw Error(ErrorCategory::kInternal, "the data file lexicon/data/" +
                                              std::string(relative_path) +
                                              " is not built in; rebuild Narrator");
  }
  return *data;
}

}  // namespace narrator
