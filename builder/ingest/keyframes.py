"""Keyframes: small JPEG thumbnails from the talk video, taken with PyAV.

One per chapter (seeking to just after its start), and one wherever the picture changes a lot,
which in a recorded lecture is a new slide. Changes are found on 64x36 colour thumbnails, in the
same decoding as the slide scan when that stage runs (`builder.ingest.video_pass`): keyframes
alone when the encoder put them often enough, which makes an hour of video a few seconds of work.
"""
from __future__ import annotations

import base64
import io
from pathlib import Path

import av
import numpy as np

from ..models.frames import Keyframes, SlideImage
from .video_pass import decode_once, picture_stream

THUMB_WIDTH = 480
SCAN_SIZE = (64, 36)
# A thumbnail pixel has changed when a colour channel moved by PIXEL_DELTA (0..1; compression noise
# stays below it); the picture is new when CHANGED_SHARE of its pixels changed. A new slide
# changes its text lines or its whole background; a speaker moving in a corner, a few percent.
PIXEL_DELTA = 0.1
CHANGED_SHARE = 0.15
MIN_SLIDE_GAP_S = 8.0
MAX_SLIDES = 100
SAMPLE_STEP_S = 1.0


def grab_keyframes(video: Path, times_s: list[float | None],
                   changes: list[tuple[float, bytes]] | None = None) -> Keyframes:
    """The keyframes stage: a picture at each chapter's time (None: the chapter shows its slide's
    own picture, nothing to grab), and every slide change; `changes` when the slide scan already
    found them in its decoding of the picture (`SharedChanges`)."""
    jpegs = grab_frames(video, times_s)
    found = changes if changes is not None else slide_changes(video)
    slides = [SlideImage(t, base64.b64encode(j).decode("ascii")) for t, j in found]
    return Keyframes([base64.b64encode(j).decode("ascii") if j else None for j in jpegs], slides,
                     has_picture=any(jpegs) or bool(slides))


def grab_frames(video: Path, times_s: list[float | None]) -> list[bytes | None]:
    """A JPEG for each requested time; None where the file has no picture there (audio-only)."""
    if not any(t is not None for t in times_s):
        return [None] * len(times_s)
    try:
        container = av.open(str(video))
    except (av.error.FFmpegError, OSError):
        return [None] * len(times_s)
    with container:
        stream = picture_stream(container)
        if stream is None:
            return [None] * len(times_s)
        return [None if t is None else _frame_at(container, stream, t) for t in times_s]


def slide_changes(video: Path) -> list[tuple[float, bytes]]:
    """(time, JPEG) where the picture becomes very different from the last one kept; empty for
    audio files and unreadable video."""
    try:
        (finder,) = decode_once(video, lambda keyframes_only: [SlideChangeFinder(keyframes_only)])
    except (av.error.FFmpegError, ValueError, OSError):
        return []
    return finder.shots


class SlideChangeFinder:
    """A sampler of `video_pass.decode_once`: slide changes among its samples (every keyframe, or a
    frame a second), each compared with the last picture kept, so a slow drift counts once it adds
    up and a flicker back and forth does not count twice."""

    def __init__(self, keyframes_only: bool):
        self.keyframes_only = keyframes_only
        self.shots: list[tuple[float, bytes]] = []
        self.done = False
        self._reference: np.ndarray | None = None
        self._reference_s = float("-inf")
        self._next_s = 0.0

    def feed(self, frame) -> None:
        time_s = float(frame.time)
        if time_s < self._next_s:
            return
        small = frame.reformat(width=SCAN_SIZE[0], height=SCAN_SIZE[1], format="rgb24").to_ndarray()
        small = small.astype(np.float32) / 255.0
        self._next_s = time_s + (0.0 if self.keyframes_only else SAMPLE_STEP_S)
        if self._reference is None:
            self._reference = small  # the opening picture: the first chapter's keyframe shows it
            return
        if (len(self.shots) < MAX_SLIDES and time_s - self._reference_s >= MIN_SLIDE_GAP_S
                and changed_share(small, self._reference) >= CHANGED_SHARE):
            jpeg = _jpeg(frame)
            if jpeg:
                self.shots.append((round(time_s, 2), jpeg))
            self._reference, self._reference_s = small, time_s

    def finish(self, end_s: float) -> None:
        self.done = True


class SharedChanges:
    """Slide changes found while the slide scan decodes the picture, kept for the keyframes stage
    so that it does not decode the video a second time. `shots` is None until a pass completed
    (the slide stage came from the cache, or its decoding failed): then the stage decodes itself."""

    def __init__(self):
        self._finder: SlideChangeFinder | None = None

    def samplers(self, keyframes_only: bool) -> list[SlideChangeFinder]:
        self._finder = SlideChangeFinder(keyframes_only)
        return [self._finder]

    @property
    def shots(self) -> list[tuple[float, bytes]] | None:
        return self._finder.shots if self._finder is not None and self._finder.done else None


def changed_share(picture: np.ndarray, reference: np.ndarray) -> float:
    return float((np.abs(picture - reference).max(axis=2) >= PIXEL_DELTA).mean())


def _frame_at(container, stream, time_s: float) -> bytes | None:
    try:
        container.seek(int(max(0.0, time_s) / stream.time_base), stream=stream, backward=True, any_frame=False)
        chosen = None
        for frame in container.decode(stream):
            chosen = frame
            if frame.time is not None and frame.time >= time_s:
                break
        return _jpeg(chosen) if chosen is not None else None
    except (av.error.FFmpegError, ValueError, OSError):
        return None


def _jpeg(frame) -> bytes | None:
    try:
        image = frame.to_image()
        if image.width != THUMB_WIDTH:
            image = image.resize((THUMB_WIDTH, round(image.height * THUMB_WIDTH / image.width)))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80, optimize=True)
        return buffer.getvalue()
    except (av.error.FFmpegError, ValueError, OSError):
        return None
