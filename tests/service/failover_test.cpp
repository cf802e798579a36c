// Scale-out: two `narrate serve` replicas behind a real load balancer (Debian's HAProxy) that
// checks their /readyz. One replica is killed while clients keep posting: only the requests it
// was serving at that moment may fail; every request sent afterwards is served by the other.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "serve_process.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace narrator::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kHaproxy = "/usr/sbin/haproxy";

// A loopback port that was free a moment ago (HAProxy binds it next; the kernel hands out
// ephemeral ports in turn, so another taker in between is unlikely).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

// HAProxy in the foreground (-db) on `config`, its output in `log`; stopped on destruction.
class Haproxy {
 public:
  Haproxy(const std::string& config, const std::string& log) {
    std::vector<std::string> args{kHaproxy, "-db", "-f", config};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int spawned = ::posix_spawn(&pid_, kHaproxy, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
      ADD_FAILURE() << "cannot start haproxy: " << std::strerror(spawned);
      pid_ = -1;
    }
  }
  Haproxy(const Haproxy&) = delete;
  Haproxy& operator=(const Haproxy&) = delete;
  ~Haproxy() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
};

std::string haproxy_config(int port, int replica_a, int replica_b) {
  // Health checks every 100 ms, down after two misses; a request whose connection a dead
  // replica refuses is sent again to the other (retries, redispatch); each response says which
  // replica served it.
  return "global\n"
         "  maxconn 256\n"
         "  log stderr format raw local0\n"
         "defaults\n"
         "  mode http\n"
         "  log global\n"
         "  option httplog\n"
         "  http-reuse never\n"
         "  option http-buffer-request\n"
         "  timeout connect 1s\n"
         "  timeout client 30s\n"
         "  timeout server 30s\n"
         "  retries 3\n"
         "  option redispatch\n"
         "  retry-on all-retryable-errors\n"
         "frontend narrate\n"
         "  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  default_backend replicas\n"
         "backend replicas\n"
         "  balance roundrobin\n"
         "  option httpchk GET /readyz\n"
         "  http-check expect status 200\n"
         "  default-server inter 100ms fall 2 rise 1\n"
         "  http-response set-header X-Replica %s\n"
         "  server a 127.0.0.1:" +
         std::to_string(replica_a) +
         " check\n"
         "  server b 127.0.0.1:" +
         std::to_string(replica_b) + " check\n";
}

struct Outcome {
  Clock::time_point sent;
  Clock::time_point done;
  int status = 0;  // 0: no response
  std::string replica;
};

TEST(ServeFailover, KillingOneReplicaFailsOnlyTheRequestsItWasServing) {
  if (::access(kHaproxy, X_OK) != 0) {
    GTEST_SKIP() << kHaproxy << " is not installed (setup.sh test installs Debian's haproxy)";
  }
  ServeProcess replica_a({"-j", "1", "--voice", "en-us"});
  ServeProcess replica_b({"-j", "1", "--voice", "en-us"});
  ASSERT_NE(replica_a.port(), 0);
  ASSERT_NE(replica_b.port(), 0);

  TempDir dir;
  const int port = free_port();
  const std::string config = (dir.path() / "haproxy.cfg").string();
  std::ofstream(config) << haproxy_config(port, replica_a.port(), replica_b.port());
  Haproxy balancer(config, (dir.path() / "haproxy.log").string());

  // The balancer answers once it has bound its port and a replica is up.
  httplib::Client probe("127.0.0.1", port);
  probe.set_connection_timeout(1, 0);
  const Clock::time_point ready_by = Clock::now() + std::chrono::seconds(20);
  bool ready = false;
  while (!ready && Clock::now() < ready_by && balancer.running()) {
    const httplib::Result result = probe.Get("/readyz");
    ready = result && result->status == 200;
    if (!ready) std::this_thread::yield();
  }
  ASSERT_TRUE(ready) << "HAProxy did not answer on port " << port << ":\n"
                     << std::ifstream(dir.path() / "haproxy.log").rdbuf();

  // Four clients post short narrations until told to stop.
  const std::string body =
      R"({"text":"The council met on Monday. It approved the budget for the bridge.",)"
      R"("format":"wav"})";
  std::mutex mutex;
  std::vector<Outcome> outcomes;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(30, 0);
      while (!stop) {
        Outcome outcome;
        outcome.sent = Clock::now();
        const httplib::Result result = client.Post("/v1/narrations", body, "application/json");
        outcome.done = Clock::now();
        if (result) {
          outcome.status = result->status;
          outcome.replica = result->get_header_value("X-Replica");
        }
        const std::lock_guard lock(mutex);
        outcomes.push_back(outcome);
      }
    });
  }
  auto served_by = [&](const std::string& replica) {
    const std::lock_guard lock(mutex);
    int count = 0;
    for (const Outcome& outcome : outcomes) {
      count += outcome.status == 200 && outcome.replica == replica;
    }
    return count;
  };
  auto wait_until = [&](auto condition, std::chrono::seconds guard) {
    const Clock::time_point deadline = Clock::now() + guard;
    while (!condition() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling, with a deadline
    }
    return condition();
  };

  // Both replicas serve; then b is killed mid-load.
  const bool both_served = wait_until([&] { return served_by("a") >= 3 && served_by("b") >= 3; },
                                      std::chrono::seconds(30));
  replica_b.send_signal(SIGKILL);
  const Clock::time_point killed = Clock::now();
  const int a_at_kill = served_by("a");
  const bool a_went_on =
      wait_until([&] { return served_by("a") >= a_at_kill + 20; }, std::chrono::seconds(60));
  stop = true;
  for (std::thread& client : clients) client.join();
  ASSERT_TRUE(both_served) << "the balancer did not spread the requests over both replicas";
  ASSERT_TRUE(a_went_on) << "the other replica stopped serving after the kill";

  int failed = 0;
  for (const Outcome& outcome : outcomes) {
    if (outcome.status == 200) continue;
    ++failed;
    EXPECT_LT(outcome.sent, killed)
        << "a request sent after the kill failed (status " << outcome.status
        << "): the balancer must send it to the replica that is up";
    EXPECT_GE(outcome.done, killed)
        << "a request failed before any replica was stopped (status " << outcome.status << ")";
  }
  // At most the requests in flight at the kill: one per client.
  EXPECT_LE(failed, 4);
  if (HasFailure()) {
    ADD_FAILURE() << "HAProxy's log:\n" << std::ifstream(dir.path() / "haproxy.log").rdbuf();
  }
}

}  // namespace
}  // namespace narrator::test
