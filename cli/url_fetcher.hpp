// url_fetcher.hpp: an article given as an http:// or https:// URL, fetched with libcurl. It lives
// in cli/ beside the other ways narrate gets its input (a file, stdin): the engine reads bytes, and
// libnarrator.so stays free of a network stack.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "narrator/cancel_token.hpp"

namespace narrator::cli {

struct FetchOptions {
  std::chrono::milliseconds connect_timeout{10'000};  // to reach the server (DNS, TCP, TLS)
  std::chrono::milliseconds total_timeout{30'000};    // the whole transfer, redirects included
  std::size_t max_bytes = 64 * 1024 * 1024;           // the body as decoded (after gzip)
  long max_redirects = 5;                             // 3xx answers followed
};

struct FetchedPage {
  std::string url;           // where the page was found, after redirects
  std::string body;          // the bytes as the server sent them, decompressed
  std::string content_type;  // the Content-Type header ("text/html; charset=windows-1251"); may
                             // be empty
  long redirects = 0;        // how many redirects were followed
};

// True for a string that starts with http:// or https:// (in any case).
bool is_url(std::string_view text) noexcept;

// Fetches `url` with GET: redirects followed (up to options.max_redirects, and to http or https
// only), gzip and deflate accepted and decoded, certificates checked. Throws Error(kInput) naming
// the URL for an HTTP status of 400 or above (with the status), a timeout, too many redirects, a
// body larger than options.max_bytes, and any transfer error (with libcurl's own text), and
// Error(kCancelled) when `cancel` is cancelled during the transfer. Prints nothing.
FetchedPage fetch_url(const std::string& url, const FetchOptions& options,
                      const CancelToken& cancel = CancelToken());

}  // namespace narrator::cli
