// File sinks: every format decodes back; nothing appears at the path until finish().
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include "atomic_file.hpp"
#include "audio_analysis.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/audio/pending_file.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

constexpr StreamFormat kVoiceFormat{22050, 1};
constexpr std::string_view kOldContent = "older file";

std::vector<std::int16_t> sine(StreamFormat format, double seconds, double hz = 440.0) {
  const auto frames = static_cast<std::size_t>(seconds * format.sample_rate_hz);
  std::vector<std::int16_t> samples;
  for (std::size_t i = 0; i < frames; ++i) {
    const double value = 8000.0 * std::sin(2.0 * std::numbers::pi * hz * i / format.sample_rate_hz);
    for (int c = 0; c < format.channels; ++c) samples.push_back(static_cast<std::int16_t>(value));
  }
  return samples;
}

std::size_t entries_in(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

struct FormatCase {
  AudioFormat format;
  std::string extension;
  bool lossless;
};

class FileSink : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FileSink, DecodesBackWithTheRightShape) {
  const FormatCase& c = GetParam();
  const test::TempDir dir;
  const std::string path = dir.file("tone." + c.extension);
  const std::vector<std::int16_t> input = sine(kVoiceFormat, 1.0);
  {
    const std::unique_ptr<AudioSink> sink = open_file_sink(path, c.format, kVoiceFormat);
    EXPECT_FALSE(fs::exists(path)) << "visible before finish()";
    sink->write(std::span(input).first(10000));
    sink->write(std::span(input).subspan(10000));
    sink->finish();
  }
  EXPECT_EQ(entries_in(dir.path()), 1u) << "temporary file left behind";
  const test::DecodedAudio audio = test::decode_file(path);
  EXPECT_EQ(audio.sample_rate_hz, kVoiceFormat.sample_rate_hz);
  EXPECT_EQ(audio.channels, 1);
  if (c.lossless) {
    EXPECT_EQ(audio.samples, input);
  } else {
    EXPECT_NEAR(audio.duration_s(), 1.0, 0.05);
  }
  EXPECT_GT(test::rms(audio.samples), 3000.0);
}

TEST_P(FileSink, WithoutFinishLeavesTheOlderFileUntouched) {
  const FormatCase& c = GetParam();
  const test::TempDir dir;
  const std::string path = dir.file("story." + c.extension);
  test::write_file(path, std::string(kOldContent));
  {
    const std::unique_ptr<AudioSink> sink = open_file_sink(path, c.format, kVoiceFormat);
    sink->write(sine(kVoiceFormat, 0.5));
    EXPECT_EQ(entries_in(dir.path()), 2u);  // the older file and the temporary one
  }
  EXPECT_EQ(test::read_file(path), kOldContent);
  EXPECT_EQ(entries_in(dir.path()), 1u);
}

INSTANTIATE_TEST_SUITE_P(Formats, FileSink,
                         ::testing::Values(FormatCase{AudioFormat::kWav, "wav", true},
                                           FormatCase{AudioFormat::kFlac, "flac", true},
                                           FormatCase{AudioFormat::kMp3, "mp3", false},
                                           FormatCase{AudioFormat::kOgg, "ogg", false}),
                         [](const auto& info) { return info.param.extension; });

// Opus at a rate it takes decodes back at that rate, with its tags as Vorbis comments (OpusTags).
TEST(FileSinkShapes, OpusAt48000DecodesBackWithItsTags) {
  const test::TempDir dir;
  const std::string path = dir.file("tone.opus");
  constexpr StreamFormat kOpus{48000, 1};
  EncoderOptions options;
  options.tags.title = "Łukašenka's speech";
  options.tags.artist = "A. Writer";
  {
    const std::unique_ptr<AudioSink> sink =
        open_file_sink(path, AudioFormat::kOpus, kOpus, options);
    sink->write(sine(kOpus, 1.0));
    sink->finish();
  }
  const test::DecodedAudio audio = test::decode_file(path);
  EXPECT_EQ(audio.sample_rate_hz, 48000);
  EXPECT_EQ(audio.channels, 1);
  EXPECT_NEAR(audio.duration_s(), 1.0, 0.05);
  EXPECT_GT(test::rms(audio.samples), 3000.0);
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
  const char* title = sf_get_string(file, SF_STR_TITLE);
  const char* artist = sf_get_string(file, SF_STR_ARTIST);
  EXPECT_STREQ(title, "Łukašenka's speech");
  EXPECT_STREQ(artist, "A. Writer");
  sf_close(file);
}

