#include "side_files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>
#include <utility>

#include "manifest.hpp"
#include "narrator/detail/read_file.hpp"

namespace narrator::cli {
namespace {

// Test hook, read only here and only for tests: with NARRATE_TEST_EXIT_BEFORE_MANIFEST=1 in its
// environment, narrate ends at once (_exit: no unwinding, no clean-up) after the audio has been
// renamed into place and before the manifest is, as a crash or SIGKILL between the two renames
// would. tests/cli/batch_test.cpp checks that the next batch then redoes the article.
constexpr const char* kExitBeforeManifestHook = "NARRATE_TEST_EXIT_BEFORE_MANIFEST";
constexpr int kExitBeforeManifestStatus = 86;

void exit_here_if_test_asks() {
  const char* value = std::getenv(kExitBeforeManifestHook);
  if (value != nullptr && std::string_view(value) == "1") ::_exit(kExitBeforeManifestStatus);
}

// The size and SHA-256 of the committed audio file; none for stdout or a device, whose bytes
// cannot be read back.
std::optional<FileDigest> audio_digest(const AudioOutput& audio) {
  struct stat info {};
  if (audio.to_stdout() || ::stat(audio.path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return std::nullopt;
  }
  return file_digest(audio.path, "narration just written", ErrorCategory::kOutput);
}

}  // namespace

SideFiles::SideFiles(const FilePlan& plan, const Article& article, std::string input_sha256,
                     int sample_rate_hz)
    : plan_(plan), article_(article), input_sha256_(std::move(input_sha256)) {
  if (plan.marks) marks_.emplace(*plan.marks);
  if (plan.subtitles) subtitles_.emplace(plan.subtitles->path);
  if (plan.manifest) manifest_.emplace(plan.manifest->path);
  if (plan.page) page_.emplace(plan.page->path);
  if (plan.snippet) {
    snippet_html_.emplace(plan.snippet->html_path);
    snippet_js_.emplace(plan.snippet->js_path);
    snippet_css_.emplace(plan.snippet->css_path);
  }
  if (plan.needs_marks()) timing_.emplace(article, sample_rate_hz);
  if (plan.page) words_.emplace(sample_rate_hz);
}

void SideFiles::add(const AudioChunk& chunk, std::size_t first_frame) {
  if (timing_) timing_->add(chunk, first_frame);
  if (words_) words_->add(chunk, first_frame);
}

void SideFiles::commit(const NarrationSummary& summary,
                       const std::vector<Diagnostic>& diagnostics) {
  if (marks_) marks_->commit(timing_->speech_marks());
  if (subtitles_) subtitles_->commit(timing_->subtitles(plan_.subtitles->format));
  commit_player_files(summary.audio_duration);
  if (manifest_) commit_manifest(summary, diagnostics);
}

void SideFiles::commit_player_files(std::chrono::milliseconds duration) {
  const AudioOutput& audio = plan_.audio;
  if (page_) {
    ListeningPageOptions page;
    page.audio_src = !plan_.page->audio_url.empty()
                         ? plan_.page->audio_url
                         : data_uri(detail::read_file(audio.path, "narration"), audio.format);
    page.disclaimer = plan_.page->disclaimer;
    page.language = plan_.page->language;
    page.duration = duration;
    page.sentence_starts = words_->sentence_starts();
    page_->commit(listening_page_html(article_, words_->words(duration), page));
  }
  if (snippet_html_) {
    SnippetOptions fragment = plan_.snippet->fragment;
    fragment.duration = duration;
    const PlayerSnippet written = player_snippet(fragment);
    snippet_js_->commit(written.js);
    snippet_css_->commit(written.css);
    snippet_html_->commit(written.html);
  }
}

void SideFiles::commit_manifest(const NarrationSummary& summary,
                                const std::vector<Diagnostic>& diagnostics) {
  const ManifestFile& manifest = *plan_.manifest;
  const std::string json = manifest_json(
      ManifestInput{manifest.input_path, input_sha256_, manifest.settings,
                    plan_.audio.to_stdout() ? "-" : plan_.audio.path, audio_digest(plan_.audio),
                    &article_, &summary, &*timing_, &diagnostics});
  exit_here_if_test_asks();
  manifest_->commit(json);
}

}  // namespace narrator::cli
