#include "atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string_view>
#include <vector>

#include "narrator/audio/pending_file.hpp"
#include "narrator/error.hpp"

namespace narrator::detail {
namespace {

constexpr int kCreateAttempts = 16;
constexpr int kMaxLinkHops = 40;  // as the kernel's own limit for a path (ELOOP)
// A dead process's temporary file is removed only when it has not changed for this long, so that
// a writer in another PID namespace sharing the folder (whose pid means nothing here) still has
// a moment's grace while it writes.
constexpr std::chrono::seconds kStaleAfter{10};
constexpr std::size_t kSuffixDigits = 8;  // the random hex part of a temporary name
constexpr std::string_view kTempExtension = ".part";

struct SplitPath {
  std::string folder;  // with its trailing '/', or "" for the current folder
  std::string base;
};

SplitPath split(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash + 1), path.substr(slash + 1)};
}

std::string folder_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string describe_folder(const std::string& path) {
  const std::string folder = folder_of(path);
  return folder == "." ? "the current folder" : "the folder '" + folder + "'";
}

// ".<base>.<pid>.<8 hex digits>.part", beside the target.
std::string temp_name_for(const std::string& path, pid_t pid, std::uint32_t suffix) {
  const SplitPath parts = split(path);
  char hex[kSuffixDigits + 1];
  std::snprintf(hex, sizeof hex, "%08x", suffix);
  return parts.folder + "." + parts.base + "." + std::to_string(pid) + "." + hex +
         std::string(kTempExtension);
}

[[noreturn]] void fail_create(const std::string& name, const std::string& path, int error_number) {
  std::string advice = "choose another -o path";
  if (error_number == ENOENT || error_number == ENOTDIR) {
    advice = "create " + describe_folder(path) + " or choose another -o path";
  } else if (error_number == EACCES || error_number == EPERM || error_number == EROFS) {
    advice = "make " + describe_folder(path) + " writable or choose another -o path";
  } else if (error_number == ENOSPC || error_number == EDQUOT) {
    advice = "free some disk space or choose another -o path";
  }
  throw Error(ErrorCategory::kOutput, name + ": cannot create the output file: " +
                                          std::strerror(error_number) + "; " + advice);
}

[[noreturn]] void fail_replace(const std::string& name, const std::string& path, int error_number) {
  std::string advice = "choose another -o path";
  if (error_number == EPERM || error_number == EACCES) {
    struct stat folder {};
    const bool sticky =
        ::stat(folder_of(path).c_str(), &folder) == 0 && (folder.st_mode & S_ISVTX) != 0;
    advice = sticky ? describe_folder(path) +
                          " lets only a file's owner replace it (sticky, as /tmp is) and '" + path +
                          "' belongs to another user; ask them to remove it, or " +
                          "choose another -o path"
                    : "make " + describe_folder(path) + " writable or choose another -o path";
  } else if (error_number == ENOSPC || error_number == EDQUOT) {
    advice = "free some disk space or choose another -o path";
  }
  throw Error(ErrorCategory::kOutput, name + ": cannot replace the file with the finished one: " +
                                          std::strerror(error_number) + "; " + advice);
}

// `path` with symbolic links in its last part followed: an output given through a link is written
// into the file the link points to, and the link stays. A dangling link names the file to create.
std::string follow_links(const std::string& name) {
  std::string path = name;
  for (int hop = 0; hop < kMaxLinkHops; ++hop) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return path;
    std::string target(static_cast<std::size_t>(PATH_MAX), '\0');
    const ssize_t size = ::readlink(path.c_str(), target.data(), target.size());
    if (size < 0) fail_create(name, path, errno);
    target.resize(static_cast<std::size_t>(size));
    path = target.starts_with('/') ? target : split(path).folder + target;
  }
  fail_create(name, path, ELOOP);
}

