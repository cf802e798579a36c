// percent_encode(): the one encoder behind the feed's enclosure URLs and the listening page's
// relative links.
#include "url_encode.hpp"

#include <gtest/gtest.h>

#include <string>

namespace narrator::cli {
namespace {

TEST(PercentEncode, KeepsOnlyTheUnreservedCharacters) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b"), "a%20b");
  // RFC 3986's reserved characters (gen-delims and sub-delims), and '%' itself.
  EXPECT_EQ(percent_encode(":/?#[]@!$&'()*+,;=%"),
            "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(PercentEncode, EncodesEachUtf8ByteInUpperCaseHex) {
  EXPECT_EQ(percent_encode("caf\xc3\xa9"), "caf%C3%A9");                 // é
  EXPECT_EQ(percent_encode("\xd0\x9c\xd1\x96\xd0\xbd\xd1\x81\xd0\xba"),  // Мінск
            "%D0%9C%D1%96%D0%BD%D1%81%D0%BA");
  EXPECT_EQ(percent_encode(std::string("\x00\x7f\xff", 3)), "%00%7F%FF");
}

TEST(PercentEncode, KeepsTheCharactersItIsToldTo) {
  EXPECT_EQ(percent_encode("../audio/a b.mp3", "/"), "../audio/a%20b.mp3");
  EXPECT_EQ(percent_encode("a/b", ""), "a%2Fb");
  EXPECT_EQ(percent_encode("a/b?c", "/?"), "a/b?c");
  // Only ASCII can be kept: a UTF-8 byte is encoded whatever `keep` holds.
  EXPECT_EQ(percent_encode("\xc3\xa9", "\xc3\xa9"), "%C3%A9");
}

}  // namespace
}  // namespace narrator::cli
