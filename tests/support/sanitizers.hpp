// sanitizers.hpp: whether the tests (and the narrate they run) are built with a sanitizer.
//
// A sanitizer's shadow memory is not narrate's: peak-memory bounds are not asserted under one.
// Nothing is timed, so nothing needs more time under one.
#pragma once

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

}  // namespace narrator::test
