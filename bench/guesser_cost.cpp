// guesser_cost: what the pronunciation lookups, the name guesser included, cost. It times the
// lookup of every word of an article (the stage that runs once per word of a narration: the
// lexicons, then the guesser for a word that looks Belarusian), and the guessing of names that no
// lexicon lists, made up from syllables and Belarusian endings. Prints key=value lines for
// bench/run, which sets the article's lookup time against the whole narration's.
//
//   guesser_cost ARTICLE
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "narrator/error.hpp"
#include "narrator/lexicon/lexicon.hpp"

namespace {

constexpr int kRuns = 5;
constexpr std::size_t kUnseenNames = 2000;

// The words of the article as the pronounce stage looks them up: split at white space, without
// the punctuation around them.
std::vector<std::string> words_of(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw narrator::Error(narrator::ErrorCategory::kInput, path + ": cannot be read");
  std::vector<std::string> words;
  for (std::string word; in >> word;) {
    const std::size_t begin = word.find_first_not_of("\"'([");
    const std::size_t end = word.find_last_not_of(",.;:!?\"')]");
    if (begin == std::string::npos || end == std::string::npos || end < begin) continue;
    words.push_back(word.substr(begin, end - begin + 1));
  }
  return words;
}

// Names that look Belarusian and that no lexicon lists: a stem of two syllables and an ending,
// chosen by the name's number.
std::vector<std::string> unseen_names() {
  const std::vector<std::string_view> first{"Ka",   "Lu", "Zha", "Mi", "Ra",
                                            "Dzia", "Ho", "Sva", "Ty", "Bu"};
  const std::vector<std::string_view> second{"ba",  "lo",  "shy", "ra",  "nia",
                                             "tsi", "dze", "vy",  "khu", "zo"};
  const std::vector<std::string_view> endings{"kevich", "enka",   "ouski", "chyk",  "iuk",
                                              "skaya",  "avichy", "yeu",   "ynets", "ich"};
  std::vector<std::string> names;
  for (std::size_t n = 0; names.size() < kUnseenNames; ++n) {
    names.push_back(std::string(first[n / 10 % 10]) + std::string(second[n / 100 % 10]) +
                    std::string(second[n / 1000 % 10]) + std::string(endings[n % 10]));
  }
  return names;
}

struct Timing {
  double median_ms = 0;
  std::size_t found = 0;  // words with a pronunciation from a lexicon or the guesser
  std::size_t guessed = 0;
};

Timing time_lookups(const narrator::LexiconStack& lexicons, const std::vector<std::string>& words) {
  Timing timing;
  std::vector<double> times;
  for (int run = 0; run < kRuns; ++run) {
    std::size_t found = 0;
    std::size_t guessed = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& word : words) {
      const std::optional<narrator::Pronunciation> pronunciation = lexicons.lookup(word);
      found += pronunciation ? 1 : 0;
      guessed += pronunciation && pronunciation->source == "guesser" ? 1 : 0;
    }
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    timing.found = found;
    timing.guessed = guessed;
  }
  std::sort(times.begin(), times.end());
  timing.median_ms = times[times.size() / 2];
  return timing;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: guesser_cost ARTICLE\n");
    return 2;
  }
  try {
    const narrator::LexiconStack lexicons;
    const std::vector<std::string> words = words_of(argv[1]);
    const std::vector<std::string> names = unseen_names();
    const Timing article = time_lookups(lexicons, words);
    const Timing unseen = time_lookups(lexicons, names);
    std::printf("article_words=%zu\narticle_found=%zu\narticle_guessed=%zu\n", words.size(),
                article.found, article.guessed);
    std::printf("article_lookup_ms=%.3f\n", article.median_ms);
    std::printf("unseen_names=%zu\nunseen_guessed=%zu\nunseen_lookup_ms=%.3f\n", names.size(),
                unseen.guessed, unseen.median_ms);
    std::printf("runs=%d\n", kRuns);
  } catch (const narrator::Error& error) {
    std::fprintf(stderr, "guesser_cost: %s\n", error.what());
    return 1;
  }
  return 0;
}
