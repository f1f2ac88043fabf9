"""Work a build does once although several stages need it: each text embedded once (and the
paper's passages while the talk is transcribed), the picture decoded once for the slide scan and
the keyframes, each slide picture read by OCR once, and language detection on the start of a
long talk giving what the whole talk gives."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from builder.analyse.embed import Embedder
from builder.cache import Cache
from builder.gather import CachedOcr
from builder.ingest.keyframes import SharedChanges, grab_frames, slide_changes
from builder.ingest.slide_text import OcrLine
from builder.ingest.slides import read_slides

from slide_video import Shown, SlideDesign, write_video


class CountingModel:
    """Stands in for MiniLM: a vector from each text's hash, and a record of what it was asked."""
    def __init__(self):
        self.asked: list[list[str]] = []

    def encode(self, texts, **_):
        self.asked.append(list(texts))
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=384) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32)


def _embedder(tmp_path) -> tuple[Embedder, CountingModel]:
    embedder, model = Embedder(Cache(tmp_path)), CountingModel()
    embedder._model = model
    return embedder, model


def test_a_text_asked_for_in_two_lists_is_embedded_once(tmp_path):
    embedder, model = _embedder(tmp_path)
    first = embedder.encode(["a passage", "another passage"], "paper")
    second = embedder.encode(["a claim", "a passage"], "claims")
    assert model.asked == [["a passage", "another passage"], ["a claim"]]
    assert np.array_equal(second[1], first[0])
    assert [r.ran for r in embedder.cache.log] == [True, True]


def test_a_list_read_back_from_the_cache_lends_its_vectors_to_later_lists(tmp_path):
    embedder, _ = _embedder(tmp_path)
    vectors = embedder.encode(["one", "two"], "paper")
    again, model = _embedder(tmp_path)   # the next build: same cache folder, a fresh store
    again.encode(["one", "two"], "paper")
    assert np.array_equal(again.encode(["two"], "evidence")[0], vectors[1])
    assert model.asked == []


def test_preloaded_lists_are_embedded_in_the_background_and_read_back(tmp_path):
    embedder, model = _embedder(tmp_path)
    worker = embedder.preload({"paper": ["a passage", "another passage"]})
    worker.join(timeout=30)
    assert model.asked == [["a passage", "another passage"]]
    embedder.encode(["a passage", "another passage"], "paper")
    assert len(model.asked) == 1


def test_a_build_asking_before_the_preload_is_done_embeds_the_rest_itself(tmp_path):
    """After a short talk the analysis asks for the paper's vectors while the background thread
    (one core) is still on its first batch: it takes over the rest, with every core, at once."""
    import threading
    from builder.analyse.embed import BATCH_SIZE

    class SlowFirstBatch(CountingModel):
        def __init__(self):
            super().__init__()
            self.started, self.go = threading.Event(), threading.Event()

        def encode(self, texts, **kwargs):
            if not self.asked:
                self.started.set()
                self.go.wait(timeout=30)
            return super().encode(texts, **kwargs)

    embedder, model = Embedder(Cache(tmp_path)), SlowFirstBatch()
    embedder._model = model
    texts = [f"passage {i}" for i in range(3 * BATCH_SIZE)]
    worker = embedder.preload({"paper": texts})
    assert model.started.wait(timeout=30)
    asking = threading.Thread(target=embedder.encode, args=(texts, "paper"))
    asking.start()
    assert embedder._asked.wait(timeout=30)
    model.go.set()
    asking.join(timeout=30)
    worker.join(timeout=30)
    assert [len(batch) for batch in model.asked] == [BATCH_SIZE, 2 * BATCH_SIZE]
    assert not worker.is_alive()


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    """Three slides, the second shown again at the end (a talk going back to it)."""
    blue, white = SlideDesign(), SlideDesign(background="white", ink="#202020")
    shown = [Shown(8, "Why preferences matter", ("People rank answers",), blue),
             Shown(8, "How the loss is derived", ("Start from the reward",), white),
             Shown(8, "Results on three tasks", ("Sentiment", "Summaries"), SlideDesign(background="#1f6b3a")),
             Shown(8, "How the loss is derived", ("Start from the reward",), white)]
    path = tmp_path_factory.mktemp("lecture") / "talk.mp4"
    write_video(path, shown)
    return path


class CountingOcr:
    """Reads the slide's title from which background it has: the test knows the slides."""
    name = "counting"
    titles = {(31, 59, 115): "Why preferences matter", (255, 255, 255): "How the loss is derived",
              (31, 107, 58): "Results on three tasks"}

    def __init__(self):
        self.calls = 0

    def __call__(self, image: Image.Image) -> list[OcrLine]:
        self.calls += 1
        r, g, b = image.convert("RGB").getpixel((5, 5))
        title = next(t for (cr, cg, cb), t in self.titles.items() if abs(cr - r) + abs(cg - g) + abs(cb - b) < 30)
        return [OcrLine(title, (80, 90, 900, 140), 0.99)]


