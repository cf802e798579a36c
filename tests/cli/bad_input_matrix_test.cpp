// The bad-input matrix (tests/data/bad_input/matrix.tsv): each row's input is generated, narrate
// runs on it end to end (with the row's conditions: a stdout that is full or closes early, a
// signal, a small or read-only file system), and the exit code, the message, the absence of
// output and the survival of an older output are checked.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "file_watch.hpp"
#include "process.hpp"
#include "sanitizers.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

struct MatrixRow {
  std::size_t line = 0;
  std::string name, input_file, generator, arguments, message;
  int exit_code = 0;
  std::map<std::string, std::string> conditions;  // the last column, key=value or key
};

constexpr std::string_view kOlder = "an older narration that must survive";

// Runs a command in a private mount namespace where $1 is a fresh tmpfs of the size $2 (or, for
// "ro", one made read-only once the older file $3 is in it), then reports what it left there.
constexpr std::string_view kSandboxScript = R"sh(vol=$1 options=$2 older=$3
shift 3
size=$options
[ "$options" = ro ] && size=1m
mount -t tmpfs -o "size=$size" narrator-test "$vol" || exit 90
printf '%s' 'an older narration that must survive' > "$older" || exit 91
if [ "$options" = ro ]; then mount -o remount,ro "$vol" || exit 92; fi
"$@"
status=$?
printf 'sandbox-older:%s\n' "$(cat "$older")"
printf 'sandbox-files:%s\n' "$(ls -A "$vol" | tr '\n' ' ')"
exit $status
)sh";

bool sandbox_available(std::string& why) {
  const test::ProcessResult probe =
      test::ChildProcess({"/usr/bin/unshare", "-Urm", "/bin/true"}).wait(std::chrono::seconds(30));
  why = "no private mount namespace here (unshare -Urm: exit " + std::to_string(probe.exit_code) +
        " " + probe.err + ")";
  return probe.exit_code == 0;
}

// The signal a "signal=BYTES:NAME" condition sends: every signal narrate treats as a stop.
int signal_named(const std::string& name) {
  static const std::map<std::string, int> kSignals{
      {"INT", SIGINT},   {"TERM", SIGTERM}, {"HUP", SIGHUP},   {"QUIT", SIGQUIT},
      {"XCPU", SIGXCPU}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"ALRM", SIGALRM}};
  const auto found = kSignals.find(name);
  if (found == kSignals.end()) throw std::runtime_error("unknown signal " + name);
  return found->second;
}

// "fsize=BYTES": narrate runs under that file-size limit (RLIMIT_FSIZE, as `ulimit -f`), set by
// prlimit(1) with setrlimit before it executes narrate.
void limit_file_size(std::vector<std::string>& argv, const std::string& bytes) {
  argv.insert(argv.begin(), {"/usr/bin/prlimit", "--fsize=" + bytes + ":" + bytes, "--"});
}

// "unwritable-home": HOME and XDG_RUNTIME_DIR name a folder that cannot exist, under a regular
// file, so that nothing can be created there, not even by root.
void make_home_unwritable(const test::TempDir& dir, test::ProcessOptions& options) {
  test::write_file(dir.path() / "home-is-a-file", "not a folder");
  const std::string home = dir.file("home-is-a-file/home");
  options.env["HOME"] = home;
  options.env["XDG_RUNTIME_DIR"] = home;
}

// "sticky": the -o path is in {dir}/sticky, a folder with the sticky bit (as /tmp) that, like the
// older file in it, belongs to another user (nobody); narrate runs in a user namespace where that
// user is not mapped, so even root may create its temporary file there but may not replace the
// older file. Returns false (with `why`) when this cannot be set up here.
constexpr uid_t kNobody = 65534;
bool make_sticky_folder(const fs::path& folder, std::string& why) {
  fs::create_directory(folder);
  fs::permissions(folder, fs::perms::all | fs::perms::sticky_bit);
  if (::chown(folder.c_str(), kNobody, kNobody) != 0) {
    why = "cannot give a folder to another user here (not root)";
    return false;
  }
  return sandbox_available(why);
}
void give_to_nobody(const std::string& path) {
  ASSERT_EQ(::chown(path.c_str(), kNobody, kNobody), 0) << path;
}

