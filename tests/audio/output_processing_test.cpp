// Output processing: loudness reaches its target under the true-peak ceiling (measured here with
// libebur128 on its own), resampling and channel mapping keep duration and pitch, and a failure
// leaves neither a finished sink nor a temporary file.
#include "narrator/audio/output_processing.hpp"

#include <ebur128.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <ostream>
#include <string>
#include <vector>

#include "audio_analysis.hpp"
#include "narrator/audio/file_sinks.hpp"
#include "narrator/audio/memory_sink.hpp"
#include "narrator/error.hpp"
#include "temp_dir.hpp"

namespace narrator {
namespace {

namespace fs = std::filesystem;

constexpr StreamFormat kVoiceFormat{22050, 1};
constexpr std::size_t kWriteFrames = 1000;    // uneven pieces, as sentences come
constexpr double kLoudnessToleranceLu = 0.5;  // the brief's ±0.5 LU
constexpr double kPeakToleranceDb = 0.1;      // libebur128's true peak is an estimate
constexpr double kQuietPeak = 1200.0;         // 16-bit units: roughly -30 LUFS
constexpr double kLoudPeak = 32000.0;         // near full scale
constexpr double kToneHz = 440.0;

// A voice-like signal: a 140 Hz fundamental with falling harmonics, shaped into four syllables a
// second, with a quarter-second pause ending every second (the gate must skip those).
std::vector<std::int16_t> speech_like(int rate_hz, double seconds, double peak) {
  constexpr double kFundamentalHz = 140.0;
  constexpr double kHarmonics[][2] = {{1, 1.0}, {2, 0.6}, {3, 0.4}, {5, 0.3}, {9, 0.2}, {18, 0.1}};
  double amplitude_sum = 0.0;
  for (const auto& h : kHarmonics) amplitude_sum += h[1];
  const auto frames = static_cast<std::size_t>(seconds * rate_hz);
  std::vector<std::int16_t> samples(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate_hz;
    const double in_second = t - std::floor(t);
    const double envelope =
        in_second < 0.75 ? 0.5 * (1.0 - std::cos(2.0 * std::numbers::pi * 4.0 * t)) : 0.0;
    double voice = 0.0;
    for (const auto& h : kHarmonics) {
      voice += h[1] * std::sin(2.0 * std::numbers::pi * kFundamentalHz * h[0] * t);
    }
    samples[i] = static_cast<std::int16_t>(std::lround(peak * envelope * voice / amplitude_sum));
  }
  return samples;
}

std::vector<std::int16_t> tone(int rate_hz, double seconds) {
  const auto frames = static_cast<std::size_t>(seconds * rate_hz);
  std::vector<std::int16_t> samples(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    samples[i] = static_cast<std::int16_t>(
        std::lround(10000.0 * std::sin(2.0 * std::numbers::pi * kToneHz * i / rate_hz)));
  }
  return samples;
}

struct Loudness {
  double integrated_lufs = 0.0;
  double true_peak_dbtp = 0.0;
};

struct Ebur128Destroyer {
  void operator()(ebur128_state* state) const noexcept { ebur128_destroy(&state); }
};

// Measured here, apart from the code under test: plain gated integration, no histogram.
Loudness measure(std::span<const std::int16_t> samples, StreamFormat format) {
  const std::unique_ptr<ebur128_state, Ebur128Destroyer> state(ebur128_init(
      static_cast<unsigned>(format.channels), static_cast<unsigned long>(format.sample_rate_hz),
      EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
  EXPECT_NE(state, nullptr);
  if (!state) return {};
  const std::size_t frames = samples.size() / static_cast<std::size_t>(format.channels);
  EXPECT_EQ(ebur128_add_frames_short(state.get(), samples.data(), frames), EBUR128_SUCCESS);
  Loudness result;
  EXPECT_EQ(ebur128_loudness_global(state.get(), &result.integrated_lufs), EBUR128_SUCCESS);
  double peak = 0.0;
  for (int channel = 0; channel < format.channels; ++channel) {
    double channel_peak = 0.0;
    EXPECT_EQ(ebur128_true_peak(state.get(), static_cast<unsigned>(channel), &channel_peak),
              EBUR128_SUCCESS);
    peak = std::max(peak, channel_peak);
  }
  result.true_peak_dbtp = 20.0 * std::log10(peak);
  return result;
}

std::size_t entries_in(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

// Writes `input` in pieces through process_output() into a MemorySink and returns what arrived.
// Checks on the way that the spool never shows up in the temporary folder.
std::vector<std::int16_t> run(const std::vector<std::int16_t>& input, StreamFormat format,
                              const OutputProcessing& processing) {
  const test::TempDir spool_dir;
  auto memory = std::make_unique<MemorySink>(processed_format(format, processing));
  MemorySink& out = *memory;
  const std::unique_ptr<AudioSink> sink =
      process_output(std::move(memory), format, processing, spool_dir.path().string());
  EXPECT_EQ(sink->format(), format);
  const std::size_t step = kWriteFrames * static_cast<std::size_t>(format.channels);
  for (std::size_t at = 0; at < input.size(); at += step) {
    sink->write(std::span(input).subspan(at, std::min(step, input.size() - at)));
  }
  EXPECT_EQ(entries_in(spool_dir.path()), 0u) << "the spool file has a name";
  sink->finish();
  EXPECT_TRUE(out.finished());
  return out.samples();
}

double crossings_per_second(std::span<const std::int16_t> samples, int rate_hz) {
  std::size_t crossings = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    if ((samples[i - 1] < 0) != (samples[i] < 0)) ++crossings;
  }
  return static_cast<double>(crossings) * rate_hz / static_cast<double>(samples.size());
}

std::vector<std::int16_t> channel(std::span<const std::int16_t> interleaved, int index) {
  std::vector<std::int16_t> one;
  for (std::size_t i = static_cast<std::size_t>(index); i < interleaved.size(); i += 2) {
    one.push_back(interleaved[i]);
  }
  return one;
}

class LoudnessTarget : public ::testing::TestWithParam<double> {};

TEST_P(LoudnessTarget, QuietSpeechReachesTheTargetUnderTheCeiling) {
  const double target_lufs = GetParam();
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 8.0, kQuietPeak);
  const Loudness before = measure(input, kVoiceFormat);
  ASSERT_LT(before.integrated_lufs, target_lufs - 5.0) << "the input must need a real gain";

  const std::vector<std::int16_t> output = run(input, kVoiceFormat, {.loudness_lufs = target_lufs});
  ASSERT_EQ(output.size(), input.size());
  const Loudness after = measure(output, kVoiceFormat);
  EXPECT_NEAR(after.integrated_lufs, target_lufs, kLoudnessToleranceLu)
      << "input was " << before.integrated_lufs << " LUFS";
  EXPECT_LE(after.true_peak_dbtp, -1.0 + kPeakToleranceDb);
}

INSTANTIATE_TEST_SUITE_P(OutputProcessing, LoudnessTarget, ::testing::Values(-16.0, -23.0),
                         [](const ::testing::TestParamInfo<double>& info) {
                           return "Minus" + std::to_string(std::lround(-info.param)) + "Lufs";
                         });

TEST(OutputProcessing, LimiterMeetsALoudTargetUnderTheCeiling) {
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 8.0, kLoudPeak);
  const Loudness before = measure(input, kVoiceFormat);
  // Reaching -11.5 LUFS needs more gain than the headroom under -1 dBTP: one gain alone could not.
  ASSERT_GT(-11.5 - before.integrated_lufs, -1.0 - before.true_peak_dbtp);

  const std::vector<std::int16_t> output = run(input, kVoiceFormat, {.loudness_lufs = -11.5});
  const Loudness after = measure(output, kVoiceFormat);
  EXPECT_LE(after.true_peak_dbtp, -1.0 + kPeakToleranceDb);
  EXPECT_NEAR(after.integrated_lufs, -11.5, kLoudnessToleranceLu)
      << "the limiter holds the peaks down so that the target is met";
  EXPECT_EQ(output.size(), input.size()) << "the limiter's look-ahead adds or loses nothing";
}

TEST(OutputProcessing, CustomCeilingIsHonoured) {
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 4.0, kQuietPeak);
  const std::vector<std::int16_t> output =
      run(input, kVoiceFormat, {.loudness_lufs = -5.0, .true_peak_ceiling_dbtp = -6.0});
  const double peak = measure(output, kVoiceFormat).true_peak_dbtp;
  EXPECT_LE(peak, -6.0 + kPeakToleranceDb);
  EXPECT_GE(peak, -6.0 - 1.5) << "held just under the ceiling (the limiter keeps 1 dB of margin)";
}

TEST(OutputProcessing, SilenceStaysSilent) {
  const std::vector<std::int16_t> input(static_cast<std::size_t>(kVoiceFormat.sample_rate_hz) * 3,
                                        0);
  const std::vector<std::int16_t> output = run(input, kVoiceFormat, {.loudness_lufs = -16.0});
  ASSERT_EQ(output.size(), input.size());
  EXPECT_TRUE(std::all_of(output.begin(), output.end(), [](std::int16_t s) { return s == 0; }));
}

TEST(OutputProcessing, WithoutOptionsSamplesPassUnchanged) {
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 1.0, kLoudPeak);
  EXPECT_EQ(run(input, kVoiceFormat, {}), input);
}

