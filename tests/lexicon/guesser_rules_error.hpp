// guesser_rules_error.hpp: the message a malformed guesser rule file gets, for the lexicon tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "narrator/error.hpp"
#include "narrator/lexicon/name_guesser.hpp"

namespace narrator::test {

// What loading `rules` (as "house_rules.tsv") throws, checked to be an input error; "(no error)"
// when it loads.
inline std::string guesser_rules_error(const std::string& rules) {
  try {
    const NameGuesser guesser(rules, "house_rules.tsv");
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kInput) << error.what();
    return error.what();
  }
  return "(no error)";
}

}  // namespace narrator::test
