// file_watch.hpp: wait for a program's output to grow, woken by the kernel (inotify), not a timer.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace narrator::test {

// Waits until a file directly in `folder` whose name ends with `suffix` holds at least `bytes`
// bytes (0: exists), or `guard` has passed. Wakes on every create, write and rename in the folder.
// Returns whether the file got there; `guard` only fails a hang, it never paces.
bool wait_for_file_bytes(const std::filesystem::path& folder, std::string_view suffix,
                         std::uintmax_t bytes, std::chrono::milliseconds guard);

}  // namespace narrator::test
