#include "closest_matches.hpp"

#include <gtest/gtest.h>

namespace narrator::detail {
namespace {

TEST(ClosestMatches, SuggestsNearestNamesFirst) {
  const std::vector<std::string> names{"en-us", "en-gb", "English_(America)", "de", "en-us"};
  EXPECT_EQ(closest_matches("en-uss", names, 3), (std::vector<std::string>{"en-us"}));
  EXPECT_EQ(closest_matches("EN-US", names, 1), (std::vector<std::string>{"en-us"}));
  EXPECT_TRUE(closest_matches("klingon", names, 3).empty());
}

}  // namespace
}  // namespace narrator::detail
