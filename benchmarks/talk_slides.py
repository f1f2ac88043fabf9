"""Slides read from rendered scripted talks against their truth.json: chapter-boundary F1 (a cut
within 5 s of a real chapter start; the talk's start is not counted) and titles equal to the
slide text, plus seconds spent reading the slides.

The boundaries are those of the chapters `build_chapters` makes from the slide track, given the
truth's sentences as transcript segments (so this scores the picture side alone, not whisper).
A talk rendered with `"slides": false` must give an empty track, i.e. text chapters.
Run: PYTHONPATH=. python benchmarks/talk_slides.py [/work/talks-render/dpo ...]
(every folder with a talk.mp4 and truth.json under /work/talks-render/ by default)
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.analyse.chapters import build_chapters  # noqa: E402
from builder.analyse.glossary import TermMatcher, load_glossary  # noqa: E402
from builder.ingest.slide_text import same_text  # noqa: E402
from builder.ingest.slides import read_slides  # noqa: E402
from builder.models import Segment  # noqa: E402

TOLERANCE_S = 5.0


def boundary_f1(found: list[float], real: list[float]) -> float:
    found, real = [f for f in found if f > TOLERANCE_S], [r for r in real if r > TOLERANCE_S]
    if not found and not real:
        return 1.0
    unused = list(real)
    hits = 0
    for f in sorted(found):
        match = min(unused, key=lambda r: abs(r - f), default=None)
        if match is not None and abs(match - f) <= TOLERANCE_S:
            hits += 1
            unused.remove(match)
    precision, recall = hits / max(1, len(found)), hits / max(1, len(real))
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)


def main() -> None:
    folders = [Path(a) for a in sys.argv[1:]] or sorted(
        p for p in Path("/work/talks-render").iterdir() if (p / "talk.mp4").is_file() and (p / "truth.json").is_file())
    matcher = TermMatcher(load_glossary())
    print(f"{'talk':12} {'slides?':7} {'chapters':>8} {'found':>5} {'boundary F1':>11} {'titles':>7} {'seconds':>7}")
    for folder in folders:
        truth = json.loads((folder / "truth.json").read_text())
        start = time.perf_counter()
        track = read_slides(folder / "talk.mp4")
        seconds = time.perf_counter() - start
        segments = [Segment(s["start"], s["end"], s["text"], []) for c in truth["chapters"] for s in c["sentences"]]
        vectors = np.random.default_rng(0).normal(size=(len(segments), 16)).astype(np.float32)
        chapters = build_chapters(segments, vectors, truth["duration"], matcher, track)
        real = [c["start"] for c in truth["chapters"]]
        f1 = boundary_f1([c.start_s for c in chapters], real)
        if truth.get("slides", True):
            titles = sum(any(same_text(c.title, t["slide"]) and abs(c.start_s - t["start"]) <= TOLERANCE_S
                             for c in chapters) for t in truth["chapters"])
            title_share = f"{titles}/{len(truth['chapters'])}"
        else:
            title_share = "n/a" if not track.slides else "WRONG"
        print(f"{folder.name:12} {str(truth.get('slides', True)):7} {len(truth['chapters']):8d} {len(track.slides):5d} "
              f"{f1 if truth.get('slides', True) else float('nan'):11.2f} {title_share:>7} {seconds:7.1f}")
        for chapter in chapters:
            print(f"    {chapter.start_s:7.1f} [{chapter.title_source}] {chapter.title}")


if __name__ == "__main__":
    main()
