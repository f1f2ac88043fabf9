"""Keyframes: small JPEG thumbnails from the talk video, taken with PyAV.

One per chapter (seeking to just after its start), and one wherever the picture changes a lot,
which in a recorded lecture is a new slide. Changes are found on 64x36 colour thumbnails;
when the encoder put keyframes often enough (it also puts one at each scene cut) only those are
decoded, which makes an hour of video a few seconds of work.
"""
from __future__ import annotations

import base64
import io
from pathlib import Path

import av
import numpy as np

from ..models.frames import Keyframes, SlideImage

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
MAX_KEYFRAME_GAP_S = 10.0


def grab_keyframes(video: Path, times_s: list[float]) -> Keyframes:
    """The keyframes stage: a picture at each chapter's time, and every slide change."""
    jpegs = grab_frames(video, times_s)
    slides = [SlideImage(t, base64.b64encode(j).decode("ascii")) for t, j in slide_changes(video)]
    return Keyframes([base64.b64encode(j).decode("ascii") if j else None for j in jpegs], slides,
                     has_picture=any(jpegs) or bool(slides))


def grab_frames(video: Path, times_s: list[float]) -> list[bytes | None]:
    """A JPEG for each requested time; None where the file has no picture there (audio-only)."""
    try:
        container = av.open(str(video))
    except (av.error.FFmpegError, OSError):
        return [None] * len(times_s)
    with container:
        stream = _picture_stream(container)
        if stream is None:
            return [None] * len(times_s)
        return [_frame_at(container, stream, t) for t in times_s]


def slide_changes(video: Path) -> list[tuple[float, bytes]]:
    """(time, JPEG) where the picture becomes very different from the last one kept; empty for
    audio files and unreadable video."""
    try:
        shots, times = _changes(_samples(video, keyframes_only=True))
        if len(times) < 2 or (times[-1] - times[0]) / (len(times) - 1) > MAX_KEYFRAME_GAP_S:
            shots, _ = _changes(_samples(video, keyframes_only=False))
    except (av.error.FFmpegError, ValueError, OSError):
        return []
    return shots


def _changes(samples) -> tuple[list[tuple[float, bytes]], list[float]]:
    """Slide changes among the samples, compared with the last picture kept (so a slow drift counts
    once it adds up, and a flicker back and forth does not count twice); the times scanned."""
    shots: list[tuple[float, bytes]] = []
    times: list[float] = []
    reference, reference_s = None, float("-inf")
    for time_s, small, frame in samples:
        times.append(time_s)
        if reference is None:
            reference = small  # the opening picture: the first chapter's keyframe shows it
            continue
        if (len(shots) < MAX_SLIDES and time_s - reference_s >= MIN_SLIDE_GAP_S
                and changed_share(small, reference) >= CHANGED_SHARE):
            jpeg = _jpeg(frame)
            if jpeg:
                shots.append((round(time_s, 2), jpeg))
            reference, reference_s = small, time_s
    return shots, times


def changed_share(picture: np.ndarray, reference: np.ndarray) -> float:
    return float((np.abs(picture - reference).max(axis=2) >= PIXEL_DELTA).mean())


def _samples(video: Path, keyframes_only: bool):
    """(time, 64x36 RGB picture in 0..1, frame): every keyframe, or a frame a second."""
    with av.open(str(video)) as container:
        stream = _picture_stream(container)
        if stream is None:
            return
        stream.thread_type = "AUTO"
        if keyframes_only:
            stream.codec_context.skip_frame = "NONKEY"
        next_s = 0.0
        for frame in container.decode(stream):
            if frame.time is None or frame.time < next_s:
                continue
            small = frame.reformat(width=SCAN_SIZE[0], height=SCAN_SIZE[1], format="rgb24").to_ndarray()
            yield float(frame.time), small.astype(np.float32) / 255.0, frame
            next_s = float(frame.time) + (0.0 if keyframes_only else SAMPLE_STEP_S)


def _picture_stream(container):
    if not container.streams.video:
        return None
    stream = container.streams.video[0]
    if stream.disposition & av.stream.Disposition.attached_pic:
        return None  # cover art of an audio file, not the talk
    return stream


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
