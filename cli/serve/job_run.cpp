#include "job_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

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
}

JobRun::Event JobRun::next(std::string& data, int client_socket) {
  if (pipe_ < 0) return Event::kEnd;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    std::array<pollfd, 2> fds{{{pipe_, POLLIN, 0}, {client_socket, POLLRDHUP, 0}}};
    const int ready = ::poll(fds.data(), client_socket >= 0 ? 2 : 1,
                             static_cast<int>(std::max<long long>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Event::kTimeout;
    if (ready > 0 && client_socket >= 0 && fds[1].revents != 0) return Event::kClientGone;
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
  answered_ = true;
  std::optional<Frame> frame;
  try {
    frame = receive_frame(lease_.control_fd, deadline_);
  } catch (const Error&) {
    frame.reset();
  }
  nlohmann::json message =
      frame ? nlohmann::json::parse(frame->json, nullptr, false) : nlohmann::json();
  if (frame && frame->fd >= 0) ::close(frame->fd);
  if (!message.is_object()) {
    healthy_ = false;  // it died, or timed out: restarted
    return std::nullopt;
  }
  return message;
}

void JobRun::finish() {
  if (released_) return;
  released_ = true;
  if (pipe_ >= 0) {
    ::close(pipe_);
    pipe_ = -1;
  }
  if (!answered_) {
    answered_ = true;
    try {
      const std::optional<Frame> frame =
          receive_frame(lease_.control_fd, std::min(deadline_, Clock::now() + kAbandonWait));
      healthy_ = frame.has_value();
      if (frame && frame->fd >= 0) ::close(frame->fd);
    } catch (const Error&) {
      healthy_ = false;
    }
  }
  pool_.release(lease_, healthy_);
}

}  // namespace narrator::cli::serve
