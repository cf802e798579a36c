// builtin_data.hpp: the data files under lexicon/data/, embedded at build time.
#pragma once

#include <optional>
#include <string_view>

namespace narrator {

// The bytes of the embedded file at `relative_path` (for example "en/sentence_exceptions.tsv"), or
// nullopt when no such file was embedded. The view points into static storage and never dangles.
std::optional<std::string_view> builtin_data(std::string_view relative_path) noexcept;

// The same for a file the program cannot work without: throws Error(kInternal) naming the file
// when it was not embedded.
std::string_view required_builtin_data(std::string_view relative_path);

}  // namespace narrator