class Resampling : public ::testing::TestWithParam<int> {};

TEST_P(Resampling, MonoToStereoKeepsDurationAndPitch) {
  const int rate_hz = GetParam();
  constexpr double kSeconds = 2.0;
  const std::vector<std::int16_t> input = tone(kVoiceFormat.sample_rate_hz, kSeconds);
  const std::vector<std::int16_t> output =
      run(input, kVoiceFormat, {.sample_rate_hz = rate_hz, .channels = 2});

  ASSERT_EQ(output.size() % 2, 0u);
  const double expected_frames =
      static_cast<double>(input.size()) * rate_hz / kVoiceFormat.sample_rate_hz;
  EXPECT_NEAR(static_cast<double>(output.size() / 2), expected_frames, 2.0);
  const std::vector<std::int16_t> left = channel(output, 0);
  EXPECT_EQ(left, channel(output, 1)) << "mono must reach both channels unchanged";
  EXPECT_NEAR(crossings_per_second(left, rate_hz), 2.0 * kToneHz, 2.0);
  EXPECT_NEAR(test::rms(left), test::rms(input), test::rms(input) * 0.02);
}

INSTANTIATE_TEST_SUITE_P(OutputProcessing, Resampling, ::testing::Values(44100, 48000),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return "To" + std::to_string(info.param) + "Hz";
                         });

