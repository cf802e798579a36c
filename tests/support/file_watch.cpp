#include "file_watch.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <stdexcept>
#include <system_error>

namespace narrator::test {
namespace {

namespace fs = std::filesystem;

class Inotify {
 public:
  explicit Inotify(const fs::path& folder) : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    if (fd_ < 0 || ::inotify_add_watch(fd_, folder.c_str(),
                                       IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
      const std::error_code error(errno, std::generic_category());
      if (fd_ >= 0) ::close(fd_);
      throw std::runtime_error("cannot watch " + folder.string() + ": " + error.message());
    }
  }
  Inotify(const Inotify&) = delete;
  Inotify& operator=(const Inotify&) = delete;
  ~Inotify() { ::close(fd_); }

  // Waits up to `timeout` for events and drops them (the caller looks at the folder itself).
  void wait(std::chrono::milliseconds timeout) const {
    pollfd watched{fd_, POLLIN, 0};
    if (::poll(&watched, 1, static_cast<int>(timeout.count())) <= 0) return;
    std::array<char, 4096> events{};
    while (::read(fd_, events.data(), events.size()) > 0) {
    }
  }

 private:
  int fd_;
};

bool has_file(const fs::path& folder, std::string_view suffix, std::uintmax_t bytes) {
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    if (!entry.path().filename().string().ends_with(suffix)) continue;
    std::error_code size_error;  // the file may be renamed away meanwhile
    const std::uintmax_t size = fs::file_size(entry.path(), size_error);
    if (!size_error && size >= bytes) return true;
  }
  return false;
}

}  // namespace

bool wait_for_file_bytes(const fs::path& folder, std::string_view suffix, std::uintmax_t bytes,
                         std::chrono::milliseconds guard) {
  const Inotify watch(folder);  // before the first look, so no change falls between
  const auto deadline = std::chrono::steady_clock::now() + guard;
  for (;;) {
    if (has_file(folder, suffix, bytes)) return true;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0)) return false;
    watch.wait(left);
  }
}

}  // namespace narrator::test
