// feed.cpp: the podcast feed. Everything an item says comes from the manifest beside the audio
// and from the audio file itself (its exact size), never from the article again.
#include "feed.hpp"

#include <libxml/xmlwriter.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "media_type.hpp"
#include "narrator/audio/audio_format.hpp"
#include "narrator/audio/pending_file.hpp"
#include "narrator/detail/hex.hpp"
#include "narrator/detail/read_file.hpp"
#include "narrator/error.hpp"
#include "url_encode.hpp"

namespace narrator::cli {
namespace {

namespace fs = std::filesystem;

// The Podcasting 2.0 namespace's UUID for podcast:guid, and narrate's own for item GUIDs.
constexpr std::string_view kPodcastGuidNamespace = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6";
constexpr std::string_view kArticleGuidNamespace = "692af5d4-e54f-43d8-abb3-995fe125e51d";

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kSecondsPerHour = 3600;
constexpr std::int64_t kSecondsPerMinute = 60;
constexpr std::int64_t kMillisecondsPerSecond = 1000;

// --- dates ---

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool is_leap(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(std::int64_t year, unsigned month) {
  constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Reads `count` digits at `at` into `value`, moving `at` past them.
bool digits(std::string_view text, std::size_t& at, std::size_t count, unsigned& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  at += count;
  return true;
}

bool next_is(std::string_view text, std::size_t at, char c) {
  return at < text.size() && text[at] == c;
}

// "Z", "+03:00", "+0300" or "-05" at `at`, to the end: the offset east of UTC in seconds.
std::optional<std::int64_t> zone_offset_s(std::string_view text, std::size_t at) {
  if (at == text.size()) return 0;
  if (text.substr(at) == "Z" || text.substr(at) == "z") return 0;
  if (text[at] != '+' && text[at] != '-') return std::nullopt;
  const std::int64_t sign = text[at] == '-' ? -1 : 1;
  ++at;
  unsigned hours = 0;
  unsigned minutes = 0;
  if (!digits(text, at, 2, hours)) return std::nullopt;
  if (next_is(text, at, ':')) ++at;
  if (at < text.size() && !digits(text, at, 2, minutes)) return std::nullopt;
  if (at != text.size() || hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * kSecondsPerHour + minutes * kSecondsPerMinute);
}

// --- XML ---

struct WriterFree {
  void operator()(xmlTextWriter* writer) const noexcept { xmlFreeTextWriter(writer); }
};
struct BufferFree {
  void operator()(xmlBuffer* buffer) const noexcept { xmlBufferFree(buffer); }
};

const xmlChar* xml(const char* text) { return reinterpret_cast<const xmlChar*>(text); }

// The characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return) are
// left out: a title is never worth an unreadable feed.
std::string xml_text(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    clean += c;
  }
  return clean;
}

// A libxml2 text writer into memory; every call is checked.
class XmlWriter {
 public:
  XmlWriter() : buffer_(xmlBufferCreate()) {
    if (!buffer_) fail();
    writer_.reset(xmlNewTextWriterMemory(buffer_.get(), 0));
    if (!writer_) fail();
    check(xmlTextWriterSetIndent(writer_.get(), 1));
    check(xmlTextWriterSetIndentString(writer_.get(), xml("  ")));
    check(xmlTextWriterStartDocument(writer_.get(), nullptr, "UTF-8", nullptr));
  }

  void start(const char* name) { check(xmlTextWriterStartElement(writer_.get(), xml(name))); }
  void end() { check(xmlTextWriterEndElement(writer_.get())); }
  void attribute(const char* name, std::string_view value) {
    check(xmlTextWriterWriteAttribute(writer_.get(), xml(name), xml(xml_text(value).c_str())));
  }
  void element(const char* name, std::string_view text) {
    check(xmlTextWriterWriteElement(writer_.get(), xml(name), xml(xml_text(text).c_str())));
  }
  void text(std::string_view text) {
    check(xmlTextWriterWriteString(writer_.get(), xml(xml_text(text).c_str())));
  }

  std::string finish() {
    check(xmlTextWriterEndDocument(writer_.get()));
    writer_.reset();  // flushes into the buffer
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_.get())),
                       static_cast<std::size_t>(xmlBufferLength(buffer_.get())));
  }

