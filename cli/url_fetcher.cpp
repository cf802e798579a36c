#include "url_fetcher.hpp"

#include <curl/curl.h>

#include <memory>

#include "narrator/detail/ascii.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

struct EasyCloser {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using EasyPtr = std::unique_ptr<CURL, EasyCloser>;

// What the callbacks share with fetch_url(): the body so far, and why a transfer was stopped.
struct Transfer {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
  const CancelToken* cancel = nullptr;
  bool cancelled = false;
};

// libcurl's write callback: appends the (decoded) bytes; returning less than given stops the
// transfer (CURLE_WRITE_ERROR).
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer.body.size() + bytes > transfer.max_bytes) {
    transfer.too_large = true;
    return 0;
  }
  transfer.body.append(data, bytes);
  return bytes;
}

// libcurl's progress callback: a non-zero return stops the transfer (CURLE_ABORTED_BY_CALLBACK).
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto& transfer = *static_cast<Transfer*>(user);
  transfer.cancelled = transfer.cancel->cancelled();
  return transfer.cancelled ? 1 : 0;
}

// Throws unless `code` is CURLE_OK: every curl_easy_setopt and curl_easy_getinfo is checked.
void check(CURLcode code, std::string_view url, std::string_view what) {
  if (code == CURLE_OK) return;
  throw Error(ErrorCategory::kInternal, std::string(url) + ": libcurl cannot " + std::string(what) +
                                            ": " + curl_easy_strerror(code));
}

template <typename Value>
void set(CURL* handle, CURLoption option, Value value, std::string_view url,
         std::string_view what) {
  check(curl_easy_setopt(handle, option, value), url, "set " + std::string(what));
}

// "64 MB", or "1000 bytes" under a megabyte.
std::string size_text(std::size_t bytes) {
  constexpr std::size_t kMegabyte = 1024 * 1024;
  if (bytes < kMegabyte) return std::to_string(bytes) + " bytes";
  return std::to_string((bytes + kMegabyte - 1) / kMegabyte) + " MB";
}

std::string seconds(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

void configure(CURL* handle, const std::string& url, const FetchOptions& options,
               Transfer& transfer, char* error_buffer) {
  set(handle, CURLOPT_ERRORBUFFER, error_buffer, url, "the error buffer");
  set(handle, CURLOPT_URL, url.c_str(), url, "the URL");
  set(handle, CURLOPT_PROTOCOLS_STR, "http,https", url, "the protocols");
  set(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", url, "the redirect protocols");
  set(handle, CURLOPT_FOLLOWLOCATION, 1L, url, "redirects");
  set(handle, CURLOPT_MAXREDIRS, options.max_redirects, url, "the redirect limit");
  set(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()), url,
      "the connect timeout");
  set(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()), url,
      "the timeout");
  // "" offers every encoding this libcurl decodes (gzip, deflate, ...), and decodes the answer.
  set(handle, CURLOPT_ACCEPT_ENCODING, "", url, "the accepted encodings");
  set(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes), url,
      "the size limit");
  set(handle, CURLOPT_USERAGENT, "narrate/0.1 (libcurl)", url, "the user agent");
  set(handle, CURLOPT_NOSIGNAL, 1L, url, "no signals");  // narrate's signal thread owns them
  set(handle, CURLOPT_WRITEFUNCTION, &on_body, url, "the write callback");
  set(handle, CURLOPT_WRITEDATA, &transfer, url, "the write data");
  set(handle, CURLOPT_NOPROGRESS, 0L, url, "progress");
  set(handle, CURLOPT_XFERINFOFUNCTION, &on_progress, url, "the progress callback");
  set(handle, CURLOPT_XFERINFODATA, &transfer, url, "the progress data");
}

// The message for a transfer that failed with `code`.
[[noreturn]] void fail_transfer(CURLcode code, const std::string& url, const FetchOptions& options,
                                const Transfer& transfer, const char* error_buffer) {
  if (transfer.cancelled) throw Error(ErrorCategory::kCancelled, url + ": fetch cancelled");
  std::string why;
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    why = "the page is larger than " + size_text(options.max_bytes) +
          "; save the article's text to a file and narrate that";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    why = "no complete answer within " + seconds(options.total_timeout) +
          " (timed out); try again later, or allow longer with --fetch-timeout";
  } else if (code == CURLE_TOO_MANY_REDIRECTS) {
    why = "redirected more than " + std::to_string(options.max_redirects) +
          " times; open the address in a browser to see where it leads";
  } else {
    why = std::string(error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code)) +
          "; check the address and the network";
  }
  throw Error(ErrorCategory::kInput, url + ": cannot fetch the page: " + why);
}

}  // namespace

bool is_url(std::string_view text) noexcept {
  const auto starts = [&](std::string_view scheme) {
    return text.size() > scheme.size() &&
           narrator::detail::ascii_lower(text.substr(0, scheme.size())) == scheme;
  };
  try {
    return starts("http://") || starts("https://");
  } catch (const std::bad_alloc&) {
    return false;
  }
}

FetchedPage fetch_url(const std::string& url, const FetchOptions& options,
                      const CancelToken& cancel) {
  const EasyPtr handle(curl_easy_init());
  if (!handle) throw Error(ErrorCategory::kInternal, url + ": libcurl cannot start a transfer");
  Transfer transfer;
  transfer.max_bytes = options.max_bytes;
  transfer.cancel = &cancel;
  char error_buffer[CURL_ERROR_SIZE] = {};
  configure(handle.get(), url, options, transfer, error_buffer);
  const CURLcode code = curl_easy_perform(handle.get());
  if (code != CURLE_OK) fail_transfer(code, url, options, transfer, error_buffer);

  FetchedPage page;
  long status = 0;
  check(curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status), url, "read the status");
  const char* effective = nullptr;
  check(curl_easy_getinfo(handle.get(), CURLINFO_EFFECTIVE_URL, &effective), url,
        "read the final URL");
  page.url = effective != nullptr ? effective : url;
  if (status < 200 || status >= 300) {
    std::string message = url + ": the server answered HTTP " + std::to_string(status);
    if (page.url != url) message += " (at " + page.url + ")";
    throw Error(ErrorCategory::kInput,
                message + (status < 500 ? "; check the address" : "; try again later"));
  }
  const char* content_type = nullptr;
  check(curl_easy_getinfo(handle.get(), CURLINFO_CONTENT_TYPE, &content_type), url,
        "read the Content-Type");
  if (content_type != nullptr) page.content_type = content_type;
  check(curl_easy_getinfo(handle.get(), CURLINFO_REDIRECT_COUNT, &page.redirects), url,
        "read the redirect count");
  page.body = std::move(transfer.body);
  return page;
}

}  // namespace narrator::cli
