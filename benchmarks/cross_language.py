"""A talk in one language about a paper in another: which embedding model matches them.

Measured on the scripted talks that have a Chinese version (../shared/data/talks/dpo and
benchmarks/talks/<name> for every benchmarks/talks/<name>-zh we wrote), all fed to the analysis as
the transcript a clear reading gives (tests/scripted_transcript.py), against their papers:

- matching: each Chinese sentence, among all the English sentences of the script, finds its own
  English original first (top-1), and the mean cosine of true pairs minus the mean of others;
- aligned: chapters given their true section (a chapter explaining nothing must be unaligned),
  with the slides (a SlideTrack with the slide titles at their times) and without (chapters cut
  from the text alone);
- supplements: precision and recall over the script's supplement sentences;
- speed: seconds to embed the paper's passages (first call after loading).

Run: python benchmarks/cross_language.py [NAME ...]   (NAME: a talk's English name, e.g. qlora)
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from builder.analyse.chapters import build_chapters  # noqa: E402
from builder.analyse.embed import MULTILINGUAL, Embedder  # noqa: E402
from builder.analyse.glossary import TermMatcher, load_glossary  # noqa: E402
from builder.analyse.talk_paper import talk_versus_paper  # noqa: E402
from builder.cache import Cache  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402
from builder.ingest.slides import Slide, SlideTrack  # noqa: E402
from scripted_transcript import scripted_transcript  # noqa: E402
from talk_pair import score  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
BENCH_TALKS = ROOT / "benchmarks" / "talks"
# each Chinese talk with the English script it translates (same chapters, sections and supplements);
# a Chinese talk written on its own (benchmarks/talks/deepseekr1-seminar-zh) has none, and no
# matching figures
PAIRS = {"dpo": (DATA / "talks" / "dpo" / "script.json", BENCH_TALKS / "dpo-zh" / "script.json")} | {
    path.parent.name[:-3]: (english if (english := path.parent.parent / path.parent.name[:-3] / "script.json").exists()
                            else None, path)
    for path in sorted(BENCH_TALKS.glob("*-zh/script.json")) if path.parent.name != "dpo-zh"}
MODELS = {"MiniLM (default)": None, "USE multilingual v3": MULTILINGUAL}


def slide_track(truth: dict) -> SlideTrack:
    return SlideTrack([Slide(c["start"] if i else 0.0, c["end"], c["slide"], "") for i, c in enumerate(truth["chapters"])],
                      engine="script")


def matching(embedder: Embedder, english: list[str], chinese: list[str]) -> tuple[float, float]:
    sims = embedder.encode(chinese, "bench-zh/sentences") @ embedder.encode(english, "bench-en/sentences").T
    top1 = float(np.mean(np.argmax(sims, axis=1) == np.arange(len(chinese))))
    off = sims[~np.eye(len(chinese), dtype=bool)]
    return top1, float(np.mean(np.diag(sims)) - np.mean(off))


def shows_slides(script: dict) -> bool:
    return script.get("slides") is not False and not script.get("audio_only")


def main() -> None:
    matcher = TermMatcher(load_glossary())
    papers = {}
    print(f"{'model':<22}{'talk':<15}{'slides':<8}{'aligned':>8}{'sup P':>7}{'sup R':>7}   zh->en top-1, gap; paper s")
    for label, model in MODELS.items():
        embedder = Embedder(Cache(Path(tempfile.mkdtemp(prefix="bench-xlang-"))), model)
        embedder.encode(["warm up"], "warm")
        totals: dict[tuple[str, bool], list[float]] = {}
        for base, paths in PAIRS.items():
            if sys.argv[1:] and base not in sys.argv[1:]:
                continue
            english_script, chinese_script = (json.loads(p.read_text(encoding="utf-8")) if p else None for p in paths)
            pdf = chinese_script["paper"]
            paper = papers.setdefault(pdf, ingest_paper(DATA / "papers" / pdf))
            started = time.perf_counter()
            passage_vectors = embedder.encode([p.text for p in paper.passages], f"{pdf}/paper")
            seconds = time.perf_counter() - started
            chinese = [s["text"] for c in chinese_script["chapters"] for s in c["sentences"]]
            top1, gap = float("nan"), float("nan")
            if english_script:
                english = [s["text"] for c in english_script["chapters"] for s in c["sentences"]]
                top1, gap = matching(embedder, english, chinese)
            for name, script in ((base, english_script), (f"{base}-zh", chinese_script)):
                if script is None:
                    continue
                transcript, truth = scripted_transcript(script)
                vectors = embedder.encode([s.text for s in transcript.segments], f"{name}/talk")
                for slides in ((slide_track(truth), None) if shows_slides(script) else (None,)):
                    chapters = build_chapters(transcript.segments, vectors, transcript.duration_s, matcher, slides)
                    alignments, supplements = talk_versus_paper(paper, transcript, chapters, vectors, passage_vectors,
                                                                embedder, name, matcher)
                    m = score(truth, transcript, chapters, alignments, supplements)
                    language = "zh" if name.endswith("-zh") else "en"
                    totals.setdefault((language, slides is not None), []).append(m["aligned"])
                    print(f"{label:<22}{name:<15}{'yes' if slides else 'no':<8}{m['aligned']:>8.0%}{m['sup_p']:>7.2f}"
                          f"{m['sup_r']:>7.2f}   {top1:.0%}, {gap:.2f}; {seconds:.1f}", flush=True)
        for (language, slides), values in sorted(totals.items()):
            print(f"{label:<22}mean {language:<10}{'yes' if slides else 'no':<8}{sum(values) / len(values):>8.0%}"
                  f"   ({len(values)} talks)")


if __name__ == "__main__":
    main()
