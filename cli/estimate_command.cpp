// narrate estimate: "Estimated N minutes", with the words and characters it is made of.
#include <cstdio>

#include "command_support.hpp"
#include "commands.hpp"
#include "narrator/engine.hpp"
#include "progress_line.hpp"

namespace narrator::cli {

namespace {

void print_estimate(const CliOptions& options, Diagnostics& diagnostics) {
  const Article article = load_article(options, diagnostics);
  const Engine engine(options.engine, diagnostics);
  const DurationEstimate estimate = engine.estimate(article);
  const long long minutes = estimate.minutes();
  print_stdout("Estimated %lld minute%s\n", minutes, minutes == 1 ? "" : "s");
  print_stdout("duration %s, %zu words, %zu characters (voice %s at %d words per minute)\n",
               format_clock(estimate.duration).c_str(), estimate.word_count,
               estimate.character_count, options.engine.voice.name.c_str(),
               options.engine.voice.rate_wpm);
  flush_stdout();
}

}  // namespace

void run_estimate(const CliOptions& options, Diagnostics& diagnostics) {
  print_until_reader_leaves([&] { print_estimate(options, diagnostics); });
}

}  // namespace narrator::cli
