"""Keyframes and slide changes placed into the chapters they illustrate (new records, never edits)."""
from __future__ import annotations

import base64
from dataclasses import replace

from ..layout import chapter_image, slide_image
from ..ingest.slides import SlideTrack
from ..models.analysis import Chapter, PairAnalysis, SlideFigure, SlideShot
from ..models.frames import Keyframes


def keyframe_time(start_s: float, end_s: float) -> float:
    """Two seconds into a chapter (the speaker has moved on from the last slide), or its middle."""
    return min(start_s + 2.0, (start_s + end_s) / 2)


def keyframe_times(chapters: list[Chapter]) -> list[float]:
    return [keyframe_time(c.start_s, c.end_s) for c in chapters]


def with_pictures(analysis: PairAnalysis, frames: Keyframes) -> tuple[PairAnalysis, list[bytes | None],
                                                                      dict[str, bytes]]:
    """The analysis with each chapter's keyframe and slides named, the keyframe JPEGs (one per
    chapter) and the slide JPEGs by name. A slide that shows when the chapter's own keyframe is
    taken (within 2.5 s) would be the same picture twice and is left out, and so is one that opens
    the next chapter: slide changes and slide cuts are found by two detectors whose times may
    differ by a frame or two, and the next chapter already shows that slide as its picture."""
    chapters: list[Chapter] = []
    slide_jpegs: dict[str, bytes] = {}
    last = len(analysis.chapters) - 1
    shown = [t for chapter, jpeg in zip(analysis.chapters, frames.jpeg_base64) if jpeg
             for t in (keyframe_time(chapter.start_s, chapter.end_s),
                       *((chapter.start_s,) if chapter.title_source == "slide" else ()))]
    for position, (chapter, jpeg) in enumerate(zip(analysis.chapters, frames.jpeg_base64)):
        keyframe = chapter_image(chapter.index) if jpeg else None
        shots = []
        for slide in frames.slides:
            inside = chapter.start_s <= slide.start_s < chapter.end_s or (
                position == last and slide.start_s >= chapter.end_s)
            if inside and all(abs(slide.start_s - t) >= 2.5 for t in shown):
                name = slide_image(slide.start_s)
                shots.append(SlideShot(slide.start_s, name))
                slide_jpegs[name] = base64.b64decode(slide.jpeg_base64)
        chapters.append(replace(chapter, keyframe=keyframe, slides=shots))
    chapters += analysis.chapters[len(chapters):]
    jpegs = [base64.b64decode(j) if j else None for j in frames.jpeg_base64]
    return replace(analysis, chapters=chapters), jpegs, slide_jpegs


def slide_pictures(chapters: list[Chapter], track: SlideTrack) -> dict[int, str]:
    """A chapter cut at a slide shows that slide as it looks after its builds, not the frame
    two seconds in, which may show the first bullet only: its picture (base64 JPEG) by chapter
    position. These chapters need no keyframe grabbed from the video."""
    pictures: dict[int, str] = {}
    for n, chapter in enumerate(chapters):
        if chapter.title_source != "slide":
            continue
        slide = next((s for s in track.slides if s.title == chapter.title
                      and s.start_s - 0.5 <= chapter.end_s and chapter.start_s < s.end_s), None)
        if slide is not None and slide.jpeg_base64:
            pictures[n] = slide.jpeg_base64
    return pictures


def with_slide_pictures(frames: Keyframes, pictures: dict[int, str]) -> Keyframes:
    """The keyframes with each slide chapter's own slide picture (`slide_pictures`) in its place."""
    jpegs = [pictures.get(n, jpeg) for n, jpeg in enumerate(frames.jpeg_base64)]
    return replace(frames, jpeg_base64=jpegs, has_picture=frames.has_picture or bool(pictures))


def with_figures(analysis: PairAnalysis, links: list[SlideFigure]) -> PairAnalysis:
    """Each chapter with the paper figures its slides show."""
    last = len(analysis.chapters) - 1
    chapters = [replace(chapter, figures=[f for f in links if chapter.start_s <= f.start_s + 0.5
                                          and (f.start_s < chapter.end_s or position == last)])
                for position, chapter in enumerate(analysis.chapters)]
    return replace(analysis, chapters=chapters)
