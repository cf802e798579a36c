// charset.hpp: text in other character encodings, for the tests of charset reading (the cases are
// written in UTF-8, so that they read as what they say, and encoded here).
#pragma once

#include <string>
#include <string_view>

namespace narrator::test {

// `utf8` in the encoding `charset` (an ICU converter name, "windows-1251"), converted with ICU. A
// failed conversion is a test failure (EXPECT), and gives what was converted.
std::string encode(std::string_view utf8, const char* charset);

}  // namespace narrator::test
