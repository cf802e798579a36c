#include "job_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "narrator/error.hpp"
#include "worker_protocol.hpp"

namespace narrator::cli::serve {
namespace {

constexpr std::size_t kReadBytes = 65536;
// How long a worker has to notice an abandoned job and answer before it is restarted: it checks
// between sentences and inside eSpeak NG's callback, and stops at its next write.
constexpr std::chrono::milliseconds kAbandonWait{3000};

}  // namespace

JobRun::JobRun(WorkerPool& pool, Lease lease, Clock::time_point deadline)
    : pool_(pool), lease_(lease), deadline_(deadline) {}

JobRun::~JobRun() { finish(); }

void JobRun::start(const Job& job) {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) {
    answered_ = true;  // nothing was sent: the worker is idle
    throw Error(ErrorCategory::kInternal,
                std::string("serve: cannot make a pipe: ") + std::strerror(errno));
  }
  pipe_ = ends[0];
  try {
    send_frame(lease_.control_fd, job_to_wire(job), ends[1]);
  } catch (const Error&) {
    ::close(ends[1]);
    answered_ = true;
    healthy_ = false;
    throw;
  }
  ::close(ends[1]);  // the worker holds the only write end: its end is the body's
  pool_.permits().begin(lease_.slot, lease_.control_fd);
}

bool JobRun::take_frame() {
  std::optional<Frame> frame;
  try {
    frame = receive_frame(lease_.control_fd, deadline_);
  } catch (const Error&) {
    frame.reset();
  }
  if (frame && frame->fd >= 0) ::close(frame->fd);
  nlohmann::json message =
      frame ? nlohmann::json::parse(frame->json, nullptr, false) : nlohmann::json();
  if (!message.is_object()) {
    ended(false);  // it died, or timed out: restarted
    return false;
  }
  const std::string permit = message.value("permit", std::string());
  if (permit == "acquire") {
    pool_.permits().acquire(lease_.slot, message.value("first", false));
  } else if (permit == "release") {
    pool_.permits().release(lease_.slot);
  } else {
    if (message.value("crashed", false)) pool_.job_crashed();
    result_ = std::move(message);
    control_done_ = true;
    pool_.permits().end(lease_.slot);
  }
  return true;
}

void JobRun::ended(bool healthy) {
  control_done_ = true;
  answered_ = true;
  if (!healthy) healthy_ = false;
  pool_.permits().end(lease_.slot);
}

std::optional<nlohmann::json> JobRun::read_result(Clock::time_point deadline) {
  while (!control_done_) {
    pollfd control{lease_.control_fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const int ready = ::poll(&control, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ended(false);  // no answer in time: restarted
      break;
    }
    if (!take_frame()) break;
  }
  answered_ = true;
  return std::exchange(result_, std::nullopt);
}

JobRun::Event JobRun::next(std::string& data, int client_socket) {
  if (pipe_ < 0) return Event::kEnd;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    // The control socket carries the worker's permit frames while it narrates; once its result
    // came (or it died) only the pipe's end is left to read.
    std::array<pollfd, 3> fds{{{pipe_, POLLIN, 0},
                               {control_done_ ? -1 : lease_.control_fd, POLLIN, 0},
                               {client_socket, POLLRDHUP, 0}}};
    const int ready = ::poll(fds.data(), client_socket >= 0 ? 3 : 2,
                             static_cast<int>(std::max<long long>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Event::kTimeout;
    if (ready > 0 && client_socket >= 0 && fds[2].revents != 0) return Event::kClientGone;
    if (ready > 0 && fds[1].revents != 0) take_frame();
    if (ready > 0 && fds[0].revents == 0) continue;
    data.resize(kReadBytes);
    const ssize_t got = ::read(pipe_, data.data(), data.size());
    if (got < 0 && errno == EINTR) continue;
    if (got > 0) {
      data.resize(static_cast<std::size_t>(got));
      return Event::kData;
    }
    data.clear();
    ::close(pipe_);
    pipe_ = -1;
    return Event::kEnd;
  }
}

std::optional<nlohmann::json> JobRun::result() {
  if (answered_) return std::nullopt;
  return read_result(deadline_);
}

void JobRun::finish() {
  if (released_) return;
  released_ = true;
  if (pipe_ >= 0) {
    ::close(pipe_);
    pipe_ = -1;
  }
  if (!answered_) read_result(std::min(deadline_, Clock::now() + kAbandonWait));
  pool_.permits().end(lease_.slot);
  pool_.release(lease_, healthy_);
}

}  // namespace narrator::cli::serve