 private:
  [[noreturn]] static void fail() {
    throw Error(ErrorCategory::kInternal, "cannot write the feed's XML (libxml2)");
  }
  static void check(int status) {
    if (status < 0) fail();
  }

  std::unique_ptr<xmlBuffer, BufferFree> buffer_;
  std::unique_ptr<xmlTextWriter, WriterFree> writer_;
};

// --- reading the folder ---

bool is_url(std::string_view text) {
  return text.starts_with("http://") || text.starts_with("https://");
}

// The article's identity: its URL when it was fetched, else its file's name (the folder it was
// read from differs between machines and runs), else (stdin) the audio's stem.
std::string article_identity(std::string_view input_path, const fs::path& audio) {
  if (is_url(input_path)) return std::string(input_path);
  const std::string name = fs::path(input_path).filename().string();
  if (input_path.empty() || input_path == "-" || name.empty()) return audio.stem().string();
  return name;
}

std::string string_at(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

std::int64_t mtime_s(const fs::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    throw Error(ErrorCategory::kInput,
                path.string() + ": cannot read the manifest's time: " + std::strerror(errno));
  }
  return static_cast<std::int64_t>(status.st_mtime);
}

// The transcript written beside the audio: NAME.vtt, else NAME.srt.
void find_transcript(const fs::path& audio, FeedItem& item) {
  const std::pair<const char*, const char*> kinds[] = {{".vtt", "text/vtt"},
                                                       {".srt", "application/x-subrip"}};
  for (const auto& [extension, type] : kinds) {
    fs::path transcript = audio;
    transcript.replace_extension(extension);
    std::error_code error;
    if (fs::is_regular_file(transcript, error)) {
      item.transcript_file = transcript.filename().string();
      item.transcript_type = type;
      return;
    }
  }
}

nlohmann::json object_at(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_object() ? *found : nlohmann::json::object();
}

struct AudioFile {
  fs::path path;  // beside the manifest
  AudioFormat format = AudioFormat::kMp3;
  std::uintmax_t bytes = 0;
};

// The audio file a manifest describes, beside it and of the size it records; nullopt (with a
// warning) for a narration that went to stdout or a device, or into raw samples.
std::optional<AudioFile> described_audio(const nlohmann::json& manifest, const std::string& name,
                                         const fs::path& folder,
                                         std::vector<std::string>& warnings) {
  const std::string output = string_at(manifest, "output");
  const std::optional<AudioFormat> format = audio_format_from_path(output);
  if (output.empty() || output == "-" || !format || !audio_media_type(*format)) {
    warnings.push_back(name + ": its narration '" + output +
                       "' is not an audio file (stdout, a device or raw samples); left out of the "
                       "feed");
    return std::nullopt;
  }
  AudioFile audio{folder / fs::path(output).filename(), *format, 0};
  std::error_code error;
  audio.bytes = fs::file_size(audio.path, error);
  if (error) {
    throw Error(ErrorCategory::kInput, name + ": its audio '" + audio.path.string() +
                                           "' cannot be read (" + error.message() +
                                           "); narrate the article again or remove the manifest");
  }
  const nlohmann::json recorded = object_at(manifest, "audio");
  const auto bytes = recorded.find("bytes");
  if (bytes != recorded.end() && bytes->is_number_unsigned() &&
      bytes->get<std::uintmax_t>() != audio.bytes) {
    throw Error(ErrorCategory::kInput,
                name + ": its audio '" + audio.path.string() + "' is " +
                    std::to_string(audio.bytes) + " bytes, not the " +
                    std::to_string(bytes->get<std::uintmax_t>()) +
                    " it records: the audio is not the one the manifest describes; run narrate "
                    "batch again to redo it");
  }
  return audio;
}