TEST(OutputProcessing, StereoToMonoAveragesTheChannels) {
  const StreamFormat stereo{kVoiceFormat.sample_rate_hz, 2};
  const std::vector<std::int16_t> input = {100, 300, -5, -6, 32767, 32767, -32768, -32768};
  EXPECT_EQ(run(input, stereo, {.channels = 1}),
            (std::vector<std::int16_t>{200, -5, 32767, -32768}));
}

// The whole chain into a real file: decoded back, it has the format and the loudness asked for.
TEST(OutputProcessing, NormalizedResampledWavDecodesAtTheTarget) {
  const test::TempDir dir;
  const std::string path = dir.file("article.wav");
  const OutputProcessing processing{.loudness_lufs = -16.0, .sample_rate_hz = 48000, .channels = 2};
  const StreamFormat out_format = processed_format(kVoiceFormat, processing);
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 6.0, kQuietPeak);
  {
    const std::unique_ptr<AudioSink> sink =
        process_output(open_file_sink(path, AudioFormat::kWav, out_format), kVoiceFormat,
                       processing, dir.path().string());
    sink->write(input);
    sink->finish();
  }
  EXPECT_EQ(entries_in(dir.path()), 1u) << "a temporary file was left behind";
  const test::DecodedAudio audio = test::decode_file(path);
  EXPECT_EQ(audio.sample_rate_hz, 48000);
  EXPECT_EQ(audio.channels, 2);
  EXPECT_NEAR(audio.duration_s(), 6.0, 0.001);
  const Loudness after = measure(audio.samples, out_format);
  EXPECT_NEAR(after.integrated_lufs, -16.0, kLoudnessToleranceLu);
  EXPECT_LE(after.true_peak_dbtp, -1.0 + kPeakToleranceDb);
}

