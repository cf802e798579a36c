// Authentication for `narrate serve`: bearer tokens (missing, wrong, right), the credential files
// and their errors, AWS Signature V4 against AWS's published example, and requests signed by the
// AWS SDK's own signer (tests/service/sign_request.mjs, label npm_clients): each verifies, and a
// tampered body, a wrong secret, an unknown key and a stale date are rejected.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "auth.hpp"
#include "narrator/error.hpp"
#include "process.hpp"
#include "sigv4.hpp"
#include "temp_dir.hpp"

namespace narrator::cli::serve {
namespace {

namespace fs = std::filesystem;
using Headers = std::vector<std::pair<std::string, std::string>>;
using Clock = std::chrono::system_clock;

// A request with only headers, as a test needs it; `headers` must outlive the result.
SignedRequest request_with(const Headers& headers, std::string_view method = "POST",
                           std::string_view target = "/v1/audio/speech",
                           std::string_view body = "{}") {
  return SignedRequest{.method = method, .target = target, .headers = &headers, .body = body};
}

// An Authenticator from file contents (nullopt: that file is not given).
Authenticator load_from(const test::TempDir& dir, const std::optional<std::string>& tokens,
                        const std::optional<std::string>& aws_keys) {
  std::optional<std::string> tokens_file;
  std::optional<std::string> keys_file;
  if (tokens) {
    tokens_file = dir.file("tokens.tsv");
    test::write_file(*tokens_file, *tokens);
  }
  if (aws_keys) {
    keys_file = dir.file("aws-keys.tsv");
    test::write_file(*keys_file, *aws_keys);
  }
  return Authenticator::load(tokens_file, keys_file);
}

constexpr std::string_view kTokens =
    "# callers of the narration service\r\n"
    "\n"
    "newsroom\tq8Zt-4mLw-90aa-Kd7e\r\n"
    "  # indented comment\n"
    "podcast-feed\t 7f3c2b1e9d8a6f5e \n";

TEST(ServeAuth, WithoutCredentialsEveryRequestIsAllowed) {
  const Authenticator auth = Authenticator::load(std::nullopt, std::nullopt);
  EXPECT_FALSE(auth.enabled());
  const Headers none;
  EXPECT_EQ(auth.check(request_with(none), Clock::now()).outcome, AuthOutcome::kAllowed);
}

TEST(ServeAuth, BearerTokenMissingWrongAndRight) {
  const test::TempDir dir;
  const Authenticator auth = load_from(dir, std::string(kTokens), std::nullopt);
  ASSERT_TRUE(auth.enabled());
  const auto check = [&](const Headers& headers) { return auth.check(request_with(headers), {}); };

  const AuthDecision missing = check({{"Content-Type", "application/json"}});
  EXPECT_EQ(missing.outcome, AuthOutcome::kMissing);
  EXPECT_NE(missing.message.find("Bearer"), std::string::npos) << missing.message;

  for (const std::string wrong :
       {"Bearer q8Zt-4mLw-90aa-Kd7", "Bearer q8Zt-4mLw-90aa-Kd7ee", "Bearer Q8Zt-4mLw-90aa-Kd7e",
        "Bearer ", "Bearer newsroom", "Basic bmV3c3Jvb206cTha"}) {
    const AuthDecision decision = check({{"Authorization", wrong}});
    EXPECT_EQ(decision.outcome, AuthOutcome::kRejected) << wrong;
    EXPECT_EQ(decision.principal, "") << wrong;
    EXPECT_EQ(decision.message.find("q8Zt"), std::string::npos) << "never a secret in a message";
  }

  const AuthDecision right = check({{"authorization", "Bearer q8Zt-4mLw-90aa-Kd7e"}});
  EXPECT_EQ(right.outcome, AuthOutcome::kAllowed) << right.message;
  EXPECT_EQ(right.principal, "newsroom");
  const AuthDecision other = check({{"AUTHORIZATION", "bearer   7f3c2b1e9d8a6f5e  "}});
  EXPECT_EQ(other.outcome, AuthOutcome::kAllowed) << "the scheme is case-insensitive, blanks trim";
  EXPECT_EQ(other.principal, "podcast-feed");

  const AuthDecision two = check({{"Authorization", "Bearer q8Zt-4mLw-90aa-Kd7e"},
                                  {"Authorization", "Bearer 7f3c2b1e9d8a6f5e"}});
  EXPECT_EQ(two.outcome, AuthOutcome::kRejected) << "two Authorization headers are ambiguous";
}

TEST(ServeAuth, EachSchemeNeedsItsOwnFile) {
  const test::TempDir dir;
  const Authenticator tokens_only = load_from(dir, std::string(kTokens), std::nullopt);
  const Headers signed_headers{
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/us-east-1/polly/aws4_request, "
       "SignedHeaders=host;x-amz-date, Signature=" +
           std::string(64, '0')}};
  const AuthDecision signature = tokens_only.check(request_with(signed_headers), {});
  EXPECT_EQ(signature.outcome, AuthOutcome::kRejected);
  EXPECT_NE(signature.message.find("Bearer"), std::string::npos) << signature.message;

