// atomic_file.hpp: a file that appears at its path only when complete.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "narrator/error.hpp"

namespace narrator::detail {

// The pid in a temporary file name of AtomicFile's making, ".<base>.<pid>.<8 hex digits>.part",
// or 0 when `name` is not exactly such a name.
pid_t pid_of_temp_name(std::string_view name) noexcept;

// Creates a temporary file beside the target (same folder, so the final rename is atomic), named
// ".<base>.<pid>.<8 hex digits>.part" after the target's base name and this process's pid.
// commit() flushes it to disk and renames it onto the target; until then an older file at the
// target is untouched, and if commit() never runs the destructor removes the temporary file.
//
// - A target that is a symbolic link is followed (to its final target, which may not exist yet):
//   the file it points to is written and the link stays.
// - A replaced regular file's permission bits are kept; a new file gets 0666 less the umask.
// - The first AtomicFile in a folder (per process) removes that folder's temporary files of this
//   naming left by processes that no longer exist (killed before they could clean up), once they
//   are some seconds old. Nothing else is touched: only regular files of this user, whose name
//   matches exactly.
class AtomicFile {
 public:
  // Throws Error(kOutput) naming the path when the folder is missing or not writable.
  explicit AtomicFile(std::string target_path);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  int fd() const noexcept { return fd_; }
  const std::string& temp_path() const noexcept { return temp_path_; }
  // Where the file goes: the path given, with symbolic links followed.
  const std::string& target_path() const noexcept { return target_path_; }

  // fsync, close and rename onto the target. Throws Error(kOutput) naming the path given, with
  // advice (a sticky folder, a full disk), on failure; the destructor then removes the temporary
  // file.
  void commit();

 private:
  static constexpr mode_t kPermissionBits = 0777;  // no set-id or sticky bits are carried over

  Error write_error(int error_number, const std::string& what) const;

  std::string name_;  // the path as given, for messages
  std::string target_path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace narrator::detail
