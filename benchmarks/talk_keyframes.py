"""Speed of slide-change detection on a SYNTHETIC lecture video: 1280x720, 25 fps, a new "slide"
(random blocks on white, with a moving "speaker" box) every 17 s, H.264 with x264's defaults.

Prints the seconds of video scanned per second for the keyframes-only pass (the normal case) and
for the frame-a-second full decode (the fallback for files with keyframes over 10 s apart), and
whether each slide change was found.
Run: python benchmarks/talk_keyframes.py [--minutes 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.ingest import keyframes, video_pass  # noqa: E402

FPS, WIDTH, HEIGHT, SLIDE_S = 25, 1280, 720, 17


def make_lecture(path: Path, minutes: float) -> list[float]:
    rng = np.random.default_rng(0)
    frames = int(minutes * 60 * FPS)
    changes = []
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = {"preset": "veryfast"}  # keeps x264 scene-cut keyframes (ultrafast drops them)
        slide = None
        for i in range(frames):
            if i % (SLIDE_S * FPS) == 0:
                slide = np.full((HEIGHT, WIDTH, 3), 250, dtype=np.uint8)
                for _ in range(12):
                    y, x = rng.integers(0, HEIGHT - 80), rng.integers(0, WIDTH - 300)
                    slide[y:y + 60, x:x + 280] = rng.integers(0, 200, 3)
                if i:
                    changes.append(i / FPS)
            picture = slide.copy()
            x = 40 + int(30 * np.sin(i / 20))   # the speaker moving in a corner
            picture[HEIGHT - 260:HEIGHT - 20, x:x + 160] = (90, 60, 50)
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return changes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "lecture.mp4"
        changes = make_lecture(video, args.minutes)
        seconds = args.minutes * 60
        for label, keyframes_only in (("keyframes only", True), ("frame a second", False)):
            start = time.perf_counter()
            finder = keyframes.SlideChangeFinder(keyframes_only)
            scanned = video_pass._decode(video, keyframes_only, [finder])
            shots = finder.shots
            took = time.perf_counter() - start
            found = sum(any(abs(t - c) <= 2.5 for t, _ in shots) for c in changes)
            print(f"{label:<16} {len(scanned):>5} frames decoded  {seconds / took:>7.0f}x real time  "
                  f"{found}/{len(changes)} slide changes found, {len(shots) - found} extra")


if __name__ == "__main__":
    main()
