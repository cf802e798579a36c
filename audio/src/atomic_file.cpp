#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <random>
#include <vector>

#include "narrator/audio/pending_file.hpp"
#include "narrator/error.hpp"

namespace narrator::detail {
namespace {

constexpr int kCreateAttempts = 16;

std::string folder_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string temp_name_for(const std::string& path, std::uint32_t suffix) {
  const std::size_t slash = path.find_last_of('/');
  const std::string folder = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  char hex[16];
  std::snprintf(hex, sizeof hex, "%08x", suffix);
  return folder + "." + base + "." + hex + ".part";
}

[[noreturn]] void fail(const std::string& path, const std::string& what, int error_number) {
  throw Error(ErrorCategory::kOutput, path + ": " + what + ": " + std::strerror(error_number) +
                                          "; create the folder '" + folder_of(path) +
                                          "' or make it writable, or choose another -o path");
}

// Every temporary file of this process not yet committed or removed, for remove_pending_files().
std::mutex pending_mutex;
std::vector<std::string>& pending_paths() {
  static std::vector<std::string> paths;
  return paths;
}

void track(const std::string& path) {
  const std::lock_guard lock(pending_mutex);
  pending_paths().push_back(path);
}

void untrack(const std::string& path) noexcept {
  const std::lock_guard lock(pending_mutex);
  std::vector<std::string>& paths = pending_paths();
  const auto found = std::find(paths.begin(), paths.end(), path);
  if (found != paths.end()) paths.erase(found);
}

}  // namespace

AtomicFile::AtomicFile(std::string target_path) : target_path_(std::move(target_path)) {
  std::random_device entropy;
  for (int attempt = 0; attempt < kCreateAttempts; ++attempt) {
    temp_path_ = temp_name_for(target_path_, entropy());
    fd_ = ::open(temp_path_.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0666);
    if (fd_ >= 0) {
      track(temp_path_);
      return;
    }
    if (errno != EEXIST) fail(target_path_, "cannot create the output file", errno);
  }
  fail(target_path_, "cannot create a temporary file", EEXIST);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_path_(std::move(other.target_path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(other.fd_),
      committed_(other.committed_) {
  other.fd_ = -1;
  other.committed_ = true;  // the moved-from object owns nothing to remove
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    ::unlink(temp_path_.c_str());
    untrack(temp_path_);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) fail(target_path_, "cannot flush the output file", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(target_path_, "cannot close the output file", errno);
  if (::rename(temp_path_.c_str(), target_path_.c_str()) != 0) {
    fail(target_path_, "cannot move the finished file into place", errno);
  }
  committed_ = true;
  untrack(temp_path_);
}

}  // namespace narrator::detail

namespace narrator {

void remove_pending_files() noexcept {
  const std::lock_guard lock(detail::pending_mutex);
  for (const std::string& path : detail::pending_paths()) ::unlink(path.c_str());
  detail::pending_paths().clear();
}

OutputPathKind output_path_kind(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || S_ISREG(info.st_mode)) return OutputPathKind::kFile;
  if (S_ISDIR(info.st_mode)) {
    throw Error(ErrorCategory::kOutput, path + " is a folder; give the name of a file in it");
  }
  return OutputPathKind::kStream;
}

PendingFile::PendingFile(std::string path) : path_(std::move(path)) {
  // A device or a pipe is opened and written at commit().
  if (output_path_kind(path_) == OutputPathKind::kFile) {
    file_ = std::make_unique<detail::AtomicFile>(path_);
  }
}
PendingFile::PendingFile(PendingFile&&) noexcept = default;
PendingFile& PendingFile::operator=(PendingFile&&) noexcept = default;
PendingFile::~PendingFile() = default;

void PendingFile::commit(std::string_view content) {
  const int fd = file_ ? file_->fd() : ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorCategory::kOutput, path_ + ": cannot open for writing: " +
                                            std::strerror(errno) + "; choose another path");
  }
  struct Closer {
    int fd;
    bool owned;
    ~Closer() {
      if (owned) ::close(fd);
    }
  } closer{fd, !file_};
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      throw Error(ErrorCategory::kOutput, path_ + ": cannot write: " + std::strerror(errno) +
                                              "; check that the disk has space");
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  if (file_) file_->commit();
}

}  // namespace narrator
