"""Where to put SUPPLEMENT_THRESHOLD: best-match similarity of talk sentences the paper covers vs
sentences it does not, with the packaged MiniLM.

"Covered" sentences are each paper's own sentences matched against the REST of that paper
(leave-one-out: the closest other sentence stands in for the talk saying it in its own words).
"Not covered" sentences are another, unrelated paper's sentences and the real speech references in
../shared/data/speech/references.json, matched against the same paper. The chosen threshold is
the one with the best balanced accuracy. Synthetic in that no real lecture is involved.
Run: python benchmarks/supplement_threshold.py
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from builder.analyse.align import SUPPLEMENT_THRESHOLD  # noqa: E402
from builder.analyse.embed import Embedder  # noqa: E402
from builder.cache import Cache  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
# (paper the talk is about, unrelated paper whose sentences the paper does not cover)
PAIRS = [("dpo.pdf", "tdnn.pdf"), ("attention.pdf", "ntk.pdf"), ("qlora.pdf", "rope.pdf"), ("tdnn.pdf", "instructgpt.pdf")]
MAX_SENTENCES = 150


def speech_sentences() -> list[str]:
    refs = json.loads((DATA / "speech" / "references.json").read_text(encoding="utf-8"))
    texts = [refs["jfk.flac"]["text"], *refs["stereo_diarization.wav"]["channels"].values(),
             refs["multilingual.mp3"]["text_en"]]
    return [s.strip() for t in texts for s in t.split(". ") if len(s.split()) >= 4]


def percentiles(values: np.ndarray) -> str:
    return "  ".join(f"p{q:02d} {np.percentile(values, q):.2f}" for q in (5, 25, 50, 75, 95))


def main() -> None:
    embedder = Embedder(Cache(Path(tempfile.gettempdir()) / "coursewiki-bench-cache"))
    speech = speech_sentences()
    speech_vectors = embedder.encode(speech, "speech")
    covered, outside, speech_scores = [], [], []
    for target, other in PAIRS:
        paper = [p.text for p in ingest_paper(DATA / "papers" / target).passages]
        foreign = [p.text for p in ingest_paper(DATA / "papers" / other).passages][:MAX_SENTENCES]
        paper_vectors = embedder.encode(paper, target)
        foreign_vectors = embedder.encode(foreign, other)
        own = paper_vectors @ paper_vectors.T
        np.fill_diagonal(own, -1.0)
        for i in range(len(paper)):   # an identical sentence printed twice is no paraphrase
            own[i, [j for j in range(len(paper)) if paper[j] == paper[i]]] = -1.0
        covered.append(own.max(axis=1))
        outside.append((foreign_vectors @ paper_vectors.T).max(axis=1))
        speech_scores.append((speech_vectors @ paper_vectors.T).max(axis=1))
        print(f"{target:<15} covered   {percentiles(covered[-1])}")
        print(f"{'':<15} {other[:-4]:<9} {percentiles(outside[-1])}")
        print(f"{'':<15} speech    {percentiles(speech_scores[-1])}")
    inside = np.concatenate(covered)
    not_inside = np.concatenate(outside + speech_scores)
    best = max(np.arange(0.20, 0.80, 0.01),
               key=lambda t: ((inside >= t).mean() + (not_inside < t).mean()) / 2)
    for name, t in (("current", SUPPLEMENT_THRESHOLD), ("best", best)):
        print(f"{name} threshold {t:.2f}: covered sentences kept as covered {100 * (inside >= t).mean():.1f}%, "
              f"not-covered flagged as supplement {100 * (not_inside < t).mean():.1f}%")


if __name__ == "__main__":
    main()
