// serve_load: a load generator for `narrate serve` (bench/run's service section). C clients post
// articles to one endpoint as fast as the server answers, each on its own keep-alive connection,
// and read every response to its end. Prints one line of figures per run:
//
//   serve_load --url http://127.0.0.1:5002 --path /v1/narrations --clients 4 --requests 24
//              --body-field text --extra '"format":"mp3"' ARTICLE.txt...
//
//   clients=4 requests=24 ok=24 errors=0 busy=0 seconds=7.91 rps=3.03 ttfb_p50_ms=41 ...
//
// Time to first byte is from the request's first byte sent to the first byte of the response body
// (the audio), total time to its last byte. A 503 (queue full) counts as busy, any other failure
// (status, connection, an empty body) as an error.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string url = "http://127.0.0.1:5002";
  std::string path = "/v1/narrations";
  std::string body_field = "text";
  std::string extra;  // more JSON members, without braces: "format":"mp3","voice":"en-us"
  std::string bearer;
  int clients = 1;
  int requests = 0;  // 0: two per client
  std::vector<std::string> articles;
};

struct Sample {
  double ttfb_ms = 0;
  double total_ms = 0;
  enum { kOk, kBusy, kError } outcome = kError;
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "serve_load: %s\nusage: serve_load --url URL --path PATH --clients C [--requests N]"
               " [--body-field NAME] [--extra JSON_MEMBERS] [--bearer TOKEN] ARTICLE...\n",
               message);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
      return argv[++i];
    };
    if (arg == "--url") {
      options.url = value();
    } else if (arg == "--path") {
      options.path = value();
    } else if (arg == "--body-field") {
      options.body_field = value();
    } else if (arg == "--extra") {
      options.extra = value();
    } else if (arg == "--bearer") {
      options.bearer = value();
    } else if (arg == "--clients") {
      options.clients = std::stoi(value());
    } else if (arg == "--requests") {
      options.requests = std::stoi(value());
    } else if (!arg.empty() && arg[0] == '-') {
      usage(("unknown option " + arg).c_str());
    } else {
      options.articles.push_back(arg);
    }
  }
  if (options.articles.empty()) usage("no article given");
  if (options.clients < 1) usage("--clients must be at least 1");
  if (options.requests == 0) options.requests = 2 * options.clients;
  return options;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) usage(("cannot read " + path).c_str());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

Sample post(httplib::Client& client, const Options& options, const std::string& body) {
  Sample sample;
  httplib::Request request;
  request.method = "POST";
  request.path = options.path;
  request.body = body;
  request.set_header("Content-Type", "application/json");
  if (!options.bearer.empty()) request.set_header("Authorization", "Bearer " + options.bearer);
  const Clock::time_point start = Clock::now();
  bool first = true;
  std::size_t bytes = 0;
  request.content_receiver = [&](const char*, std::size_t length, std::uint64_t,
                                 std::uint64_t) {
    if (first && length > 0) {
      sample.ttfb_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      first = false;
    }
    bytes += length;
    return true;
  };
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  const bool sent = client.send(request, response, error);
  sample.total_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (sent && response.status == 503) {
    sample.outcome = Sample::kBusy;
  } else if (sent && response.status == 200 && bytes > 0) {
    sample.outcome = Sample::kOk;
  }
  return sample;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  std::vector<std::string> bodies;
  for (const std::string& path : options.articles) {
    const std::string text = read_text(path);
    std::string body = "{";
    body += nlohmann::json(options.body_field).dump();
    body += ':';
    body += nlohmann::json(text).dump();
    if (!options.extra.empty()) {
      body += ',';
      body += options.extra;
    }
    body += '}';
    bodies.push_back(std::move(body));
  }

  std::atomic<int> next{0};
  std::mutex samples_mutex;
  std::vector<Sample> samples;
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < options.clients; ++c) {
    clients.emplace_back([&] {
      httplib::Client client(options.url);
      client.set_keep_alive(true);
      client.set_read_timeout(600, 0);
      for (int i = next++; i < options.requests; i = next++) {
        const Sample sample = post(client, options, bodies[i % bodies.size()]);
        const std::lock_guard lock(samples_mutex);
        samples.push_back(sample);
      }
    });
  }
  for (std::thread& client : clients) client.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> ttfb;
  std::vector<double> total;
  int ok = 0;
  int busy = 0;
  int errors = 0;
  for (const Sample& sample : samples) {
    if (sample.outcome == Sample::kOk) {
      ++ok;
      ttfb.push_back(sample.ttfb_ms);
      total.push_back(sample.total_ms);
    } else if (sample.outcome == Sample::kBusy) {
      ++busy;
    } else {
      ++errors;
    }
  }
  std::printf(
      "clients=%d requests=%d ok=%d errors=%d busy=%d seconds=%.2f rps=%.2f ttfb_p50_ms=%.0f "
      "ttfb_p99_ms=%.0f total_p50_ms=%.0f total_p99_ms=%.0f\n",
      options.clients, options.requests, ok, errors, busy, seconds, ok / seconds,
      percentile(ttfb, 50), percentile(ttfb, 99), percentile(total, 50), percentile(total, 99));
  return errors == 0 ? 0 : 1;
}