TEST(OutputProcessing, DestroyedWithoutFinishLeavesNoFile) {
  const test::TempDir dir;
  const std::string path = dir.file("article.wav");
  {
    const std::unique_ptr<AudioSink> sink =
        process_output(open_file_sink(path, AudioFormat::kWav, kVoiceFormat), kVoiceFormat,
                       {.loudness_lufs = -16.0}, dir.path().string());
    sink->write(speech_like(kVoiceFormat.sample_rate_hz, 1.0, kQuietPeak));
  }
  EXPECT_EQ(entries_in(dir.path()), 0u);
}

// Counts calls; its write() fails as a full disk would.
class FailingSink final : public AudioSink {
 public:
  FailingSink(StreamFormat format, int& finish_calls)
      : format_(format), finish_calls_(finish_calls) {}
  StreamFormat format() const noexcept override { return format_; }
  void write(std::span<const std::int16_t>) override {
    throw Error(ErrorCategory::kOutput, "disk full");
  }
  void finish() override { ++finish_calls_; }

 private:
  StreamFormat format_;
  int& finish_calls_;
};

TEST(OutputProcessing, InnerWriteFailurePropagatesAndNeverFinishesTheInnerSink) {
  const test::TempDir spool_dir;
  int finish_calls = 0;
  const std::unique_ptr<AudioSink> sink =
      process_output(std::make_unique<FailingSink>(kVoiceFormat, finish_calls), kVoiceFormat,
                     {.loudness_lufs = -16.0}, spool_dir.path().string());
  sink->write(speech_like(kVoiceFormat.sample_rate_hz, 1.0, kQuietPeak));  // spooled only
  try {
    sink->finish();
    FAIL() << "finish() returned although the inner sink failed";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kOutput);
    EXPECT_STREQ(error.what(), "disk full");
  }
  EXPECT_EQ(finish_calls, 0);
}

TEST(OutputProcessing, MissingTempFolderIsAnOutputErrorNamingIt) {
  const test::TempDir dir;
  const std::string missing = dir.file("no-such-folder");
  try {
    process_output(std::make_unique<MemorySink>(kVoiceFormat), kVoiceFormat,
                   {.loudness_lufs = -16.0}, missing);
    FAIL() << "no error for a missing temporary folder";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kOutput);
    EXPECT_NE(std::string(error.what()).find(missing), std::string::npos) << error.what();
  }
}

TEST(OutputProcessing, InnerSinkInTheWrongFormatIsRejected) {
  EXPECT_THROW(process_output(std::make_unique<MemorySink>(kVoiceFormat), kVoiceFormat,
                              {.sample_rate_hz = 48000}, "."),
               Error);
}

TEST(OutputProcessing, ProcessedFormatReplacesOnlyWhatIsSet) {
  EXPECT_EQ(processed_format(kVoiceFormat, {}), kVoiceFormat);
  EXPECT_EQ(processed_format(kVoiceFormat, {.channels = 2}), (StreamFormat{22050, 2}));
  EXPECT_EQ(processed_format(kVoiceFormat, {.sample_rate_hz = 44100}), (StreamFormat{44100, 1}));
}

TEST(OutputProcessing, OnlyMp3HasADefaultLoudness) {
  EXPECT_EQ(default_loudness_lufs(AudioFormat::kMp3), -16.0);
  for (const AudioFormat format : {AudioFormat::kWav, AudioFormat::kFlac, AudioFormat::kOgg,
                                   AudioFormat::kOpus, AudioFormat::kRaw}) {
    EXPECT_EQ(default_loudness_lufs(format), std::nullopt) << audio_format_name(format);
    EXPECT_EQ(with_format_defaults({}, format, kVoiceFormat).loudness_lufs, std::nullopt);
  }
  EXPECT_EQ(with_format_defaults({}, AudioFormat::kMp3, kVoiceFormat).loudness_lufs, -16.0);
  EXPECT_EQ(
      with_format_defaults({.loudness_lufs = -23.0}, AudioFormat::kMp3, kVoiceFormat).loudness_lufs,
      -23.0)
      << "a level the caller gives wins";
  EXPECT_EQ(
      with_format_defaults({.keep_level = true}, AudioFormat::kMp3, kVoiceFormat).loudness_lufs,
      std::nullopt)
      << "keep_level turns the default off";
}

