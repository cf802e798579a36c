#include "manifest.hpp"

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "narrator/detail/hex.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"

namespace narrator::cli {
namespace {

// 2: the audio's size and SHA-256, and settings that cover every option (metadata overrides,
// lexicon contents).
constexpr int kManifestVersion = 2;
constexpr std::size_t kDigestPieceBytes = 1 << 16;

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;

DigestContext sha256_context() {
  DigestContext context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorCategory::kInternal, "cannot compute SHA-256 (OpenSSL)");
  }
  return context;
}

std::string final_digest(EVP_MD_CTX* context) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context, digest.data(), &length) != 1) {
    throw Error(ErrorCategory::kInternal, "cannot compute SHA-256 (OpenSSL)");
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string to_hex(std::string_view bytes) { return detail::lower_hex(bytes); }

std::string input_format_name(const std::optional<InputFormat>& format) {
  if (!format) return "auto";
  switch (*format) {
    case InputFormat::kText:
      return "text";
    case InputFormat::kHtml:
      return "html";
    case InputFormat::kSsml:
      return "ssml";
  }
  return "auto";
}

// Paragraph offsets: the time of each block's first sentence mark.
nlohmann::ordered_json paragraphs(const TimingCollector& timing, const Article& article) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  std::size_t next_block = 0;
  for (const Mark& mark : timing.marks()) {
    if (mark.kind != MarkKind::kSentence) continue;
    // A sentence mark's input offset tells which block it opens.
    while (next_block < article.blocks.size()) {
      const std::optional<std::size_t> begin =
          original_byte_of(article, article.blocks[next_block].span.begin_byte);
      if (!begin || *begin > mark.start) break;
      list.push_back(
          {{"index", next_block},
           {"time_ms", mark.time.count()},
           {"kind",
            article.blocks[next_block].kind == BlockKind::kHeading ? "heading" : "paragraph"}});
      ++next_block;
    }
  }
  return list;
}

}  // namespace

std::string sha256(std::string_view bytes) {
  const DigestContext context = sha256_context();
  if (EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1) {
    throw Error(ErrorCategory::kInternal, "cannot compute SHA-256 (OpenSSL)");
  }
  return final_digest(context.get());
}

std::string sha256_hex(std::string_view bytes) { return to_hex(sha256(bytes)); }

FileDigest file_digest(const std::string& path, std::string_view what, ErrorCategory category) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw Error(category,
                path + ": cannot open the " + std::string(what) + ": " + std::strerror(errno));
  }
  const DigestContext context = sha256_context();
  FileDigest digest;
  std::string piece(kDigestPieceBytes, '\0');
  while (file) {
    file.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    const auto got = static_cast<std::size_t>(file.gcount());
    if (got > 0 && EVP_DigestUpdate(context.get(), piece.data(), got) != 1) {
      throw Error(ErrorCategory::kInternal, "cannot compute SHA-256 (OpenSSL)");
    }
    digest.bytes += got;
  }
  if (file.bad()) {
    throw Error(category,
                path + ": cannot read the " + std::string(what) + ": " + std::strerror(errno));
  }
  digest.sha256 = to_hex(final_digest(context.get()));
  return digest;
}

