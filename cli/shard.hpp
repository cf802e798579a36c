// shard.hpp: `narrate batch --shard K/N`: one of N workers (an Indexed Job's pods, say) takes
// the articles whose path hashes to K, so that N runs over the same articles narrate each exactly
// once, whatever machine or order they run in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace narrator::cli {

struct Shard {
  std::uint32_t index = 0;  // K, 0 <= K < N
  std::uint32_t count = 1;  // N
};

// The most shards --shard takes.
inline constexpr std::uint32_t kMaxShards = 100000;

// The first 8 bytes of the SHA-256 of `key`'s bytes, big-endian: the same on every machine,
// compiler and run (std::hash is not), and checkable with sha256sum.
std::uint64_t shard_hash(std::string_view key);

// The shard `key` belongs to: shard_hash(key) % count.
std::uint32_t shard_of(std::string_view key, std::uint32_t count);

// Parses --shard's value: "K/N", or "auto/N" with K from `completion_index` (the value of
// JOB_COMPLETION_INDEX, which Kubernetes sets in each pod of an Indexed Job; nullptr when unset).
// Throws Error(kUsage) naming --shard, the value and what to give instead.
Shard parse_shard(std::string_view text, const char* completion_index);

}  // namespace narrator::cli
