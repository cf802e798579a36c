// worker_protocol.hpp: the messages between `narrate serve` and its worker processes.
//
// Each worker holds one end of a Unix stream socket (the control socket). A message is a frame: a
// 4-byte little-endian length, then that many bytes of JSON. A job frame from the server carries,
// as SCM_RIGHTS ancillary data, the write end of a fresh pipe: the worker writes the response body
// (the encoded audio, the speech marks, the script) into it and closes it, then answers on the
// control socket with a result frame. A client that goes away closes the pipe's read end, so the
// worker's next write fails (EPIPE) and it abandons the job at once.
//
// The worker runs each job in a process forked from it (worker.hpp). That process writes the
// body and, while it narrates, the permit frames (sentence_permits.hpp) on the inherited control
// socket, and reads the grants; the worker touches the socket again only once it has ended, to
// send the result: one writer at a time. A job whose process died has the result
// {"ok":false,"category":"internal","message":...,"crashed":true}.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace narrator::cli::serve {

// A frame as received, with the descriptor it carried (-1 when none). The receiver owns `fd`.
struct Frame {
  std::string json;
  int fd = -1;
};

// The longest frame either side accepts: a job holds the article, which --max-body limits.
inline constexpr std::size_t kMaxFrameBytes = 64u << 20;

// Sends `json` as one frame on `socket`, with `fd` attached when it is not -1 (the descriptor is
// duplicated into the receiver; the caller still owns its copy). Throws Error(kInternal) when the
// socket fails (the other side has gone).
void send_frame(int socket, std::string_view json, int fd = -1);

// Receives the next frame. Returns nullopt at a clean end of stream before a frame begins (the
// other side closed the socket). Throws Error(kInternal) on a cut or oversize frame, or a socket
// error; with a deadline, Error(kInternal) also when it passes first (the caller's to decide).
std::optional<Frame> receive_frame(
    int socket, std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

// The longest frame receive_whole_frame() takes.
inline constexpr std::size_t kMaxWholeFrameBytes = 4096;

// Receives the next frame's JSON, taking it off the socket in one read once all of it has
// arrived (it peeks until then), so that a process killed at any moment never leaves part of a
// frame behind for the next reader of the socket: what a job's process uses to read its permit
// grants, on the control socket it shares with its worker. For small frames without a
// descriptor (one would be dropped). Blocks until a frame begins; returns nullopt at a clean end
// of stream. Throws Error(kInternal) on a frame longer than kMaxWholeFrameBytes, a frame cut by
// the end of stream, or a socket error.
std::optional<std::string> receive_whole_frame(int socket);

}  // namespace narrator::cli::serve