  const AuthDecision missing = tokens_only.check(request_with({}), {});
  EXPECT_EQ(missing.outcome, AuthOutcome::kMissing);
  EXPECT_EQ(missing.message.find("Signature"), std::string::npos) << "only what this server takes";

  const Authenticator keys_only = load_from(dir, std::nullopt, "AKIDEXAMPLE\tsecret\n");
  const AuthDecision unsigned_request = keys_only.check(request_with({}), {});
  EXPECT_EQ(unsigned_request.outcome, AuthOutcome::kMissing);
  EXPECT_NE(unsigned_request.message.find("Signature Version 4"), std::string::npos)
      << unsigned_request.message;
  const AuthDecision bearer =
      keys_only.check(request_with({{"Authorization", "Bearer q8Zt-4mLw-90aa-Kd7e"}}), {});
  EXPECT_EQ(bearer.outcome, AuthOutcome::kRejected);
  EXPECT_NE(bearer.message.find("Signature"), std::string::npos) << bearer.message;
}

struct BadFile {
  std::string name;
  bool tokens = true;  // else the AWS keys file
  std::string contents;
  std::string expected;  // in the message, after "FILE:LINE: "
  int line = 0;
  friend void PrintTo(const BadFile& bad, std::ostream* out) { *out << bad.name; }
};

class BadCredentialFiles : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadCredentialFiles, AreInputErrorsWithFileLineAndAdvice) {
  const BadFile& bad = GetParam();
  const test::TempDir dir;
  try {
    load_from(dir, bad.tokens ? std::optional(bad.contents) : std::nullopt,
              bad.tokens ? std::nullopt : std::optional(bad.contents));
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    const std::string file = dir.file(bad.tokens ? "tokens.tsv" : "aws-keys.tsv");
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(file + ":" + std::to_string(bad.line) + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(bad.expected), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cr3t-value"), std::string::npos) << "no secret in the message";
  }
}

INSTANTIATE_TEST_SUITE_P(
    ServeAuth, BadCredentialFiles,
    ::testing::Values(
        BadFile{"OneField", true, "# ok\nnewsroom s3cr3t-value\n", "1 field; write NAME<TAB>TOKEN",
                2},
        BadFile{"ThreeFields", true, "a\tb\tc\n", "3 fields", 1},
        BadFile{"EmptyToken", true, "newsroom\t  \n", "a field is empty", 1},
        BadFile{"DuplicateName", true, "a\ts3cr3t-value\nb\tx\na\ty\n",
                "the name 'a' is given again (first on line 1)", 3},
        BadFile{"DuplicateToken", true, "a\ts3cr3t-value\nb\ts3cr3t-value\n",
                "this token is given again (first on line 1)", 2},
        BadFile{"SpaceInToken", true, "a\ts3cr3t value\n", "printable characters only", 1},
        BadFile{"EmptySecret", false, "AKIDEXAMPLE\t\n", "a field is empty", 1},
        BadFile{"KeyWithoutSecret", false, "AKIDEXAMPLE\n", "write ACCESS_KEY_ID<TAB>SECRET", 1},
        BadFile{"DuplicateKey", false, "AKID1\ts3cr3t-value\nAKID1\tother\n",
                "the access key id 'AKID1' is given again (first on line 1)", 2}),
    [](const ::testing::TestParamInfo<BadFile>& info) { return info.param.name; });

TEST(ServeAuth, UnreadableFileIsAnInputErrorNamingIt) {
  const test::TempDir dir;
  const std::string missing = dir.file("no-such-tokens.tsv");
  try {
    Authenticator::load(missing, std::nullopt);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput);
    EXPECT_NE(std::string(error.what()).find(missing), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("check the path"), std::string::npos) << error.what();
  }
}

