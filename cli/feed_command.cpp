// feed_command.cpp: `narrate feed DIR -o feed.xml --base-url URL`.
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "feed.hpp"

namespace narrator::cli {

void run_feed(const CliOptions& options) {
  for (const std::string& warning : write_feed(options.feed)) {
    std::fprintf(stderr, "narrate: warning: %s\n", warning.c_str());
  }
}

}  // namespace narrator::cli
