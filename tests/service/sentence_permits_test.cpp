// The server's sentence scheduler (cli/serve/sentence_permits.hpp) alone, and how a job's process
// reads its grants (worker_protocol.hpp): each job's control socket is one end of a socketpair,
// and the test reads the grant frames from the other end. A grant is sent inside the call that
// makes it (acquire, release, end), so the order of events is the test's own, and whether a job
// was granted is known as soon as the call returns.
#include "sentence_permits.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <thread>

#include "narrator/error.hpp"
#include "worker_protocol.hpp"

namespace narrator::cli::serve {
namespace {

// One worker's control socket: the scheduler writes into server_end(), the test reads as the
// worker would.
class ControlSocket {
 public:
  ControlSocket() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_.data()), 0);
  }
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;
  ~ControlSocket() {
    for (const int fd : fds_) {
      if (fd >= 0) ::close(fd);
    }
  }
  int server_end() const { return fds_[0]; }
  // The worker's side goes away, as when the worker process dies.
  void close_worker_end() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }
  // How many grant frames arrived since the last look; any other frame fails the test.
  int grants() {
    int count = 0;
    for (;;) {
      pollfd ready{fds_[1], POLLIN, 0};
      if (::poll(&ready, 1, 0) != 1) return count;
      const std::optional<Frame> frame = receive_frame(fds_[1]);
      if (!frame) return count;
      EXPECT_EQ(frame->json, permit_granted_frame());
      ++count;
    }
  }

 private:
  std::array<int, 2> fds_{-1, -1};
};

// Jobs on slots 0, 1, 2..., begun in that order (slot 0 is the oldest).
struct Jobs {
  explicit Jobs(int permits, std::size_t count = 3) : permits(permits), sockets(count) {
    for (std::size_t slot = 0; slot < count; ++slot) {
      this->permits.begin(slot, sockets[slot].server_end());
    }
  }
  SentencePermits permits;
  std::vector<ControlSocket> sockets;
};

constexpr bool kFirst = true;
constexpr bool kLater = false;
constexpr std::size_t kA = 0;  // the oldest job
constexpr std::size_t kB = 1;
constexpr std::size_t kC = 2;  // the newest

TEST(ServeSentencePermits, AFreePermitIsGrantedAtOnceAndOnlyPermitsAreInUse) {
  Jobs jobs(2);
  jobs.permits.acquire(kA, kFirst);
  jobs.permits.acquire(kB, kFirst);
  EXPECT_EQ(jobs.sockets[kA].grants(), 1);
  EXPECT_EQ(jobs.sockets[kB].grants(), 1);
  EXPECT_EQ(jobs.permits.in_use(), 2);
  EXPECT_EQ(jobs.permits.waiting(), 0);
  jobs.permits.acquire(kC, kFirst);  // both permits are taken
  EXPECT_EQ(jobs.sockets[kC].grants(), 0);
  EXPECT_EQ(jobs.permits.in_use(), 2);
  EXPECT_EQ(jobs.permits.waiting(), 1);
  jobs.permits.release(kB);
  EXPECT_EQ(jobs.sockets[kC].grants(), 1);
  EXPECT_EQ(jobs.permits.in_use(), 2);
  EXPECT_EQ(jobs.permits.waiting(), 0);
}

// -j 1: A holds, B (older than C) waits for a later sentence, then C asks for its first. On A's
// release C goes ahead of B; B has its turn when C releases.
TEST(ServeSentencePermits, AFirstSentenceGoesAheadOfAnOlderRequestsLaterSentence) {
  Jobs jobs(1);
  jobs.permits.acquire(kA, kFirst);
  ASSERT_EQ(jobs.sockets[kA].grants(), 1);
  jobs.permits.acquire(kB, kLater);
  jobs.permits.acquire(kC, kFirst);
  EXPECT_EQ(jobs.sockets[kB].grants(), 0);
  EXPECT_EQ(jobs.sockets[kC].grants(), 0);
  EXPECT_EQ(jobs.permits.waiting(), 2);
  jobs.permits.release(kA);
  EXPECT_EQ(jobs.sockets[kC].grants(), 1) << "the first sentence was not put first";
  EXPECT_EQ(jobs.sockets[kB].grants(), 0);
  EXPECT_EQ(jobs.permits.in_use(), 1);
  EXPECT_EQ(jobs.permits.waiting(), 1);
  jobs.permits.release(kC);
  EXPECT_EQ(jobs.sockets[kB].grants(), 1);
  EXPECT_EQ(jobs.sockets[kA].grants(), 0);
  EXPECT_EQ(jobs.permits.waiting(), 0);
}