// The item a manifest describes, or nullopt (with a warning) for a file that is not one.
std::optional<FeedItem> read_item(const fs::path& manifest_path,
                                  std::vector<std::string>& warnings) {
  const std::string name = manifest_path.string();
  const nlohmann::json manifest =
      nlohmann::json::parse(detail::read_file(name, "manifest"), nullptr, false);
  if (manifest.is_discarded()) {
    throw Error(ErrorCategory::kInput,
                name +
                    ": the manifest is not valid JSON; narrate the article again (narrate "
                    "batch --force) or move the file out of the folder");
  }
  if (!manifest.is_object() || !manifest.contains("manifest_version")) {
    warnings.push_back(name +
                       ": not a narrate manifest (no manifest_version); left out of the feed");
    return std::nullopt;
  }
  const std::optional<AudioFile> audio =
      described_audio(manifest, name, manifest_path.parent_path(), warnings);
  if (!audio) return std::nullopt;
  const nlohmann::json metadata = object_at(manifest, "metadata");
  FeedItem item;
  item.title = string_at(metadata, "title");
  if (item.title.empty()) item.title = audio->path.stem().string();
  item.byline = string_at(metadata, "byline");
  const std::optional<std::int64_t> date = iso8601_seconds(string_at(metadata, "date"));
  item.published_s = date ? *date : mtime_s(manifest_path);
  item.guid =
      article_guid(article_identity(string_at(object_at(manifest, "input"), "path"), audio->path));
  item.audio_file = audio->path.filename().string();
  item.audio_bytes = audio->bytes;
  item.mime_type = audio_media_type(audio->format).value_or("");
  const auto duration = manifest.find("duration_ms");
  if (duration != manifest.end() && duration->is_number()) {
    item.duration_ms = duration->get<std::int64_t>();
  }
  find_transcript(audio->path, item);
  return item;
}

// "1:02:03" for an hour or more, else "2:03": iTunes's form, which every reader takes.
std::string duration_text(std::int64_t duration_ms) {
  const std::int64_t seconds = (duration_ms + kMillisecondsPerSecond / 2) / kMillisecondsPerSecond;
  const std::int64_t hours = seconds / kSecondsPerHour;
  const std::int64_t minutes = seconds % kSecondsPerHour / kSecondsPerMinute;
  char text[32];
  if (hours > 0) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(hours),
                  static_cast<long long>(minutes),
                  static_cast<long long>(seconds % kSecondsPerMinute));
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", static_cast<long long>(minutes),
                  static_cast<long long>(seconds % kSecondsPerMinute));
  }
  return text;
}

// A URL the feed gives out: http or https, with a host and no spaces.
void check_url(const char* option, std::string_view url) {
  const std::size_t scheme = url.find("://");
  const bool web = url.starts_with("http://") || url.starts_with("https://");
  const bool host =
      scheme != std::string_view::npos && url.size() > scheme + 3 && url[scheme + 3] != '/';
  const bool spaces = std::any_of(url.begin(), url.end(),
                                  [](char c) { return static_cast<unsigned char>(c) <= ' '; });
  if (!web || !host || spaces) {
    throw Error(ErrorCategory::kUsage,
                std::string(option) + " '" + std::string(url) +
                    "' is not a web address; give the http:// or https:// URL the files are "
                    "published under, such as https://example.org/podcast/");
  }
}

// The folder's own name ("audio" for "/srv/audio/"): the channel's title by default.
std::string folder_name(const std::string& dir) {
  fs::path path = fs::absolute(dir).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();
  return path.filename().string();
}

