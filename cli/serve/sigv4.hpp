// sigv4.hpp: the pieces of AWS Signature Version 4 that auth.cpp puts together (see auth.hpp for
// the rules), apart so that the tests can check each against AWS's published example.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth.hpp"

namespace narrator::cli::serve::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kScopeTerminator = "aws4_request";

// SHA-256 and HMAC-SHA256 (OpenSSL), as raw bytes; hex() gives lower-case hex.
std::string sha256(std::string_view bytes);
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string hex(std::string_view raw);

// Equal strings of a length that is no secret (digests, hex signatures), compared in constant
// time (CRYPTO_memcmp).
bool equal_in_constant_time(std::string_view a, std::string_view b);

// Text helpers: blanks (space, tab) trimmed; split at every `separator`; ASCII case-insensitive.
std::string_view trim(std::string_view text);
std::vector<std::string_view> split(std::string_view text, char separator);
bool iequals(std::string_view a, std::string_view b);

// Every value of the header `name` (any case), in the order sent.
std::vector<std::string_view> header_values(const SignedRequest& request, std::string_view name);

// RFC 3986 encoding as the AWS SDKs apply it: unreserved characters kept, every other byte %XX.
std::string uri_encode(std::string_view text);

// The path as sent, its segments normalized and encoded once more (the SDKs' canonical URI for
// every service but S3).
std::string canonical_path(std::string_view path);

// The query's name=value pairs, each decoded and re-encoded, sorted by name then value, joined by
// '&'; nullopt for a broken percent-escape.
std::optional<std::string> canonical_query(std::string_view query);

struct CanonicalRequest {
  std::string text;
  std::string problem;  // why none could be made (for the client); empty when `text` is good
};

// The canonical request for the headers `signed_headers` ("host;x-amz-date") names: method,
// canonical path, canonical query, the headers, the list, the payload's hash. The payload hash
// is x-amz-content-sha256 when sent (a problem unless it is the body's), else the body's.
CanonicalRequest canonical_request(const SignedRequest& request, std::string_view signed_headers);

// The signing key for a secret and a scope (raw bytes), and the hex signature of a canonical
// request made at `amz_date` ("20150830T123600Z") within `credential_scope`
// ("20150830/us-east-1/iam/aws4_request") with that key.
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);
std::string signature(std::string_view key, std::string_view amz_date,
                      std::string_view credential_scope, std::string_view canonical_request_text);

}  // namespace narrator::cli::serve::sigv4
