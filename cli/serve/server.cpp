#include "server.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "api_requests.hpp"
#include "auth.hpp"
#include "http_transport.hpp"
#include "job_run.hpp"
#include "metrics.hpp"
#include "narrator/error.hpp"
#include "worker_pool.hpp"

namespace narrator::cli::serve {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

constexpr const char* kJsonType = "application/json";
constexpr int kRetryAfterS = 1;
// HTTP threads beyond one per worker and one per queue place: health checks, metrics, voices and
// refusals are answered while every worker is busy.
constexpr int kSpareThreads = 8;
// Worker processes per sentence synthesized at once, when --workers is not given.
constexpr int kWorkersPerJob = 2;

// Every route, with the methods it takes: for 405's Allow header and the metrics' route label.
struct Route {
  const char* path;
  const char* methods;
};
constexpr Route kRoutes[] = {{"/healthz", "GET"},        {"/readyz", "GET"},
                             {"/metrics", "GET"},        {"/v1/voices", "GET"},
                             {"/v1/narrations", "POST"}, {"/v1/marks", "POST"},
                             {"/v1/script", "POST"},     {"/v1/estimate", "POST"},
                             {"/v1/speech", "POST"},     {"/v1/audio/speech", "POST"}};

const Route* find_route(const std::string& path) {
  for (const Route& route : kRoutes) {
    if (path == route.path) return &route;
  }
  return nullptr;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.starts_with("127.") || host == "::1";
}

std::string dumped(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(ms.count()));
  return text;
}

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The Polly error name for a status the request parsing did not name.
std::string polly_type_for(int status) {
  if (status == 503) return "ThrottlingException";
  if (status >= 500) return "ServiceFailureException";
  return "ValidationException";
}

// Whether a Content-Type names JSON ("application/json; charset=utf-8" does).
bool is_json_type(const std::string& type) {
  const std::string media = type.substr(0, type.find(';'));
  return media == "application/json" || media == "application/x-amz-json-1.0" ||
         media == "application/x-amz-json-1.1";
}

}  // namespace

