#include "worker_protocol.hpp"

#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "narrator/error.hpp"

namespace narrator::cli::serve {
namespace {

constexpr std::size_t kHeaderBytes = 4;

[[noreturn]] void socket_failed(const char* what) {
  throw Error(ErrorCategory::kInternal,
              std::string("serve: worker control socket: ") + what + ": " + std::strerror(errno));
}

// Waits until `socket` is readable; false when the deadline passed first.
bool wait_readable(int socket, std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (!deadline) return true;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *deadline - std::chrono::steady_clock::now());
    pollfd ready{socket, POLLIN, 0};
    const int got = ::poll(&ready, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
    if (got > 0) return true;
    if (got == 0) return false;
    if (errno != EINTR) socket_failed("poll");
  }
}

// Reads exactly `size` bytes; returns how many came before the end of stream.
std::size_t read_fully(int socket, char* data, std::size_t size,
                       std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::size_t done = 0;
  while (done < size) {
    if (!wait_readable(socket, deadline)) {
      errno = ETIMEDOUT;
      socket_failed("no answer in time");
    }
    const ssize_t got = ::read(socket, data + done, size - done);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      socket_failed("read");
    }
    done += static_cast<std::size_t>(got);
  }
  return done;
}

}  // namespace

void send_frame(int socket, std::string_view json, int fd) {
  std::array<char, kHeaderBytes> header{};
  const auto length = static_cast<std::uint32_t>(json.size());
  for (std::size_t i = 0; i < kHeaderBytes; ++i) header[i] = static_cast<char>(length >> (8 * i));
  std::array<iovec, 2> parts{
      {{header.data(), header.size()}, {const_cast<char*>(json.data()), json.size()}}};
  msghdr message{};
  message.msg_iov = parts.data();
  message.msg_iovlen = parts.size();
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int))> control{};
  if (fd >= 0) {
    message.msg_control = control.data();
    message.msg_controllen = control.size();
    cmsghdr* rights = CMSG_FIRSTHDR(&message);
    rights->cmsg_level = SOL_SOCKET;
    rights->cmsg_type = SCM_RIGHTS;
    rights->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(rights), &fd, sizeof(int));
  }
  ssize_t sent = -1;
  do {
    sent = ::sendmsg(socket, &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) socket_failed("send");
  // The descriptor went with the first bytes; the rest of a long frame follows plainly.
  std::size_t done = static_cast<std::size_t>(sent);
  const std::size_t total = kHeaderBytes + json.size();
  while (done < total) {
    const char* from =
        done < kHeaderBytes ? header.data() + done : json.data() + (done - kHeaderBytes);
    const std::size_t size = done < kHeaderBytes ? kHeaderBytes - done : total - done;
    const ssize_t more = ::send(socket, from, size, MSG_NOSIGNAL);
    if (more < 0) {
      if (errno == EINTR) continue;
      socket_failed("send");
    }
    done += static_cast<std::size_t>(more);
  }
}

std::optional<Frame> receive_frame(int socket,
                                   std::optional<std::chrono::steady_clock::time_point> deadline) {
  Frame frame;
  std::array<char, kHeaderBytes> header{};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int))> control{};
  iovec part{header.data(), header.size()};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  if (!wait_readable(socket, deadline)) {
    errno = ETIMEDOUT;
    socket_failed("no answer in time");
  }
  ssize_t got = -1;
  do {
    got = ::recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  if (got < 0) socket_failed("receive");
  if (got == 0) return std::nullopt;
  for (cmsghdr* item = CMSG_FIRSTHDR(&message); item != nullptr;
       item = CMSG_NXTHDR(&message, item)) {
    if (item->cmsg_level == SOL_SOCKET && item->cmsg_type == SCM_RIGHTS) {
      std::memcpy(&frame.fd, CMSG_DATA(item), sizeof(int));
    }
  }
  auto done = static_cast<std::size_t>(got);
  done += read_fully(socket, header.data() + done, kHeaderBytes - done, deadline);
  if (done < kHeaderBytes) {
    if (frame.fd >= 0) ::close(frame.fd);
    errno = EPROTO;
    socket_failed("a frame was cut short");
  }
  std::uint32_t length = 0;
  for (std::size_t i = 0; i < kHeaderBytes; ++i) {
    length |= static_cast<std::uint32_t>(static_cast<unsigned char>(header[i])) << (8 * i);
  }
  if (length > kMaxFrameBytes) {
    if (frame.fd >= 0) ::close(frame.fd);
    errno = EMSGSIZE;
    socket_failed("a frame is too long");
  }
  frame.json.resize(length);
  if (read_fully(socket, frame.json.data(), length, deadline) < length) {
    if (frame.fd >= 0) ::close(frame.fd);
    errno = EPROTO;
    socket_failed("a frame was cut short");
  }
  return frame;
}

std::optional<std::string> receive_whole_frame(int socket) {
  std::array<char, kHeaderBytes + kMaxWholeFrameBytes> buffer{};
  bool hung_up = false;
  for (;;) {
    const ssize_t seen = ::recv(socket, buffer.data(), buffer.size(), MSG_PEEK);
    if (seen < 0) {
      if (errno == EINTR) continue;
      socket_failed("receive");
    }
    if (seen == 0) return std::nullopt;
    if (static_cast<std::size_t>(seen) >= kHeaderBytes) {
      std::uint32_t length = 0;
      for (std::size_t i = 0; i < kHeaderBytes; ++i) {
        length |= static_cast<std::uint32_t>(static_cast<unsigned char>(buffer[i])) << (8 * i);
      }
      if (length > kMaxWholeFrameBytes) {
        errno = EMSGSIZE;
        socket_failed("a frame is too long");
      }
      const std::size_t whole = kHeaderBytes + length;
      if (static_cast<std::size_t>(seen) >= whole) {
        ssize_t got = -1;
        do {
          got = ::recv(socket, buffer.data(), whole, 0);  // all of it is there: one read
        } while (got < 0 && errno == EINTR);
        if (got != static_cast<ssize_t>(whole)) socket_failed("receive");
        return std::string(buffer.data() + kHeaderBytes, length);
      }
    }
    // Part of a frame: its sender writes a frame in one call, so the rest is a moment away,
    // unless the sender is gone.
    if (hung_up) {
      errno = EPROTO;
      socket_failed("a frame was cut short");
    }
    pollfd peer{socket, POLLRDHUP, 0};
    hung_up = ::poll(&peer, 1, 0) > 0 && (peer.revents & (POLLRDHUP | POLLHUP)) != 0;
    ::sched_yield();
  }
}

}  // namespace narrator::cli::serve
