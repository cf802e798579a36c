#include "sndfile_sink.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "narrator/error.hpp"

namespace narrator::detail {
namespace {

struct SndfileFormat {
  AudioFormat format;
  int major_and_subtype;
  bool compressed;  // takes SFC_SET_COMPRESSION_LEVEL
};

constexpr std::array<SndfileFormat, 5> kSndfileFormats{{
    {AudioFormat::kWav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, false},
    {AudioFormat::kFlac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, true},
    {AudioFormat::kOgg, SF_FORMAT_OGG | SF_FORMAT_VORBIS, true},
    {AudioFormat::kMp3, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, true},
    {AudioFormat::kRaw, SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE, false},
}};

const SndfileFormat& lookup(AudioFormat format) {
  for (const SndfileFormat& entry : kSndfileFormats) {
    if (entry.format == format) return entry;
  }
  throw Error(ErrorCategory::kInternal, "no libsndfile format for this output");
}

// The first four-digit number in `date` that looks like a year, or "".
std::string year_of(const std::string& date) {
  constexpr int kFirstYear = 1000;
  constexpr int kLastYear = 2999;
  for (std::size_t at = 0; at + 4 <= date.size(); ++at) {
    const bool digits = std::all_of(date.begin() + static_cast<std::ptrdiff_t>(at),
                                    date.begin() + static_cast<std::ptrdiff_t>(at + 4),
                                    [](char c) { return c >= '0' && c <= '9'; });
    const bool alone = (at == 0 || date[at - 1] < '0' || date[at - 1] > '9') &&
                       (at + 4 == date.size() || date[at + 4] < '0' || date[at + 4] > '9');
    if (!digits || !alone) continue;
    const int year = std::stoi(date.substr(at, 4));
    if (year >= kFirstYear && year <= kLastYear) return date.substr(at, 4);
  }
  return "";
}

// libsndfile's virtual I/O over a CheckedFd: plain POSIX calls that remember a failed write.
sf_count_t checked_length(void* user) {
  struct stat info {};
  return ::fstat(static_cast<CheckedFd*>(user)->fd, &info) == 0 ? info.st_size : -1;
}
sf_count_t checked_seek(sf_count_t offset, int whence, void* user) {
  return ::lseek(static_cast<CheckedFd*>(user)->fd, offset, whence);
}
sf_count_t checked_read(void* data, sf_count_t count, void* user) {
  const ssize_t got = ::read(static_cast<CheckedFd*>(user)->fd, data, static_cast<size_t>(count));
  return got < 0 ? 0 : got;
}
sf_count_t checked_write(const void* data, sf_count_t count, void* user) {
  auto* io = static_cast<CheckedFd*>(user);
  const char* bytes = static_cast<const char*>(data);
  sf_count_t done = 0;
  while (done < count) {
    const ssize_t written = ::write(io->fd, bytes + done, static_cast<size_t>(count - done));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      if (io->first_error == 0) io->first_error = written < 0 ? errno : ENOSPC;
      break;
    }
    done += written;
  }
  return done;
}
sf_count_t checked_tell(void* user) {
  return ::lseek(static_cast<CheckedFd*>(user)->fd, 0, SEEK_CUR);
}

SF_VIRTUAL_IO kCheckedIo{checked_length, checked_seek, checked_read, checked_write, checked_tell};

}  // namespace

