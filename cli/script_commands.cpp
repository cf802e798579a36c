// narrate script, normalize and pronounce: what the voice will say, as text.
#include <stdio.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "narrator/detail/printable.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

void print_metadata(const ArticleMetadata& metadata) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"title", &metadata.title},
      {"byline", &metadata.byline},
      {"publication", &metadata.publication},
      {"date", &metadata.date}};
  for (const auto& [name, value] : fields) {
    if (!value->empty()) print_stdout("# metadata %s: %s\n", name, value->c_str());
  }
}

// The sentences, one a line, with a blank line between blocks.
void print_script(const std::vector<ScriptSentence>& script) {
  std::size_t previous_block = 0;
  bool first = true;
  for (const ScriptSentence& sentence : script) {
    if (!first && sentence.block_index != previous_block) write_stdout("\n");
    write_stdout(sentence.text + "\n");
    previous_block = sentence.block_index;
    first = false;
  }
}

// Passes every diagnostic on, and keeps the reports of the input's encoding for --explain.
class EncodingReports final : public Diagnostics {
 public:
  explicit EncodingReports(Diagnostics& outer) : outer_(outer) {}
  void report(Diagnostic diagnostic) override {
    if (diagnostic.code == "input.encoding") messages_.push_back(diagnostic.message);
    outer_.report(std::move(diagnostic));
  }
  const std::vector<std::string>& messages() const { return messages_; }

 private:
  Diagnostics& outer_;
  std::vector<std::string> messages_;
};

// --explain: what was dropped, the encoding read and what chose it, the metadata, then the
// warnings and the pronunciation notes, each with its line and column.
void print_explanation(const Article& article, const std::vector<std::string>& encoding,
                       std::vector<Diagnostic> items) {
  const auto notes = std::stable_partition(items.begin(), items.end(), [](const Diagnostic& d) {
    return d.severity != Severity::kInfo;
  });
  const auto warnings = static_cast<std::size_t>(notes - items.begin());
  print_stdout("\n# %zu block%s not read (page furniture, markup)\n", article.dropped.size(),
               article.dropped.size() == 1 ? "" : "s");
  for (const DroppedText& drop : article.dropped) {
    const std::string reason = drop.reason.empty() ? "" : " (" + drop.reason + ")";
    print_stdout("# %s:%zu: dropped [%s]%s: %s\n", article.source_name.c_str(), drop.line,
                 drop.rule.c_str(), reason.c_str(), detail::printable(drop.excerpt).c_str());
  }
  for (const std::string& message : encoding) {
    print_stdout("# encoding: %s\n", detail::printable(message).c_str());
  }
  print_metadata(article.metadata);
  print_stdout("# %zu warning%s\n", warnings, warnings == 1 ? "" : "s");
  for (auto item = items.begin(); item != items.end(); ++item) {
    if (item == notes) print_stdout("# pronunciations\n");
    const TextPosition at = position_of(article.text, item->span.begin_byte);
    print_stdout("# %s:%zu:%zu: %s [%s]\n", article.source_name.c_str(), at.line, at.column,
                 detail::printable(item->message).c_str(), item->code.c_str());
  }
}

// A line of stdin trimmed of blanks and a CR; empty for a blank line.
std::string_view trimmed(std::string_view line) {
  const std::size_t begin = line.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return line.substr(begin, line.find_last_not_of(" \t\r") - begin + 1);
}

void print_script_command(const CliOptions& options, Diagnostics& diagnostics) {
  EncodingReports reading(diagnostics);
  const Article article = load_article(options, reading);
  // With --explain the warnings are part of the output, so they are collected here.
  CollectingDiagnostics explained;
  const Engine engine(options.engine, options.explain ? explained : diagnostics);
  print_script(engine.script(article));
  if (options.explain) print_explanation(article, reading.messages(), explained.items());
  flush_stdout();
}

// Passes each diagnostic on once. `narrate normalize` reads every line as an article of its own,
// and a note such as which voice reads Cyrillic text would otherwise repeat for every line.
class OncePerMessage final : public Diagnostics {
 public:
  explicit OncePerMessage(Diagnostics& outer) : outer_(outer) {}
  void report(Diagnostic diagnostic) override {
    if (!seen_.insert(diagnostic.code + "\n" + diagnostic.message).second) return;
    outer_.report(std::move(diagnostic));
  }

 private:
  Diagnostics& outer_;
  std::set<std::string> seen_;
};

// The lines of stdin, each as soon as it arrives, through POSIX getline(3) and stdio's buffer
// (std::getline on std::cin, synchronized with stdio, reads a character at a time: a tenth of
// the time normalize spent on a long page).
class StdinLines {
 public:
  StdinLines() = default;
  StdinLines(const StdinLines&) = delete;
  StdinLines& operator=(const StdinLines&) = delete;
  ~StdinLines() { std::free(buffer_); }

  // The next line without its '\n' (valid until the next call), or nullopt at the end. Throws
  // Error(kInput) when reading fails.
  std::optional<std::string_view> next() {
    const ssize_t length = ::getline(&buffer_, &capacity_, stdin);
    if (length < 0) {
      if (std::ferror(stdin) != 0) {
        throw Error(ErrorCategory::kInput,
                    std::string("<stdin>: cannot read: ") + std::strerror(errno));
      }
      return std::nullopt;
    }
    std::string_view line(buffer_, static_cast<std::size_t>(length));
    if (line.ends_with('\n')) line.remove_suffix(1);
    return line;
  }