// "stale-part": a temporary file of narrate's naming beside the output, left by a process that
// no longer exists (no pid is ever 4194304, the kernel's limit) and some minutes old, which
// narrate must remove; and one of a live process (the test's own) and one not of that naming,
// which it must leave.
constexpr pid_t kNeverAPid = 4194304;
struct PlantedParts {
  fs::path dead, live, other;
};
PlantedParts plant_parts(const test::TempDir& dir) {
  const PlantedParts parts{
      dir.path() / (".out.wav." + std::to_string(kNeverAPid) + ".0badf00d.part"),
      dir.path() / (".out.wav." + std::to_string(::getpid()) + ".0badf00d.part"),
      dir.path() / (".out.wav." + std::to_string(kNeverAPid) + ".0badf00d.partial")};
  for (const fs::path& path : {parts.dead, parts.live, parts.other}) {
    test::write_file(path, "left behind");
    fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::minutes(5));
  }
  return parts;
}

void PrintTo(const MatrixRow& row, std::ostream* out) { *out << "matrix.tsv:" << row.line; }

std::vector<MatrixRow> matrix() {
  std::istringstream in(test::read_file(fs::path(NARRATOR_TEST_DATA_DIR) / "bad_input/matrix.tsv"));
  std::vector<MatrixRow> rows;
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    if (fields.size() != 7)
      throw std::runtime_error("matrix.tsv:" + std::to_string(number) + ": 7 columns");
    MatrixRow row{
        number, fields[0], fields[1], fields[2], fields[3], fields[5], std::stoi(fields[4]), {}};
    std::istringstream conditions(fields[6] == "-" ? "" : fields[6]);
    for (std::string condition; std::getline(conditions, condition, ',');) {
      const std::size_t equals = condition.find('=');
      row.conditions[condition.substr(0, equals)] =
          equals == std::string::npos ? "" : condition.substr(equals + 1);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text.compare(at, 2, "\\n") == 0) {
      out += '\n';
      ++at;
    } else {
      out += text[at];
    }
  }
  return out;
}

