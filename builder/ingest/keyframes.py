"""Keyframes: one small JPEG thumbnail per chapter, taken from the video by seeking with PyAV."""
from __future__ import annotations

import io
from pathlib import Path

import av

THUMB_WIDTH = 480


def grab_frames(video: Path, times_s: list[float]) -> list[bytes | None]:
    """A JPEG for each requested time; None where the file has no picture there (audio-only)."""
    try:
        container = av.open(str(video))
    except (av.error.FFmpegError, OSError):
        return [None] * len(times_s)
    with container:
        if not container.streams.video:
            return [None] * len(times_s)
        stream = container.streams.video[0]
        if stream.disposition & av.stream.Disposition.attached_pic:
            return [None] * len(times_s)  # cover art of an audio file, not the talk
        return [_frame_at(container, stream, t) for t in times_s]


def _frame_at(container, stream, time_s: float) -> bytes | None:
    try:
        container.seek(int(max(0.0, time_s) / stream.time_base), stream=stream, backward=True, any_frame=False)
        chosen = None
        for frame in container.decode(stream):
            chosen = frame
            if frame.time is not None and frame.time >= time_s:
                break
        if chosen is None:
            return None
        image = chosen.to_image()
        height = round(image.height * THUMB_WIDTH / image.width)
        image = image.resize((THUMB_WIDTH, height))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80, optimize=True)
        return buffer.getvalue()
    except (av.error.FFmpegError, ValueError, OSError):
        return None
