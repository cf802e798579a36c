#include "serve_cli.hpp"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "worker.hpp"

namespace narrator::cli::serve {
namespace {

constexpr long kMaxJobs = 64;
constexpr long kMaxQueue = 10000;
constexpr long kMaxWorkers = 2 * kMaxJobs;
constexpr long kMaxSeconds = 86400;

// A whole number from min to max, named as typed in the message.
CLI::Validator whole(std::string option, long min, long max, std::string unit) {
  return CLI::Validator(
      [=](std::string& value) -> std::string {
        long number = 0;
        const char* end = value.data() + value.size();
        const auto [stop, error] = std::from_chars(value.data(), end, number);
        const std::string range = std::to_string(min) + " to " + std::to_string(max) + " " + unit;
        if (error != std::errc() || stop != end) {
          return option + " '" + value + "' is not a whole number; use " + range;
        }
        if (number < min || number > max)
          return option + " " + value + " is out of range; use " + range;
        return "";
      },
      std::to_string(min) + " to " + std::to_string(max) + " " + unit);
}

// "127.0.0.1:5002", "[::1]:8080", "0.0.0.0:0" into the host and the port.
void parse_listen(const std::string& text, ServeOptions& options) {
  const std::size_t colon = text.rfind(':');
  std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
  const std::string port = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int number = -1;
  const auto [stop, error] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (host.empty() || error != std::errc() || stop != port.data() + port.size() || number < 0 ||
      number > 65535) {
    throw CLI::ValidationError("--listen", "--listen '" + text +
                                               "' is not ADDR:PORT; use for example "
                                               "127.0.0.1:5002 (port 0 picks a free one)");
  }
  options.host = host;
  options.port = number;
}

// "house=lexicons/house.tsv": the name a request gives, and the file.
void add_lexicon(const std::string& text, std::map<std::string, std::string>& lexicons) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    throw CLI::ValidationError("--lexicon", "--lexicon '" + text +
                                                "' is not NAME=FILE; requests name a lexicon, "
                                                "never a path (e.g. --lexicon house=house.tsv)");
  }
  const std::string name = text.substr(0, equals);
  const std::string file = text.substr(equals + 1);
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw CLI::ValidationError("--lexicon", "--lexicon " + name + ": '" + file +
                                                "' is not a file; give a TSV or PLS lexicon");
  }
  if (!lexicons.emplace(name, file).second) {
    throw CLI::ValidationError(
        "--lexicon", "--lexicon " + name + " is given twice; give each a name of its own");
  }
}

}  // namespace

void add_serve_commands(CLI::App& app, ServeOptions& serve, ServeWorkerOptions& worker,
                        const std::function<void(bool worker)>& chosen) {
  CLI::App* command = app.add_subcommand(
      "serve", "Serve narrations over HTTP: a native API, Amazon Polly's and OpenAI's");
  command->add_option_function<std::string>(
      "--listen", [&serve](const std::string& text) { parse_listen(text, serve); },
      "ADDR:PORT to listen on (default 127.0.0.1:5002; port 0 picks a free one)");
  command
      ->add_option("-j,--jobs", serve.jobs,
                   "Sentences synthesized at once, over all requests (default: one per core)")
      ->check(whole("-j", 1, kMaxJobs, "sentences"));
  command
      ->add_option("--workers", serve.workers,
                   "Worker processes, each running one request (default: twice -j)")
      ->check(whole("--workers", 1, kMaxWorkers, "worker processes"));
  command->add_option("--queue", serve.queue, "Requests that may wait for a worker; more get 503")
      ->check(whole("--queue", 0, kMaxQueue, "requests"))
      ->capture_default_str();
  command
      ->add_option_function<std::vector<std::string>>(
          "--lexicon",
          [&serve](const std::vector<std::string>& items) {
            for (const std::string& item : items) add_lexicon(item, serve.lexicons);
          },
          "NAME=FILE: a lexicon loaded at start-up, which requests name; repeatable")
      ->allow_extra_args(false);
  command->add_option("-v,--voice", serve.default_voice, "The voice of requests that name none")
      ->capture_default_str();
  const auto seconds = [&](const char* name, std::chrono::seconds& value, const char* what) {
    command
        ->add_option_function<long>(
            name, [&value](long s) { value = std::chrono::seconds(s); }, what)
        ->check(whole(name, 1, kMaxSeconds, "seconds"));
  };
  seconds("--grace", serve.grace, "Seconds to drain the requests in flight after SIGTERM (30)");
  seconds("--request-timeout", serve.request_timeout, "Seconds a request may take in all (600)");
  seconds("--header-timeout", serve.header_timeout,
          "Seconds a client has to send the request line and headers (10)");
  seconds("--read-timeout", serve.read_timeout, "Seconds any one read of a body may wait (10)");
  command->add_option("--max-body", serve.max_body_bytes, "The largest request body, in bytes")
      ->check(whole("--max-body", 1024, 1L << 30, "bytes"))
      ->capture_default_str();
  command
      ->add_option("--max-chars", serve.max_chars,
                   "The most characters of text a request may give (0: no limit)")
      ->check(whole("--max-chars", 0, 1L << 30, "characters"))
      ->capture_default_str();
  command->add_option_function<std::string>(
      "--tokens", [&serve](const std::string& file) { serve.tokens_file = file; },
      "Bearer tokens that may call the server, one per line");
  command->add_option_function<std::string>(
      "--aws-keys", [&serve](const std::string& file) { serve.aws_keys_file = file; },
      "AWS access keys whose Signature V4 the server accepts (Polly's clients)");
  command->callback([&serve, chosen] {
    const char* hooks = std::getenv("NARRATOR_SERVE_TEST_HOOKS");
    serve.test_hooks = hooks != nullptr && std::string_view(hooks) == "1";
    chosen(false);
  });

  CLI::App* hidden = app.add_subcommand("serve-worker", "");
  hidden->group("");  // started by `narrate serve` only
  hidden->add_option("--control-fd", worker.control_fd)->required();
  hidden->add_option("--voice", worker.default_voice);
  hidden
      ->add_option_function<std::vector<std::string>>(
          "--lexicon",
          [&worker](const std::vector<std::string>& items) {
            for (const std::string& item : items) add_lexicon(item, worker.lexicons);
          },
          "")
      ->allow_extra_args(false);
  hidden->callback([chosen] { chosen(true); });
}

int run_serve_worker_command(const ServeWorkerOptions& options) {
  WorkerSettings settings;
  settings.control_fd = options.control_fd;
  settings.lexicons = options.lexicons;
  settings.default_voice = options.default_voice;
  const char* hooks = std::getenv("NARRATOR_SERVE_TEST_HOOKS");
  settings.test_hooks = hooks != nullptr && std::string_view(hooks) == "1";
  return run_serve_worker(settings);
}

}  // namespace narrator::cli::serve