SndfileSink::SndfileSink(int fd, std::string name, AudioFormat format, StreamFormat stream,
                         const EncoderOptions& options, std::optional<AtomicFile> file)
    : name_(std::move(name)), stream_(stream), file_(std::move(file)) {
  const SndfileFormat& entry = lookup(format);
  SF_INFO info{};
  info.samplerate = stream.sample_rate_hz;
  info.channels = stream.channels;
  info.format = entry.major_and_subtype;
  if (sf_format_check(&info) == SF_FALSE) {
    fail("libsndfile cannot write " + std::string(audio_format_name(format)) + " at " +
         std::to_string(stream.sample_rate_hz) + " Hz with " + std::to_string(stream.channels) +
         " channel(s)");
  }
  io_.fd = fd;
  // Files and devices go through checked I/O; a pipe or socket through sf_open_fd, which knows
  // that it cannot seek.
  struct stat kind {};
  const bool pipe = ::fstat(fd, &kind) == 0 && (S_ISFIFO(kind.st_mode) || S_ISSOCK(kind.st_mode));
  handle_.reset(pipe ? sf_open_fd(fd, SFM_WRITE, &info, SF_FALSE)
                     : sf_open_virtual(&kCheckedIo, SFM_WRITE, &info, &io_));
  if (!handle_) fail(std::string("cannot open the encoder: ") + sf_strerror(nullptr));
  set_tags(options.tags, format);
  if (entry.compressed) {
    double level = options.compression_level;
    if (sf_command(handle_.get(), SFC_SET_COMPRESSION_LEVEL, &level, sizeof level) != SF_TRUE) {
      fail(std::string("cannot set the compression level: ") + sf_strerror(handle_.get()));
    }
  }
}

// Tags go in before the first sample: the MP3 writer puts its ID3 tag at the start of the file.
void SndfileSink::set_tags(const AudioTags& tags, AudioFormat format) {
  if (format == AudioFormat::kRaw) return;  // no container to hold them
  const std::pair<int, const std::string*> fields[] = {{SF_STR_TITLE, &tags.title},
                                                       {SF_STR_ARTIST, &tags.artist},
                                                       {SF_STR_ALBUM, &tags.album},
                                                       {SF_STR_DATE, &tags.date},
                                                       {SF_STR_COMMENT, &tags.comment}};
  for (const auto& [field, value] : fields) {
    std::string text = *value;
    // LAME's ID3 tag has a year, not a date: "April 14, 2025" is stored as "2025".
    if (field == SF_STR_DATE && format == AudioFormat::kMp3) text = year_of(text);
    if (text.empty()) continue;
    if (sf_set_string(handle_.get(), field, text.c_str()) != 0) {
      fail(std::string("cannot write the tag '") + *value + "': " + sf_strerror(handle_.get()));
    }
  }
}

void SndfileSink::fail(const std::string& what) const {
  throw Error(ErrorCategory::kOutput, name_ + ": " + what);
}

void SndfileSink::write(std::span<const std::int16_t> samples) {
  if (!handle_) fail("write after finish");
  const auto channels = static_cast<std::size_t>(stream_.channels);
  if (samples.size() % channels != 0) fail("write of a partial frame");
  const auto frames = static_cast<sf_count_t>(samples.size() / channels);
  if (sf_writef_short(handle_.get(), samples.data(), frames) != frames ||
      sf_error(handle_.get()) != SF_ERR_NO_ERROR) {
    check_io();  // the system's reason, when a write failed
    fail(std::string("cannot write audio: ") + sf_strerror(handle_.get()) +
         "; check that the disk has space");
  }
  check_io();
}

void SndfileSink::check_io() const {
  if (io_.first_error != 0) throw write_failure(name_, io_.first_error);
}
void SndfileSink::finish() {
  if (!handle_) fail("finish called twice");
  const int status = sf_close(handle_.release());
  check_io();  // the encoder's last flush happens inside sf_close
  if (status != 0) fail(std::string("cannot complete the file: ") + sf_error_number(status));
  if (file_) file_->commit();
}

std::string write_advice(int error_number) {
  if (error_number == ENOSPC || error_number == EDQUOT) {
    return "free some disk space or choose another -o path";
  }
  if (error_number == EPIPE) return "the program reading the output stopped";
  if (error_number == EFBIG) {
    return "the file is larger than this system allows (see ulimit -f); choose another -o path";
  }
  return "choose another -o path";
}

Error write_failure(const std::string& name, int error_number) {
  return Error(ErrorCategory::kOutput, name + ": cannot write: " + std::strerror(error_number) +
                                           "; " + write_advice(error_number));
}

}  // namespace narrator::detail
