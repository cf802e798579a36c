// error.hpp: the one exception type the Narrator library throws.
//
// Library code throws narrator::Error. Its category tells a caller what kind of failure it was;
// only the CLI maps a category to an exit code. The message is complete and meant for a person:
// what is wrong, where (path:line:column or byte offset), and what to do about it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace narrator {

enum class ErrorCategory {
  kUsage,      // a bad option or option value given by the caller
  kInput,      // the article (or a data file) cannot be read or is malformed
  kOutput,     // the output cannot be written
  kDevice,     // the sound device failed
  kBackend,    // the synthesis backend failed
  kCancelled,  // the caller asked to stop
  kInternal,   // a bug: an invariant did not hold
};

// A short lower-case name for the category ("usage", "input", ...), for messages and logs.
constexpr std::string_view category_name(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::kUsage:
      return "usage";
    case ErrorCategory::kInput:
      return "input";
    case ErrorCategory::kOutput:
      return "output";
    case ErrorCategory::kDevice:
      return "device";
    case ErrorCategory::kBackend:
      return "backend";
    case ErrorCategory::kCancelled:
      return "cancelled";
    case ErrorCategory::kInternal:
      return "internal";
  }
  return "internal";
}

class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, const std::string& message)
      : std::runtime_error(message), category_(category) {}

  ErrorCategory category() const noexcept { return category_; }

 private:
  ErrorCategory category_;
};

}  // namespace narrator