// The sink itself refuses a rate Opus does not take, naming the ones it does, and leaves no file.
TEST(FileSinkShapes, OpusAt22050IsAUsageError) {
  const test::TempDir dir;
  try {
    open_file_sink(dir.file("tone.opus"), AudioFormat::kOpus, kVoiceFormat);
    FAIL() << "22050 Hz Opus was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kUsage);
    EXPECT_NE(std::string(error.what()).find("8000, 12000, 16000, 24000 or 48000 Hz"),
              std::string::npos)
        << error.what();
  }
  EXPECT_EQ(entries_in(dir.path()), 0u);
}

TEST(FileSinkShapes, StereoAt44100RoundTripsAsWav) {
  const test::TempDir dir;
  constexpr StreamFormat kStereo{44100, 2};
  const std::vector<std::int16_t> input = sine(kStereo, 0.25);
  const std::unique_ptr<AudioSink> sink =
      open_file_sink(dir.file("s.wav"), AudioFormat::kWav, kStereo);
  sink->write(input);
  sink->finish();
  const test::DecodedAudio audio = test::decode_file(dir.file("s.wav"));
  EXPECT_EQ(audio.sample_rate_hz, 44100);
  EXPECT_EQ(audio.channels, 2);
  EXPECT_EQ(audio.samples, input);
  EXPECT_THROW(sink->write(input), Error) << "write after finish";
}

TEST(FileSinkErrors, MissingFolderIsAnOutputErrorNamingThePath) {
  const test::TempDir dir;
  const std::string path = dir.file("missing/out.wav");
  try {
    open_file_sink(path, AudioFormat::kWav, kVoiceFormat);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kOutput);
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("No such file or directory"), std::string::npos);
  }
}

TEST(FileSinkErrors, ReadOnlyFolderIsAnOutputError) {
  if (geteuid() == 0)
    GTEST_SKIP() << "root ignores folder permissions; the CLI test covers "
                    "root with a read-only file system";
  const test::TempDir dir;
  fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(open_file_sink(dir.file("out.wav"), AudioFormat::kWav, kVoiceFormat), Error);
}

TEST(FileSinkErrors, PartialFrameIsRejected) {
  const test::TempDir dir;
  const std::unique_ptr<AudioSink> sink =
      open_file_sink(dir.file("s.wav"), AudioFormat::kWav, StreamFormat{22050, 2});
  const std::vector<std::int16_t> three(3, 0);
  EXPECT_THROW(sink->write(three), Error);
}

TEST(FileSinkErrors, RemovePendingFilesTakesEveryUncommittedTemporaryFile) {
  // The CLI's last resort before exiting without unwinding: no temporary file may stay behind.
  const test::TempDir dir;
  test::write_file(dir.file("out.wav"), std::string(kOldContent));
  const std::unique_ptr<AudioSink> sink =
      open_file_sink(dir.file("out.wav"), AudioFormat::kWav, kVoiceFormat);
  PendingFile marks(dir.file("out.jsonl"));
  sink->write(sine(kVoiceFormat, 0.5));
  EXPECT_EQ(entries_in(dir.path()), 3u);  // the older file and two temporary files
  remove_pending_files();
  EXPECT_EQ(entries_in(dir.path()), 1u);
  EXPECT_EQ(test::read_file(dir.file("out.wav")), kOldContent);
  EXPECT_THROW(marks.commit("{}"), Error);  // its temporary file is gone
  EXPECT_EQ(entries_in(dir.path()), 1u);
}

// The mode and symlink policy (README, "Files narrate writes").
mode_t mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

