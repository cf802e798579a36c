#include "worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "child_process.hpp"
#include "narrator/error.hpp"
#include "worker_protocol.hpp"

namespace narrator::cli::serve {
namespace {

// The descriptor a worker finds its control socket at.
constexpr int kWorkerControlFd = 3;
// How long a worker has to end after its control socket closes before it is killed.
constexpr std::chrono::milliseconds kStopWait{2000};
constexpr std::chrono::milliseconds kReapPoll{10};

std::vector<std::string> worker_arguments(const PoolSettings& settings) {
  std::vector<std::string> args{settings.program, "serve-worker",
                                "--control-fd",   std::to_string(kWorkerControlFd),
                                "--voice",        settings.default_voice};
  for (const auto& [name, file] : settings.lexicons) {
    args.insert(args.end(), {"--lexicon", name + "=" + file});
  }
  return args;
}

// Nothing else of the server's goes to a worker: a client's socket held open by a worker would
// never close.
pid_t spawn(const std::vector<std::string>& args, int control_fd) {
  return spawn_child(args, {{control_fd, kWorkerControlFd}}, kWorkerControlFd + 1,
                     "serve: cannot start a worker");
}

}  // namespace

WorkerPool::WorkerPool(PoolSettings settings)
    : settings_(std::move(settings)),
      slots_(static_cast<std::size_t>(settings_.workers)),
      permits_(settings_.permits) {
  try {
    for (Slot& slot : slots_) start(slot);
  } catch (...) {
    for (Slot& slot : slots_) stop(slot);
    throw;
  }
  supervisor_ = std::thread([this] { supervise(); });
}

WorkerPool::~WorkerPool() {
  {
    const std::lock_guard lock(mutex_);
    ending_ = true;
    closed_ = true;
  }
  changed_.notify_all();
  supervisor_.join();
  for (Slot& slot : slots_) stop(slot);
}

void WorkerPool::start(Slot& slot) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    throw Error(ErrorCategory::kInternal,
                std::string("serve: cannot make a worker's socket: ") + std::strerror(errno));
  }
  // The child's end above the descriptor it is moved to, so that the move clears close-on-exec.
  const int child_end = ::fcntl(pair[1], F_DUPFD_CLOEXEC, kWorkerControlFd + 1);
  ::close(pair[1]);
  try {
    slot.pid = spawn(worker_arguments(settings_), child_end);
  } catch (...) {
    ::close(child_end);
    ::close(pair[0]);
    throw;
  }
  ::close(child_end);
  slot.control_fd = pair[0];
  std::optional<Frame> hello;
  try {
    hello =
        receive_frame(slot.control_fd, std::chrono::steady_clock::now() + settings_.start_timeout);
  } catch (const Error&) {
    hello.reset();
  }
  const nlohmann::json message =
      hello ? nlohmann::json::parse(hello->json, nullptr, false) : nlohmann::json();
  if (!message.is_object() || !message.value("ready", false)) {
    const std::string why = message.is_object() ? message.value("message", std::string())
                                                : "the worker ended before it was ready";
    stop(slot);
    throw Error(ErrorCategory::kUsage, "serve: a worker could not start: " + why);
  }
  if (voices_json_.empty()) voices_json_ = message.at("voices").dump();
  slot.state = State::kIdle;
}

void WorkerPool::stop(Slot& slot) {
  if (slot.control_fd >= 0) ::close(slot.control_fd);
  slot.control_fd = -1;
  if (slot.pid <= 0) return;
  const auto deadline = std::chrono::steady_clock::now() + kStopWait;
  int status = 0;
  while (::waitpid(slot.pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(slot.pid, SIGKILL);
      ::waitpid(slot.pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(kReapPoll);
  }
  slot.pid = -1;
}

// An idle worker sends nothing: anything readable on its socket is its end (it died).
bool WorkerPool::idle_alive(Slot& slot) {
  pollfd probe{slot.control_fd, POLLIN, 0};
  return ::poll(&probe, 1, 0) == 0;
}

WorkerPool::Wait WorkerPool::acquire(Lease& lease, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  if (closed_) return Wait::kClosed;
  if (!waiting_.empty() && waiting_.size() >= static_cast<std::size_t>(settings_.queue)) {
    return Wait::kQueueFull;
  }
  const std::uint64_t ticket = next_ticket_++;
  waiting_.push_back(ticket);
  for (;;) {
    if (closed_) break;
    if (waiting_.front() == ticket) {
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        Slot& slot = slots_[i];
        if (slot.state != State::kIdle) continue;
        if (!idle_alive(slot)) {
          slot.state = State::kRestarting;
          changed_.notify_all();
          continue;
        }
        slot.state = State::kBusy;
        waiting_.pop_front();
        changed_.notify_all();
        lease = Lease{i, slot.control_fd, slot.pid};
        return Wait::kGot;
      }
      // With every worker busy and `queue` 0, the first comer has nowhere to wait.
      if (settings_.queue == 0) break;
    }
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= deadline) {
      std::erase(waiting_, ticket);
      changed_.notify_all();
      return Wait::kTimedOut;
    }
  }
  std::erase(waiting_, ticket);
  changed_.notify_all();
  return closed_ ? Wait::kClosed : Wait::kQueueFull;
}

void WorkerPool::release(const Lease& lease, bool healthy) {
  {
    const std::lock_guard lock(mutex_);
    Slot& slot = slots_.at(lease.slot);
    slot.state = healthy ? State::kIdle : State::kRestarting;
  }
  changed_.notify_all();
}

void WorkerPool::supervise() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (ending_) return;
    auto dead = std::find_if(slots_.begin(), slots_.end(),
                             [](const Slot& slot) { return slot.state == State::kRestarting; });
    if (dead == slots_.end()) {
      changed_.wait(lock);
      continue;
    }
    Slot old = *dead;
    dead->pid = -1;
    dead->control_fd = -1;
    lock.unlock();
    if (old.pid > 0) ::kill(old.pid, SIGKILL);
    stop(old);
    Slot fresh;
    bool started = false;
    try {
      start(fresh);
      started = true;
    } catch (const Error&) {
      // Tried again on the next pass: the same binary and data started before.
    }
    lock.lock();
    ++restarts_;
    if (started) {
      *dead = fresh;
      dead->state = State::kIdle;
    }
    changed_.notify_all();
    if (!started) changed_.wait_for(lock, std::chrono::seconds(1));
  }
}

void WorkerPool::close() {
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    for (Slot& slot : slots_) {
      if (slot.state == State::kBusy && slot.pid > 0) ::kill(slot.pid, SIGKILL);
    }
  }
  changed_.notify_all();
}

std::string WorkerPool::voices_json() const { return voices_json_; }

int WorkerPool::busy() const {
  const std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(
      slots_.begin(), slots_.end(), [](const Slot& slot) { return slot.state == State::kBusy; }));
}

int WorkerPool::queued() const {
  const std::lock_guard lock(mutex_);
  return static_cast<int>(waiting_.size());
}

std::uint64_t WorkerPool::restarts() const {
  const std::lock_guard lock(mutex_);
  return restarts_;
}

void WorkerPool::job_crashed() {
  const std::lock_guard lock(mutex_);
  ++job_crashes_;
}

std::uint64_t WorkerPool::job_crashes() const {
  const std::lock_guard lock(mutex_);
  return job_crashes_;
}

bool WorkerPool::ready() const {
  const std::lock_guard lock(mutex_);
  return !closed_ && std::none_of(slots_.begin(), slots_.end(), [](const Slot& slot) {
    return slot.state == State::kRestarting;
  });
}

}  // namespace narrator::cli::serve
