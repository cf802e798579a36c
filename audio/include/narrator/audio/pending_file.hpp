// pending_file.hpp: a text file (speech marks, subtitles) that appears at its path only whole.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace narrator {

namespace detail {
class AtomicFile;
}

// Created before the work that fills it, so that an unwritable folder fails first: the temporary
// file sits beside `path` until commit() writes the content and renames it into place. Destroyed
// without commit() (an error, Ctrl-C), it removes the temporary file and leaves `path` untouched.
class PendingFile {
 public:
  // Throws Error(kOutput) naming the path when the folder is missing or not writable.
  explicit PendingFile(std::string path);
  PendingFile(PendingFile&&) noexcept;
  PendingFile& operator=(PendingFile&&) noexcept;
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile();

  // Writes `content`, flushes it to disk and renames it onto the path. Throws Error(kOutput).
  void commit(std::string_view content);

  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  std::unique_ptr<detail::AtomicFile> file_;
};

// How an output path is written. kFile (a regular file, or nothing yet) appears only whole,
// through a temporary file beside it and a rename; kStream (a device, FIFO or socket such as
// /dev/null or /dev/stdout) is written into directly, since a rename would replace the device.
// Throws Error(kOutput) when the path names a folder.
enum class OutputPathKind { kFile, kStream };
OutputPathKind output_path_kind(const std::string& path);

// Removes every temporary file of this process's pending outputs (PendingFile and the file
// sinks) that is not yet committed. For a process about to end without unwinding: the CLI's last
// resort when a signal's cancellation does not finish in time. Safe to call from any thread;
// the objects still exist afterwards and their commit() fails.
void remove_pending_files() noexcept;

}  // namespace narrator
