// html_extract: how long reading a news page takes (parsing, scoring the blocks, choosing the
// story, dropping boilerplate, and the furniture rules with their compilation), on synthetic pages
// of 200, 400 and 800 KB shaped as news pages are (see page()). Prints one line for bench/run
// (target: 50 ms for 200 KB, and linear in the page's size).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"

namespace {

constexpr int kRuns = 7;
constexpr double kTargetMs = 50;
constexpr std::size_t kKilobyte = 1024;

std::string sentence(int n) {
  static const char* const kWords[] = {"council", "river",  "bridge", "market", "harbour",
                                       "school",  "budget", "winter", "trains", "library"};
  std::string out = "The ";
  for (int i = 0; i < 14; ++i) {
    out += kWords[(n * 7 + i * 3) % 10];
    out += i % 5 == 4 ? ", " : " ";
  }
  return out + "said on Monday.";
}

// A page of about `bytes` shaped as news pages are: a tenth of it the story (paragraphs with
// links, a share bar, a gallery), the rest markup around it: inline scripts and styles (a third),
// menus, teasers and a comment section.
std::string page(std::size_t bytes) {
  std::string html =
      "<!DOCTYPE html><html><head><meta charset=utf-8><title>Bench story | Bench "
      "Post</title><style>";
  while (html.size() < bytes / 6) html += ".nav-item a{color:#333;margin:0 4px}.card{padding:8px}";
  html += "</style><script>var config = {";
  while (html.size() < bytes / 3) html += "\"slot\": [\"top\", 728, 90, {\"k\": \"v\"}], ";
  html += "};</script></head><body><header><nav class=\"menu\"><ul>";
  while (html.size() < bytes * 9 / 20) {
    html += "<li class=\"nav-item\"><a href=\"/section/news\" data-track=\"nav\">News</a></li>";
  }
  html += "</ul></nav></header><main><div class=\"content\"><h1>Bench story</h1>";
  html += "<div class=\"share\"><a href=\"/f\">Share</a> <a href=\"/e\">Email</a></div>";
  const std::size_t story_end = html.size() + bytes / 10;
  for (int n = 0; html.size() < story_end; ++n) {
    html += "<p>" + sentence(n) + " <a href=\"/x\">" + sentence(n + 1) + "</a> " + sentence(n + 2) +
            "</p>\n";
    if (n % 25 == 24) {
      html += "<div class=\"gallery\"><img src=a.jpg><img src=b.jpg><span>1 of 2</span></div>";
    }
  }
  html += "</div><div class=\"related\">";
  while (html.size() < bytes * 17 / 20) {
    html +=
        "<article class=\"card\"><a href=\"/story/another\"><img src=\"t.jpg\" alt=\"\">"
        "<h3>Another story of the day</h3></a><p>A teaser line.</p></article>";
  }
  html += "</div><div id=\"comments\">";
  for (int n = 0; html.size() < bytes; ++n) {
    html += "<div class=\"comment\"><p>" + sentence(n) + "</p></div>\n";
  }
  return html + "</div></main><footer>Bench Post</footer></body></html>";
}

double median_read_ms(const std::string& html) {
  std::vector<double> times;
  for (int run = 0; run < kRuns; ++run) {
    narrator::NullDiagnostics diagnostics;
    const auto start = std::chrono::steady_clock::now();
    const narrator::Article article = narrator::read_input(
        html, "bench.html", narrator::InputFormat::kHtml, narrator::ReadOptions{}, diagnostics);
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    if (article.blocks.empty()) return -1;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main() {
  std::vector<double> per_kb;
  std::string line;
  double at_200 = 0;
  for (const std::size_t kb : {200, 400, 800}) {
    const double ms = median_read_ms(page(kb * kKilobyte));
    if (kb == 200) at_200 = ms;
    per_kb.push_back(ms / static_cast<double>(kb));
    line += (line.empty() ? "" : ", ") + std::to_string(kb) + " KB " +
            std::to_string(static_cast<int>(ms + 0.5)) + " ms";
  }
  std::printf(
      "html extraction: %s (median of %d; ms per KB %.3f / %.3f / %.3f); target <= %.0f ms at 200 "
      "KB: %s\n",
      line.c_str(), kRuns, per_kb[0], per_kb[1], per_kb[2], kTargetMs,
      at_200 >= 0 && at_200 <= kTargetMs ? "PASS" : "MISS");
  return 0;
}
