// cancel_token.hpp: cooperative cancellation for a narration.
//
// A CancelSource is owned by whoever may want to stop the work (the CLI's signal thread, a
// pipeline); the CancelToken it hands out is checked between sentences and inside the synthesis
// callback.
#pragma once

#include <stop_token>

namespace narrator {

class CancelToken {
 public:
  CancelToken() = default;  // a token that is never cancelled
  explicit CancelToken(std::stop_token token) : token_(std::move(token)) {}

  bool cancelled() const noexcept { return token_.stop_requested(); }
  const std::stop_token& stop_token() const noexcept { return token_; }

 private:
  std::stop_token token_;
};

class CancelSource {
 public:
  CancelToken token() const noexcept { return CancelToken(source_.get_token()); }
  // Asks every holder of a token to stop. Safe to call from any thread, more than once.
  void cancel() noexcept { source_.request_stop(); }
  bool cancelled() const noexcept { return source_.stop_requested(); }

 private:
  std::stop_source source_;
};

}  // namespace narrator
