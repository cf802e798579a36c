// manifest.hpp: the JSON record a publishing pipeline keeps beside each narration, to verify it and
// to skip work whose input and settings did not change (narrate batch does).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "narrator/article.hpp"
#include "narrator/diagnostics.hpp"
#include "narrator/engine.hpp"
#include "timing_outputs.hpp"

namespace narrator::cli {

// SHA-256 of `bytes`: the 32 bytes of the digest (OpenSSL). Throws Error(kInternal) on failure.
std::string sha256(std::string_view bytes);

// SHA-256 of `bytes`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);

// The settings that change the audio, as one canonical string (voice, rate, pitch, volume,
// pauses, lexicon files, input format, furniture, intro/disclaimer texts, encoding).
std::string settings_key(const EngineConfig& engine, const Framing& framing,
                         bool keep_page_furniture, std::string_view output_format);

struct ManifestInput {
  std::string input_path;
  std::string input_sha256;
  std::string settings;  // settings_key()
  std::string output_path;
  const Article* article = nullptr;
  const NarrationSummary* summary = nullptr;
  const TimingCollector* timing = nullptr;
  const std::vector<Diagnostic>* diagnostics = nullptr;
};

// The manifest as pretty-printed JSON.
std::string manifest_json(const ManifestInput& input);

// The input hash and settings recorded in a manifest, or empty strings when `json` is not one.
struct ManifestKey {
  std::string input_sha256;
  std::string settings;
};
// `settings` is in canonical form (keys sorted), comparable with
// canonical_settings(settings_key()).
ManifestKey read_manifest_key(std::string_view json);
std::string canonical_settings(std::string_view key);

}  // namespace narrator::cli
