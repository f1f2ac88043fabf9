"""A talk in one language about a paper in another: which embedding model matches them.

Measured on the scripted DPO talk (../shared/data/talks/dpo) and our Chinese version of it
(benchmarks/talks/dpo-zh), both fed to the analysis as the transcript a clear reading gives
(tests/scripted_transcript.py), against ../shared/data/papers/dpo.pdf:

- matching: each Chinese sentence, among all the English sentences of the script, finds its own
  English original first (top-1), and the mean cosine of true pairs minus the mean of others;
- aligned: chapters given their true section (a chapter explaining nothing must be unaligned),
  with the slides (a SlideTrack with the slide titles at their times) and without (chapters cut
  from the text alone);
- supplements: precision and recall over the script's supplement sentences;
- speed: seconds to embed the paper's passages (first call after loading).

Run: python benchmarks/cross_language.py
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
TALKS = {"dpo": DATA / "talks" / "dpo" / "script.json", "dpo-zh": ROOT / "benchmarks" / "talks" / "dpo-zh" / "script.json"}
MODELS = {"MiniLM (default)": None, "USE multilingual v3": MULTILINGUAL}


def slide_track(truth: dict) -> SlideTrack:
    return SlideTrack([Slide(c["start"] if i else 0.0, c["end"], c["slide"], "") for i, c in enumerate(truth["chapters"])],
                      engine="script")


def matching(embedder: Embedder, english: list[str], chinese: list[str]) -> tuple[float, float]:
    sims = embedder.encode(chinese, "bench-zh/sentences") @ embedder.encode(english, "bench-en/sentences").T
    top1 = float(np.mean(np.argmax(sims, axis=1) == np.arange(len(chinese))))
    off = sims[~np.eye(len(chinese), dtype=bool)]
    return top1, float(np.mean(np.diag(sims)) - np.mean(off))


def main() -> None:
    scripts = {name: json.loads(path.read_text()) for name, path in TALKS.items()}
    english = [s["text"] for c in scripts["dpo"]["chapters"] for s in c["sentences"]]
    chinese = [s["text"] for c in scripts["dpo-zh"]["chapters"] for s in c["sentences"]]
    paper = ingest_paper(DATA / "papers" / "dpo.pdf")
    matcher = TermMatcher(load_glossary())
    print(f"{'model':<22}{'talk':<8}{'slides':<8}{'aligned':>8}{'sup P':>7}{'sup R':>7}   zh->en top-1, gap; paper s")
    for label, model in MODELS.items():
        embedder = Embedder(Cache(Path(tempfile.mkdtemp(prefix="bench-xlang-"))), model)
        embedder.encode(["warm up"], "warm")
        started = time.perf_counter()
        passage_vectors = embedder.encode([p.text for p in paper.passages], "dpo/paper")
        seconds = time.perf_counter() - started
        top1, gap = matching(embedder, english, chinese)
        for name, script in scripts.items():
            transcript, truth = scripted_transcript(script)
            vectors = embedder.encode([s.text for s in transcript.segments], f"{name}/talk")
            for slides in (slide_track(truth), None):
                chapters = build_chapters(transcript.segments, vectors, transcript.duration_s, matcher, slides)
                alignments, supplements = talk_versus_paper(paper, transcript, chapters, vectors, passage_vectors,
                                                            embedder, name, matcher)
                m = score(truth, transcript, chapters, alignments, supplements)
                print(f"{label:<22}{name:<8}{'yes' if slides else 'no':<8}{m['aligned']:>8.0%}{m['sup_p']:>7.2f}"
                      f"{m['sup_r']:>7.2f}   {top1:.0%}, {gap:.2f}; {seconds:.1f}", flush=True)


if __name__ == "__main__":
    main()
