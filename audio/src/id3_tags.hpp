// id3_tags.hpp: ID3v2.4 tags (UTF-8 text frames) made with TagLib, for MP3 and WAV.
//
// libsndfile hands MP3 tags to LAME, whose ID3 frames declare Latin-1: UTF-8 text then reads back
// as mojibake ("CafÃ©"), and its ID3v1 trailer cuts characters in half. So MP3 tags are rendered
// here and written ahead of the MPEG stream, and WAV gets an "id3 " chunk beside its INFO chunk
// (which has no declared encoding, and which readers such as mutagen ignore).
#pragma once

#include <string>
#include <string_view>

#include "narrator/audio/file_sinks.hpp"

namespace narrator::detail {

// The date as an ID3v2.4 timestamp (a subset of ISO 8601, in UTC): the longest exact prefix of
// an ISO date such as "2024-03-05T09:00:00Z" (without the "Z"; a time with another offset is left
// out), else the first year in the text ("April 14, 2025" → "2025"), else "".
std::string id3_timestamp(std::string_view date);

// A complete ID3v2.4 tag (header, UTF-8 text frames TIT2, TPE1, TALB, TDRC and COMM, padding)
// holding the non-empty fields of `tags`, or "" when every field is empty.
std::string render_id3v2_tag(const AudioTags& tags);

// Adds an "id3 " chunk holding `tags` to the finished WAV file at `path` (the RIFF sizes follow);
// the INFO chunk and the samples are left as they are. Nothing is done when every field is empty.
// Throws Error(kOutput) naming `name` when the file cannot be tagged.
void add_id3v2_chunk(const std::string& path, const std::string& name, const AudioTags& tags);

}  // namespace narrator::detail