class Server::Impl {
 public:
  explicit Impl(ServeOptions options)
      : options_(std::move(options)),
        authenticator_(Authenticator::load(options_.tokens_file, options_.aws_keys_file)),
        http_(limits_from(options_), [this](const Exchange& exchange, int status) {
          log_exchange("-", "other", status, exchange);
        }) {
    if (options_.jobs <= 0) {
      options_.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    // Twice as many workers as sentences synthesized at once: a new request finds an idle worker
    // while others narrate, and its first sentence goes ahead of theirs (sentence_permits.hpp).
    if (options_.workers <= 0) options_.workers = kWorkersPerJob * options_.jobs;
    if (!is_loopback(options_.host) && !authenticator_.enabled()) {
      throw Error(ErrorCategory::kUsage,
                  "--listen " + options_.host +
                      " is reachable from other machines, and no authentication is configured; "
                      "give --tokens FILE or --aws-keys FILE, or listen on 127.0.0.1");
    }
    limits_.max_chars = options_.max_chars;
    limits_.test_hooks = options_.test_hooks;
    limits_.default_voice = options_.default_voice;
    for (const auto& [name, file] : options_.lexicons) limits_.lexicons.insert(name);
    const int threads = options_.workers + options_.queue + kSpareThreads;
    http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http_.set_payload_max_length(options_.max_body_bytes);
    // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second server would
    // bind the same port beside this one and take half its connections.
    http_.set_socket_options([](int socket) {
      const int yes = 1;
      ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    // What the Keep-Alive header announces is what the transport does.
    const ConnectionLimits connection = limits_from(options_);
    http_.set_keep_alive_max_count(connection.keep_alive_max_requests);
    http_.set_keep_alive_timeout(
        std::chrono::duration_cast<std::chrono::seconds>(connection.keep_alive_timeout).count());
    set_up_routes();
    bind();
    PoolSettings pool;
    pool.program = options_.program.empty() ? "/proc/self/exe" : options_.program;
    pool.workers = options_.workers;
    pool.permits = options_.jobs;
    pool.queue = options_.queue;
    pool.lexicons = options_.lexicons;
    pool.default_voice = options_.default_voice;
    pool_ = std::make_unique<WorkerPool>(std::move(pool));
  }

  int port() const noexcept { return port_; }
  std::string url() const {
    const bool v6 = options_.host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + options_.host + "]" : options_.host) + ":" +
           std::to_string(port_);
  }

  void run() { http_.listen_after_bind(); }
  void drain() {
    draining_ = true;
    http_.drain();
  }
  void cut_off() { pool_->close(); }

 private:
  static ConnectionLimits limits_from(const ServeOptions& options) {
    ConnectionLimits limits;
    limits.header_timeout = options.header_timeout;
    limits.read_timeout = options.read_timeout;
    return limits;
  }

  void bind() {
    if (options_.port == 0) {
      port_ = http_.bind_to_any_port(options_.host);
    } else {
      port_ = http_.bind_to_port(options_.host, options_.port) ? options_.port : -1;
    }
    if (port_ <= 0) {
      throw Error(ErrorCategory::kOutput,
                  "--listen " + options_.host + ":" + std::to_string(options_.port) +
                      ": cannot listen there (the port is taken, or the address is not this "
                      "machine's); choose another");
    }
  }

  // --- answers ---

  void fail(httplib::Response& res, Api api, int status, const std::string& code,
            const std::string& message, const std::string& field = {},
            std::string polly_type = {}) const {
    json error{{"code", code}, {"message", message}};
    if (!field.empty()) error["param"] = field;
    if (api == Api::kOpenAi) {
      error["type"] = status >= 500 ? "server_error" : "invalid_request_error";
    }
    json body{{"error", error}};
    if (api == Api::kPolly) {
      if (polly_type.empty()) polly_type = polly_type_for(status);
      body["__type"] = polly_type;
      body["message"] = message;
      res.set_header("x-amzn-ErrorType", polly_type);
    }
    res.status = status;
    res.set_content(dumped(body), kJsonType);
  }

  void fail(httplib::Response& res, Api api, const RequestError& error) const {
    fail(res, api, error.status, error.code, error.what(), error.field, error.polly_type);
  }

  // The worker refused the job (a usage or input error) or failed.
  void fail_job(httplib::Response& res, Api api, const ApiRequest& request,
                const json& result) const {
    const std::string category = result.value("category", "internal");
    std::string message = result.value("message", "the worker failed");
    if (category != "usage" && category != "input") {
      fail(res, api, 500, "narration_failed", message);
      return;
    }
    std::string polly_type = "ValidationException";
    if (api == Api::kPolly && request.job.input == InputFormat::kSsml && category == "input") {
      polly_type = "InvalidSsmlException";
    }
    if (message.find("unknown voice") != std::string::npos) {
      message += " (GET /v1/voices lists every voice";
      if (api != Api::kNative) {
        message += "; this API's own names are";
        const char* separator = " ";
        for (const VoiceAlias& alias : api == Api::kPolly ? polly_voices() : openai_voices()) {
          message += separator + alias.id;
          separator = ", ";
        }
      }
      message += ")";
    }
    fail(res, api, 400, category == "usage" ? "invalid_request" : "invalid_input", message,
         api == Api::kPolly ? "VoiceId" : std::string(), polly_type);
  }

  // Whether the request may be served: always without credentials configured; else its bearer
  // token or AWS signature must check out (the principal goes to the access log). Answers 401
  // (none given) or 403 (wrong) itself.
  bool authorized(const httplib::Request& req, httplib::Response& res, Api api) const {
    if (!authenticator_.enabled()) return true;
    std::vector<std::pair<std::string, std::string>> headers(req.headers.begin(),
                                                             req.headers.end());
    const AuthDecision decision =
        authenticator_.check(SignedRequest{req.method, req.target, &headers, req.body},
                             std::chrono::system_clock::now());
    if (decision.outcome == AuthOutcome::kAllowed) {
      if (Exchange* exchange = current_exchange()) exchange->principal = decision.principal;
      return true;
    }
    const bool missing = decision.outcome == AuthOutcome::kMissing;
    if (missing) res.set_header("WWW-Authenticate", "Bearer");
    const bool signed_request = req.get_header_value("Authorization").starts_with("AWS4-");
    fail(res, api, missing ? 401 : 403, missing ? "unauthenticated" : "forbidden", decision.message,
         {},
         missing          ? "MissingAuthenticationTokenException"
         : signed_request ? "InvalidSignatureException"
                          : "UnrecognizedClientException");
    return false;
  }

  // --- routes ---

  void set_up_routes() {
    // Probes stay open: a load balancer or kubelet holds no credentials.
    http_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"status":"ok"})", kJsonType);
    });
    http_.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
      if (!draining_ && pool_->ready()) {
        res.set_content(R"({"status":"ready"})", kJsonType);
      } else {
        fail(res, Api::kNative, 503, "not_ready",
             draining_ ? "the server is draining: it is stopping" : "a worker is restarting");
      }
    });
    http_.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res, Api::kNative)) return;
      const PoolGauges gauges{pool_->size(),
                              pool_->busy(),
                              pool_->queued(),
                              pool_->restarts(),
                              pool_->permits().in_use(),
                              pool_->permits().waiting(),
                              pool_->job_crashes()};
      res.set_content(metrics_.text(gauges), "text/plain; version=0.0.4; charset=utf-8");
    });
    http_.Get("/v1/voices", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res, Api::kPolly)) return;
      res.set_content(dumped(voices(req.get_param_value("LanguageCode"))), kJsonType);
    });
    job_route("/v1/narrations", Api::kNative, JobKind::kAudio);
    job_route("/v1/marks", Api::kNative, JobKind::kMarks);
    job_route("/v1/script", Api::kNative, JobKind::kScript);
    job_route("/v1/estimate", Api::kNative, JobKind::kEstimate);
    job_route("/v1/speech", Api::kPolly, JobKind::kAudio);
    job_route("/v1/audio/speech", Api::kOpenAi, JobKind::kAudio);
    http_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
          return answer_error(req, res);
        }));
    http_.set_exception_handler(
        [this](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
          std::string message = "internal error";
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& caught) {
            message = caught.what();
          } catch (...) {
          }
          fail(res, Api::kNative, 500, "internal", message);
        });
    http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      const Exchange* exchange = current_exchange();
      if (exchange == nullptr || exchange->head_failure != 0) return;  // logged by the transport
      const Route* route = find_route(req.path);
      log_exchange(req.method, route ? route->path : "other", res.status, *exchange);
    });
  }

  // httplib's own refusals (404, 413, a malformed request) and 405, as JSON.
  httplib::Server::HandlerResponse answer_error(const httplib::Request& req,
                                                httplib::Response& res) const {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // ours already
    const Route* route = find_route(req.path);
    const Api api = req.path == "/v1/speech"         ? Api::kPolly
                    : req.path == "/v1/audio/speech" ? Api::kOpenAi
                                                     : Api::kNative;
    // Which routes exist is for callers with credentials: a stranger gets 401 everywhere.
    if (res.status == 404 && !authorized(req, res, api)) {
      return httplib::Server::HandlerResponse::Handled;
    }
    if (res.status == 404 && route != nullptr) {
      res.set_header("Allow", route->methods);
      fail(res, api, 405, "method_not_allowed",
           req.method + " is not allowed on " + req.path + "; use " + route->methods);
    } else if (res.status == 404) {
      fail(res, api, 404, "not_found",
           "no route " + req.path + "; see the README's \"Serving over HTTP\" for the endpoints");
    } else if (res.status == 413) {
      fail(res, api, 413, "body_too_large",
           "the request body is over this server's limit of " +
               std::to_string(options_.max_body_bytes) + " bytes (--max-body)");
    } else if (const Exchange* exchange = current_exchange();
               exchange != nullptr && exchange->body_timed_out) {
      fail(res, api, 408, "request_timeout",
           "the request body stopped arriving for longer than --read-timeout (" +
               std::to_string(options_.read_timeout.count()) + " s)");
    } else {
      fail(res, api, res.status, "bad_request", "the request could not be read as HTTP");
    }
    return httplib::Server::HandlerResponse::Handled;
  }

  json voices(const std::string& language) const {
    const json native = json::parse(pool_->voices_json());
    json listed = json::array();
    const auto add = [&](const std::string& id, const std::string& gender, const std::string& code,
                         const std::string& name) {
      if (!language.empty() && language != code) return;
      listed.push_back({{"Id", id},
                        {"Name", id},
                        {"Gender", gender},
                        {"LanguageCode", code},
                        {"LanguageName", name},
                        {"SupportedEngines", {"standard"}}});
    };
    for (const VoiceAlias& alias : polly_voices()) {
      add(alias.id, alias.gender, alias.language, alias.language_name);
    }
    for (const json& voice : native) {
      const std::string gender = voice.value("gender", "");
      const json& languages = voice.at("languages");
      add(voice.value("name", ""),
          gender == "female" ? "Female"
          : gender == "male" ? "Male"
                             : "Unknown",
          languages.empty() ? "" : languages.front().get<std::string>(), voice.value("name", ""));
    }
    return {{"Voices", listed}, {"voices", native}};
  }

  void job_route(const char* path, Api api, JobKind kind) {
    http_.Post(path, [this, api, kind](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res, api)) return;
      if (!is_json_type(req.get_header_value("Content-Type"))) {
        fail(res, api, 415, "unsupported_media_type",
             "the body must be JSON, sent with Content-Type: application/json");
        return;
      }
      const json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded()) {
        fail(res, api, 400, "invalid_json", "the request body is not valid JSON (UTF-8)");
        return;
      }
      try {
        ApiRequest request = api == Api::kPolly    ? read_polly(body, limits_)
                             : api == Api::kOpenAi ? read_openai(body, limits_)
                                                   : read_native(body, kind, limits_);
        if (options_.test_hooks) {
          request.job.test_crash_after_sentences = test_crash_after(req);
        }
        run_job(res, api, request);
      } catch (const RequestError& error) {
        fail(res, api, error);
      }
    });
  }

  // The test hook of a worker that dies mid-stream: the sentences named by the request's
  // kTestCrashAfterHeader, or 0 (none, or not a positive number).
  static int test_crash_after(const httplib::Request& req) {
    const std::string value = req.get_header_value(kTestCrashAfterHeader);
    int sentences = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), sentences);
    return error == std::errc() && end == value.data() + value.size() && sentences > 0 ? sentences
                                                                                       : 0;
  }

  // Runs the request's job on a worker: the body streams back as it is made (audio, marks), or
  // comes whole (script, estimate).
  void run_job(httplib::Response& res, Api api, const ApiRequest& request) {
    const Clock::time_point deadline = Clock::now() + options_.request_timeout;
    Lease lease;
    switch (pool_->acquire(lease, deadline)) {
      case WorkerPool::Wait::kGot:
        break;
      case WorkerPool::Wait::kQueueFull:
        res.set_header("Retry-After", std::to_string(kRetryAfterS));
        fail(res, api, 503, "busy",
             "every worker is busy and the queue is full (--queue); retry after a second");
        return;
      case WorkerPool::Wait::kTimedOut:
        fail(res, api, 503, "timeout", "no worker was free within --request-timeout");
        return;
      case WorkerPool::Wait::kClosed:
        fail(res, api, 503, "draining", "the server is stopping");
        return;
    }
    auto run = std::make_shared<JobRun>(*pool_, lease, deadline);
    try {
      run->start(request.job);
    } catch (const Error& error) {
      fail(res, api, 500, "worker_failed", error.what());
      return;
    }
    const Exchange* exchange = current_exchange();
    const int client = exchange != nullptr ? exchange->socket : -1;
    auto first = std::make_shared<std::string>();
    JobRun::Event event = run->next(*first, client);
    const bool whole =
        request.job.kind == JobKind::kScript || request.job.kind == JobKind::kEstimate;
    std::string body;
    while (whole && event == JobRun::Event::kData) {
      body += *first;
      event = run->next(*first, client);
    }
    if (event == JobRun::Event::kTimeout) {
      fail(res, api, 503, "timeout", "the request took longer than --request-timeout");
      return;
    }
    if (event == JobRun::Event::kClientGone) {
      fail(res, api, 400, "client_gone", "the client closed the connection");
      return;
    }
    if (api == Api::kPolly) {
      res.set_header("x-amzn-RequestCharacters", std::to_string(request.characters));
    }
    const std::string request_id = std::to_string(++request_ids_);
    res.set_header("x-amzn-RequestId", request_id);
    if (Exchange* exchange = current_exchange()) exchange->request_id = request_id;
    if (event == JobRun::Event::kEnd) {
      answer_ended(res, api, request, *run, body);
      return;
    }
    res.set_chunked_content_provider(
        request.content_type,
        [this, run, first, client](std::size_t /*offset*/, httplib::DataSink& sink) {
          if (!first->empty()) {
            const std::string data = std::exchange(*first, std::string());
            return sink.write(data.data(), data.size());
          }
          std::string data;
          switch (run->next(data, client)) {
            case JobRun::Event::kData:
              return sink.write(data.data(), data.size());
            case JobRun::Event::kEnd:
              if (const std::optional<json> result = run->result();
                  result && result->value("ok", false)) {
                metrics_.add_audio(std::chrono::milliseconds(result->value("audio_ms", 0LL)));
                run->finish();  // the worker is free before the client has the last chunk
                sink.done();
                return true;
              }
              return false;  // the stream is cut: the client sees no final chunk
            case JobRun::Event::kTimeout:
            case JobRun::Event::kClientGone:
              break;
          }
          return false;
        },
        [run](bool /*success*/) { run->finish(); });
  }

  // The job ended before its body began (or its body is whole): its result decides the status.
  void answer_ended(httplib::Response& res, Api api, const ApiRequest& request, JobRun& run,
                    std::string& body) {
    const std::optional<json> result = run.result();
    run.finish();
    if (!result) {
      fail(res, api, 500, "worker_crashed",
           "the worker running this request ended unexpectedly; it has been restarted");
      return;
    }
    if (!result->value("ok", false)) {
      fail_job(res, api, request, *result);
      return;
    }
    metrics_.add_audio(std::chrono::milliseconds(result->value("audio_ms", 0LL)));
    if (request.job.kind == JobKind::kScript && result->contains("warnings")) {
      json script = json::parse(body, nullptr, false);
      if (script.is_object()) {
        script["warnings"] = result->at("warnings");
        body = dumped(script);
      }
    }
    res.set_content(body, request.content_type);
  }

  void log_exchange(const std::string& method, const std::string& route, int status,
                    const Exchange& exchange) {
    const Clock::time_point now = Clock::now();
    const Clock::time_point started =
        exchange.started == Clock::time_point{} ? now : exchange.started;
    const Clock::time_point first = exchange.responded ? exchange.first_byte : now;
    const auto total = std::chrono::duration_cast<std::chrono::microseconds>(now - started);
    const auto to_first = std::chrono::duration_cast<std::chrono::microseconds>(first - started);
    metrics_.record(route, status, total, to_first);
    json line{{"time", utc_now()},
              {"method", method},
              {"route", route},
              {"status", status},
              {"bytes", exchange.bytes_written},
              {"ms", std::round(ms_between(started, now) * 10) / 10},
              {"ttfb_ms", std::round(ms_between(started, first) * 10) / 10},
              {"principal", exchange.principal.empty() ? "-" : exchange.principal}};
    if (!exchange.request_id.empty()) line["request_id"] = exchange.request_id;
    const std::string text = dumped(line) + "\n";
    const std::lock_guard lock(log_mutex_);
    std::fwrite(text.data(), 1, text.size(), stderr);
  }

  ServeOptions options_;
  ApiLimits limits_;
  Authenticator authenticator_;
  GuardedServer http_;
  int port_ = -1;
  std::unique_ptr<WorkerPool> pool_;
  Metrics metrics_;
  std::atomic<bool> draining_{false};
  std::atomic<std::uint64_t> request_ids_{0};
  std::mutex log_mutex_;
};