// Opus takes only 8000, 12000, 16000, 24000 and 48000 Hz: the voice's 22050 Hz becomes 48000 Hz
// unless the caller chose a rate Opus takes; a rate it cannot take is the caller's mistake.
TEST(OutputProcessing, OpusGetsARateItTakes) {
  EXPECT_EQ(with_format_defaults({}, AudioFormat::kOpus, kVoiceFormat).sample_rate_hz, 48000);
  EXPECT_EQ(with_format_defaults({}, AudioFormat::kOpus, StreamFormat{16000, 1}).sample_rate_hz, 0)
      << "a rate Opus takes is kept";
  EXPECT_EQ(with_format_defaults({.sample_rate_hz = 24000}, AudioFormat::kOpus, kVoiceFormat)
                .sample_rate_hz,
            24000);
  EXPECT_EQ(with_format_defaults({}, AudioFormat::kOgg, kVoiceFormat).sample_rate_hz, 0);
  try {
    with_format_defaults({.sample_rate_hz = 44100}, AudioFormat::kOpus, kVoiceFormat);
    FAIL() << "44100 Hz Opus was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::kUsage);
    EXPECT_NE(std::string(error.what()).find("8000, 12000, 16000, 24000 or 48000 Hz"),
              std::string::npos)
        << error.what();
  }
}

// open_output_file() is what the library's callers and narrate use: an MP3 comes out at the
// format's default loudness, a WAV with the samples as they went in.
TEST(OutputProcessing, OutputFileAppliesTheFormatsDefaultLoudness) {
  const test::TempDir dir;
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 8.0, kQuietPeak);
  for (const std::string name : {"quiet.mp3", "quiet.wav"}) {
    const std::string path = dir.file(name);
    const AudioFormat format = *audio_format_from_path(path);
    const std::unique_ptr<AudioSink> sink = open_output_file(path, format, kVoiceFormat);
    EXPECT_EQ(sink->format(), kVoiceFormat);
    sink->write(input);
    sink->finish();
    const test::DecodedAudio decoded = test::decode_file(path);
    ASSERT_EQ(decoded.sample_rate_hz, kVoiceFormat.sample_rate_hz) << name;
    if (format == AudioFormat::kWav) {
      EXPECT_EQ(decoded.samples, input) << "WAV keeps the level as it is";
    } else {
      const Loudness loudness = measure(decoded.samples, kVoiceFormat);
      EXPECT_NEAR(loudness.integrated_lufs, -16.0, kLoudnessToleranceLu);
    }
  }
  EXPECT_EQ(entries_in(dir.path()), 2u) << "no spool or temporary file is left";
}

// One-pass loudness (stream_gain_db): a fixed gain, then the true-peak limiter, streaming.

// A sine at a quarter of the rate, a quarter period off the samples: every sample lands at 0.707
// of the wave's peak, so the true peak is 3 dB above the highest sample. A limiter that looked
// only at samples would let it through 3 dB over the ceiling.
std::vector<std::int16_t> quarter_rate_tone(int rate_hz, double seconds, double peak) {
  const auto frames = static_cast<std::size_t>(seconds * rate_hz);
  std::vector<std::int16_t> samples(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    samples[i] = static_cast<std::int16_t>(std::lround(
        peak * std::sin(std::numbers::pi / 2.0 * static_cast<double>(i) + std::numbers::pi / 4.0)));
  }
  return samples;
}

std::vector<std::int16_t> gained(const std::vector<std::int16_t>& input, double gain_db) {
  const double factor = std::pow(10.0, gain_db / 20.0);
  std::vector<std::int16_t> out;
  for (const std::int16_t sample : input) {
    out.push_back(static_cast<std::int16_t>(std::lround(sample * factor)));
  }
  return out;
}

TEST(OnePassLoudness, QuietAudioPassesUnchangedApartFromTheGain) {
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 2.0, kQuietPeak);
  const std::vector<std::int16_t> output = run(input, kVoiceFormat, {.stream_gain_db = 6.0});
  ASSERT_EQ(output.size(), input.size()) << "the look-ahead adds or loses nothing";
  EXPECT_EQ(output, gained(input, 6.0)) << "far under the ceiling, the limiter does nothing";
}