void write_tone(const std::string& path) {
  const std::unique_ptr<AudioSink> sink = open_file_sink(path, AudioFormat::kWav, kVoiceFormat);
  sink->write(sine(kVoiceFormat, 0.25));
  sink->finish();
}

TEST(FileSinkPolicy, AReplacedFileKeepsItsModeAndANewOneFollowsTheUmask) {
  const test::TempDir dir;
  const std::string private_path = dir.file("private.wav");
  test::write_file(private_path, std::string(kOldContent));
  ASSERT_EQ(::chmod(private_path.c_str(), 0600), 0);
  write_tone(private_path);
  EXPECT_EQ(mode_of(private_path), 0600u) << "a private narration became readable by others";
  EXPECT_EQ(test::decode_file(private_path).samples, sine(kVoiceFormat, 0.25));

  const mode_t umask_bits = ::umask(022);
  ::umask(umask_bits);  // read back: the umask the process had
  const std::string new_path = dir.file("new.jsonl");
  PendingFile marks(new_path);
  marks.commit("{}\n");
  EXPECT_EQ(mode_of(new_path), 0666u & ~umask_bits);
}

TEST(FileSinkPolicy, ASymlinkIsWrittenThroughAndStaysALink) {
  const test::TempDir dir;
  fs::create_directory(dir.path() / "real");
  const std::string target = dir.file("real/story.wav");
  test::write_file(target, std::string(kOldContent));
  fs::create_symlink("real/story.wav", dir.path() / "link.wav");  // relative to the link's folder
  write_tone(dir.file("link.wav"));
  EXPECT_TRUE(fs::is_symlink(dir.path() / "link.wav")) << "the link was replaced by a file";
  EXPECT_EQ(test::decode_file(target).samples, sine(kVoiceFormat, 0.25));
  EXPECT_EQ(entries_in(dir.path() / "real"), 1u) << "a temporary file was left beside the target";

  // A link to a file that does not exist yet (through a second link) creates that file.
  fs::create_symlink(dir.path() / "real/new.wav", dir.path() / "second.wav");
  fs::create_symlink("second.wav", dir.path() / "first.wav");
  PendingFile through(dir.file("first.wav"));
  through.commit("text");
  EXPECT_TRUE(fs::is_symlink(dir.path() / "first.wav"));
  EXPECT_TRUE(fs::is_symlink(dir.path() / "second.wav"));
  EXPECT_EQ(test::read_file(dir.path() / "real/new.wav"), "text");
}

TEST(FileSinkPolicy, ATemporaryFileIsNamedAfterItsTargetAndThisProcess) {
  const test::TempDir dir;
  PendingFile marks(dir.file("story.jsonl"));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename().string());
  }
  ASSERT_EQ(names.size(), 1u);
  EXPECT_TRUE(names[0].starts_with(".story.jsonl." + std::to_string(::getpid()) + ".")) << names[0];
  EXPECT_EQ(detail::pid_of_temp_name(names[0]), ::getpid()) << names[0];
}

TEST(FileSinkPolicy, OnlyExactlyThatNamingIsRecognized) {
  EXPECT_EQ(detail::pid_of_temp_name(".out.wav.1234.0badf00d.part"), 1234);
  EXPECT_EQ(detail::pid_of_temp_name(".a.b.c.7.deadbeef.part"), 7);
  for (const char* name :
       {"out.wav.1234.0badf00d.part", ".out.wav.1234.0badf00d.partial",
        ".out.wav.1234.0BADF00D.part", ".out.wav.1234.badf00d.part", ".out.wav.0123.0badf00d.part",
        ".out.wav.-12.0badf00d.part", ".1234.0badf00d.part", "..1234.0badf00d.part",
        ".out.wav..0badf00d.part", ".out.wav.12345678901.0badf00d.part",
        ".out.wav.12a4.0badf00d.part", ".part"}) {
    EXPECT_EQ(detail::pid_of_temp_name(name), 0) << name;
  }
}

}  // namespace
}  // namespace narrator
