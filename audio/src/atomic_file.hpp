// atomic_file.hpp: a file that appears at its path only when complete.
#pragma once

#include <string>

namespace narrator::detail {

// Creates a temporary file beside `target_path` (same folder, so the final rename is atomic).
// commit() flushes it to disk and renames it onto the target; until then an older file at the
// target is untouched, and if commit() never runs the destructor removes the temporary file.
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
  const std::string& target_path() const noexcept { return target_path_; }

  // fsync, close and rename onto the target. Throws Error(kOutput) on failure (the temporary
  // file is then removed by the destructor).
  void commit();

 private:
  std::string target_path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace narrator::detail