TEST(OnePassLoudness, ALoudBurstIsHeldUnderTheCeilingAndTheQuietPartUntouched) {
  constexpr int kRateHz = kVoiceFormat.sample_rate_hz;
  constexpr double kGainDb = 12.0;
  std::vector<std::int16_t> input = speech_like(kRateHz, 2.0, kQuietPeak);
  const std::size_t burst_at = input.size();
  const std::vector<std::int16_t> burst = speech_like(kRateHz, 0.5, kLoudPeak);
  input.insert(input.end(), burst.begin(), burst.end());
  const std::vector<std::int16_t> quiet_tail = speech_like(kRateHz, 2.0, kQuietPeak);
  input.insert(input.end(), quiet_tail.begin(), quiet_tail.end());

  const std::vector<std::int16_t> output = run(input, kVoiceFormat, {.stream_gain_db = kGainDb});
  ASSERT_EQ(output.size(), input.size());
  EXPECT_LE(measure(output, kVoiceFormat).true_peak_dbtp, -1.0 + kPeakToleranceDb);
  // The limiter acts only within its look-ahead before the burst and its release after it.
  const std::size_t untouched_before = burst_at - static_cast<std::size_t>(kRateHz) / 100;
  const std::vector<std::int16_t> expected = gained(input, kGainDb);
  EXPECT_TRUE(std::equal(output.begin(), output.begin() + untouched_before, expected.begin()))
      << "the quiet audio before the burst is only gained";
  const std::size_t recovered_at = burst_at + burst.size() + static_cast<std::size_t>(kRateHz);
  EXPECT_TRUE(std::equal(output.begin() + recovered_at, output.end(),
                         expected.begin() + recovered_at,
                         [](std::int16_t a, std::int16_t b) { return std::abs(a - b) <= 1; }))
      << "a second after the burst the gain has recovered";
}

TEST(OnePassLoudness, InterSamplePeaksAreHeldUnderTheCeiling) {
  const std::vector<std::int16_t> input =
      quarter_rate_tone(kVoiceFormat.sample_rate_hz, 1.0, 30000.0);
  const std::vector<std::int16_t> output =
      run(input, kVoiceFormat, {.stream_gain_db = 0.0, .true_peak_ceiling_dbtp = -3.0});
  const Loudness before = measure(input, kVoiceFormat);
  ASSERT_GT(before.true_peak_dbtp, -1.0) << "the test signal must have its true peak high";
  const double sample_peak = *std::max_element(output.begin(), output.end());
  EXPECT_LE(measure(output, kVoiceFormat).true_peak_dbtp, -3.0 + kPeakToleranceDb);
  EXPECT_LE(20.0 * std::log10(sample_peak / 32767.0), -5.5)
      << "the samples sit 3 dB under the true peak";
}

TEST(OnePassLoudness, StereoAtAnotherRateKeepsBothChannelsEqualAndUnderTheCeiling) {
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 2.0, kLoudPeak);
  const OutputProcessing processing{.stream_gain_db = 10.0,
                                    .true_peak_ceiling_dbtp = -2.0,
                                    .sample_rate_hz = 44100,
                                    .channels = 2};
  const std::vector<std::int16_t> output = run(input, kVoiceFormat, processing);
  const StreamFormat stereo{44100, 2};
  EXPECT_LE(measure(output, stereo).true_peak_dbtp, -2.0 + kPeakToleranceDb);
  EXPECT_EQ(channel(output, 0), channel(output, 1));
  EXPECT_NEAR(static_cast<double>(output.size()) / 2.0, static_cast<double>(input.size()) * 2.0,
              100.0);
}

