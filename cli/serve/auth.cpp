// auth.cpp: bearer tokens and AWS Signature Version 4 for `narrate serve` (see auth.hpp).
#include "auth.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <string>

#include "narrator/detail/ascii.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"
#include "sigv4.hpp"

namespace narrator::cli::serve {
namespace {

using Clock = std::chrono::system_clock;
using sigv4::equal_in_constant_time;
using sigv4::header_values;
using sigv4::iequals;
using sigv4::sha256;
using sigv4::split;
using sigv4::trim;

constexpr std::string_view kBearerScheme = "bearer";  // schemes compare case-insensitively
constexpr std::string_view kService = "polly";
constexpr std::string_view kAmzDateHeader = "x-amz-date";
constexpr auto kMaxClockSkew = std::chrono::minutes(15);
constexpr std::size_t kSignatureHexDigits = 64;
constexpr std::size_t kAmzDateLength = 16;  // 20250102T030405Z

// ---- The credential files ---------------------------------------------------------------------

struct Entry {
  std::size_t line = 0;
  std::string_view first;
  std::string_view second;
};

// The entries of a two-column file: `path`'s bytes are kept in `bytes`, which the entries view.
std::vector<Entry> read_entries(const std::string& path, std::string_view what,
                                std::string_view columns, std::string& bytes) {
  bytes = detail::read_file(path, what);
  std::vector<Entry> entries;
  const std::vector<std::string_view> lines = split(bytes, '\n');
  for (std::size_t index = 0; index < lines.size(); ++index) {
    std::string_view line = lines[index];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    const std::string where = path + ":" + std::to_string(index + 1) + ": ";
    const std::vector<std::string_view> fields = split(line, '\t');
    if (fields.size() != 2) {
      throw Error(ErrorCategory::kInput, where + "the line has " + std::to_string(fields.size()) +
                                             (fields.size() == 1 ? " field" : " fields") +
                                             "; write " + std::string(columns) +
                                             ", with one tab between them");
    }
    Entry entry{index + 1, trim(fields[0]), trim(fields[1])};
    for (const std::string_view field : {entry.first, entry.second}) {
      if (field.empty()) {
        throw Error(ErrorCategory::kInput, where + "a field is empty; write " +
                                               std::string(columns) + " with neither empty");
      }
      const bool printable = std::all_of(field.begin(), field.end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
      });
      if (!printable) {
        throw Error(ErrorCategory::kInput,
                    where +
                        "a field holds a space or a control character; credentials travel "
                        "in HTTP headers: use printable characters only");
      }
    }
    entries.push_back(entry);
  }
  return entries;
}

// The line where `value` appeared before, if any.
std::optional<std::size_t> seen_before(const std::map<std::string, std::size_t, std::less<>>& seen,
                                       std::string_view value) {
  const auto found = seen.find(value);
  if (found == seen.end()) return std::nullopt;
  return found->second;
}

// "20250102T030405Z" as a time; nullopt when malformed.
std::optional<Clock::time_point> parse_amz_date(std::string_view text) {
  if (text.size() != kAmzDateLength || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto year = number(0, 4), month = number(4, 2), day = number(6, 2);
  const auto hour = number(9, 2), minute = number(11, 2), second = number(13, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

// The parts of "AWS4-HMAC-SHA256 Credential=ID/DATE/REGION/SERVICE/aws4_request,
// SignedHeaders=a;b, Signature=HEX".
struct SigV4Header {
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
};

std::optional<SigV4Header> parse_sigv4(std::string_view parameters) {
  SigV4Header header;
  for (const std::string_view part : split(parameters, ',')) {
    const std::string_view item = trim(part);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = item.substr(0, equals);
    const std::string_view value = item.substr(equals + 1);
    if (name == "Credential") header.credential = value;
    if (name == "SignedHeaders") header.signed_headers = value;
    if (name == "Signature") header.signature = value;
  }
  if (header.credential.empty() || header.signed_headers.empty() || header.signature.empty()) {
    return std::nullopt;
  }
  return header;
}

AuthDecision rejected(std::string message) {
  return {.outcome = AuthOutcome::kRejected, .message = std::move(message), .principal = {}};
}

// Why X-Amz-Date is not acceptable (malformed, another day than the scope's, or more than 15
// minutes from `now`); empty when it is.
std::string check_request_time(std::string_view amz_date, std::string_view scope_date,
                               Clock::time_point now) {
  const std::optional<Clock::time_point> signed_at = parse_amz_date(amz_date);
  if (!signed_at) return "X-Amz-Date is not a time like 20250102T030405Z";
  if (amz_date.substr(0, 8) != scope_date) {
    return "the credential scope's date is not the day of X-Amz-Date";
  }
  if (*signed_at > now + kMaxClockSkew || *signed_at < now - kMaxClockSkew) {
    return "the request was signed more than 15 minutes from the server's time; check the "
           "client's clock";
  }
  return {};
}

}  // namespace

Authenticator Authenticator::load(const std::optional<std::string>& tokens_file,
                                  const std::optional<std::string>& aws_keys_file) {
  Authenticator authenticator;
  if (tokens_file) {
    std::string bytes;
    std::map<std::string, std::size_t, std::less<>> names;
    std::map<std::string, std::size_t, std::less<>> digests;
    for (const Entry& entry : read_entries(*tokens_file, "tokens", "NAME<TAB>TOKEN", bytes)) {
      const std::string where = *tokens_file + ":" + std::to_string(entry.line) + ": ";
      if (const auto first = seen_before(names, entry.first)) {
        throw Error(ErrorCategory::kInput, where + "the name '" + std::string(entry.first) +
                                               "' is given again (first on line " +
                                               std::to_string(*first) +
                                               "); give each caller a name of its own");
      }
      std::string digest = sha256(entry.second);
      if (const auto first = seen_before(digests, digest)) {
        throw Error(ErrorCategory::kInput, where + "this token is given again (first on line " +
                                               std::to_string(*first) +
                                               "); give each caller a token of its own");
      }
      names.emplace(entry.first, entry.line);
      digests.emplace(digest, entry.line);
      authenticator.tokens_.push_back({std::string(entry.first), std::move(digest)});
    }
  }
  if (aws_keys_file) {
    std::string bytes;
    std::map<std::string, std::size_t, std::less<>> ids;
    for (const Entry& entry :
         read_entries(*aws_keys_file, "AWS keys", "ACCESS_KEY_ID<TAB>SECRET", bytes)) {
      if (const auto first = seen_before(ids, entry.first)) {
        throw Error(ErrorCategory::kInput, *aws_keys_file + ":" + std::to_string(entry.line) +
                                               ": the access key id '" + std::string(entry.first) +
                                               "' is given again (first on line " +
                                               std::to_string(*first) + "); list each key once");
      }
      ids.emplace(entry.first, entry.line);
      authenticator.aws_keys_.push_back({std::string(entry.first), std::string(entry.second)});
    }
  }
  return authenticator;
}

bool Authenticator::enabled() const noexcept { return !tokens_.empty() || !aws_keys_.empty(); }

AuthDecision Authenticator::check(const SignedRequest& request, Clock::time_point now) const {
  if (!enabled()) return {.outcome = AuthOutcome::kAllowed, .message = {}, .principal = {}};
  const std::vector<std::string_view> authorization = header_values(request, "authorization");
  if (authorization.empty()) {
    return {.outcome = AuthOutcome::kMissing,
            .message =
                "this server needs credentials: send \"Authorization: Bearer TOKEN\", or "
                "sign the request with AWS Signature Version 4",
            .principal = {}};
  }
  if (authorization.size() > 1)
    return rejected("the request has more than one Authorization header");
  const std::string_view value = trim(authorization.front());
  const std::size_t space = value.find(' ');
  const std::string_view scheme = value.substr(0, space);
  const std::string_view rest = space == std::string_view::npos ? "" : trim(value.substr(space));
  if (iequals(scheme, kBearerScheme)) return check_bearer(rest);
  if (scheme == sigv4::kAlgorithm) return check_signature(request, rest, now);
  return rejected("the Authorization scheme is not one this server accepts; use Bearer or " +
                  std::string(sigv4::kAlgorithm));
}

AuthDecision Authenticator::check_bearer(std::string_view token) const {
  if (tokens_.empty()) {
    return rejected(
        "this server accepts no bearer tokens; sign the request with AWS Signature "
        "Version 4");
  }
  // Every listed token is compared, whatever matched before, and through their digests, so
  // neither the time taken nor an early exit tells how much of a guess was right.
  const std::string digest = sha256(token);
  const NamedToken* match = nullptr;
  for (const NamedToken& known : tokens_) {
    if (equal_in_constant_time(known.digest, digest)) match = &known;
  }
  if (match == nullptr) return rejected("the bearer token is not one this server knows");
  return {.outcome = AuthOutcome::kAllowed, .message = {}, .principal = match->name};
}

AuthDecision Authenticator::check_signature(const SignedRequest& request,
                                            std::string_view authorization,
                                            Clock::time_point now) const {
  if (aws_keys_.empty()) {
    return rejected("this server accepts no AWS signatures; send \"Authorization: Bearer TOKEN\"");
  }
  const std::optional<SigV4Header> header = parse_sigv4(authorization);
  if (!header) {
    return rejected(
        "the AWS4-HMAC-SHA256 Authorization header needs Credential, SignedHeaders "
        "and Signature");
  }
  const std::vector<std::string_view> scope = split(header->credential, '/');
  if (scope.size() != 5 || scope[2].empty() || scope[4] != sigv4::kScopeTerminator) {
    return rejected("the Credential is not ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request");
  }
  if (scope[3] != kService) {
    return rejected("the credential scope's service is not polly; sign for the service 'polly'");
  }
  const auto key = std::find_if(aws_keys_.begin(), aws_keys_.end(), [&](const AwsKey& known) {
    return known.access_key_id == scope[0];
  });
  if (key == aws_keys_.end()) return rejected("the access key id is not one this server knows");

  const std::vector<std::string_view> dates = header_values(request, kAmzDateHeader);
  if (dates.size() != 1) return rejected("the signed request needs one X-Amz-Date header");
  const std::string_view amz_date = trim(dates.front());
  if (std::string problem = check_request_time(amz_date, scope[1], now); !problem.empty()) {
    return rejected(std::move(problem));
  }
  const sigv4::CanonicalRequest canonical =
      sigv4::canonical_request(request, header->signed_headers);
  if (!canonical.problem.empty()) return rejected(canonical.problem);
  const std::string credential_scope = std::string(scope[1]) + "/" + std::string(scope[2]) + "/" +
                                       std::string(kService) + "/" +
                                       std::string(sigv4::kScopeTerminator);
  const std::string expected =
      sigv4::signature(sigv4::signing_key(key->secret, scope[1], scope[2], kService), amz_date,
                       credential_scope, canonical.text);
  const std::string sent = detail::ascii_lower(header->signature);
  if (sent.size() != kSignatureHexDigits || !equal_in_constant_time(expected, sent)) {
    return rejected(
        "the signature does not match; check the secret key, and that nothing "
        "changed the request after it was signed");
  }
  return {.outcome = AuthOutcome::kAllowed, .message = {}, .principal = key->access_key_id};
}

}  // namespace narrator::cli::serve
