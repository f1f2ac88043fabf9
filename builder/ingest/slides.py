"""The talk's slides: when each slide is on screen, what it says (OCR), and its picture.

The picture is scanned as small grey thumbnails. A slide is a stretch where the picture stays
still; it ends where enough of the picture changes. Pixels that keep moving all through the talk
(a speaker's inset, a camera on the lecturer) are left out of that comparison, so they neither cut
slides nor hide them. Then what a student would call one slide is put back together: a build
(a bullet appearing on the same slide: the change only covers what was empty background) and a
slide shown a moment (skipped through, a fade) join the slide before; two slides in a row with the
same title are one. Each slide is read with OCR on its fullest picture (the end of its builds):
the title is the large-type top line (`builder.ingest.slide_text`). A video whose still
stretches carry no text is not a slide talk (a camera on the speaker, an audio file's cover): its
track is empty and chapters come from the transcript.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

import av
import numpy as np
from PIL import Image

from .slide_text import default_ocr, same_text, title_and_body
from .video_pass import Sampler, decode_once

SCAN_SIZE = (160, 90)
SAMPLE_STEP_S = 0.5
# A grey level moved by PIXEL_DELTA (0..1) is a changed pixel: compression noise and a slow
# camera drift stay under it, text strokes and backgrounds do not. The picture changed when
# CHANGE_SHARE of the still pixels changed: one new line of body text at 160x90 is about 1%.
PIXEL_DELTA = 0.12
CHANGE_SHARE = 0.004
# A pixel that changes between more than LIVE_SHARE of successive samples is live video (a
# speaker, a camera). Slide pixels change only at slide changes, and only where the old or the
# new slide has ink, which is under half of the steps even when keyframes alone are sampled and
# almost every step is a slide change.
LIVE_SHARE = 0.5
MIN_LIVE_STEPS = 20
LAST_PICTURE_BEFORE_END_S = 0.6
# Shorter than this on screen, a slide was skipped through or is a transition; nobody explains a
# slide in under a few seconds, and a chapter that short could not be found by anyone either.
MIN_SLIDE_S = 4.0
# A build adds to the empty background: at least BUILD_KEEPS of its changed pixels were background
# and of the slide's ink stays, and it changes at most MAX_BUILD_SHARE of the picture (a new
# background is a new slide).
BUILD_KEEPS = 0.9
MAX_BUILD_SHARE = 0.25
MIN_TITLE_INK = 0.1
# The talk shows slides when slides with text are on screen for at least this share of it.
MIN_TEXT_COVER = 0.4
# A new background colour (two backgrounds may have one grey) is a new slide: this share of a
# 16x9 colour thumbnail changed, as in builder.ingest.keyframes.
COLOUR_SIZE = (16, 9)
COLOUR_CHANGE_SHARE = 0.15
OCR_WIDTH = 1280
# Two full pictures are one slide when at most this share of their pixels moved by half the range.
SAME_PICTURE_SHARE = 1e-4
THUMB_WIDTH = 480
MAX_SLIDES = 400
GIVE_UP_AFTER = 12   # stills read without finding one title: not a slide talk, stop reading
MAX_STORED = 1000


@dataclass(frozen=True)
class Slide:
    start_s: float
    end_s: float
    title: str                  # the large-type top line; "" when the picture has no text
    text: str                   # the rest of the slide's text, one line per line
    jpeg_base64: str = ""       # the slide's fullest picture (after its builds), THUMB_WIDTH wide
    builds: int = 0             # how many builds were merged into it


@dataclass(frozen=True)
class SlideTrack:
    slides: list[Slide] = field(default_factory=list)   # empty: no slides (audio, camera only)
    engine: str = ""


@dataclass
class _Still:
    start_s: float
    end_s: float
    first: np.ndarray          # grey thumbnail when it starts
    last: np.ndarray           # grey thumbnail when it ends
    picture: bytes             # full-size JPEG of its last sample
    builds: int = 0
    colour_first: np.ndarray | None = None
    colour_last: np.ndarray | None = None
    shown_until_s: float = 0.0  # where its own picture ends (a flash joined after it is not it)

    def __post_init__(self):
        self.shown_until_s = self.shown_until_s or self.end_s


MoreSamplers = Callable[[bool], Sequence[Sampler]]


def read_slides(video: Path, ocr=None, also: MoreSamplers | None = None) -> SlideTrack:
    """The slides of a talk video; empty for audio, unreadable video or a talk without slides.
    `also` makes samplers that read the same decoding of the picture for another stage (the
    keyframes' slide changes), so the video is decoded once."""
    try:
        scan = _scan(video, also)
        if len(scan.times) < 2:
            return SlideTrack()
        stills = _merge(_stills(scan))
        if not stills:
            return SlideTrack()
        if scan.keyframes_only:
            _take_last_pictures(video, stills, ~_live_mask(scan.pictures))
    except (av.error.FFmpegError, ValueError, OSError):
        return SlideTrack()
    ocr = ocr or default_ocr()
    slides = []
    read: list[tuple[_Still, tuple[str, str]]] = []
    for n, still in enumerate(stills[:MAX_SLIDES]):
        if n == GIVE_UP_AFTER and not any(s.title for s in slides):
            return SlideTrack(engine=getattr(ocr, "name", ""))  # a moving picture without text: no slides
        image = Image.open(io.BytesIO(still.picture)).convert("RGB")
        text = _text_read_before(still, read)
        if text is None:
            text = title_and_body(ocr(image), image.height)
            read.append((still, text))
        slides.append(Slide(round(still.start_s, 2), round(still.end_s, 2), *text, _thumb(image), still.builds))
    slides = _same_title_joined(slides)
    duration = scan.end_s
    covered = sum(s.end_s - s.start_s for s in slides if s.title)
    if sum(1 for s in slides if s.title) < 2 or covered < MIN_TEXT_COVER * duration:
        return SlideTrack(engine=getattr(ocr, "name", ""))
    return SlideTrack(slides, engine=getattr(ocr, "name", ""))


def _text_read_before(still: _Still, read: list[tuple[_Still, tuple[str, str]]]) -> tuple[str, str] | None:
    """The title and body of an earlier slide showing the same picture (a talk going back to a
    slide, a slide shown again after a video clip): OCR costs about a second a slide. Thumbnails
    cannot tell "Results (1/2)" from "Results (2/2)" on one template, so a thumbnail match is
    confirmed on the full pictures: the same where almost no pixel moved by half the grey range
    (compression never does that; a changed digit moves hundreds of pixels)."""
    for earlier, text in read:
        if ((np.abs(earlier.last - still.last) >= PIXEL_DELTA).mean() < CHANGE_SHARE
                and _colour_change(earlier.colour_last, still.colour_last) < COLOUR_CHANGE_SHARE
                and _same_full_picture(earlier.picture, still.picture)):
            return text
    return None


def _same_full_picture(a: bytes, b: bytes) -> bool:
    first, second = (np.asarray(Image.open(io.BytesIO(j)).convert("L"), dtype=np.int16) for j in (a, b))
    if first.shape != second.shape:
        return False
    return float((np.abs(first - second) > 128).mean()) <= SAME_PICTURE_SHARE


# --- the picture ---------------------------------------------------------------------------------

@dataclass
class _Scan:
    times: list[float]
    pictures: list[np.ndarray]             # grey thumbnails, 0..1
    colours: list[np.ndarray]              # COLOUR_SIZE colour thumbnails, 0..1: two slides may share a grey
    stored: dict[int, bytes]               # sample index -> full-size JPEG, where the picture changed
    end_s: float = 0.0                     # where the video ends (after the last sample)
    keyframes_only: bool = False


def _scan(video: Path, also: MoreSamplers | None = None) -> _Scan:
    """A sample every SAMPLE_STEP_S, or every keyframe when the encoder put them often enough
    (`video_pass.decode_once`); the samplers `also` makes read the same decoding."""
    samplers = decode_once(video, lambda keyframes_only: [_Scanner(keyframes_only),
                                                          *(also(keyframes_only) if also else [])])
    return samplers[0].scan


class _Scanner:
    """The scan's sampler. Full-size pictures are kept (as JPEG) only where the still part of the
    picture changed from the last one kept; which pixels are live is estimated as the scan goes."""

    def __init__(self, keyframes_only: bool):
        self.scan = _Scan([], [], [], {}, keyframes_only=keyframes_only)
        self._next_s = 0.0
        self._kept: np.ndarray | None = None
        self._liveliness = np.zeros(SCAN_SIZE[::-1], dtype=np.float32)

    def feed(self, frame) -> None:
        scan = self.scan
        if frame.time + 1e-6 < self._next_s:
            return
        grey = frame.reformat(width=SCAN_SIZE[0], height=SCAN_SIZE[1], format="gray").to_ndarray()
        picture = grey.astype(np.float32) / 255.0
        if scan.pictures:
            step = (np.abs(picture - scan.pictures[-1]) >= PIXEL_DELTA).astype(np.float32)
            self._liveliness = 0.9 * self._liveliness + 0.1 * step
        still = self._liveliness <= LIVE_SHARE
        if self._kept is None or (len(scan.stored) < MAX_STORED
                                  and _changed(picture, self._kept, still).sum() >= CHANGE_SHARE * max(1, still.sum())):
            scan.stored[len(scan.pictures)] = _full_jpeg(frame)
            self._kept = picture
        scan.times.append(float(frame.time))
        scan.pictures.append(picture)
        colour = frame.reformat(width=COLOUR_SIZE[0], height=COLOUR_SIZE[1], format="rgb24").to_ndarray()
        scan.colours.append(colour.astype(np.float32) / 255.0)
        self._next_s = float(frame.time) + (0.0 if self.scan.keyframes_only else SAMPLE_STEP_S)

    def finish(self, end_s: float) -> None:
        last_s = self.scan.times[-1] + SAMPLE_STEP_S if self.scan.times else 0.0
        self.scan.end_s = max(last_s, end_s)


def _live_mask(pictures: list[np.ndarray]) -> np.ndarray:
    """True for pixels that change between many successive samples: video, not slides. Too few
    samples (keyframes only, at the slide changes of a short video) tell nothing: none is live."""
    if len(pictures) <= MIN_LIVE_STEPS:
        return np.zeros(pictures[0].shape, dtype=bool)
    counts = np.zeros(pictures[0].shape, dtype=np.int32)
    for a, b in zip(pictures, pictures[1:]):
        counts += np.abs(b - a) >= PIXEL_DELTA
    return counts > LIVE_SHARE * max(1, len(pictures) - 1)


def _changed(a: np.ndarray, b: np.ndarray, still: np.ndarray) -> np.ndarray:
    return (np.abs(a - b) >= PIXEL_DELTA) & still


def _stills(scan: _Scan) -> list[_Still]:
    """Cut where the still part of the picture changes from the stretch's first picture."""
    pictures, times = scan.pictures, scan.times
    still = ~_live_mask(pictures)
    if still.mean() < 0.05:
        return []
    stored = sorted(scan.stored)
    out: list[_Still] = []
    start, reference = 0, pictures[0]
    for k in range(1, len(pictures) + 1):
        if (k < len(pictures) and _changed(pictures[k], reference, still).sum() < CHANGE_SHARE * still.sum()
                and _colour_change(scan.colours[k], scan.colours[start]) < COLOUR_CHANGE_SHARE):
            continue
        end_s = times[k] if k < len(pictures) else scan.end_s
        shown = max((i for i in stored if i <= k - 1), default=stored[0])
        out.append(_Still(times[start], end_s, pictures[start], pictures[k - 1], scan.stored[shown],
                          colour_first=scan.colours[start], colour_last=scan.colours[k - 1]))
        if k < len(pictures):
            start, reference = k, pictures[k]
    out[0].start_s = 0.0
    return out


def _merge(stills: list[_Still]) -> list[_Still]:
    """Flashes join the slide before (the first one, the slide after); builds join their slide."""
    if not stills:
        return []
    kept: list[_Still] = []
    for still in stills:
        if kept and still.end_s - still.start_s < MIN_SLIDE_S:
            kept[-1].end_s = still.end_s  # its picture is not the slide's: keep the one before
            continue
        if kept and kept[-1].end_s - kept[-1].start_s < MIN_SLIDE_S:
            still.start_s = kept[-1].start_s  # the opening flash belongs to the first real slide
            kept[-1] = still
            continue
        if kept and is_build(kept[-1].last, still.first) and _colour_change(
                kept[-1].colour_last, still.colour_first) < COLOUR_CHANGE_SHARE:
            previous = kept[-1]
            kept[-1] = _Still(previous.start_s, still.end_s, previous.first, still.last, still.picture,
                              previous.builds + 1, previous.colour_first, still.colour_last, still.shown_until_s)
            continue
        kept.append(still)
    return kept


def is_build(before: np.ndarray, after: np.ndarray) -> bool:
    """`after` only adds to `before`: the background stays, what was on it stays, what changed was
    empty background (a new bullet, a picture appearing), and all of it is below the title: the
    rows above the first change hold ink of `before`. A new title written where the old one was
    would otherwise look like an addition at this size, the letters being blobs."""
    changed = np.abs(after - before) >= PIXEL_DELTA
    if not changed.any():
        return True
    background = _background(before)
    was_empty = np.abs(before - background) < PIXEL_DELTA
    ink = ~was_empty
    kept_ink = 1.0 - float((changed & ink).sum() / max(1, ink.sum()))
    first_changed_row = int(np.argmax(changed.any(axis=1)))
    title_above = ink[:first_changed_row].sum() >= MIN_TITLE_INK * ink.sum()
    return (changed.mean() <= MAX_BUILD_SHARE and kept_ink >= BUILD_KEEPS and title_above
            and float((changed & was_empty).sum() / changed.sum()) >= BUILD_KEEPS)


def _colour_change(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the colour thumbnail's cells whose colour moved: a new background or picture."""
    return float((np.abs(a - b).max(axis=2) >= PIXEL_DELTA).mean())


def _background(picture: np.ndarray) -> float:
    counts, edges = np.histogram(picture, bins=32, range=(0.0, 1.0))
    k = int(np.argmax(counts))
    return float((edges[k] + edges[k + 1]) / 2)


def _take_last_pictures(video: Path, stills: list[_Still], still: np.ndarray) -> None:
    """With keyframes alone, a build that was no scene cut is not among the samples: take each
    slide's picture again just before it ends, when all its builds are on screen. x264 does not put
    a keyframe at every slide change either (a change a few seconds after a keyframe may wait for
    the next one), so the frames decoded on the way are also looked at every SAMPLE_STEP_S: where
    the still part of the picture turns into another slide (not a build), the slide ends there and
    the next one starts there, and its picture is the one before."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        for n, shown in enumerate(stills):
            at_s = max(shown.start_s, shown.shown_until_s - LAST_PICTURE_BEFORE_END_S)
            container.seek(int(at_s / stream.time_base), stream=stream, backward=True, any_frame=False)
            chosen, sampled, reference, next_s, cut_s = None, None, None, 0.0, None
            for frame in container.decode(stream):
                if frame.time is not None and frame.time > at_s:
                    break
                chosen = frame
                if frame.time is None or frame.time + 1e-6 < next_s:
                    continue
                picture = _small_pictures(frame)
                if reference is not None and _another_slide(reference, picture, still):
                    cut_s, chosen = float(frame.time), sampled
                    break
                sampled, reference, next_s = frame, picture, float(frame.time) + SAMPLE_STEP_S
            if cut_s is not None and cut_s > shown.start_s:
                if shown.end_s == shown.shown_until_s and n + 1 < len(stills):
                    shown.end_s = stills[n + 1].start_s = cut_s
                shown.shown_until_s = cut_s
            if chosen is not None:
                last = _small_pictures(chosen)[0]
                if (np.abs(last - shown.last) >= PIXEL_DELTA).mean() >= CHANGE_SHARE:
                    shown.builds += 1
                shown.picture, shown.last = _full_jpeg(chosen), last


def _small_pictures(frame) -> tuple[np.ndarray, np.ndarray]:
    """The frame as the scan sees it: a grey SCAN_SIZE thumbnail and a COLOUR_SIZE one, 0..1."""
    grey = frame.reformat(width=SCAN_SIZE[0], height=SCAN_SIZE[1], format="gray").to_ndarray()
    colour = frame.reformat(width=COLOUR_SIZE[0], height=COLOUR_SIZE[1], format="rgb24").to_ndarray()
    return grey.astype(np.float32) / 255.0, colour.astype(np.float32) / 255.0


def _another_slide(before: tuple[np.ndarray, np.ndarray], after: tuple[np.ndarray, np.ndarray],
                   still: np.ndarray) -> bool:
    """The still part of the picture changed as the scan would cut it, and not by a build. Live
    pixels (a speaker's inset) are taken from `before`, so they neither cut nor spoil a build."""
    (grey_before, colour_before), (grey_after, colour_after) = before, after
    if (_changed(grey_after, grey_before, still).sum() < CHANGE_SHARE * still.sum()
            and _colour_change(colour_after, colour_before) < COLOUR_CHANGE_SHARE):
        return False
    return (_colour_change(colour_after, colour_before) >= COLOUR_CHANGE_SHARE
            or not is_build(grey_before, np.where(still, grey_after, grey_before)))


def _full_jpeg(frame) -> bytes:
    image = frame.to_image()
    if image.width > OCR_WIDTH:
        image = image.resize((OCR_WIDTH, round(image.height * OCR_WIDTH / image.width)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def _thumb(image: Image.Image) -> str:
    small = image.resize((THUMB_WIDTH, round(image.height * THUMB_WIDTH / image.width)))
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=80, optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _same_title_joined(slides: list[Slide]) -> list[Slide]:
    out: list[Slide] = []
    for slide in slides:
        if out and slide.title and same_text(slide.title, out[-1].title):
            previous = out[-1]
            out[-1] = Slide(previous.start_s, slide.end_s, previous.title, slide.text or previous.text,
                            slide.jpeg_base64, previous.builds + slide.builds + 1)
        elif out and not slide.title and not out[-1].title:
            out[-1] = replace(out[-1], end_s=slide.end_s)  # camera shots in a row: one stretch without a slide
        else:
            out.append(slide)
    return out
