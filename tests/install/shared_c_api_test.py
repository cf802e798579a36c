"""libnarrator.so from Python through ctypes, as the README shows it, with the real eSpeak NG voice
(and Flite's rms voice where the test says so).

    python3 shared_c_api_test.py LIBNARRATOR_SO WORK_DIR

Run by run_shared_api_test.sh against the installed library. Only the standard library is used.
"""

import ctypes
import math
import os
import sys
import threading
import unittest
import wave

NARRATOR_OK = 0
NARRATOR_ERR_CANCELLED = -6
NARRATOR_SEVERITY_WARNING = 1
NARRATOR_MARK_SENTENCE = 0
NARRATOR_MARK_WORD = 1

SILENCE_FLOOR_RMS = 300.0

ARTICLE = (
    "Harbour reopens after the storm\n"
    "\n"
    "The harbour at Millbrook reopened on Tuesday morning, and the café by the pier opened too. "
    "Ferries are back on their usual timetable. Aleinik took the first boat at 7:15 a.m.\n"
).encode("utf-8")

SSML = b'<speak>The word <lang xml:lang="xx-nowhere">bonjour</lang> is French.</speak>'


class Diagnostic(ctypes.Structure):
    _fields_ = [
        ("severity", ctypes.c_int),
        ("code", ctypes.c_char_p),
        ("message", ctypes.c_char_p),
        ("begin_byte", ctypes.c_size_t),
        ("end_byte", ctypes.c_size_t),
    ]


class Mark(ctypes.Structure):
    _fields_ = [
        ("kind", ctypes.c_int),
        ("frame", ctypes.c_uint64),
        ("time_ms", ctypes.c_uint64),
        ("begin_byte", ctypes.c_size_t),
        ("end_byte", ctypes.c_size_t),
        ("begin_char", ctypes.c_size_t),
        ("end_char", ctypes.c_size_t),
        ("value", ctypes.c_char_p),
    ]


class Chunk(ctypes.Structure):
    _fields_ = [
        ("samples", ctypes.POINTER(ctypes.c_int16)),
        ("frame_count", ctypes.c_size_t),
        ("sample_rate_hz", ctypes.c_int),
        ("channels", ctypes.c_int),
        ("first_frame", ctypes.c_uint64),
        ("sentence_index", ctypes.c_size_t),
        ("pause_frame_count", ctypes.c_size_t),
        ("marks", ctypes.POINTER(Mark)),
        ("mark_count", ctypes.c_size_t),
        ("is_last", ctypes.c_int),
    ]


WARNING_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.POINTER(Diagnostic), ctypes.c_void_p)
AUDIO_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_int16), ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
    ctypes.c_void_p)


