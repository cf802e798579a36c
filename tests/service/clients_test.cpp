// Clients no one here wrote, unchanged but for their endpoint: Amazon Polly's JavaScript SDK
// (@aws-sdk/client-polly) and OpenAI's (openai), pinned in tests/service/package-lock.json, drive
// one `narrate serve` that checks bearer tokens and AWS Signature V4. What they receive is decoded
// and checked: MP3 that is speech, and speech marks that slice the text the client sent.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "audio_analysis.hpp"
#include "process.hpp"
#include "serve_process.hpp"
#include "temp_dir.hpp"

namespace narrator::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr double kClientSilenceRms = 100;  // 16-bit units: speech is far above this
constexpr const char* kToken = "pipeline-7f3c-91be-d04a";
constexpr const char* kAccessKey = "AKIDNARRATORTEST01";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYNARRATORKEY";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string script(const char* name) {
  return (fs::path(NARRATOR_SOURCE_DIR) / "tests/service" / name).string();
}

// One server for the suite, with a bearer token for OpenAI's client and an AWS key for Polly's.
class ServeClients : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    std::ofstream(dir_->file("tokens.tsv")) << "pipeline\t" << kToken << "\n";
    std::ofstream(dir_->file("keys.tsv")) << kAccessKey << "\t" << kSecret << "\n";
    if (find_on_path("node").empty() || !fs::exists(clients() / "node_modules")) return;
    server_ = new ServeProcess(
        {"-j", "2", "--tokens", dir_->file("tokens.tsv"), "--aws-keys", dir_->file("keys.tsv")});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (find_on_path("node").empty())
      GTEST_SKIP() << "node is not on the PATH (setup.sh test installs it)";
    if (!fs::exists(clients() / "node_modules")) {
      GTEST_SKIP() << "the npm clients are not installed in " << clients().string()
                   << " (setup.sh test installs them with npm ci from tests/service)";
    }
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(server_->port(), 0) << "the server did not start";
  }

  static fs::path clients() { return NARRATOR_SERVICE_CLIENTS_DIR; }
  static std::string base_url() { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  // Runs a client script with its arguments after CLIENTS_DIR BASE_URL OUT_DIR.
  static ProcessResult run_client(const char* name, const fs::path& out,
                                  const std::vector<std::string>& args) {
    fs::create_directories(out);
    std::vector<std::string> argv{find_on_path("node"), script(name), clients().string(),
                                  base_url(), out.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess client(argv);
    return client.wait(std::chrono::seconds(120));
  }

  static TempDir* dir_;
  static ServeProcess* server_;
};

TempDir* ServeClients::dir_ = nullptr;
ServeProcess* ServeClients::server_ = nullptr;

void expect_speech_file(const fs::path& path, double min_seconds) {
  ASSERT_TRUE(fs::exists(path)) << path;
  const DecodedAudio audio = decode_file(path.string());
  EXPECT_GT(audio.duration_s(), min_seconds) << path;
  EXPECT_GT(rms(audio.samples), kClientSilenceRms) << path << " is silence";
}

TEST_F(ServeClients, PollySdkListsVoicesSynthesizesMp3AndGetsMarksThatSliceTheText) {
  const fs::path out = dir_->path() / "polly";
  const ProcessResult result =
      run_client("polly_client.mjs", out, {"--access-key-id", kAccessKey, "--secret", kSecret});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json report = json::parse(result.out);

  bool joanna = false;
  for (const json& voice : report.at("voices")) joanna = joanna || voice.at("Id") == "Joanna";
  EXPECT_TRUE(joanna) << "DescribeVoices lists the voice the client asks for: " << result.out;

  const std::string input = slurp(out / "input.txt");
  ASSERT_FALSE(input.empty());
  EXPECT_EQ(report.at("audio").at("contentType"), "audio/mpeg");
  // Polly counts characters, not bytes.
  const auto characters = static_cast<long>(std::count_if(input.begin(), input.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
  EXPECT_EQ(report.at("audio").at("requestCharacters").get<long>(), characters);
  expect_speech_file(out / "polly.mp3", 2.0);

  EXPECT_EQ(report.at("marks").at("contentType"), "application/x-json-stream");
  std::istringstream lines(slurp(out / "polly-marks.jsonl"));
  int sentences = 0;
  int words = 0;
  long last_time = -1;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const json mark = json::parse(line);
    const std::size_t start = mark.at("start");
    const std::size_t end = mark.at("end");
    ASSERT_LE(start, end);
    ASSERT_LE(end, input.size());
    EXPECT_EQ(input.substr(start, end - start), mark.at("value").get<std::string>()) << line;
    const long time = mark.at("time");
    EXPECT_GE(time, last_time) << "marks come in time order";
    last_time = time;
    sentences += mark.at("type") == "sentence";
    words += mark.at("type") == "word";
  }
  EXPECT_GE(sentences, 2);
  EXPECT_GE(words, 10);
}

TEST_F(ServeClients, PollySdkWithAWrongSecretIsRefused) {
  const ProcessResult result =
      run_client("polly_client.mjs", dir_->path() / "polly-wrong",
                 {"--access-key-id", kAccessKey, "--secret", std::string(kSecret) + "x"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("403"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir_->path() / "polly-wrong" / "polly.mp3"));
}

TEST_F(ServeClients, OpenAiSdkSynthesizesMp3) {
  const fs::path out = dir_->path() / "openai";
  const ProcessResult result = run_client("openai_client.mjs", out, {"--api-key", kToken});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json report = json::parse(result.out);
  EXPECT_EQ(report.at("contentType"), "audio/mpeg");
  expect_speech_file(out / "openai.mp3", 2.0);
}

TEST_F(ServeClients, OpenAiSdkErrorsReachTheCaller) {
  const ProcessResult wrong_key = run_client("openai_client.mjs", dir_->path() / "openai-key",
                                             {"--api-key", "not-a-listed-token"});
  EXPECT_EQ(wrong_key.exit_code, 1);
  EXPECT_NE(wrong_key.err.find("403"), std::string::npos) << wrong_key.err;

  const ProcessResult aac = run_client("openai_client.mjs", dir_->path() / "openai-aac",
                                       {"--api-key", kToken, "--format", "aac"});
  EXPECT_EQ(aac.exit_code, 1);
  EXPECT_NE(aac.err.find("400"), std::string::npos) << aac.err;
  for (const char* format : {"mp3", "opus", "flac", "wav", "pcm"}) {
    EXPECT_NE(aac.err.find(format), std::string::npos)
        << "the error lists the formats Narrator makes: " << aac.err;
  }
}

}  // namespace
}  // namespace narrator::test
