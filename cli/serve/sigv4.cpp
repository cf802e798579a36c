// sigv4.cpp: the canonical forms, digests and key derivation of AWS Signature Version 4.
#include "sigv4.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>

#include "narrator/detail/ascii.hpp"
#include "narrator/detail/hex.hpp"
#include "narrator/error.hpp"
#include "url_encode.hpp"

namespace narrator::cli::serve::sigv4 {
namespace {

constexpr std::string_view kContentSha256Header = "x-amz-content-sha256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

}  // namespace

std::string sha256(std::string_view bytes) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::string mac(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(mac.data()), &length) == nullptr) {
    throw Error(ErrorCategory::kInternal, "authentication: OpenSSL's HMAC-SHA256 failed");
  }
  mac.resize(length);
  return mac;
}

std::string hex(std::string_view raw) { return detail::lower_hex(raw); }

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kBlank = " \t";
  const std::size_t begin = text.find_first_not_of(kBlank);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kBlank) - begin + 1);
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t begin = 0;;) {
    const std::size_t end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return parts;
    begin = end + 1;
  }
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && detail::ascii_lower(a) == detail::ascii_lower(b);
}

// RFC 3986 encoding as the AWS SDKs apply it: unreserved characters kept, every other byte %XX.
std::string uri_encode(std::string_view text) { return percent_encode(text); }

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

namespace {

// Percent-decoding; nullopt for a broken escape.
std::optional<std::string> uri_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace

// The path as sent, its segments normalized and encoded once more (the SDKs' canonical URI for
// every service but S3).
std::string canonical_path(std::string_view path) {
  std::vector<std::string_view> segments;
  for (const std::string_view segment : split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string out = path.starts_with('/') ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += uri_encode(segments[i]);
  }
  if (!segments.empty() && path.ends_with('/')) out += '/';
  return out;
}

// name=value pairs, each decoded and re-encoded, sorted by name then value; nullopt for a broken
// escape.
std::optional<std::string> canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!query.empty()) {
    for (const std::string_view item : split(query, '&')) {
      if (item.empty()) continue;
      const std::size_t equals = item.find('=');
      const std::optional<std::string> name = uri_decode(item.substr(0, equals));
      const std::optional<std::string> value =
          uri_decode(equals == std::string_view::npos ? "" : item.substr(equals + 1));
      if (!name || !value) return std::nullopt;
      pairs.emplace_back(uri_encode(*name), uri_encode(*value));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

namespace {

// A header value as the SDKs sign it: trimmed, line breaks and runs of blanks made one space.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool blank = false;
  for (char c : trim(value)) {
    if (c == '\r' || c == '\n') c = ' ';
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

}  // namespace

// Every value of the header `name` (any case), in order.
std::vector<std::string_view> header_values(const SignedRequest& request, std::string_view name) {
  std::vector<std::string_view> values;
  if (request.headers == nullptr) return values;
  for (const auto& [header, value] : *request.headers) {
    if (iequals(header, name)) values.emplace_back(value);
  }
  return values;
}

namespace {

// The payload's hash for the canonical request: x-amz-content-sha256 when sent, which must be the
// body's, else the body's. Sets `problem` when the header is unusable.
std::string payload_hash(const SignedRequest& request, std::string& problem) {
  const std::string body_hash = hex(sha256(request.body));
  const std::vector<std::string_view> sent = header_values(request, kContentSha256Header);
  if (sent.empty()) return body_hash;
  const std::string_view value = trim(sent.front());
  if (value == kUnsignedPayload) {
    problem = "unsigned payloads are not accepted; sign the request's body";
  } else if (sent.size() > 1 || detail::ascii_lower(value) != body_hash) {
    problem = "the body is not the one x-amz-content-sha256 names";
  }
  return std::string(value);
}

}  // namespace

// The canonical request of Signature V4 (see auth.hpp) for the headers `signed_headers` names.
CanonicalRequest canonical_request(const SignedRequest& request, std::string_view signed_headers) {
  CanonicalRequest out;
  const std::string payload = payload_hash(request, out.problem);
  if (!out.problem.empty()) return out;
  std::vector<std::string_view> names = split(signed_headers, ';');
  std::sort(names.begin(), names.end());
  if (std::find(names.begin(), names.end(), "host") == names.end()) {
    out.problem = "SignedHeaders must include host";
    return out;
  }
  std::string headers;
  std::string list;
  for (const std::string_view name : names) {
    const std::vector<std::string_view> values = header_values(request, name);
    if (values.empty() || name.empty()) {
      out.problem = "a header listed in SignedHeaders is not in the request";
      return out;
    }
    std::string joined;
    for (const std::string_view one : values) {
      if (!joined.empty()) joined += ',';
      joined += canonical_header_value(one);
    }
    headers += detail::ascii_lower(name) + ":" + joined + "\n";
    if (!list.empty()) list += ';';
    list += detail::ascii_lower(name);
  }
  std::string_view target = request.target.substr(0, request.target.find('#'));
  const std::size_t question = target.find('?');
  const std::optional<std::string> query =
      canonical_query(question == std::string_view::npos ? "" : target.substr(question + 1));
  if (!query) {
    out.problem = "the query string has a broken percent-escape";
    return out;
  }
  out.text = std::string(request.method) + "\n" + canonical_path(target.substr(0, question)) +
             "\n" + *query + "\n" + headers + "\n" + list + "\n" + payload;
  return out;
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
  std::string key = "AWS4" + std::string(secret);
  for (const std::string_view part : {date, region, service, kScopeTerminator}) {
    key = hmac_sha256(key, part);
  }
  return key;
}

std::string signature(std::string_view key, std::string_view amz_date,
                      std::string_view credential_scope, std::string_view canonical_request_text) {
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" +
                                     std::string(credential_scope) + "\n" +
                                     hex(sha256(canonical_request_text));
  return hex(hmac_sha256(key, string_to_sign));
}

}  // namespace narrator::cli::serve::sigv4