// Streaming: each write() passes on all it was given but the look-ahead's few milliseconds.
TEST(OnePassLoudness, EachWritePassesAudioOnAtOnce) {
  auto memory = std::make_unique<MemorySink>(kVoiceFormat);
  const MemorySink& out = *memory;
  const std::unique_ptr<AudioSink> sink =
      process_output(std::move(memory), kVoiceFormat, {.stream_gain_db = 3.0}, "/nonexistent");
  const std::vector<std::int16_t> input = speech_like(kVoiceFormat.sample_rate_hz, 1.0, kLoudPeak);
  // 5 ms of look-ahead and 6 frames of interpolation.
  const std::size_t max_latency_frames =
      static_cast<std::size_t>(kVoiceFormat.sample_rate_hz) * 5 / 1000 + 6;
  std::size_t written = 0;
  for (std::size_t at = 0; at < input.size(); at += kWriteFrames) {
    const std::size_t count = std::min(kWriteFrames, input.size() - at);
    sink->write(std::span(input).subspan(at, count));
    written += count;
    EXPECT_EQ(out.samples().size(), written - std::min(written, max_latency_frames));
  }
  EXPECT_FALSE(out.finished());
  sink->finish();
  EXPECT_TRUE(out.finished());
  EXPECT_EQ(out.samples().size(), input.size());
}

TEST(OnePassLoudness, StreamGainReplacesTheFormatsDefaultLoudness) {
  const OutputProcessing resolved =
      with_format_defaults({.stream_gain_db = 4.0}, AudioFormat::kMp3, kVoiceFormat);
  EXPECT_EQ(resolved.loudness_lufs, std::nullopt) << "no second pass";
  EXPECT_EQ(resolved.stream_gain_db, 4.0);
}

struct BadOption {
  std::string name;  // the test's name
  OutputProcessing processing;
  std::string field;
  friend void PrintTo(const BadOption& bad, std::ostream* out) { *out << bad.name; }
};

class BadOptions : public ::testing::TestWithParam<BadOption> {};

TEST_P(BadOptions, AreUsageErrorsNamingTheField) {
  const BadOption& bad = GetParam();
  for (const bool through_sink : {false, true}) {
    try {
      if (through_sink) {
        process_output(std::make_unique<MemorySink>(kVoiceFormat), kVoiceFormat, bad.processing,
                       ".");
      } else {
        processed_format(kVoiceFormat, bad.processing);
      }
      ADD_FAILURE() << "no error for a bad " << bad.field;
    } catch (const Error& error) {
      EXPECT_EQ(error.category(), ErrorCategory::kUsage);
      EXPECT_NE(std::string(error.what()).find(bad.field), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find("use "), std::string::npos) << error.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    OutputProcessing, BadOptions,
    ::testing::Values(
        BadOption{"LoudnessTooLow", {.loudness_lufs = -80.0}, "loudness_lufs"},
        BadOption{"LoudnessTooHigh", {.loudness_lufs = -4.0}, "loudness_lufs"},
        BadOption{"LoudnessNaN", {.loudness_lufs = std::nan("")}, "loudness_lufs"},
        BadOption{"CeilingAboveZero", {.true_peak_ceiling_dbtp = 0.5}, "true_peak_ceiling_dbtp"},
        BadOption{"CeilingTooLow", {.true_peak_ceiling_dbtp = -21.0}, "true_peak_ceiling_dbtp"},
        BadOption{"RateTooLow", {.sample_rate_hz = 4000}, "sample_rate_hz"},
        BadOption{"RateTooHigh", {.sample_rate_hz = 384000}, "sample_rate_hz"},
        BadOption{"ThreeChannels", {.channels = 3}, "channels"},
        BadOption{"NegativeChannels", {.channels = -1}, "channels"},
        BadOption{
            "LoudnessAndKeepLevel", {.loudness_lufs = -16.0, .keep_level = true}, "keep_level"},
        BadOption{"StreamGainTooHigh", {.stream_gain_db = 41.0}, "stream_gain_db"},
        BadOption{"StreamGainTooLow", {.stream_gain_db = -41.0}, "stream_gain_db"},
        BadOption{"StreamGainNaN", {.stream_gain_db = std::nan("")}, "stream_gain_db"},
        BadOption{"StreamGainAndLoudness",
                  {.loudness_lufs = -16.0, .stream_gain_db = 3.0},
                  "stream_gain_db"},
        BadOption{
            "StreamGainAndKeepLevel", {.keep_level = true, .stream_gain_db = 3.0}, "keep_level"}),
    [](const ::testing::TestParamInfo<BadOption>& info) { return info.param.name; });

}  // namespace
}  // namespace narrator
