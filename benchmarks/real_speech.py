"""Real recordings through transcription and the whole build: segments, repeated lines, speed.

Every file of ../shared/data/speech/real/ (speeches, a short lecture, a radio log, Mandarin; none
about our papers) plus jfk.flac and hotwords.mp3 is
1. transcribed with the build's settings (tiny.en, batched, the vocabulary of tdnn.pdf as
   hotwords), then with no vocabulary, printing whisper's segments ("pieces"), the sentences made
   of them ("lines"), looping windows (compression ratio > 2.4) and repeated lines before
   cleaning, words cut as loop repeats ("loop w.") or as hotwords written into noise ("unheard"),
   lines dropped by cleaning, repeated lines after, and the
   real-time factor (audio seconds per wall-clock second);
2. built as a pair with tdnn.pdf by builder.pipeline.build_course, all in one course, printing
   failures, the chapter titles, the repeated lines left in each talk page's transcript, and
   whether the talk page says the talk is not about the paper (none of them is) with how many
   chapters it aligns to a section anyway.

Run: python benchmarks/real_speech.py [--threads 2] [--files jfk.flac ...]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from builder.analyse.glossary import TermMatcher, load_glossary  # noqa: E402
from builder.analyse.vocabulary import talk_vocabulary  # noqa: E402
from builder.config import CourseSettings  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402
from builder.ingest.repeats import MAX_COMPRESSION, clean, repeated_lines  # noqa: E402
from builder.ingest.sentences import sentences  # noqa: E402
from builder.ingest.talk import SAMPLE_RATE, WhisperSettings, load_audio, recognise, timed_words  # noqa: E402
from builder.models import Segment  # noqa: E402
from builder.pipeline import build_course  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SPEECH = DATA / "speech"
PAPER = DATA / "papers" / "tdnn.pdf"


def recordings(names: list[str] | None) -> list[Path]:
    found = sorted(p for p in (SPEECH / "real").iterdir() if p.suffix in (".mp3", ".flac", ".wav"))
    found += [SPEECH / "jfk.flac", SPEECH / "hotwords.mp3"]
    return [p for p in found if not names or p.name in names]


def page_lines(talk_md: Path) -> list[str]:
    """The full-transcript lines of a talk page, without their time links."""
    text = talk_md.read_text(encoding="utf-8").split('??? note "Full transcript"', 1)[-1]
    return [re.sub(r"^\s*\[[^\]]*\]\([^)]*\)\s*", "", line).strip() for line in text.splitlines() if line.startswith("    [")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--files", nargs="*", help="only these file names")
    args = parser.parse_args()
    files = recordings(args.files)
    vocabulary = talk_vocabulary(ingest_paper(PAPER), TermMatcher(load_glossary())).terms
    recognise(load_audio(SPEECH / "hotwords.mp3"), WhisperSettings(), threads=args.threads)   # load the model first
    for label, settings in (("tdnn.pdf vocabulary as hotwords (the build's setting)", WhisperSettings(vocabulary=vocabulary)),
                            ("no vocabulary", WhisperSettings(vocabulary_as="none"))):
        print(f"\ntranscription: tiny.en int8, batched 8, {args.threads} threads, {label}")
        transcription_table(files, settings, args.threads)
    build_table(files)


def transcription_table(files: list[Path], settings: WhisperSettings, threads: int) -> None:
    print(f"{'file':<34}{'audio':>7}{'pieces':>7}{'lines':>6}{'loops':>6}{'rep.':>5}{'loop w.':>8}{'unheard':>9}"
          f"{'dropped':>8}"
          f"{'rep. after':>11}{'RTF':>7}")
    for path in files:
        audio = load_audio(path)
        duration_s = len(audio) / SAMPLE_RATE
        start = time.perf_counter()
        result = recognise(audio, settings, threads=threads)
        wall = time.perf_counter() - start
        words = timed_words(result.pieces, duration_s)
        raw = sentences(words)
        cleaned = clean(words, result.prompt)
        loops = sum(1 for p in result.pieces if p.compression_ratio > MAX_COMPRESSION)
        print(f"{path.name:<34}{duration_s:>6.0f}s{len(result.pieces):>7}{len(raw):>6}{loops:>6}{repeated_lines(raw):>5}"
              f"{cleaned.collapsed_words:>8}{cleaned.unheard_words:>9}{cleaned.dropped_lines:>8}"
              f"{repeated_lines(cleaned.segments):>11}{duration_s / wall:>6.1f}x", flush=True)


def build_table(files: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        slugs = {}
        for path in files:
            slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
            folder = root / "sources" / slug
            folder.mkdir(parents=True)
            shutil.copy(PAPER, folder / "paper.pdf")
            shutil.copy(path, folder / f"talk{path.suffix}")
            slugs[slug] = path
        start = time.perf_counter()
        summary = build_course(CourseSettings.for_root(root))
        wall = time.perf_counter() - start
        print(f"\nwhole build, {len(slugs)} pairs with tdnn.pdf: {wall:.0f} s; {summary.line()}")
        for failure in summary.failed:
            print(f"  FAILED {failure.slug}: {failure.message}")
        for slug in sorted(slugs):
            page = root / "content" / slug / "talk.md"
            if not page.is_file():
                continue
            lines = page_lines(page)
            segments = [Segment(0.0, 0.0, line, []) for line in lines]
            text = page.read_text(encoding="utf-8")
            titles = re.findall(r"^### \d+\. (.*)$", text, flags=re.M)
            aligned = len(re.findall(r"· explains paper ", text))
            about = "NOT about the paper" if "does not seem to be about the paper" in text else "about the paper"
            print(f"  {slug}: {len(lines)} transcript lines, {repeated_lines(segments)} repeated; {about}, "
                  f"{aligned} chapter(s) aligned; chapters: {' | '.join(titles)}")


if __name__ == "__main__":
    main()