// Among later sentences the oldest request goes first, whichever asked first; the same among
// first sentences.
TEST(ServeSentencePermits, TheOldestRequestGoesFirstAmongEqualSentences) {
  Jobs jobs(1, 4);
  constexpr std::size_t kD = 3;
  jobs.permits.acquire(kA, kFirst);
  ASSERT_EQ(jobs.sockets[kA].grants(), 1);
  jobs.permits.acquire(kC, kLater);  // C asks before B, but B is older
  jobs.permits.acquire(kB, kLater);
  jobs.permits.release(kA);
  EXPECT_EQ(jobs.sockets[kB].grants(), 1) << "the older request's sentence was not first";
  EXPECT_EQ(jobs.sockets[kC].grants(), 0);
  jobs.permits.acquire(kA, kLater);  // A, the oldest, asks again while C still waits
  jobs.permits.release(kB);
  EXPECT_EQ(jobs.sockets[kA].grants(), 1);
  EXPECT_EQ(jobs.sockets[kC].grants(), 0);
  jobs.permits.release(kA);
  EXPECT_EQ(jobs.sockets[kC].grants(), 1);

  // Two first sentences: D and B (B is older) both wait while C holds.
  jobs.permits.end(kB);
  jobs.permits.begin(kB, jobs.sockets[kB].server_end());  // B's slot takes a newer job than D
  jobs.permits.acquire(kD, kFirst);
  jobs.permits.acquire(kB, kFirst);
  jobs.permits.release(kC);
  EXPECT_EQ(jobs.sockets[kD].grants(), 1) << "the older first sentence was not first";
  EXPECT_EQ(jobs.sockets[kB].grants(), 0);
  jobs.permits.release(kD);
  EXPECT_EQ(jobs.sockets[kB].grants(), 1);
}

// A job that ends while it holds its permit gives it back: the next in line gets it.
TEST(ServeSentencePermits, TheEndOfAJobThatHoldsFreesItsPermit) {
  Jobs jobs(1);
  jobs.permits.acquire(kA, kFirst);
  jobs.permits.acquire(kB, kLater);
  ASSERT_EQ(jobs.sockets[kA].grants(), 1);
  EXPECT_EQ(jobs.permits.in_use(), 1);
  jobs.permits.end(kA);
  EXPECT_EQ(jobs.sockets[kB].grants(), 1);
  EXPECT_EQ(jobs.permits.in_use(), 1);
  EXPECT_EQ(jobs.permits.waiting(), 0);
  jobs.permits.end(kB);
  EXPECT_EQ(jobs.permits.in_use(), 0);
  jobs.permits.acquire(kC, kLater);  // the permit is free again
  EXPECT_EQ(jobs.sockets[kC].grants(), 1);
}

// A job that ends while it waits drops its wait: it is never granted, and the permit goes to the
// next in line (here a younger job's later sentence, which the ended one would have preceded).
TEST(ServeSentencePermits, TheEndOfAJobThatWaitsDropsItsWait) {
  Jobs jobs(1);
  jobs.permits.acquire(kA, kFirst);
  ASSERT_EQ(jobs.sockets[kA].grants(), 1);
  jobs.permits.acquire(kB, kFirst);
  jobs.permits.acquire(kC, kLater);
  EXPECT_EQ(jobs.permits.waiting(), 2);
  jobs.permits.end(kB);
  EXPECT_EQ(jobs.permits.waiting(), 1);
  EXPECT_EQ(jobs.permits.in_use(), 1);
  jobs.permits.release(kA);
  EXPECT_EQ(jobs.sockets[kB].grants(), 0);
  EXPECT_EQ(jobs.sockets[kC].grants(), 1);
  EXPECT_EQ(jobs.permits.in_use(), 1);
  EXPECT_EQ(jobs.permits.waiting(), 0);
}