std::string generate(const std::string& generator) {
  const std::size_t colon = generator.find(':');
  const std::string kind = generator.substr(0, colon);
  const std::string value = colon == std::string::npos ? "" : generator.substr(colon + 1);
  if (kind == "text") return unescape(value);
  if (kind == "words") {  // plain sentences in paragraphs of eight, up to `value` bytes
    static constexpr std::string_view kWords[] = {"river",   "council", "budget", "village",
                                                  "station", "the",     "of",     "bridge",
                                                  "harvest", "morning", "and",    "minister"};
    const std::size_t bytes = std::stoul(value);
    std::string text;
    text.reserve(bytes + 128);
    for (std::size_t sentence = 0; text.size() < bytes; ++sentence) {
      text += "The";
      for (std::size_t word = 0; word < 11; ++word) {
        text += ' ';
        text += kWords[(sentence * 7 + word * 5) % std::size(kWords)];
      }
      text += sentence % 8 == 7 ? ".\n\n" : ". ";
    }
    return text;
  }
  if (kind == "binary") {
    std::mt19937 random(12345);
    std::string bytes(std::stoul(value), '\0');
    for (char& byte : bytes) byte = static_cast<char>(random() & 0xFF);
    bytes[0] = '\xFF';  // never valid UTF-8, whatever the seed gives
    return bytes;
  }
  if (kind == "utf16") {
    std::string bytes = "\xFF\xFE";
    for (const char c : value) {
      bytes += c;
      bytes += '\0';
    }
    return bytes;
  }
  if (kind == "nested-html" || kind == "nested-ssml") {
    const bool html = kind == "nested-html";
    const std::size_t depth = std::stoul(value);
    std::string doc = html ? "<html><body>" : "<speak>";
    for (std::size_t i = 0; i < depth; ++i) doc += html ? "<div>" : "<p>";
    return doc;  // never closed: the readers must cope without recursion blowing up
  }
  if (kind == "entity-bomb") {
    std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE speak [\n <!ENTITY a \"lol\">\n";
    for (char c = 'b'; c <= 'j'; ++c) {
      doc += " <!ENTITY ";
      doc += c;
      doc += " \"";
      for (int i = 0; i < 10; ++i) {
        doc += '&';
        doc += static_cast<char>(c - 1);
        doc += ';';
      }
      doc += "\">\n";
    }
    doc += "]>\n<speak>&j;</speak>\n";
    return doc;
  }
  throw std::runtime_error("unknown generator " + generator);
}

class BadInputMatrix : public ::testing::TestWithParam<MatrixRow> {};

// The "input-unchanged" condition: the article has the bytes it was generated with, whatever the
// row named as an output.
void expect_input_unchanged(const fs::path& input, const std::string& generated,
                            const std::string& where) {
  ASSERT_TRUE(fs::is_regular_file(input)) << where << ": the input " << input << " is gone";
  EXPECT_TRUE(test::read_file(input) == generated)
      << where << ": the input " << input << " was changed";
}

TEST_P(BadInputMatrix, FailsClearlyWithNoOutput) {
  const MatrixRow& row = GetParam();
  if (row.conditions.contains("max-rss-mb") && test::kSanitizedBuild) {
    // Such a row exists for its memory bound, and a sanitizer's shadow memory is not narrate's;
    // what else it checks runs on the same code in the smaller rows.
    GTEST_SKIP() << "a peak-memory row: run by the Release suite, where memory is narrate's own";
  }
  const test::TempDir dir;
  const fs::path input = dir.path() / row.input_file;
  std::string generated = generate(row.generator);
  test::write_file(input, generated);
  // Kept only to compare: a row may generate 100 MB.
  if (!row.conditions.contains("input-unchanged")) std::string().swap(generated);
  std::vector<std::string> args;
  std::istringstream words(row.arguments);
  for (std::string word; words >> word;) {
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"{in}", input.string()},
                                     {"{missing}", (dir.path() / "not here.txt").string()},
                                     {"{dir}", dir.path().string()}}) {
      for (std::size_t at; (at = word.find(key)) != std::string::npos;)
        word.replace(at, key.size(), value);
    }
    args.push_back(word);
  }
  const auto has = [&](const std::string& key) { return row.conditions.count(key) != 0; };
  const std::string where = "matrix.tsv:" + std::to_string(row.line);

  // The output path (-o), given an older file when the row asks, to check it survives.
  std::string output;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "-o") output = args[i + 1];
  }
  std::string why;
  if (has("sticky") && !make_sticky_folder(dir.path() / "sticky", why)) {
    GTEST_SKIP() << where << ": " << why;
  }
  if (has("older")) test::write_file(output, std::string(kOlder));
  if (has("sticky") && has("older")) give_to_nobody(output);
  std::optional<PlantedParts> planted;
  if (has("stale-part")) planted = plant_parts(dir);

  std::vector<std::string> argv{test::narrate_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  if (has("fsize")) limit_file_size(argv, row.conditions.at("fsize"));
  if (has("sticky")) argv.insert(argv.begin(), {"/usr/bin/unshare", "-Ur"});
  if (has("sandbox")) {
    if (!sandbox_available(why)) GTEST_SKIP() << where << ": " << why;
    fs::create_directory(dir.path() / "vol");
    test::write_file(dir.path() / "sandbox.sh", std::string(kSandboxScript));
    // The file the row writes into the small file system: the first argument inside it.
    const std::string vol = dir.file("vol");
    std::string inside = output;
    for (const std::string& arg : args) {
      if (arg.starts_with(vol + "/")) {
        inside = arg;
        break;
      }
    }
    output = inside;
    argv.insert(argv.begin(), {"/usr/bin/unshare", "-Urm", "/bin/sh", dir.file("sandbox.sh"), vol,
                               row.conditions.at("sandbox"), inside});
  }
  test::ProcessOptions options;
  if (has("stdout")) options.stdout_path = row.conditions.at("stdout");
  if (has("stdout-limit")) options.stdout_limit = std::stoul(row.conditions.at("stdout-limit"));
  if (has("unwritable-home")) make_home_unwritable(dir, options);
  test::ChildProcess child(argv, options);
  if (has("signal")) {  // BYTES:NAME (INT, TERM, HUP, ...), once narrate's *.part holds BYTES
    const std::string& when = row.conditions.at("signal");
    EXPECT_TRUE(test::wait_for_file_bytes(dir.path(), ".part", std::stoull(when),
                                          std::chrono::seconds(120)))
        << where << ": narrate never wrote " << when << " of output";
    child.send_signal(signal_named(when.substr(when.find(':') + 1)));
  }
  const test::ProcessResult result = child.wait(std::chrono::seconds(300));

  EXPECT_EQ(result.exit_code, row.exit_code) << where << " " << result.err;
  EXPECT_NE(result.err.find(row.message), std::string::npos)
      << where << ": stderr lacks '" << row.message << "':\n"
      << result.err;
  if (has("quiet")) {
    EXPECT_EQ(result.err, "") << where << ": expected no message";
  }
  if (has("max-rss-mb") &&
      !test::kSanitizedBuild) {  // a sanitizer's shadow memory is not narrate's
    EXPECT_LE(result.max_rss_kb / 1024, std::stol(row.conditions.at("max-rss-mb")))
        << where << ": peak RSS " << result.max_rss_kb << " kB";
  }
  if (has("input-unchanged")) expect_input_unchanged(input, generated, where);
  if (has("device")) {
    struct stat info {};
    EXPECT_TRUE(::stat(output.c_str(), &info) == 0 && S_ISCHR(info.st_mode))
        << where << ": " << output << " is no longer a device";
  }
  if (has("sandbox")) {
    // The older file is intact and nothing else (no temporary file) is left beside it.
    EXPECT_NE(result.out.find("sandbox-older:" + std::string(kOlder) + "\n"), std::string::npos)
        << where << ": " << result.out;
    EXPECT_NE(result.out.find("sandbox-files:" + fs::path(output).filename().string() + " \n"),
              std::string::npos)
        << where << ": " << result.out;
  }
  if (has("sticky")) {
    // The older file is intact and no temporary file is left beside it.
    EXPECT_EQ(test::read_file(output), kOlder) << where << ": the older file changed";
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path() / "sticky")) {
      ++entries;
    }
    EXPECT_EQ(entries, 1u) << where << ": something was left beside " << output;
  }
  if (planted) {
    EXPECT_FALSE(fs::exists(planted->dead)) << where << ": a dead process's file was kept";
    EXPECT_TRUE(fs::exists(planted->live)) << where << ": a live process's file was removed";
    EXPECT_TRUE(fs::exists(planted->other)) << where << ": a file of another naming was removed";
    fs::remove(planted->live);
    fs::remove(planted->other);
  }
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (has("older") && entry.path() == fs::path(output)) {
      EXPECT_EQ(test::read_file(entry.path()), kOlder) << where << ": the older file changed";
      continue;
    }
    EXPECT_FALSE(name.starts_with("out.") || name.find(".part") != std::string::npos)
        << where << ": left " << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, BadInputMatrix, ::testing::ValuesIn(matrix()), [](const auto& info) {
  std::string name = info.param.name;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

}  // namespace
}  // namespace narrator
