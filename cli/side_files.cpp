#include "side_files.hpp"

#include "manifest.hpp"
#include "narrator/detail/read_file.hpp"

namespace narrator::cli {

SideFiles::SideFiles(const FilePlan& plan, const Article& article, int sample_rate_hz)
    : plan_(plan), article_(article) {
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
  // The article file is read again for its hash: the reader has consumed its copy.
  const std::string input = manifest.input_path == "-"
                                ? article_.text
                                : detail::read_file(manifest.input_path, "article");
  manifest_->commit(
      manifest_json(ManifestInput{manifest.input_path, sha256_hex(input), manifest.settings,
                                  plan_.audio.to_stdout() ? "-" : plan_.audio.path, &article_,
                                  &summary, &*timing_, &diagnostics}));
}

}  // namespace narrator::cli
