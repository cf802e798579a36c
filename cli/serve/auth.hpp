// auth.hpp: who may call `narrate serve`: bearer tokens (--tokens FILE) and AWS Signature
// Version 4 (--aws-keys FILE), the scheme Polly's clients sign with.
//
// Files (UTF-8, one entry a line; blank lines and lines starting with # are skipped; a CR before
// the line end is dropped):
//   --tokens FILE     NAME<TAB>TOKEN      NAME names the caller in the access log; TOKEN is what
//                                         it sends as "Authorization: Bearer TOKEN" (an OpenAI
//                                         client's API key). Neither may repeat.
//   --aws-keys FILE   ACCESS_KEY_ID<TAB>SECRET   the key pair a Polly client is configured with.
//
// Signature V4 as the AWS SDKs compute it: the canonical request is the method; the path as sent,
// its segments normalized ("." and ".." resolved, empty ones dropped) and URI-encoded once more,
// as the SDKs do for every service but S3; the query, each name and value decoded and
// re-encoded (RFC 3986, unreserved characters kept), sorted by name then value; the signed
// headers, lower-cased, sorted, values trimmed with inner whitespace runs collapsed (repeated
// headers joined by commas); and the payload's hash: x-amz-content-sha256 when sent (it must be
// the body's), else the body's SHA-256. The string to sign takes X-Amz-Date and the credential
// scope DATE/REGION/polly/aws4_request (any region; the scope's date must be X-Amz-Date's day).
// The signature is compared in constant time, and X-Amz-Date must be within 15 minutes of now.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace narrator::cli::serve {

// A request as it came off the wire, before any decoding: what a signature covers.
struct SignedRequest {
  std::string_view method;  // "POST"
  std::string_view target;  // the request target as sent: path and query, percent-encoded
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;  // names as sent
  std::string_view body;
};

enum class AuthOutcome {
  kAllowed,   // a listed token, or a valid signature by a listed key
  kMissing,   // no credentials at all: 401 with WWW-Authenticate
  kRejected,  // wrong token, unknown key, bad or stale signature, tampered body: 403
};

struct AuthDecision {
  AuthOutcome outcome = AuthOutcome::kMissing;
  std::string message;    // for the JSON error body: what was wrong, never a secret
  std::string principal;  // the token's name or the access key id, for the access log
};

class Authenticator {
 public:
  // Loads the files (either may be absent). Throws Error(kInput) with file:line and what to do
  // for a malformed line, a duplicate name or key, an empty secret, or a file that cannot be read.
  static Authenticator load(const std::optional<std::string>& tokens_file,
                            const std::optional<std::string>& aws_keys_file);

  // Whether any credential is configured; without, every request is allowed.
  bool enabled() const noexcept;

  // Checks a request: "Authorization: Bearer T" against the tokens (constant-time), or an
  // "AWS4-HMAC-SHA256 Credential=…" header against the keys, with the payload hash and a
  // request time within 15 minutes of `now`.
  AuthDecision check(const SignedRequest& request, std::chrono::system_clock::time_point now) const;

 private:
  struct NamedToken {
    std::string name;
    std::string digest;  // SHA-256 of the token: compared in constant time whatever its length
  };
  struct AwsKey {
    std::string access_key_id;
    std::string secret;
  };

  AuthDecision check_bearer(std::string_view token) const;
  AuthDecision check_signature(const SignedRequest& request, std::string_view authorization,
                               std::chrono::system_clock::time_point now) const;

  std::vector<NamedToken> tokens_;
  std::vector<AwsKey> aws_keys_;
};

}  // namespace narrator::cli::serve