std::string settings_key(const CliOptions& options, std::string_view output_format) {
  const EngineConfig& engine = options.engine;
  nlohmann::ordered_json key;
  key["voice"] = engine.voice.name;
  key["rate_wpm"] = engine.voice.rate_wpm;
  key["pitch"] = engine.voice.pitch;
  key["volume"] = engine.voice.volume;
  key["pauses_ms"] = {engine.pauses.sentence_ms, engine.pauses.paragraph_ms,
                      engine.pauses.heading_ms};
  key["language"] = engine.language;
  key["max_sentence_bytes"] = engine.max_sentence_bytes;
  // A lexicon is known by its content: an edited file changes the narration.
  key["lexicons"] = nlohmann::ordered_json::array();
  for (const std::string& path : engine.lexicon_files) {
    key["lexicons"].push_back({{"path", path}, {"sha256", file_digest(path, "lexicon").sha256}});
  }
  key["input"] = input_format_name(options.input_format);
  key["lossy"] = options.lossy;
  key["encoding"] = options.encoding;
  key["keep_page_furniture"] = options.keep_page_furniture;
  key["metadata"] = {{"title", options.metadata.title},
                     {"byline", options.metadata.byline},
                     {"publication", options.metadata.publication},
                     {"date", options.metadata.date}};
  key["intro"] = options.framing.intro ? options.framing.intro_text : "";
  key["disclaimer"] = options.framing.disclaimer ? options.framing.disclaimer_text : "";
  key["format"] = output_format;
  key["loudness"] = options.loudness;
  key["sample_rate_hz"] = options.output_rate_hz;
  key["channels"] = options.output_channels;
  return key.dump();
}

std::string manifest_json(const ManifestInput& input) {
  const Article& article = *input.article;
  nlohmann::ordered_json json;
  json["manifest_version"] = kManifestVersion;
  json["input"] = {{"path", input.input_path}, {"sha256", input.input_sha256}};
  json["settings"] = nlohmann::ordered_json::parse(input.settings);
  json["output"] = input.output_path;
  json["audio"] = nullptr;
  if (input.audio) json["audio"] = {{"bytes", input.audio->bytes}, {"sha256", input.audio->sha256}};
  json["metadata"] = {{"title", article.metadata.title},
                      {"byline", article.metadata.byline},
                      {"publication", article.metadata.publication},
                      {"date", article.metadata.date}};
  json["duration_ms"] = input.summary->audio_duration.count();
  json["word_count"] = input.summary->word_count;
  json["sentence_count"] = input.summary->sentence_count;
  json["paragraphs"] = paragraphs(*input.timing, article);
  nlohmann::ordered_json lexicon = nlohmann::ordered_json::array();
  nlohmann::ordered_json guessed = nlohmann::ordered_json::array();
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  for (const Diagnostic& diagnostic : *input.diagnostics) {
    if (diagnostic.code == "lex.lexicon") lexicon.push_back(diagnostic.message);
    if (diagnostic.code == "lex.guessed") guessed.push_back(diagnostic.message);
    if (diagnostic.severity != Severity::kInfo) {
      warnings.push_back({{"severity", severity_name(diagnostic.severity)},
                          {"code", diagnostic.code},
                          {"message", diagnostic.message}});
    }
  }
  json["lexicon_hits"] = lexicon;
  json["guesser_uses"] = guessed;
  json["dropped"] = nlohmann::ordered_json::array();
  for (const DroppedText& drop : article.dropped) {
    json["dropped"].push_back({{"line", drop.line}, {"rule", drop.rule}, {"text", drop.excerpt}});
  }
  json["warnings"] = warnings;
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ManifestKey read_manifest_key(std::string_view json) {
  const nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return {};
  ManifestKey key;
  if (parsed.contains("input") && parsed["input"].contains("sha256") &&
      parsed["input"]["sha256"].is_string()) {
    key.input_sha256 = parsed["input"]["sha256"];
  }
  if (parsed.contains("settings")) key.settings = parsed["settings"].dump();
  const auto audio = parsed.find("audio");
  if (audio != parsed.end() && audio->is_object() && audio->contains("bytes") &&
      (*audio)["bytes"].is_number_unsigned() && audio->contains("sha256") &&
      (*audio)["sha256"].is_string()) {
    key.audio = FileDigest{(*audio)["bytes"].get<std::uintmax_t>(), (*audio)["sha256"]};
  }
  return key;
}

std::string canonical_settings(std::string_view key) {
  const nlohmann::json parsed = nlohmann::json::parse(key, nullptr, false);
  return parsed.is_discarded() ? std::string(key) : parsed.dump();
}

}  // namespace narrator::cli