Server::Server(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Server::~Server() = default;
int Server::port() const noexcept { return impl_->port(); }
std::string Server::url() const { return impl_->url(); }
void Server::run() { impl_->run(); }
void Server::drain() { impl_->drain(); }
void Server::cut_off() { impl_->cut_off(); }

void run_serve(const ServeOptions& options) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  // Blocked before any thread starts, so that every thread inherits the mask and the signal
  // waits for sigwaitinfo() below.
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  Server server(options);
  std::fprintf(stderr, "narrate serve: listening on %s\n", server.url().c_str());
  std::fflush(stderr);
  std::promise<void> served;
  std::future<void> done = served.get_future();
  std::thread http([&server, &served] {
    server.run();
    served.set_value();
  });
  siginfo_t info{};
  while (::sigwaitinfo(&stop, &info) < 0 && errno == EINTR) {
  }
  std::fprintf(stderr, "narrate serve: %s: draining the requests in flight (up to %lld s)\n",
               info.si_signo == SIGTERM ? "SIGTERM" : "SIGINT",
               static_cast<long long>(options.grace.count()));
  server.drain();
  if (done.wait_for(options.grace) == std::future_status::timeout) {
    std::fprintf(stderr, "narrate serve: the grace period is over; cutting off the rest\n");
    server.cut_off();
  }
  http.join();
  std::fprintf(stderr, "narrate serve: stopped\n");
}

}  // namespace narrator::cli::serve
