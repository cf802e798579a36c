#include "sndfile_sink.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <span>
#include <string>
#include <utility>

#include "id3_tags.hpp"
#include "narrator/error.hpp"

namespace narrator::detail {
namespace {

struct SndfileFormat {
  AudioFormat format;
  int major_and_subtype;
  bool compressed;  // takes SFC_SET_COMPRESSION_LEVEL
  // Where EncoderOptions::compression_level 0.0 lands on libsndfile's scale (1.0 stays 1.0).
  // libsndfile spreads Opus from about 256 kbit/s (0.0) down to 6 kbit/s (1.0) a channel, a range
  // made for music; from 0.6 on, the default level 0.75 gives about 32 kbit/s, which carries
  // speech at full bandwidth, and 0.0 about 106 kbit/s.
  double level_floor = 0.0;
};

constexpr std::array<SndfileFormat, 6> kSndfileFormats{{
    {AudioFormat::kWav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, false},
    {AudioFormat::kFlac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, true},
    {AudioFormat::kOgg, SF_FORMAT_OGG | SF_FORMAT_VORBIS, true},
    {AudioFormat::kMp3, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, true},
    {AudioFormat::kRaw, SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE, false},
    {AudioFormat::kOpus, SF_FORMAT_OGG | SF_FORMAT_OPUS, true, 0.6},
}};

const SndfileFormat& lookup(AudioFormat format) {
  for (const SndfileFormat& entry : kSndfileFormats) {
    if (entry.format == format) return entry;
  }
  throw Error(ErrorCategory::kInternal, "no libsndfile format for this output");
}

// libsndfile's virtual I/O over a CheckedFd: plain POSIX calls that remember a failed write, and
// that show libsndfile the file from `base_offset` on.
sf_count_t checked_length(void* user) {
  const auto* io = static_cast<CheckedFd*>(user);
  struct stat info {};
  return ::fstat(io->fd, &info) == 0 ? info.st_size - io->base_offset : -1;
}
sf_count_t checked_seek(sf_count_t offset, int whence, void* user) {
  const auto* io = static_cast<CheckedFd*>(user);
  const off_t at = ::lseek(io->fd, whence == SEEK_SET ? offset + io->base_offset : offset, whence);
  return at < 0 ? at : at - io->base_offset;
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
  const auto* io = static_cast<CheckedFd*>(user);
  const off_t at = ::lseek(io->fd, 0, SEEK_CUR);
  return at < 0 ? at : at - io->base_offset;
}

SF_VIRTUAL_IO kCheckedIo{checked_length, checked_seek, checked_read, checked_write, checked_tell};

}  // namespace

SndfileSink::SndfileSink(int fd, std::string name, AudioFormat format, StreamFormat stream,
                         const EncoderOptions& options, std::optional<AtomicFile> file)
    : name_(std::move(name)),
      format_(format),
      stream_(stream),
      tags_(options.tags),
      file_(std::move(file)) {
  const SndfileFormat& entry = lookup(format);
  const std::span<const int> rates = audio_format_sample_rates(format);
  if (!rates.empty() &&
      std::find(rates.begin(), rates.end(), stream.sample_rate_hz) == rates.end()) {
    throw Error(ErrorCategory::kUsage, name_ + ": " + std::string(audio_format_name(format)) +
                                           " cannot be written at " +
                                           std::to_string(stream.sample_rate_hz) + " Hz; use " +
                                           audio_format_sample_rates_text(format) +
                                           " Hz (resample first, as open_output_file() does)");
  }
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
  const bool known = ::fstat(fd, &kind) == 0;
  const bool pipe = known && (S_ISFIFO(kind.st_mode) || S_ISSOCK(kind.st_mode));
  if (format == AudioFormat::kMp3) {
    // The ID3 tag goes first. In a regular file libsndfile then sees the file from after it, where
    // it writes (and at the end rewrites) the LAME header; into a pipe or a device the tag is
    // written with the first audio, so that a closed pipe fails a write, not the opening.
    pending_tag_ = render_id3v2_tag(options.tags);
    if (known && S_ISREG(kind.st_mode)) {
      write_pending_tag();
      io_.base_offset = ::lseek(fd, 0, SEEK_CUR);
      if (io_.base_offset < 0) fail(std::string("cannot seek: ") + std::strerror(errno));
    }
  }
  handle_.reset(pipe ? sf_open_fd(fd, SFM_WRITE, &info, SF_FALSE)
                     : sf_open_virtual(&kCheckedIo, SFM_WRITE, &info, &io_));
  if (!handle_) fail(std::string("cannot open the encoder: ") + sf_strerror(nullptr));
  set_tags(options.tags, format);
  if (entry.compressed) {
    double level = entry.level_floor + (1.0 - entry.level_floor) * options.compression_level;
    if (sf_command(handle_.get(), SFC_SET_COMPRESSION_LEVEL, &level, sizeof level) != SF_TRUE) {
      fail(std::string("cannot set the compression level: ") + sf_strerror(handle_.get()));
    }
  }
}

// Tags go in before the first sample. MP3 gets none here: LAME would declare UTF-8 text Latin-1
// (see id3_tags.hpp).
void SndfileSink::set_tags(const AudioTags& tags, AudioFormat format) {
  if (format == AudioFormat::kRaw || format == AudioFormat::kMp3) return;
  const std::pair<int, const std::string*> fields[] = {{SF_STR_TITLE, &tags.title},
                                                       {SF_STR_ARTIST, &tags.artist},
                                                       {SF_STR_ALBUM, &tags.album},
                                                       {SF_STR_DATE, &tags.date},
                                                       {SF_STR_COMMENT, &tags.comment}};
  for (const auto& [field, value] : fields) {
    if (value->empty()) continue;
    if (sf_set_string(handle_.get(), field, value->c_str()) != 0) {
      fail(std::string("cannot write the tag '") + *value + "': " + sf_strerror(handle_.get()));
    }
  }
}

void SndfileSink::fail(const std::string& what) const {
  throw Error(ErrorCategory::kOutput, name_ + ": " + what);
}

void SndfileSink::write_pending_tag() {
  if (pending_tag_.empty()) return;
  const std::string tag = std::exchange(pending_tag_, std::string());
  checked_write(tag.data(), static_cast<sf_count_t>(tag.size()), &io_);
  check_io();
}

void SndfileSink::write(std::span<const std::int16_t> samples) {
  if (!handle_) fail("write after finish");
  write_pending_tag();
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
  write_pending_tag();
  const int status = sf_close(handle_.release());
  check_io();  // the encoder's last flush happens inside sf_close
  if (status != 0) fail(std::string("cannot complete the file: ") + sf_error_number(status));
  if (!file_) return;
  if (format_ == AudioFormat::kWav) add_id3v2_chunk(file_->temp_path(), name_, tags_);
  file_->commit();
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
