// narrate lexicon check: every problem in a house lexicon, one line each.
#include <cstdio>
#include <string>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "narrator/detail/plural.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {

namespace {

void check_lexicon(const CliOptions& options, Diagnostics& diagnostics) {
  const Engine engine(options.engine, diagnostics);
  const std::vector<std::string> problems = engine.check_lexicon(options.article);
  for (const std::string& problem : problems) print_stdout("%s\n", problem.c_str());
  flush_stdout();
  if (!problems.empty()) {
    throw Error(ErrorCategory::kInput, options.article + ": " +
                                           detail::counted(problems.size(), "problem") +
                                           "; fix the lines listed above");
  }
  std::fprintf(stderr, "narrate: %s: no problems\n", options.article.c_str());
}

}  // namespace

// A reader that leaves early (`| head`) ends the check quietly: it has the lines it wanted.
void run_lexicon_check(const CliOptions& options, Diagnostics& diagnostics) {
  print_until_reader_leaves([&] { check_lexicon(options, diagnostics); });
}

}  // namespace narrator::cli
