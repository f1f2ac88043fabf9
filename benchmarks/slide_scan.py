"""Speed and cuts of the slide scan (builder.ingest.slides, before OCR) on the SYNTHETIC lecture of
benchmarks/talk_keyframes.py: 1280x720, 25 fps, a new random-block slide every 17 s, a "speaker"
box moving in a corner all the time (live pixels the scan must ignore), H.264 by x264 veryfast.

Prints seconds of video scanned per second, how many samples were taken, the slides kept after
merging, and how many real changes have a slide starting within 2.5 s. OCR time comes on top:
seconds per slide in benchmarks/slide_ocr.py, times the number of slides.
Run: PYTHONPATH=. python benchmarks/slide_scan.py [--minutes 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from builder.ingest import slides  # noqa: E402
from talk_keyframes import make_lecture  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "lecture.mp4"
        changes = make_lecture(video, args.minutes)
        start = time.perf_counter()
        scan = slides._scan(video)
        scanned = time.perf_counter() - start
        kept = slides._merge(slides._stills(scan))
        if scan.keyframes_only:
            slides._take_last_pictures(video, kept)  # each slide's fullest picture, as read_slides does
        took = time.perf_counter() - start
        found = sum(any(abs(s.start_s - c) <= 2.5 for s in kept) for c in changes)
        print(f"{args.minutes * 60 / took:.0f}x real time ({scanned:.1f} s scan, {took - scanned:.1f} s cutting and last pictures); "
              f"{len(scan.times)} samples, {len(scan.stored)} full pictures kept; {len(kept)} slides; "
              f"{found}/{len(changes)} changes found, {len(kept) - 1 - found} extra")


if __name__ == "__main__":
    main()