// Every temporary file of this process not yet committed or removed, for remove_pending_files(),
// and the folders already swept for dead processes' temporary files.
std::mutex pending_mutex;
std::vector<std::string>& pending_paths() {
  static std::vector<std::string> paths;
  return paths;
}
std::set<std::string>& swept_folders() {
  static std::set<std::string> folders;
  return folders;
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

bool first_sweep_of(const std::string& folder) {
  const std::lock_guard lock(pending_mutex);
  return swept_folders().insert(folder).second;
}

bool stale(int folder_fd, const char* name, pid_t pid) noexcept {
  struct stat info {};
  if (::fstatat(folder_fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0) return false;
  if (!S_ISREG(info.st_mode) || info.st_uid != ::geteuid()) return false;
  const auto age = std::chrono::system_clock::now() -
                   std::chrono::system_clock::from_time_t(info.st_mtim.tv_sec);
  if (age < kStaleAfter) return false;
  // Alive, or a process of another user (EPERM): not ours to clean up.
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

// Removes what a killed narrate left in `folder`: temporary files named as ours whose process is
// gone and which have not changed for a while. Best effort: a folder that cannot be read or a
// file that cannot be removed only leaves the litter as it was, so failures are not errors.
void remove_stale_temp_files(const std::string& folder) noexcept {
  struct DirCloser {
    void operator()(DIR* dir) const noexcept { ::closedir(dir); }
  };
  const std::unique_ptr<DIR, DirCloser> dir(::opendir(folder.c_str()));
  if (!dir) return;
  const int folder_fd = ::dirfd(dir.get());
  const pid_t self = ::getpid();
  while (const dirent* entry = ::readdir(dir.get())) {
    const pid_t pid = pid_of_temp_name(entry->d_name);
    if (pid <= 0 || pid == self || !stale(folder_fd, entry->d_name, pid)) continue;
    ::unlinkat(folder_fd, entry->d_name, 0);
  }
}

}  // namespace

pid_t pid_of_temp_name(std::string_view name) noexcept {
  if (!name.starts_with('.') || !name.ends_with(kTempExtension)) return 0;
  name = name.substr(1, name.size() - 1 - kTempExtension.size());  // "<base>.<pid>.<hex>"
  const std::size_t hex_dot = name.rfind('.');
  if (hex_dot == std::string_view::npos) return 0;
  const std::string_view hex = name.substr(hex_dot + 1);
  if (hex.size() != kSuffixDigits || !std::all_of(hex.begin(), hex.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      })) {
    return 0;
  }
  name = name.substr(0, hex_dot);
  const std::size_t pid_dot = name.rfind('.');
  if (pid_dot == std::string_view::npos || pid_dot == 0) return 0;  // no base
  const std::string_view digits = name.substr(pid_dot + 1);
  constexpr std::size_t kMaxPidDigits = 9;  // under INT_MAX; Linux pids stay under 2^22
  if (digits.empty() || digits.size() > kMaxPidDigits || digits.front() == '0' ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  pid_t pid = 0;
  for (const char c : digits) pid = pid * 10 + (c - '0');
  return pid;
}

AtomicFile::AtomicFile(std::string target_path)
    : name_(std::move(target_path)), target_path_(follow_links(name_)) {
  std::random_device entropy;
  const pid_t self = ::getpid();
  for (int attempt = 0; attempt < kCreateAttempts && fd_ < 0; ++attempt) {
    temp_path_ = temp_name_for(target_path_, self, entropy());
    fd_ = ::open(temp_path_.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0666);
    if (fd_ < 0 && errno != EEXIST) fail_create(name_, target_path_, errno);
  }
  if (fd_ < 0) fail_create(name_, target_path_, EEXIST);
  track(temp_path_);
  // A replaced file keeps its permission bits (a private 0600 narration stays private); a new
  // one gets what the umask leaves of 0666. Owner and group become the writer's.
  struct stat older {};
  if (::stat(target_path_.c_str(), &older) == 0 && S_ISREG(older.st_mode) &&
      ::fchmod(fd_, older.st_mode & kPermissionBits) != 0) {
    const int error_number = errno;
    ::close(fd_);
    fd_ = -1;
    ::unlink(temp_path_.c_str());
    untrack(temp_path_);
    committed_ = true;  // nothing left to remove
    throw Error(ErrorCategory::kOutput, name_ + ": cannot give the new file the old one's mode: " +
                                            std::strerror(error_number) +
                                            "; choose another -o path");
  }
  const std::string folder = folder_of(target_path_);
  if (first_sweep_of(folder)) remove_stale_temp_files(folder);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : name_(std::move(other.name_)),
      target_path_(std::move(other.target_path_)),
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
  if (::fsync(fd_) != 0) throw write_error(errno, "cannot flush the output file");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw write_error(errno, "cannot close the output file");
  if (::rename(temp_path_.c_str(), target_path_.c_str()) != 0) {
    fail_replace(name_, target_path_, errno);
  }
  committed_ = true;
  untrack(temp_path_);
}

Error AtomicFile::write_error(int error_number, const std::string& what) const {
  std::string advice = "choose another -o path";
  if (error_number == ENOSPC || error_number == EDQUOT) {
    advice = "free some disk space or choose another -o path";
  }
  return Error(ErrorCategory::kOutput,
               name_ + ": " + what + ": " + std::strerror(error_number) + "; " + advice);
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
