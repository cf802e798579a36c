// side_files.hpp: the files `narrate speak -o` writes beside the audio: speech marks, subtitles,
// the manifest, the listening page and the player snippet. They are created before the narration,
// so that an unwritable folder fails before any work is done; they take each chunk's marks while
// it runs; and they are committed once the audio is complete (the page may embed it).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "listening_page.hpp"
#include "narrator/article.hpp"
#include "narrator/audio/audio_chunk.hpp"
#include "narrator/audio/pending_file.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/engine.hpp"
#include "speak_plan.hpp"
#include "timing_outputs.hpp"

namespace narrator::cli {

class SideFiles {
 public:
  // Creates every file `plan` names (each as a PendingFile). `article` must outlive this object.
  // `input_sha256` is the hash of the input bytes the article was read from (for the manifest).
  // Throws Error(kOutput) naming the first path whose folder is missing or not writable.
  SideFiles(const FilePlan& plan, const Article& article, std::string input_sha256,
            int sample_rate_hz);

  // Keeps the chunk's marks for the files that need them, and nothing when none does: a mark per
  // word adds up over a book-length input.
  void add(const AudioChunk& chunk, std::size_t first_frame);

  // Writes and renames every file into place, the manifest last: it records the audio's size and
  // SHA-256, so a manifest renamed into place always describes the audio beside it, and a crash
  // before its rename leaves an older manifest that batch finds does not match. The audio at the
  // plan's path must be complete.
  void commit(const NarrationSummary& summary, const std::vector<Diagnostic>& diagnostics);

 private:
  void commit_player_files(std::chrono::milliseconds duration);
  void commit_manifest(const NarrationSummary& summary, const std::vector<Diagnostic>& diagnostics);

  const FilePlan& plan_;
  const Article& article_;
  std::string input_sha256_;
  std::optional<PendingFile> marks_;
  std::optional<PendingFile> subtitles_;
  std::optional<PendingFile> manifest_;
  std::optional<PendingFile> page_;
  std::optional<PendingFile> snippet_html_;
  std::optional<PendingFile> snippet_js_;
  std::optional<PendingFile> snippet_css_;
  std::optional<TimingCollector> timing_;  // for the marks, subtitles and manifest
  std::optional<WordTimeline> words_;      // for the page
};

}  // namespace narrator::cli