// AWS's published Signature Version 4 example (IAM ListUsers, 2015-08-30, secret
// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY): the canonical request, its hash, the signing key
// and the signature, each as AWS's documentation gives it.
TEST(ServeAuth, SignatureV4MatchesAwsPublishedExample) {
  const Headers headers{{"Host", "iam.amazonaws.com"},
                        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                        {"X-Amz-Date", "20150830T123600Z"}};
  const SignedRequest request{.method = "GET",
                              .target = "/?Action=ListUsers&Version=2010-05-08",
                              .headers = &headers,
                              .body = ""};
  const sigv4::CanonicalRequest canonical =
      sigv4::canonical_request(request, "content-type;host;x-amz-date");
  ASSERT_EQ(canonical.problem, "");
  EXPECT_EQ(canonical.text,
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sigv4::hex(sigv4::sha256(canonical.text)),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  const std::string key = sigv4::signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
                                             "us-east-1", "iam");
  EXPECT_EQ(sigv4::hex(key), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(sigv4::signature(key, "20150830T123600Z", "20150830/us-east-1/iam/aws4_request",
                             canonical.text),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(ServeAuth, CanonicalPathAndQueryAreEncodedAsTheSdksEncodeThem) {
  EXPECT_EQ(sigv4::canonical_path("/v1/speech"), "/v1/speech");
  EXPECT_EQ(sigv4::canonical_path("/v1/lexicons/house%20names"), "/v1/lexicons/house%2520names");
  EXPECT_EQ(sigv4::canonical_path("/v1//a/./b/../c/"), "/v1/a/c/");
  EXPECT_EQ(sigv4::canonical_path("/"), "/");
  EXPECT_EQ(sigv4::canonical_query("b=2&a=%7e&a=1&c"), "a=1&a=~&b=2&c=");
  EXPECT_EQ(sigv4::canonical_query("q=a+b%2Fc%20d"), "q=a%2Bb%2Fc%20d");
  EXPECT_EQ(sigv4::canonical_query("q=%zz"), std::nullopt);
  EXPECT_EQ(sigv4::canonical_query("q=%4"), std::nullopt);
}

// ---- Requests signed by the AWS SDK's signer --------------------------------------------------

struct SdkRequests {
  std::string access_key_id;
  std::string secret;
  Clock::time_point signed_at;
  struct Request {
    std::string name;
    std::string method;
    std::string target;
    Headers headers;
    std::string body;
    SignedRequest view() const {
      return {.method = method, .target = target, .headers = &headers, .body = body};
    }
  };
  std::vector<Request> requests;
};

class ServeAuthSdk : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path modules = NARRATOR_SERVICE_CLIENTS_DIR;
    const std::string node = narrator::test::find_on_path("node");
    if (node.empty()) {
      skip_reason_ = "node is not on the PATH (setup.sh test installs it)";
      return;
    }
    if (!fs::exists(modules / "@smithy/signature-v4") ||
        !fs::exists(modules / "@aws-crypto/sha256-js")) {
      skip_reason_ = "the service clients are not installed in " + modules.string() +
                     " (setup.sh test runs npm ci there)";
      return;
    }
    test::ChildProcess signer(
        {node, (fs::path(NARRATOR_SOURCE_DIR) / "tests/service/sign_request.mjs").string(),
         modules.parent_path().string()});
    const test::ProcessResult result = signer.wait();
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const nlohmann::json json = nlohmann::json::parse(result.out);
    sdk_.access_key_id = json.at("access_key_id").get<std::string>();
    sdk_.secret = json.at("secret").get<std::string>();
    sdk_.signed_at = Clock::time_point(std::chrono::seconds(json.at("signed_at_s").get<long>()));
    for (const nlohmann::json& one : json.at("requests")) {
      SdkRequests::Request request{
          one.at("name"), one.at("method"), one.at("target"), {}, one.at("body")};
      for (const nlohmann::json& header : one.at("headers")) {
        request.headers.emplace_back(header.at(0).get<std::string>(),
                                     header.at(1).get<std::string>());
      }
      sdk_.requests.push_back(std::move(request));
    }
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_GE(sdk_.requests.size(), 7u);
  }

  Authenticator keys(const std::string& contents) {
    return load_from(dir_, std::nullopt, contents);
  }
  Authenticator right_keys() {
    return keys("OTHERKEY\tx\n" + sdk_.access_key_id + "\t" + sdk_.secret + "\n");
  }

  test::TempDir dir_;
  static inline SdkRequests sdk_;
  static inline std::string skip_reason_;
};

TEST_F(ServeAuthSdk, EverySignedRequestVerifies) {
  const Authenticator auth = right_keys();
  for (const SdkRequests::Request& request : sdk_.requests) {
    const AuthDecision decision = auth.check(request.view(), sdk_.signed_at);
    EXPECT_EQ(decision.outcome, AuthOutcome::kAllowed) << request.name << ": " << decision.message;
    EXPECT_EQ(decision.principal, sdk_.access_key_id) << request.name;
    // Within the 15 minutes either way.
    for (const auto skew : {std::chrono::minutes(14), std::chrono::minutes(-14)}) {
      EXPECT_EQ(auth.check(request.view(), sdk_.signed_at + skew).outcome, AuthOutcome::kAllowed)
          << request.name;
    }
  }
}

TEST_F(ServeAuthSdk, TamperedRequestsAreRejected) {
  const Authenticator auth = right_keys();
  for (const SdkRequests::Request& original : sdk_.requests) {
    SdkRequests::Request body = original;
    body.body += " ";
    EXPECT_EQ(auth.check(body.view(), sdk_.signed_at).outcome, AuthOutcome::kRejected)
        << original.name << ": a changed body";

    SdkRequests::Request target = original;
    target.target += target.target.find('?') == std::string::npos ? "?Engine=neural" : "&x=1";
    EXPECT_EQ(auth.check(target.view(), sdk_.signed_at).outcome, AuthOutcome::kRejected)
        << original.name << ": a changed query";

    SdkRequests::Request host = original;
    for (auto& [name, value] : host.headers) {
      if (name == "host") value = "127.0.0.1:5003";
    }
    EXPECT_EQ(auth.check(host.view(), sdk_.signed_at).outcome, AuthOutcome::kRejected)
        << original.name << ": a changed signed header";
  }
}

TEST_F(ServeAuthSdk, WrongSecretUnknownKeyAndStaleDateAreRejected) {
  const SdkRequests::Request& request = sdk_.requests.front();
  const AuthDecision wrong_secret =
      keys(sdk_.access_key_id + "\t" + sdk_.secret + "x\n").check(request.view(), sdk_.signed_at);
  EXPECT_EQ(wrong_secret.outcome, AuthOutcome::kRejected);
  EXPECT_NE(wrong_secret.message.find("signature does not match"), std::string::npos)
      << wrong_secret.message;

  const AuthDecision unknown =
      keys("AKIDSOMEONEELSE\t" + sdk_.secret + "\n").check(request.view(), sdk_.signed_at);
  EXPECT_EQ(unknown.outcome, AuthOutcome::kRejected);
  EXPECT_NE(unknown.message.find("access key id"), std::string::npos) << unknown.message;

  const Authenticator auth = right_keys();
  for (const auto skew : {std::chrono::minutes(16), std::chrono::minutes(-16)}) {
    const AuthDecision stale = auth.check(request.view(), sdk_.signed_at + skew);
    EXPECT_EQ(stale.outcome, AuthOutcome::kRejected);
    EXPECT_NE(stale.message.find("15 minutes"), std::string::npos) << stale.message;
  }
}

}  // namespace
}  // namespace narrator::cli::serve
