#include "shard.hpp"

#include <charconv>
#include <optional>
#include <string>

#include "manifest.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

constexpr int kBitsPerByte = 8;
constexpr std::string_view kAuto = "auto";

// A whole number with nothing around it, or nullopt.
std::optional<std::uint32_t> whole_number(std::string_view text) {
  std::uint32_t number = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return number;
}

[[noreturn]] void refuse(std::string_view text, const std::string& why) {
  throw Error(ErrorCategory::kUsage, "--shard '" + std::string(text) + "': " + why);
}

std::uint32_t completion_index(std::string_view text, const char* value, std::uint32_t count) {
  const std::string range = "0 to " + std::to_string(count - 1);
  if (value == nullptr) {
    refuse(text,
           "JOB_COMPLETION_INDEX is not set (Kubernetes sets it in each pod of an Indexed Job); "
           "run it in such a Job, or give the shard's number: --shard K/" +
               std::to_string(count) + " with K from " + range);
  }
  const std::optional<std::uint32_t> index = whole_number(value);
  if (!index || *index >= count) {
    refuse(text, "JOB_COMPLETION_INDEX '" + std::string(value) + "' is not a shard of " +
                     std::to_string(count) + " (" + range +
                     "); make the Job's completions equal to N");
  }
  return *index;
}

}  // namespace

std::uint64_t shard_hash(std::string_view key) {
  const std::string digest = sha256(key);
  std::uint64_t hash = 0;
  for (std::size_t i = 0; i < sizeof hash; ++i) {
    hash = (hash << kBitsPerByte) | static_cast<unsigned char>(digest[i]);
  }
  return hash;
}

std::uint32_t shard_of(std::string_view key, std::uint32_t count) {
  return static_cast<std::uint32_t>(shard_hash(key) % count);
}

Shard parse_shard(std::string_view text, const char* completion_index_value) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    refuse(text,
           "give K/N (this run takes shard K of N, 0 <= K < N), or auto/N in a Kubernetes "
           "Indexed Job");
  }
  const std::string_view first = text.substr(0, slash);
  const std::optional<std::uint32_t> count = whole_number(text.substr(slash + 1));
  if (!count || *count < 1 || *count > kMaxShards) {
    refuse(text, "N must be a whole number of shards from 1 to " + std::to_string(kMaxShards));
  }
  if (first == kAuto) {
    return Shard{completion_index(text, completion_index_value, *count), *count};
  }
  const std::optional<std::uint32_t> index = whole_number(first);
  if (!index || *index >= *count) {
    refuse(text, "K must be a whole number from 0 to " + std::to_string(*count - 1) + " for " +
                     std::to_string(*count) + " shards (or auto, from JOB_COMPLETION_INDEX)");
  }
  return Shard{*index, *count};
}

}  // namespace narrator::cli