 private:
  char* buffer_ = nullptr;  // getline(3)'s, grown by it with realloc
  std::size_t capacity_ = 0;
};

void print_normalized(const CliOptions& options, Diagnostics& all_diagnostics) {
  OncePerMessage diagnostics(all_diagnostics);
  const Engine engine(options.engine, diagnostics);
  // Lossy, so that a bad byte costs a warning, not the one-line-out-per-line-in promise; and a
  // line is not a page, so a lone date or "Back to top" is text to read.
  ReadOptions line_options;
  line_options.lossy = true;
  line_options.keep_page_furniture = true;
  line_options.language = options.engine.language;
  StdinLines lines;
  std::size_t number = 0;
  while (const std::optional<std::string_view> line = lines.next()) {
    ++number;
    std::string spoken;
    // A line of only spaces, zero-width spaces, no-break spaces or byte order marks is blank: a
    // blank line out, not an empty article.
    if (!is_blank_text(*line)) {
      const Article article = read_article(std::string(*line), "<stdin>:" + std::to_string(number),
                                           line_options, diagnostics);
      for (const ScriptSentence& sentence : engine.script(article)) {
        spoken += (spoken.empty() ? "" : " ") + sentence.text;
      }
    }
    write_stdout(spoken + "\n");
  }
  flush_stdout();
}

std::string signed_weight(int weight) {
  std::string out(weight > 0 ? "+" : "");
  out += std::to_string(weight);
  return out;
}

// `narrate pronounce --explain`: one block per word, two-space indented sections, every value
// escaped (it may hold what the user typed).
void print_explanation(const WordExplanation& word) {
  const auto text = [](std::string_view value) { return detail::printable(value); };
  print_stdout("%s\t%s\t%s\n", text(word.word).c_str(), text(word.ipa).c_str(),
               word.source.c_str());
  if (!word.layer_file.empty()) {
    print_stdout("  answered by: %s (%s)\n", word.source.c_str(), text(word.layer_file).c_str());
  } else {
    print_stdout("  answered by: %s\n",
                 word.source == "backend" ? "the voice's own rules" : word.source.c_str());
  }
  if (word.routed) {
    print_stdout("  routing: score %d, needs %d: %s (%s)\n", word.route_score, word.route_threshold,
                 word.to_guesser ? "guesser" : "voice", word.route_reason.c_str());
    for (const WordExplanation::Evidence& evidence : word.route_evidence) {
      if (evidence.kind == "dictionary") {  // membership: no weight of its own
        print_stdout("    %-10s  %s\n", evidence.kind.c_str(), text(evidence.detail).c_str());
      } else {
        print_stdout("    %-10s  %-32s  %s\n", evidence.kind.c_str(), text(evidence.detail).c_str(),
                     signed_weight(evidence.weight).c_str());
      }
    }
  } else if (!word.route_reason.empty()) {
    print_stdout("  routing: %s\n", text(word.route_reason).c_str());
  }
  if (word.source != "guesser") return;
  print_stdout("  spelling weights:%s\n", word.spelling.empty() ? " (none)" : "");
  for (const WordExplanation::Evidence& rule : word.spelling) {
    print_stdout("    %-24s  %3s  %s\n", rule.kind.c_str(), signed_weight(rule.weight).c_str(),
                 rule.detail.c_str());
  }
  print_stdout("  stress: %s: %s\n", word.stress_rule.c_str(), word.stress_detail.c_str());
  print_stdout("  sounds:\n");
  for (const WordExplanation::Sound& sound : word.sounds) {
    print_stdout("    %-6s  %-24s  %s%s\n", sound.letters.c_str(), sound.rule.c_str(),
                 sound.ipa.c_str(), sound.stressed ? "  (stressed)" : "");
  }
}

void print_pronunciations(const CliOptions& options, Diagnostics& diagnostics) {
  const Engine engine(options.engine, diagnostics);
  const auto print = [&](std::string_view word) {
    if (options.explain) {
      for (const WordExplanation& explained : engine.explain(word)) print_explanation(explained);
      return;
    }
    const WordPronunciation said = engine.pronounce(word);
    // Escaped: a control character typed in a word, or in an IPA the backend gives back, must not
    // act on the terminal.
    print_stdout("%s\t%s\t%s\n", detail::printable(word).c_str(),
                 detail::printable(said.ipa).c_str(), said.source.c_str());
  };
  if (!options.words.empty()) {
    for (const std::string& word : options.words) print(word);
  } else {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!trimmed(line).empty()) print(trimmed(line));
    }
  }
  flush_stdout();
}

}  // namespace

void run_script(const CliOptions& options, Diagnostics& diagnostics) {
  print_until_reader_leaves([&] { print_script_command(options, diagnostics); });
}

void run_normalize(const CliOptions& options, Diagnostics& diagnostics) {
  print_until_reader_leaves([&] { print_normalized(options, diagnostics); });
}

void run_pronounce(const CliOptions& options, Diagnostics& diagnostics) {
  print_until_reader_leaves([&] { print_pronunciations(options, diagnostics); });
}

}  // namespace narrator::cli
