// sanitizers.hpp: whether the tests (and the narrate they run) are built with a sanitizer.
//
// A sanitizer's shadow memory and its slower code are not narrate's: peak-memory bounds are not
// asserted under one, and timings that wait for a player to react get more time.
#pragma once

#include <chrono>

namespace narrator::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// How much longer a wait for narrate to react is under a sanitizer (ThreadSanitizer runs code
// 5-15 times slower).
inline constexpr int kSlowdown = kSanitizedBuild ? 8 : 1;

}  // namespace narrator::test
