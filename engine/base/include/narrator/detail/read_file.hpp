// read_file.hpp: a whole file's bytes, read in one place for every reader (articles, lexicons,
// batch lists). Throws Error(kInput) naming the path, what the file was meant to be (`what`,
// such as "article" or "lexicon") and the system's reason; a directory is refused by name.
#pragma once

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "narrator/error.hpp"

namespace narrator::detail {

inline std::string read_file(const std::string& path, std::string_view what) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw Error(ErrorCategory::kInput,
                path + ": is a directory; give the path of the " + std::string(what) + " file in it");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw Error(ErrorCategory::kInput, path + ": cannot open the " + std::string(what) + ": " +
                                           std::strerror(errno) +
                                           "; check the path and its permissions");
  }
  std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (file.bad()) {
    throw Error(ErrorCategory::kInput,
                path + ": cannot read the " + std::string(what) + ": " + std::strerror(errno));
  }
  return bytes;
}

}  // namespace narrator::detail
