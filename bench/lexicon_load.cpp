// lexicon_load: how long a 10,000-entry house lexicon adds to starting an engine (reading,
// indexing and checking every IPA symbol against the voice). Prints one line for bench/run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "narrator/engine.hpp"

namespace {

constexpr int kEntries = 10000;
constexpr int kRuns = 7;

// Plausible names and IPA, all different: syllables combined by the entry's number.
void write_lexicon(const std::string& path) {
  const std::vector<std::pair<std::string, std::string>> syllables{
      {"ka", "kɑː"}, {"lu", "luː"}, {"shen", "ʃɛn"}, {"vich", "vɪtʃ"}, {"sky", "ski"},
      {"ra", "rə"},  {"na", "nə"},  {"ko", "kɒ"},    {"mi", "mɪ"},     {"zha", "ʒə"}};
  std::ofstream out(path);
  out << "# synthetic house lexicon for bench/lexicon_load\n";
  for (int n = 0; n < kEntries; ++n) {
    std::string grapheme = "Name";
    std::string ipa = "ˈneɪm";
    for (int digit = n; digit > 0 || grapheme.size() == 4; digit /= 10) {
      grapheme += syllables[static_cast<std::size_t>(digit % 10)].first;
      ipa += syllables[static_cast<std::size_t>(digit % 10)].second;
      if (digit == 0) break;
    }
    out << grapheme << '\t' << ipa << '\t' << "bench\n";
  }
}

double median_start_ms(const narrator::EngineConfig& config) {
  std::vector<double> times;
  narrator::NullDiagnostics diagnostics;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const narrator::Engine engine(config, diagnostics);
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "lexicon-10k.tsv";
  write_lexicon(path);
  narrator::EngineConfig plain;
  narrator::EngineConfig with_house = plain;
  with_house.lexicon_files = {path};
  const double base_ms = median_start_ms(plain);
  const double house_ms = median_start_ms(with_house);
  std::printf(
      "lexicon load: %d entries add %.1f ms to engine start (%.1f ms -> %.1f ms, median "
      "of %d)\n",
      kEntries, house_ms - base_ms, base_ms, house_ms, kRuns);
  return 0;
}