void write_item(XmlWriter& writer, const FeedItem& item, std::string_view base_url) {
  writer.start("item");
  writer.element("title", item.title);
  if (!item.byline.empty()) {
    writer.element("itunes:author", item.byline);
    writer.element("dc:creator", item.byline);
  }
  writer.element("pubDate", rfc822_date(item.published_s));
  writer.start("guid");
  writer.attribute("isPermaLink", "false");
  writer.text(item.guid);
  writer.end();
  writer.start("enclosure");
  writer.attribute("url", enclosure_url(base_url, item.audio_file));
  writer.attribute("length", std::to_string(item.audio_bytes));
  writer.attribute("type", item.mime_type);
  writer.end();
  writer.element("itunes:duration", duration_text(item.duration_ms));
  writer.element("itunes:episodeType", "full");
  if (!item.transcript_file.empty()) {
    writer.start("podcast:transcript");
    writer.attribute("url", enclosure_url(base_url, item.transcript_file));
    writer.attribute("type", item.transcript_type);
    writer.attribute("rel", "captions");  // timed cues, which players can show as captions
    writer.end();
  }
  writer.end();
}

}  // namespace

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  const auto hex_value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes;
  int high = -1;
  bool valid = true;
  for (const char c : namespace_uuid) {
    if (c == '-') continue;
    const int value = hex_value(c);
    valid = valid && value >= 0;
    if (high < 0) {
      high = value;
    } else {
      bytes += static_cast<char>(high * 16 + value);
      high = -1;
    }
  }
  if (!valid || high >= 0 || bytes.size() != 16) {
    throw Error(ErrorCategory::kInternal,
                "'" + std::string(namespace_uuid) + "' is not a UUID namespace");
  }
  bytes.append(name);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1) {
    throw Error(ErrorCategory::kInternal, "cannot compute SHA-1 (OpenSSL)");
  }
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string text =
      detail::lower_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), 16));
  for (const std::size_t dash : {20, 16, 12, 8}) text.insert(dash, 1, '-');  // 8-4-4-4-12
  return text;
}

std::string channel_guid(std::string_view feed_url) {
  std::string_view name = feed_url;
  const std::size_t scheme = name.find("://");
  if (scheme != std::string_view::npos) name.remove_prefix(scheme + 3);
  while (name.ends_with('/')) name.remove_suffix(1);
  return uuid_v5(kPodcastGuidNamespace, name);
}

std::string article_guid(std::string_view identity) {
  return uuid_v5(kArticleGuidNamespace, identity);
}

std::optional<std::int64_t> iso8601_seconds(std::string_view text) {
  std::size_t at = 0;
  unsigned year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (!digits(text, at, 4, year) || !next_is(text, at++, '-') || !digits(text, at, 2, month) ||
      !next_is(text, at++, '-') || !digits(text, at, 2, day) || month < 1 || month > 12 ||
      day < 1 || day > days_in_month(year, month)) {
    return std::nullopt;
  }
  std::int64_t seconds = days_from_civil(year, month, day) * kSecondsPerDay;
  if (at == text.size()) return seconds;
  if (text[at] != 'T' && text[at] != 't' && text[at] != ' ') return std::nullopt;
  ++at;
  unsigned hours = 0;
  unsigned minutes = 0;
  unsigned secs = 0;
  if (!digits(text, at, 2, hours) || !next_is(text, at++, ':') || !digits(text, at, 2, minutes) ||
      hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  if (next_is(text, at, ':')) {
    ++at;
    if (!digits(text, at, 2, secs) || secs > 60) return std::nullopt;  // 60: a leap second
    if (next_is(text, at, '.') || next_is(text, at, ',')) {
      ++at;
      const std::size_t first = at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
      if (at == first) return std::nullopt;
    }
  }
  const std::optional<std::int64_t> offset = zone_offset_s(text, at);
  if (!offset) return std::nullopt;
  return seconds + hours * kSecondsPerHour + minutes * kSecondsPerMinute + secs - *offset;
}

std::string rfc822_date(std::int64_t unix_s) {
  constexpr std::array<const char*, 7> kWeekdays{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::int64_t days = unix_s / kSecondsPerDay;
  std::int64_t rest = unix_s % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  const std::int64_t weekday = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02u %s %04lld %02lld:%02lld:%02lld +0000",
                kWeekdays[static_cast<std::size_t>(weekday)], date.day, kMonths[date.month - 1],
                static_cast<long long>(date.year), static_cast<long long>(rest / kSecondsPerHour),
                static_cast<long long>(rest % kSecondsPerHour / kSecondsPerMinute),
                static_cast<long long>(rest % kSecondsPerMinute));
  return text;
}

std::string enclosure_url(std::string_view base_url, std::string_view file_name) {
  std::string url(base_url);
  if (!url.ends_with('/')) url += '/';
  return url + percent_encode(file_name);
}

FeedContents read_feed_items(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw Error(ErrorCategory::kInput, "feed: '" + dir +
                                           "' is not a folder; give the folder of narrations "
                                           "(narrate batch's --out-dir)");
  }
  std::vector<fs::path> manifests;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      manifests.push_back(entry.path());
    }
  }
  if (error) {
    throw Error(ErrorCategory::kInput, "feed: cannot list '" + dir + "': " + error.message());
  }
  std::sort(manifests.begin(), manifests.end());
  FeedContents contents;
  for (const fs::path& manifest : manifests) {
    if (std::optional<FeedItem> item = read_item(manifest, contents.warnings)) {
      contents.items.push_back(std::move(*item));
    }
  }
  if (contents.items.empty()) {
    throw Error(ErrorCategory::kInput,
                "feed: '" + dir +
                    "' holds no narrations (NAME.json manifests beside their audio); narrate "
                    "articles into it first: narrate batch ARTICLES --out-dir " +
                    dir);
  }
  std::stable_sort(
      contents.items.begin(), contents.items.end(),
      [](const FeedItem& a, const FeedItem& b) { return a.published_s > b.published_s; });
  return contents;
}

