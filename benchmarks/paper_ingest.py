"""Pages per second of the whole paper ingestion against raw PyMuPDF text extraction.

Goal: ingestion within 2x of raw `page.get_text()` on the same files.
Run: python benchmarks/paper_ingest.py [PDF ...]   (default: ../shared/data/papers/*.pdf)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pymupdf

from builder.ingest.paper import ingest_paper

REPEATS = 5


def best_of(fn) -> float:
    """Best CPU seconds of a few runs: CPU time, not wall time, so other work on the machine
    (a busy 2-core laptop, CI neighbours) does not move the ratio."""
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def raw_text(path: Path) -> None:
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text()


def main(paths: list[Path]) -> None:
    print(f"{'paper':<18}{'pages':>6}{'raw p/s':>10}{'ingest p/s':>12}{'ratio':>8}")
    total_pages = total_raw = total_ingest = 0.0
    for path in paths:
        pages = pymupdf.open(path).page_count
        raw = best_of(lambda: raw_text(path))
        full = best_of(lambda: ingest_paper(path))
        total_pages += pages
        total_raw += raw
        total_ingest += full
        print(f"{path.name:<18}{pages:>6}{pages / raw:>10.1f}{pages / full:>12.1f}{full / raw:>8.2f}")
    print(f"{'all':<18}{int(total_pages):>6}{total_pages / total_raw:>10.1f}{total_pages / total_ingest:>12.1f}"
          f"{total_ingest / total_raw:>8.2f}")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    default = Path(__file__).resolve().parents[2] / "shared" / "data" / "papers"
    main(args or sorted(default.glob("*.pdf")))
