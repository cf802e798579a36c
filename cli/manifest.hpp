// manifest.hpp: the JSON record a publishing pipeline keeps beside each narration, to verify it and
// to skip work whose input and settings did not change (narrate batch does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli_options.hpp"
#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/engine.hpp"
#include "narrator/error.hpp"
#include "timing_outputs.hpp"

namespace narrator::cli {

// SHA-256 of `bytes`: the 32 bytes of the digest (OpenSSL). Throws Error(kInternal) on failure.
std::string sha256(std::string_view bytes);

// SHA-256 of `bytes`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);

// A file's size and SHA-256, read in pieces (an audio file may be long).
struct FileDigest {
  std::uintmax_t bytes = 0;
  std::string sha256;  // 64 lower-case hex digits
};
// Throws Error(`category`) naming `path` and `what` when the file cannot be read.
FileDigest file_digest(const std::string& path, std::string_view what,
                       ErrorCategory category = ErrorCategory::kInput);

// Every option that changes the audio or the manifest, as one canonical JSON string: the voice,
// rate, pitch, volume, pauses, language, sentence limit, each lexicon file with the SHA-256 of its
// content, the input format, --lossy, furniture, the metadata overrides, the intro and disclaimer,
// and the encoding (format, loudness, rate, channels). Throws Error(kInput) when a lexicon file
// cannot be read.
std::string settings_key(const CliOptions& options, std::string_view output_format);

struct ManifestInput {
  std::string input_path;
  std::string input_sha256;  // of the bytes the narration read
  std::string settings;      // settings_key()
  std::string output_path;
  std::optional<FileDigest> audio;  // the committed audio file; none for stdout or a device
  const Article* article = nullptr;
  const NarrationSummary* summary = nullptr;
  const TimingCollector* timing = nullptr;
  const std::vector<Diagnostic>* diagnostics = nullptr;
};

// The manifest as pretty-printed JSON.
std::string manifest_json(const ManifestInput& input);

// The input hash, settings and audio recorded in a manifest; empty strings (and no audio) when
// `json` is not one.
struct ManifestKey {
  std::string input_sha256;
  std::string settings;
  std::optional<FileDigest> audio;
};
// `settings` is in canonical form (keys sorted), comparable with
// canonical_settings(settings_key()).
ManifestKey read_manifest_key(std::string_view json);
std::string canonical_settings(std::string_view key);

}  // namespace narrator::cli
