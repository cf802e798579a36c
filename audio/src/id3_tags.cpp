#include "id3_tags.hpp"

#include <commentsframe.h>
#include <id3v2tag.h>
#include <textidentificationframe.h>
#include <tstring.h>
#include <wavfile.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "narrator/error.hpp"

namespace narrator::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The first four-digit number in `date` that looks like a year, or "".
std::string year_of(std::string_view date) {
  constexpr int kFirstYear = 1000;
  constexpr int kLastYear = 2999;
  for (std::size_t at = 0; at + 4 <= date.size(); ++at) {
    const std::string_view four = date.substr(at, 4);
    const bool digits = std::all_of(four.begin(), four.end(), is_digit);
    const bool alone =
        (at == 0 || !is_digit(date[at - 1])) && (at + 4 == date.size() || !is_digit(date[at + 4]));
    if (!digits || !alone) continue;
    const int year = std::stoi(std::string(four));
    if (year >= kFirstYear && year <= kLastYear) return std::string(four);
  }
  return "";
}

// What may follow a time for it to be UTC, as ID3v2.4 timestamps are.
bool is_utc_suffix(std::string_view rest) {
  return rest.empty() || rest == "Z" || rest == "+00:00" || rest == "-00:00" || rest == "+0000";
}

TagLib::String utf8(const std::string& text) { return TagLib::String(text, TagLib::String::UTF8); }

// Sets one text frame (replacing any of that id) in UTF-8, or removes it for an empty value.
void set_text_frame(TagLib::ID3v2::Tag& tag, const char* id, const std::string& value) {
  tag.removeFrames(id);
  if (value.empty()) return;
  auto frame = std::make_unique<TagLib::ID3v2::TextIdentificationFrame>(TagLib::ByteVector(id),
                                                                        TagLib::String::UTF8);
  frame->setText(utf8(value));
  tag.addFrame(frame.release());  // the tag owns its frames
}

void fill(TagLib::ID3v2::Tag& tag, const AudioTags& tags) {
  set_text_frame(tag, "TIT2", tags.title);
  set_text_frame(tag, "TPE1", tags.artist);
  set_text_frame(tag, "TALB", tags.album);
  set_text_frame(tag, "TDRC", id3_timestamp(tags.date));
  tag.removeFrames("COMM");
  if (!tags.comment.empty()) {
    auto frame = std::make_unique<TagLib::ID3v2::CommentsFrame>(TagLib::String::UTF8);
    frame->setLanguage("eng");
    frame->setText(utf8(tags.comment));
    tag.addFrame(frame.release());
  }
}

bool empty(const AudioTags& tags) {
  return tags.title.empty() && tags.artist.empty() && tags.album.empty() && tags.date.empty() &&
         tags.comment.empty();
}

}  // namespace

std::string id3_timestamp(std::string_view date) {
  // yyyy-MM-ddTHH:mm:ss, one piece at a time: the separator before it and its digit count.
  constexpr std::array<std::pair<char, std::size_t>, 6> kPieces{
      {{'\0', 4}, {'-', 2}, {'-', 2}, {'T', 2}, {':', 2}, {':', 2}}};
  constexpr std::size_t kDatePieces = 3;
  std::size_t end = 0;  // of the pieces read so far
  std::size_t pieces = 0;
  for (const auto& [separator, digits] : kPieces) {
    std::size_t at = end;
    if (separator != '\0') {
      if (at >= date.size() || date[at] != separator) break;
      ++at;
    }
    if (at + digits > date.size()) break;
    const std::string_view number = date.substr(at, digits);
    if (!std::all_of(number.begin(), number.end(), is_digit)) break;
    if (at + digits < date.size() && is_digit(date[at + digits])) break;
    end = at + digits;
    ++pieces;
  }
  if (pieces == 0) return year_of(date);
  if (pieces <= kDatePieces) return std::string(date.substr(0, end));
  std::string_view rest = date.substr(end);
  if (!rest.empty() && rest.front() == '.') {  // fractions of a second: ID3 has none
    const auto digits_end = std::find_if_not(rest.begin() + 1, rest.end(), is_digit);
    rest.remove_prefix(static_cast<std::size_t>(digits_end - rest.begin()));
  }
  if (is_utc_suffix(rest)) return std::string(date.substr(0, end));
  return std::string(date.substr(0, 10));  // the date alone: converting the zone is not ours
}

std::string render_id3v2_tag(const AudioTags& tags) {
  if (empty(tags)) return "";
  TagLib::ID3v2::Tag tag;
  fill(tag, tags);
  const TagLib::ByteVector bytes = tag.render(TagLib::ID3v2::v4);
  return std::string(bytes.data(), bytes.size());
}

void add_id3v2_chunk(const std::string& path, const std::string& name, const AudioTags& tags) {
  if (empty(tags)) return;
  errno = 0;
  TagLib::RIFF::WAV::File file(path.c_str(), false);
  bool saved = false;
  if (file.isValid() && !file.readOnly()) {
    fill(*file.ID3v2Tag(), tags);
    saved = file.save(TagLib::RIFF::WAV::File::ID3v2, TagLib::File::StripNone, TagLib::ID3v2::v4);
  }
  if (!saved) {
    const int error_number = errno;
    throw Error(ErrorCategory::kOutput,
                name + ": cannot add the tags to the WAV file" +
                    (error_number != 0 ? std::string(": ") + std::strerror(error_number) : "") +
                    "; check that the disk has space, or choose another -o path");
  }
}

}  // namespace narrator::detail