std::string feed_xml(const FeedOptions& options, const std::vector<FeedItem>& items) {
  check_url("--base-url", options.base_url);
  if (!options.image.empty()) check_url("--image", options.image);
  const std::string feed_url =
      enclosure_url(options.base_url, fs::path(options.output).filename().string());
  const std::string title = options.title.empty() ? folder_name(options.dir) : options.title;
  XmlWriter writer;
  writer.start("rss");
  writer.attribute("version", "2.0");
  writer.attribute("xmlns:itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd");
  writer.attribute("xmlns:podcast", "https://podcastindex.org/namespace/1.0");
  writer.attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/");
  writer.attribute("xmlns:atom", "http://www.w3.org/2005/Atom");
  writer.start("channel");
  writer.element("title", title);
  writer.element("link", options.base_url);
  writer.element("description",
                 options.description.empty() ? "Narrated articles: " + title : options.description);
  writer.element("language", options.language);
  writer.element("generator", "narrate");
  // The newest item's date, so that the same narrations give the same feed.
  if (!items.empty()) writer.element("lastBuildDate", rfc822_date(items.front().published_s));
  writer.start("atom:link");
  writer.attribute("href", feed_url);
  writer.attribute("rel", "self");
  writer.attribute("type", "application/rss+xml");
  writer.end();
  writer.element("podcast:guid", channel_guid(feed_url));
  if (!options.author.empty()) writer.element("itunes:author", options.author);
  writer.element("itunes:explicit", "false");
  writer.element("itunes:type", "episodic");
  writer.start("itunes:category");
  writer.attribute("text", "News");
  writer.end();
  if (!options.image.empty()) {
    writer.start("itunes:image");
    writer.attribute("href", options.image);
    writer.end();
    writer.start("image");
    writer.element("url", options.image);
    writer.element("title", title);
    writer.element("link", options.base_url);
    writer.end();
  }
  for (const FeedItem& item : items) write_item(writer, item, options.base_url);
  writer.end();  // channel
  writer.end();  // rss
  return writer.finish();
}

std::vector<std::string> write_feed(const FeedOptions& options) {
  check_url("--base-url", options.base_url);
  if (!options.image.empty()) check_url("--image", options.image);
  PendingFile feed(options.output);  // an unwritable folder fails before the folder is read
  FeedContents contents = read_feed_items(options.dir);
  feed.commit(feed_xml(options, contents.items));
  return std::move(contents.warnings);
}

}  // namespace narrator::cli
