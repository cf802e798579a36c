// url_encode.hpp: percent-encoding (RFC 3986 §2.1) for the URLs narrate writes: the feed's
// enclosures and the listening page's links to its audio.
#pragma once

#include <string>
#include <string_view>

namespace narrator::cli {

// `text` with every byte percent-encoded ("%" and two upper-case hex digits) except RFC 3986's
// unreserved characters (A-Z a-z 0-9 - . _ ~) and the ASCII characters in `keep` ("/" keeps a
// path's segments apart). Each byte of a UTF-8 sequence is encoded on its own ("é" is %C3%A9).
std::string percent_encode(std::string_view text, std::string_view keep = {});

}  // namespace narrator::cli
