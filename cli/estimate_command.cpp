// narrate estimate: "Estimated N minutes", with the words and characters it is made of.
#include <cstdio>

#include "command_support.hpp"
#include "commands.hpp"
#include "narrator/engine.hpp"
#include "progress_line.hpp"

namespace narrator::cli {

void run_estimate(const CliOptions& options, Diagnostics& diagnostics) {
  const Article article = load_article(options, diagnostics);
  const Engine engine(options.engine, diagnostics);
  const DurationEstimate estimate = engine.estimate(article);
  const long long minutes = estimate.minutes();
  std::fprintf(stdout, "Estimated %lld minute%s\n", minutes, minutes == 1 ? "" : "s");
  std::fprintf(stdout, "duration %s, %zu words, %zu characters (voice %s at %d words per minute)\n",
               format_clock(estimate.duration).c_str(), estimate.word_count,
               estimate.character_count, options.engine.voice.name.c_str(),
               options.engine.voice.rate_wpm);
  flush_stdout();
}

}  // namespace narrator::cli
