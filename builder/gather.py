"""One pair's stages, each through the cache: paper, figures, talk, analysis, keyframes.

Each stage is a function from frozen records to a frozen record (`builder/stages.py` keys them);
this module only feeds each stage its inputs and assembles the PairResult the writers read.
The PDF is opened once for every stage that reads it, and only when one must run.
"""
from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from .analyse.embed import Embedder
from .analyse.glossary import TermMatcher
from .analyse.pair import analyse_pair
from .analyse.pictures import keyframe_times, slide_pictures, with_figures, with_pictures, with_slide_pictures
from .analyse.slide_figures import figures_on_slides
from .analyse.talk_paper import off_paper_floor
from .analyse.vocabulary import Vocabulary, talk_vocabulary
from .cache import Cache, digest_text
from .config import CourseSettings
from .errors import PairError
from .ingest.figures import read_figures
from .ingest.keyframes import SharedChanges, grab_keyframes
from .ingest.language import is_english
from .ingest.online import lookup
from .ingest.overrides import with_overrides
from .ingest.paper import read_paper
from .ingest.pdf_layout import PdfFile
from .ingest.slide_text import OcrLine, OcrRead, RapidOcr, default_ocr
from .ingest.slides import SlideTrack, read_slides
from .ingest.talk import WhisperSettings, transcribe
from .models import (FigureSet, GlossaryTerm, Keyframes, PairAnalysis, PairResult, PairSource, Paper, SlideFigures,
                     Transcript)
from .records import to_jsonable
from .sources import read_pair
from .stages import ANALYSIS, FIGURES, KEYFRAMES, OCR, PAPER, SLIDE_FIGURES, SLIDES, TALK, VOCABULARY, record_digest


class Reporter:
    """What the build tells the user; the CLI supplies one that prints."""
    def step(self, slug: str, message: str) -> None: ...
    def audio_progress(self, slug: str, done_s: float, total_s: float) -> None: ...
    def warn(self, message: str) -> None: ...


@dataclass(frozen=True)
class Course:
    """What every pair's stages share: settings, cache, glossary, the embedding models."""
    settings: CourseSettings
    cache: Cache
    glossary: list[GlossaryTerm]
    matcher: TermMatcher
    embedder: Embedder
    reporter: Reporter
    multilingual: Embedder | None = None

    def embedder_for(self, language: str | None) -> Embedder:
        """The model a talk is read against its paper with: the course's own for an English talk;
        for another language one that places a sentence and its translation close together (the
        English MiniLM puts a Chinese sentence nowhere near the English one it translates:
        benchmarks/cross_language.py)."""
        if not language or is_english(language) or self.multilingual is None:
            return self.embedder
        return self.multilingual

    @functools.cached_property
    def glossary_digest(self) -> str:
        return digest_text(to_jsonable(self.glossary))


def cached_paper(cache: Cache, slug: str, pdf: Path | PdfFile) -> tuple[str, Paper]:
    """The paper stage's record, shared by `build` and `check` through the cache."""
    opened = pdf if isinstance(pdf, PdfFile) else PdfFile(pdf)
    key = PAPER.key(cache.file_digest(opened.path))
    try:
        return key, cache.record(PAPER.name, slug, key, Paper, lambda: read_paper(opened))
    finally:
        if opened is not pdf:
            opened.__exit__()


class CachedOcr:
    """The slide OCR through the cache, one entry per picture: when the slides stage runs again
    (its code changed, or a talk re-encoded with the same pictures) no slide is read twice, and
    a build whose pictures are all known never loads the OCR models."""
    def __init__(self, cache: Cache, slug: str):
        self.cache, self.slug = cache, slug
        self.name = RapidOcr.name

    def __call__(self, image: Image.Image) -> list[OcrLine]:
        key = OCR.key(self.name, image.size, hashlib.sha256(image.tobytes()).hexdigest())
        read = self.cache.record(OCR.name, self.slug, key, OcrRead, lambda: OcrRead(default_ocr()(image)))
        return [OcrLine(line.text, tuple(line.box), line.score) for line in read.lines]