// What a worker may send out of turn changes nothing: a second acquire while it holds, a release
// it does not hold, and an acquire, release or end for a slot with no job.
TEST(ServeSentencePermits, OutOfTurnCallsChangeNothing) {
  Jobs jobs(1, 2);
  jobs.permits.acquire(kA, kFirst);
  ASSERT_EQ(jobs.sockets[kA].grants(), 1);
  jobs.permits.acquire(kA, kLater);  // a worker holds one permit at most
  EXPECT_EQ(jobs.sockets[kA].grants(), 0);
  EXPECT_EQ(jobs.permits.waiting(), 0);
  jobs.permits.release(kB);  // B holds nothing
  EXPECT_EQ(jobs.permits.in_use(), 1);
  jobs.permits.acquire(7, kFirst);
  jobs.permits.release(7);
  jobs.permits.end(7);
  EXPECT_EQ(jobs.permits.in_use(), 1);
  EXPECT_EQ(jobs.permits.waiting(), 0);
  jobs.permits.acquire(kB, kLater);
  EXPECT_EQ(jobs.sockets[kB].grants(), 0);
  jobs.permits.release(kA);
  EXPECT_EQ(jobs.sockets[kB].grants(), 1);
  EXPECT_EQ(jobs.permits.in_use(), 1);
}

// A grant that cannot be sent (the worker died while it waited) goes to the next in line, and the
// dead worker's job holds nothing.
TEST(ServeSentencePermits, AGrantToADeadWorkerGoesToTheNext) {
  Jobs jobs(1);
  jobs.permits.acquire(kA, kFirst);
  ASSERT_EQ(jobs.sockets[kA].grants(), 1);
  jobs.permits.acquire(kB, kFirst);
  jobs.permits.acquire(kC, kLater);
  jobs.sockets[kB].close_worker_end();
  jobs.permits.release(kA);
  EXPECT_EQ(jobs.sockets[kC].grants(), 1);
  EXPECT_EQ(jobs.permits.in_use(), 1);
  EXPECT_EQ(jobs.permits.waiting(), 0);
  jobs.permits.end(kB);
  EXPECT_EQ(jobs.permits.in_use(), 1);
}

}  // namespace
// A job's process reads its grants with receive_whole_frame(), on the control socket it shares
// with its worker: a grant is taken off the socket in one read once all of it has arrived, never
// in parts, so that the process killed at any moment (a crash, the test hook) leaves the socket at
// a frame's boundary for the worker, which reads it next. A grant that arrives in two parts is
// read whole and leaves the next frame intact; a frame cut by its sender's end is an error.
TEST(ServeSentencePermits, AJobsProcessReadsAGrantWhole) {
  std::array<int, 2> fds{-1, -1};
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds.data()), 0);
  // The frame as send_frame() writes it, captured from a socketpair of its own.
  std::string grant;
  {
    std::array<int, 2> capture{-1, -1};
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, capture.data()), 0);
    send_frame(capture[0], permit_granted_frame());
    grant.resize(64);
    const ssize_t got = ::read(capture[1], grant.data(), grant.size());
    ASSERT_GT(got, 4);
    grant.resize(static_cast<std::size_t>(got));
    ::close(capture[0]);
    ::close(capture[1]);
  }
  const std::size_t half = grant.size() / 2;
  ASSERT_EQ(::write(fds[0], grant.data(), half), static_cast<ssize_t>(half));
  std::optional<std::string> received;
  std::thread reader([&] { received = receive_whole_frame(fds[1]); });
  // While the reader waits for the rest, all of the first part is still on the socket.
  int queued = 0;
  ASSERT_EQ(::ioctl(fds[1], FIONREAD, &queued), 0);
  EXPECT_EQ(queued, static_cast<int>(half));
  ASSERT_EQ(::write(fds[0], grant.data() + half, grant.size() - half),
            static_cast<ssize_t>(grant.size() - half));
  reader.join();
  ASSERT_TRUE(received);
  EXPECT_EQ(*received, permit_granted_frame());
  // The next frame begins where the grant ended.
  send_frame(fds[0], R"({"next":true})");
  const std::optional<Frame> next = receive_frame(fds[1]);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->json, R"({"next":true})");
  // Half a grant, then the sender's end: an error, not a frame made of what follows.
  ASSERT_EQ(::write(fds[0], grant.data(), half), static_cast<ssize_t>(half));
  ::close(fds[0]);
  EXPECT_THROW(receive_whole_frame(fds[1]), Error);
  ::close(fds[1]);
}

}  // namespace narrator::cli::serve
