"""One decoding of a talk's picture, read by several samplers at once: the slide scan and the
keyframes' slide changes both look at the same frames, so an hour of video is decoded once.

Keyframes alone are decoded when the encoder put them often enough (an hour of video in seconds;
x264 also puts one at each scene cut); otherwise every frame is, and each sampler takes the ones
it wants (every half second, every second).
"""
from __future__ import annotations

from typing import Callable, Protocol, Sequence

import av

# Keyframes further apart than this on average miss slide changes: decode every frame instead.
MAX_KEYFRAME_GAP_S = 10.0


class Sampler(Protocol):
    def feed(self, frame: av.VideoFrame) -> None:
        """Every decoded frame that has a time, in order."""

    def finish(self, end_s: float) -> None:
        """The pass is complete; `end_s` is the length the container declares (0 when unknown)."""


def picture_stream(container):
    """The talk's picture, or None: no video stream, or only an audio file's cover art."""
    if not container.streams.video:
        return None
    stream = container.streams.video[0]
    if stream.disposition & av.stream.Disposition.attached_pic:
        return None
    return stream


def decode_once(video, make_samplers: Callable[[bool], Sequence[Sampler]]) -> Sequence[Sampler]:
    """The samplers of the pass that was kept, each fed and finished. `make_samplers(keyframes_only)`
    makes fresh ones for each pass: keyframes alone first, every frame when they are too sparse.
    Decoding errors propagate (each reader decides what a damaged picture means to it)."""
    samplers = make_samplers(True)
    times = _decode(video, True, samplers)
    if len(times) < 2 or (times[-1] - times[0]) / (len(times) - 1) > MAX_KEYFRAME_GAP_S:
        samplers = make_samplers(False)
        _decode(video, False, samplers)
    return samplers


def _decode(video, keyframes_only: bool, samplers: Sequence[Sampler]) -> list[float]:
    times: list[float] = []
    with av.open(str(video)) as container:
        stream = picture_stream(container)
        if stream is None:
            return times
        stream.thread_type = "AUTO"
        if keyframes_only:
            stream.codec_context.skip_frame = "NONKEY"
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            times.append(float(frame.time))
            for sampler in samplers:
                sampler.feed(frame)
        end_s = float(container.duration or 0) / av.time_base
    for sampler in samplers:
        sampler.finish(end_s)
    return times