def test_the_slide_scan_finds_the_keyframes_slide_changes_in_the_same_decoding(lecture):
    changes = SharedChanges()
    assert changes.shots is None
    read_slides(lecture, CountingOcr(), also=changes.samplers)
    alone = slide_changes(lecture)
    assert [t for t, _ in changes.shots] == [t for t, _ in alone] and len(alone) == 3
    assert [j for _, j in changes.shots] == [j for _, j in alone]


def test_a_slide_shown_again_is_read_by_ocr_once(lecture):
    ocr = CountingOcr()
    track = read_slides(lecture, ocr)
    assert [s.title for s in track.slides] == ["Why preferences matter", "How the loss is derived",
                                               "Results on three tasks", "How the loss is derived"]
    assert ocr.calls == 3


def test_each_slide_picture_is_read_once_across_builds(tmp_path, lecture, monkeypatch):
    ocr = CountingOcr()
    monkeypatch.setattr("builder.gather.default_ocr", lambda: ocr)
    first = read_slides(lecture, CachedOcr(Cache(tmp_path), "lecture"))
    again = read_slides(lecture, CachedOcr(Cache(tmp_path), "lecture"))   # the slides stage ran again
    assert ocr.calls == 3 and again == first


def test_no_frame_is_grabbed_for_a_chapter_that_shows_its_slide(lecture):
    assert grab_frames(lecture, [None, None]) == [None, None]
    shown, grabbed = grab_frames(lecture, [None, 10.0])
    assert shown is None and grabbed[:2] == b"\xff\xd8"


@pytest.mark.slow
def test_language_detected_on_the_start_of_a_long_talk_is_what_the_whole_talk_gives():
    from conftest import SPEECH
    from builder.ingest.talk import SAMPLE_RATE, VAD_BLOCK_S, _whisper, cpu_threads, detect_language, load_audio
    from builder.ingest.whisper_models import multilingual_path
    speech = np.concatenate([load_audio(p) for p in sorted((SPEECH / "real").glob("*.mp3"))])
    quiet = np.zeros(VAD_BLOCK_S * SAMPLE_RATE, dtype=np.float32)   # a long silence first: the prefix must grow
    model = _whisper(multilingual_path(), "cpu", "int8", cpu_threads())
    for audio in (speech[: (VAD_BLOCK_S + 60) * SAMPLE_RATE], np.concatenate([quiet, speech])):
        whole, probability, _ = model.detect_language(audio, vad_filter=True, language_detection_segments=4)
        assert detect_language(model, audio, vad=True) == (whole, pytest.approx(probability, abs=1e-6))


def test_two_slides_of_one_template_that_differ_in_a_digit_are_both_read(tmp_path):
    design = SlideDesign(background="white", ink="#202020")
    shown = [Shown(8, "Results (1/2)", ("Sentiment and summaries",), design),
             Shown(8, "Method", ("A new loss",), SlideDesign()),
             Shown(8, "Results (2/2)", ("Sentiment and summaries",), design)]
    path = tmp_path / "talk.mp4"
    write_video(path, shown)
    calls = []

    def ocr(image):
        calls.append(image)
        return [OcrLine(f"slide {len(calls)}", (80, 90, 900, 140), 0.99)]
    track = read_slides(path, ocr)
    assert len(track.slides) == 3 and len(calls) == 3


def test_what_earlier_pairs_left_alive_is_not_walked_again_and_a_build_leaves_nothing_frozen(tmp_path, monkeypatch):
    """The collection after each pair (`distribute.give_back_memory`) walked the loaded libraries
    and models again every time: 0.28 s a pair. What survives it is frozen, and the serial build
    unfreezes when its pairs are done, so a process that builds again collects as before."""
    import gc

    from builder import distribute
    from builder.cache import StageRun
    from builder.config import CourseSettings
    from builder.gather import Reporter
    from builder.sources import discover_pairs
    from conftest import EXAMPLE, SPEECH, course_root, make_pair

    root = course_root(tmp_path / "course")
    for slug in ("first", "second", "third"):
        make_pair(root / "sources", slug, EXAMPLE / "paper.pdf", SPEECH / "jfk.flac")
    settings = CourseSettings.for_root(root)
    course = distribute.course_for(settings, Reporter())
    pairs, failed = discover_pairs(settings.sources_dir)
    assert len(pairs) == 3 and not failed
    frozen_at_start: list[int] = []

    def stages(task, course):
        frozen_at_start.append(gc.get_freeze_count())
        course.cache.log.append(StageRun("paper", task.pair.slug, ran=True))
        return distribute.Gathered(task.pair.slug)

    monkeypatch.setattr(distribute, "gather_task", stages)
    before = gc.get_freeze_count()
    gathered = list(distribute.gather_all([distribute.PairTask(p, settings) for p in pairs], course, settings))
    assert [g.slug for g in gathered] == ["first", "second", "third"]
    assert frozen_at_start[0] == before and frozen_at_start[1] > before   # frozen after the first pair
    assert gc.get_freeze_count() == 0
