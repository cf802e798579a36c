// diagnostics.hpp: how library code reports warnings without printing.
//
// Stages report to a Diagnostics sink; the CLI prints what it collects and tests assert on it.
// Codes are stable, dotted identifiers such as "input.invalid_utf8" or "tn.verbatim_fallback".
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "narrator/source_span.hpp"

namespace narrator {

enum class Severity { kInfo, kWarning, kError };

// "note", "warning" or "error", for messages and reports.
constexpr std::string_view severity_name(Severity severity) noexcept {
  switch (severity) {
    case Severity::kInfo:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "note";
}

struct Diagnostic {
  Severity severity = Severity::kWarning;
  std::string code;  // stable identifier, e.g. "input.invalid_utf8"
  SourceSpan span;   // where in Article::text it applies (empty when it applies to the whole input)
  std::string message;  // complete sentence for a person
};

// The sink interface. report() may be called from the synthesis thread, so implementations must be
// thread-safe.
class Diagnostics {
 public:
  virtual ~Diagnostics() = default;
  virtual void report(Diagnostic diagnostic) = 0;
};

// Keeps every diagnostic in order of arrival. Thread-safe.
class CollectingDiagnostics final : public Diagnostics {
 public:
  void report(Diagnostic diagnostic) override {
    const std::lock_guard lock(mutex_);
    items_.push_back(std::move(diagnostic));
  }

  // A copy of everything reported so far.
  std::vector<Diagnostic> items() const {
    const std::lock_guard lock(mutex_);
    return items_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Diagnostic> items_;
};

// Drops everything: for callers that do not care.
class NullDiagnostics final : public Diagnostics {
 public:
  void report(Diagnostic) override {}
};

}  // namespace narrator
