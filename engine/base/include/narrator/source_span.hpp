// source_span.hpp: where a piece of text came from in the article as read.
#pragma once

#include <cstddef>

namespace narrator {

// A half-open range [begin_byte, end_byte) of UTF-8 byte offsets into Article::text.
struct SourceSpan {
  std::size_t begin_byte = 0;
  std::size_t end_byte = 0;

  std::size_t size_bytes() const noexcept { return end_byte - begin_byte; }
  bool empty() const noexcept { return end_byte <= begin_byte; }
  friend bool operator==(const SourceSpan&, const SourceSpan&) = default;
};

}  // namespace narrator
