// feed.hpp: `narrate feed DIR -o feed.xml --base-url URL` (and `narrate batch ... --feed`): a
// podcast feed of the narrations in a folder, RSS 2.0 with the iTunes and Podcasting 2.0 tags,
// made from the manifests batch writes beside each audio file (D/NAME.json beside D/NAME.mp3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace narrator::cli {

struct FeedOptions {
  std::string dir;          // the folder of narrations and their manifests
  std::string output;       // -o: the feed file
  std::string base_url;     // --base-url: where the folder's files are published (http or https)
  std::string title;        // --title: the channel's; empty: the folder's name
  std::string description;  // --description; empty: "Narrated articles: TITLE"
  std::string author;       // --author: itunes:author of the channel; empty for none
  std::string image;        // --image: the cover art's URL; empty for none
  std::string language = "en";  // --language: RFC 5646 tag
};

// One narration in the feed, as read from its manifest.
struct FeedItem {
  std::string title;               // the article's, else the audio file's stem
  std::string byline;              // empty when unknown
  std::int64_t published_s = 0;    // Unix time: the article's date, else the manifest's mtime
  std::string guid;                // article_guid() of the article's identity
  std::string audio_file;          // the file name in the folder
  std::uintmax_t audio_bytes = 0;  // the file's exact size
  std::string mime_type;           // audio/mpeg, audio/ogg (codecs=opus for Opus), audio/flac, …
  std::int64_t duration_ms = 0;
  std::string transcript_file;  // NAME.vtt (or NAME.srt) beside the audio; empty for none
  std::string transcript_type;  // text/vtt or application/x-subrip
};

struct FeedContents {
  std::vector<FeedItem> items;        // newest first, then by file name
  std::vector<std::string> warnings;  // files skipped, with why
};

// Reads every NAME.json in `dir` (not its subfolders). Throws Error(kInput) naming the file and
// what to do for a manifest that is not JSON or whose audio is missing or not the one it
// describes (another size), and when `dir` is not a folder or holds no narrations. A JSON file
// that is not a narrate manifest, or a manifest of a narration written to stdout, is skipped with
// a warning.
FeedContents read_feed_items(const std::string& dir);

// The feed's XML (libxml2's writer, UTF-8). Throws Error(kUsage) for a --base-url that is not
// an http or https URL, Error(kInternal) when libxml2 fails.
std::string feed_xml(const FeedOptions& options, const std::vector<FeedItem>& items);

// Reads the folder and writes the feed to options.output, atomically (a PendingFile). Returns the
// warnings for the caller to print. Throws as the two above, and Error(kOutput) when the feed
// cannot be written.
std::vector<std::string> write_feed(const FeedOptions& options);

// --- the pieces, for their tests ---

// The UUID (version 5, RFC 4122: SHA-1 of the namespace's bytes and the name) in its
// 8-4-4-4-12 lower-case hex form. `namespace_uuid` must be such a form; else Error(kInternal).
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

// The channel's podcast:guid, as the Podcasting 2.0 namespace defines it: uuid_v5 of the feed's
// URL without its scheme and trailing slashes, in the namespace
// ead4c236-bf58-58c6-a2c6-a6b28d128cb6.
std::string channel_guid(std::string_view feed_url);

// An item's GUID: uuid_v5 of the article's identity in a namespace of narrate's own.
// read_feed_items() gives the article's URL when it was fetched, else its input file's name (not
// its folder's path), else (stdin) the audio's stem; so the same article keeps its GUID across
// re-narrations, settings and folders.
std::string article_guid(std::string_view identity);

// Seconds since the Unix epoch of an ISO 8601 date or date-time ("2024-03-05",
// "2024-03-05T09:00", "2024-03-05T09:00:00.5+03:00", "... Z"); a time without a zone is UTC.
// nullopt for anything else.
std::optional<std::int64_t> iso8601_seconds(std::string_view text);

// RFC 822 (as RFC 2822 writes it) in UTC: "Tue, 05 Mar 2024 09:00:00 +0000".
std::string rfc822_date(std::int64_t unix_s);

// `url` followed by `file_name` percent-encoded (every byte but RFC 3986's unreserved
// characters), with one '/' between them.
std::string enclosure_url(std::string_view base_url, std::string_view file_name);

}  // namespace narrator::cli