def gather_pair(pair: PairSource, course: Course) -> PairResult:
    cache, reporter, slug = course.cache, course.reporter, pair.slug
    inputs = input_digests(pair, cache)
    reporter.step(slug, f"reading {pair.pdf.name}")
    with PdfFile(pair.pdf) as pdf:
        _, read = cached_paper(cache, slug, pdf)
        figures_key = FIGURES.key(cache.file_digest(pair.pdf))
        figure_set = cache.record(FIGURES.name, slug, figures_key, FigureSet, lambda: read_figures(pdf))
    settings = course.settings
    if settings.online:
        reporter.step(slug, "looking the paper up online")
        read, note = lookup(read, settings.online_lookup, cache, slug)
        if note:
            reporter.warn(f"{pair.pdf}: {note}")
    paper = replace(with_overrides(read, pair.config), figures=figure_set.figures)
    video_digest = cache.file_digest(pair.video)
    reporter.step(slug, "reading the slides")
    slides_key = SLIDES.key(video_digest)
    changes = SharedChanges()  # the keyframes' slide changes, found in the same decoding of the picture
    slide_track = cache.record(SLIDES.name, slug, slides_key, SlideTrack,
                               lambda: read_slides(pair.video, CachedOcr(cache, slug), also=changes.samplers))
    # paper-aware transcription (the slides' words too); part of the talk's key
    paper_digest = record_digest(paper)
    slide_texts = [s.title + "\n" + s.text for s in slide_track.slides]
    terms: tuple[str, ...] = ()   # a course that gives whisper no vocabulary does not make one
    if settings.talk_vocabulary != "none":
        terms = tuple(cache.record(VOCABULARY.name, slug,
                                   VOCABULARY.key(paper_digest, course.glossary_digest, slide_texts), Vocabulary,
                                   lambda: talk_vocabulary(paper, course.matcher, slide_texts=slide_texts)).terms)
    whisper = WhisperSettings(model=pair.config.whisper_model or settings.whisper_model, device=settings.device,
                              compute_type=settings.compute_type, language=pair.config.language,
                              vocabulary=terms, vocabulary_as=settings.talk_vocabulary)
    talk_key = TALK.key(video_digest, to_jsonable(whisper))
    reporter.step(slug, f"transcribing {pair.video.name}")
    # While the speech is decoded, the embedding model loads and embeds what the analysis and the
    # related terms will ask for. Not before: importing torch beside the audio decoding and the
    # language detection made those two take 19 s instead of 8 s on an hour's talk (all three want
    # the GIL and the cores), while whisper's decoding leaves room for it (benchmarks/build_overhead.py).
    preload = functools.partial(course.embedder.preload, {f"{slug}/paper": [p.text for p in paper.passages],
                                                          "glossary": [t.definition for t in course.glossary]})
    transcript = cache.record(
        TALK.name, slug, talk_key, Transcript,
        lambda: transcribe(pair.video, whisper, lambda done, total: reporter.audio_progress(slug, done, total),
                           notice=lambda message: reporter.step(slug, message), decoding=preload))
    for warning in transcript.warnings:
        reporter.warn(f"{pair.video}: {warning}")
    reporter.step(slug, "analysing")
    embedder = course.embedder_for(transcript.language)
    analysis_key = ANALYSIS.key(paper_digest, record_digest(transcript), course.glossary_digest,
                                embedder.label, course.embedder.label, record_digest(slide_track))
    analysis = cache.record(ANALYSIS.name, slug, analysis_key, PairAnalysis,
                            lambda: analyse_pair(paper, transcript, course.matcher, embedder, slug, slide_track,
                                                 paper_embedder=course.embedder))
    if analysis.off_paper:
        reporter.warn(f"{pair.video}: the talk does not seem to be about {pair.pdf.name} (closeness "
                      f"{analysis.talk_closeness:.2f}, where a talk about its paper scores "
                      f"{off_paper_floor(embedder.label, transcript.language):.2f} or more): its chapters are not "
                      f"aligned to the paper's sections, nor is what it says listed as adding to the paper; is it "
                      f"the right video?")
    shown_key = SLIDE_FIGURES.key(record_digest(slide_track), figures_key)
    shown = cache.record(SLIDE_FIGURES.name, slug, shown_key, SlideFigures, lambda: SlideFigures(figures_on_slides(
        slide_track, figure_set.figures, [base64.b64decode(p) for p in figure_set.png_base64])))
    analysis = with_figures(analysis, shown.links)
    shows_slide = slide_pictures(analysis.chapters, slide_track)
    times = [None if n in shows_slide else t for n, t in enumerate(keyframe_times(analysis.chapters))]
    frames_key = KEYFRAMES.key(video_digest, times)
    frames = cache.record(KEYFRAMES.name, slug, frames_key, Keyframes,
                          lambda: grab_keyframes(pair.video, times, changes.shots))
    frames = with_slide_pictures(frames, shows_slide)
    analysis, keyframe_jpegs, slide_jpegs = with_pictures(analysis, frames)
    images = {f.image: base64.b64decode(png) for f, png in zip(figure_set.figures, figure_set.png_base64)}
    return PairResult(source=pair, paper=paper, transcript=transcript, analysis=analysis,
                      keyframe_jpegs=keyframe_jpegs, figure_images=images, slide_jpegs=slide_jpegs,
                      talk_has_picture=frames.has_picture, input_digests=inputs,
                      stage_keys=(paper_digest, figures_key, slides_key, talk_key, analysis_key, shown_key, frames_key))


def input_digests(pair: PairSource, cache: Cache) -> dict[str, tuple[str, int, int]]:
    """The pair's input files with their hashes and stat, read at the start of the pair's build
    (the same hashes the stage keys use, so this costs nothing extra)."""
    found = {}
    for path in (pair.pdf, pair.video, pair.folder / "pair.yml"):
        if path.is_file():
            stat = path.stat()
            found[str(path)] = (cache.file_digest(path), stat.st_size, stat.st_mtime_ns)
        else:
            found[str(path)] = ("", 0, 0)
    return found


def changed_input(result: PairResult) -> Path | None:
    """The first input file that changed since its pair's build started, if any: hashed again
    only when its size or time changed, so an untouched hour of video is not read twice."""
    from .layout.manifest import file_digest
    for name, (digest, size, mtime_ns) in result.input_digests.items():
        path = Path(name)
        if not path.is_file():
            if digest:
                return path
            continue
        stat = path.stat()
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns) and file_digest(path) != digest:
            return path
    return None


def regathered_if_changed(result: PairResult, course: Course) -> PairResult:
    """The result again, built once more if an input changed while it was built (a talk still being
    copied in, say); a pair whose inputs change again fails with one line naming the file."""
    changed = changed_input(result)
    if changed is None:
        return result
    course.reporter.warn(f"{changed}: changed during the build; building {result.source.slug} again")
    again = replace(gather_pair(read_pair(result.source.folder, result.source.slug), course), related=result.related)
    changed = changed_input(again)
    if changed is not None:
        raise PairError(changed, "changed again while it was being built",
                        "build again once the file is complete")
    return again
