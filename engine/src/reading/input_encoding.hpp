// input_encoding.hpp: the UTF-8 check every article reader runs on its input bytes.
#pragma once

#include <string>
#include <string_view>

#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"

namespace narrator::detail {

// Returns `bytes` when they are valid UTF-8 without NUL bytes. Otherwise throws Error(kInput) with
// "source_name:line:column: ..." and the byte offset, unless options.lossy: then returns a copy in
// which every run of NUL bytes and bytes that start no valid sequence is replaced by U+FFFD, and
// reports each run as an "input.bytes_replaced" warning whose span covers its U+FFFD in the copy.
std::string validate_encoding(std::string bytes, std::string_view source_name,
                              const ReadOptions& options, Diagnostics& diagnostics);

}  // namespace narrator::detail