def load(path):
    lib = ctypes.CDLL(path)
    engine_p, narration_p = ctypes.c_void_p, ctypes.c_void_p
    signatures = {
        "narrator_version": (ctypes.c_char_p, []),
        "narrator_create": (engine_p, []),
        "narrator_destroy": (None, [engine_p]),
        "narrator_set_option": (ctypes.c_int, [engine_p, ctypes.c_char_p, ctypes.c_char_p]),
        "narrator_last_error": (ctypes.c_char_p, [engine_p]),
        "narrator_set_warning_callback": (ctypes.c_int, [engine_p, WARNING_CALLBACK,
                                                         ctypes.c_void_p]),
        "narrator_cancel": (ctypes.c_int, [engine_p]),
        "narrator_synthesize_text": (ctypes.c_int, [engine_p, ctypes.c_char_p, ctypes.c_size_t,
                                                    AUDIO_CALLBACK, ctypes.c_void_p]),
        "narrator_start": (ctypes.c_int, [engine_p, ctypes.c_char_p, ctypes.c_size_t,
                                          ctypes.POINTER(narration_p)]),
        "narrator_next": (ctypes.c_int, [narration_p, ctypes.POINTER(ctypes.POINTER(Chunk))]),
        "narrator_chunk_free": (None, [ctypes.POINTER(Chunk)]),
        "narrator_narration_text": (ctypes.c_void_p, [narration_p,
                                                      ctypes.POINTER(ctypes.c_size_t)]),
        "narrator_narration_last_error": (ctypes.c_char_p, [narration_p]),
        "narrator_narration_free": (None, [narration_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


class Narrator:
    """An engine handle; chunks come out as (samples, sample_rate_hz, marks, is_last)."""

    def __init__(self, lib):
        self.lib = lib
        self.engine = lib.narrator_create()
        assert self.engine, "narrator_create returned NULL"

    def close(self):
        self.lib.narrator_destroy(self.engine)

    def error(self):
        return self.lib.narrator_last_error(self.engine).decode()

    def start(self, text):
        narration = ctypes.c_void_p()
        status = self.lib.narrator_start(self.engine, text, len(text), ctypes.byref(narration))
        assert status == NARRATOR_OK, f"narrator_start: {status}: {self.error()}"
        return narration

    def next(self, narration):
        """Returns (status, chunk as a dict or None)."""
        chunk_p = ctypes.POINTER(Chunk)()
        status = self.lib.narrator_next(narration, ctypes.byref(chunk_p))
        if status != NARRATOR_OK or not chunk_p:
            return status, None
        try:
            chunk = chunk_p.contents
            count = chunk.frame_count * chunk.channels
            marks = [chunk.marks[i] for i in range(chunk.mark_count)]
            return status, {
                "samples": chunk.samples[:count],
                "sample_rate_hz": chunk.sample_rate_hz,
                "first_frame": chunk.first_frame,
                "frame_count": chunk.frame_count,
                "marks": [(m.kind, m.frame, m.time_ms, m.begin_byte, m.end_byte, m.begin_char,
                           m.end_char, m.value.decode()) for m in marks],
                "is_last": bool(chunk.is_last),
            }
        finally:
            self.lib.narrator_chunk_free(chunk_p)

    def text(self, narration):
        length = ctypes.c_size_t()
        pointer = self.lib.narrator_narration_text(narration, ctypes.byref(length))
        return ctypes.string_at(pointer, length.value)


class SharedLibraryTest(unittest.TestCase):
    lib = None

    def setUp(self):
        self.narrator = Narrator(self.lib)
        self.addCleanup(self.narrator.close)

    def pull_all(self, text):
        narration = self.narrator.start(text)
        try:
            source = self.narrator.text(narration)
            chunks = []
            while True:
                status, chunk = self.narrator.next(narration)
                self.assertEqual(status, NARRATOR_OK,
                                 self.lib.narrator_narration_last_error(narration))
                if chunk is None:
                    return source, chunks
                chunks.append(chunk)
        finally:
            self.lib.narrator_narration_free(narration)

    def test_version(self):
        self.assertRegex(self.lib.narrator_version().decode(), r"^\d+\.\d+\.\d+$")

    def test_pull_api_chunks_are_speech_and_last_as_long_as_the_callback_api(self):
        source, chunks = self.pull_all(ARTICLE)
        self.assertEqual(source, ARTICLE)  # plain text: the input itself
        self.assertEqual(len(chunks), 4)
        self.assertTrue(chunks[-1]["is_last"])
        self.assertFalse(any(chunk["is_last"] for chunk in chunks[:-1]))
        rate_hz = chunks[0]["sample_rate_hz"]
        samples = [s for chunk in chunks for s in chunk["samples"]]
        rms = math.sqrt(sum(s * s for s in samples) / len(samples))
        self.assertGreater(rms, SILENCE_FLOOR_RMS)
        first = 0
        for chunk in chunks:
            self.assertEqual(chunk["sample_rate_hz"], rate_hz)
            self.assertEqual(chunk["first_frame"], first)
            first += chunk["frame_count"]

        pushed = []

        def on_audio(_samples, frame_count, _rate_hz, _channels, _user_data):
            pushed.append(frame_count)
            return 0

        callback = AUDIO_CALLBACK(on_audio)
        status = self.lib.narrator_synthesize_text(self.narrator.engine, ARTICLE, len(ARTICLE),
                                                   callback, None)
        self.assertEqual(status, NARRATOR_OK, self.narrator.error())
        self.assertGreater(len(samples) / rate_hz, 5.0)
        self.assertAlmostEqual(len(samples) / rate_hz, sum(pushed) / rate_hz, delta=0.1)

    def test_marks_are_in_order_and_slice_the_input_to_the_word(self):
        _, chunks = self.pull_all(ARTICLE)
        last_frame = 0
        words = []
        for chunk in chunks:
            self.assertEqual(chunk["marks"][0][0], NARRATOR_MARK_SENTENCE)
            end = chunk["first_frame"] + chunk["frame_count"]
            for mark in chunk["marks"]:
                kind, frame, time_ms, begin, end_byte, begin_char, end_char, value = mark
                self.assertGreaterEqual(frame, last_frame)
                self.assertLessEqual(frame, end)
                self.assertEqual(time_ms, frame * 1000 // chunk["sample_rate_hz"])
                last_frame = frame
                self.assertEqual(ARTICLE[begin:end_byte].decode(), value)
                self.assertEqual(len(ARTICLE[:begin].decode()), begin_char)
                self.assertEqual(len(ARTICLE[:end_byte].decode()), end_char)
                if kind == NARRATOR_MARK_WORD:
                    words.append(value)
        self.assertEqual(words[:3], ["Harbour", "reopens", "after"])
        self.assertIn("café", words)
        self.assertIn("Aleinik", words)

    def test_warning_callback_gets_each_call_its_own_warnings(self):
        warnings = []

        def on_warning(diagnostic, _user_data):
            d = diagnostic.contents
            warnings.append((d.severity, d.code.decode(), d.message.decode(), d.begin_byte,
                             d.end_byte))

        callback = WARNING_CALLBACK(on_warning)  # must outlive its use: kept in a variable
        self.lib.narrator_set_warning_callback(self.narrator.engine, callback, None)
        for _ in range(2):
            warnings.clear()
            self.pull_all(SSML)
            no_voice = [w for w in warnings if w[1] == "ssml.no_voice"]
            self.assertEqual(len(no_voice), 1, warnings)
            severity, _, message, begin, end = no_voice[0]
            self.assertEqual(severity, NARRATOR_SEVERITY_WARNING)
            self.assertIn("xx-nowhere", message)
            self.assertLess(begin, end)

    def test_cancel_from_another_thread_stops_a_narration(self):
        narration = self.narrator.start(ARTICLE)
        try:
            status, chunk = self.narrator.next(narration)
            self.assertEqual(status, NARRATOR_OK)
            self.assertIsNotNone(chunk)
            results = []
            canceller = threading.Thread(
                target=lambda: results.append(self.lib.narrator_cancel(self.narrator.engine)))
            canceller.start()
            canceller.join()
            self.assertEqual(results, [NARRATOR_OK])
            status, chunk = self.narrator.next(narration)
            self.assertEqual(status, NARRATOR_ERR_CANCELLED)
            self.assertIsNone(chunk)
            self.assertIn(b"cancel", self.lib.narrator_narration_last_error(narration))
        finally:
            self.lib.narrator_narration_free(narration)

    def test_cancel_from_another_thread_stops_a_file(self):
        work = sys.argv[2] if len(sys.argv) > 2 else "."
        article = os.path.join(work, "python-cancel.txt")
        output = os.path.join(work, "python-cancel.wav")
        with open(article, "wb") as f:
            f.write(ARTICLE)
        with open(output, "wb") as f:
            f.write(b"an older file")
        synthesizing, cancelled = threading.Event(), threading.Event()

        def on_warning(diagnostic, _user_data):
            # On the synthesis thread: hold it until the main thread has cancelled.
            if diagnostic.contents.code.startswith(b"lex."):
                synthesizing.set()
                cancelled.wait(timeout=300)

        callback = WARNING_CALLBACK(on_warning)
        self.lib.narrator_set_warning_callback(self.narrator.engine, callback, None)
        status = []
        self.lib.narrator_synthesize_file.restype = ctypes.c_int
        self.lib.narrator_synthesize_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                                      ctypes.c_char_p]
        worker = threading.Thread(target=lambda: status.append(self.lib.narrator_synthesize_file(
            self.narrator.engine, article.encode(), output.encode())))
        worker.start()
        self.assertTrue(synthesizing.wait(timeout=300), "no lexicon note during synthesis")
        self.assertEqual(self.lib.narrator_cancel(self.narrator.engine), NARRATOR_OK)
        cancelled.set()
        worker.join()
        self.assertEqual(status, [NARRATOR_ERR_CANCELLED], self.narrator.error())
        with open(output, "rb") as f:
            self.assertEqual(f.read(), b"an older file")

    def test_flite_file_on_several_threads_has_the_samples_of_the_pull_api(self):
        # narrator_synthesize_file synthesizes several sentences at once, the pull API one at a
        # time: Flite's noise, seeded per sentence inside the library, makes them the same bytes.
        for name, value in ((b"voice", b"rms"), (b"sentence_pause_ms", b"100")):
            status = self.lib.narrator_set_option(self.narrator.engine, name, value)
            self.assertEqual(status, NARRATOR_OK, self.narrator.error())
        work = sys.argv[2] if len(sys.argv) > 2 else "."
        article = os.path.join(work, "python-flite.txt")
        output = os.path.join(work, "python-flite.wav")
        with open(article, "wb") as f:
            f.write(ARTICLE)
        self.lib.narrator_synthesize_file.restype = ctypes.c_int
        self.lib.narrator_synthesize_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                                      ctypes.c_char_p]
        status = self.lib.narrator_synthesize_file(self.narrator.engine, article.encode(),
                                                   output.encode())
        self.assertEqual(status, NARRATOR_OK, self.narrator.error())
        with wave.open(output, "rb") as wav:
            self.assertEqual(wav.getframerate(), 16000)
            self.assertEqual(wav.getsampwidth(), 2)
            frames = wav.readframes(wav.getnframes())
        written = list(memoryview(frames).cast("h"))
        _, chunks = self.pull_all(ARTICLE)
        pulled = [s for chunk in chunks for s in chunk["samples"]]
        self.assertEqual(len(written), len(pulled))
        self.assertTrue(written == pulled, "the file's samples differ from the pulled chunks'")
        rms = math.sqrt(sum(s * s for s in pulled) / len(pulled))
        self.assertGreater(rms, SILENCE_FLOOR_RMS)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: shared_c_api_test.py LIBNARRATOR_SO [WORK_DIR]")
    SharedLibraryTest.lib = load(sys.argv[1])
    unittest.main(argv=[sys.argv[0], "-v"])
