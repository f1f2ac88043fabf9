"""Chapter splitting and talk -> paper alignment on synthetic talks: a paper's sections read in
shuffled order (tests/synthetic_talk.py), scored against the section each sentence came from.

"verbatim": the talk reads the paper's sentences. "own words": the talk reads every other sentence
of each section and the paper it is aligned to lacks those sentences, a stand-in for a speaker
explaining a section without quoting it.
Run: python benchmarks/alignment.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from builder.analyse.align import align_chapters  # noqa: E402
from builder.analyse.chapters import build_chapters  # noqa: E402
from builder.analyse.embed import Embedder  # noqa: E402
from builder.analyse.glossary import TermMatcher, load_glossary  # noqa: E402
from builder.cache import Cache  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402
from synthetic_talk import sections_read_aloud  # noqa: E402

PAPERS = ["attention.pdf", "bert.pdf", "dpo.pdf", "qlora.pdf"]
SEEDS = range(3)


def main() -> None:
    embedder = Embedder(Cache(Path(tempfile.gettempdir()) / "coursewiki-bench-cache"))
    matcher = TermMatcher(load_glossary())
    print(f"{'paper':<15}{'mode':<11}{'chapters':>9}{'aligned':>9}{'switches near a cut':>21}")
    totals = Counter()
    for name in PAPERS:
        paper = ingest_paper(ROOT.parent / "shared" / "data" / "papers" / name)
        vectors = embedder.encode([p.text for p in paper.passages], name)
        row = {p.text: i for i, p in enumerate(paper.passages)}
        for mode in ("verbatim", "own words"):
            got = Counter()
            for seed in SEEDS:
                segments, truth, duration = sections_read_aloud(paper, seed)
                if mode == "own words":
                    keep = [i for i in range(len(segments)) if i % 2 == 0]
                    segments, truth = [segments[i] for i in keep], [truth[i] for i in keep]
                    duration = segments[-1].end_s + 0.4
                said = {s.text for s in segments}
                known = [i for i, p in enumerate(paper.passages) if mode == "verbatim" or p.text not in said]
                talk_vectors = vectors[[row[s.text] for s in segments]]
                chapters = build_chapters(segments, talk_vectors, duration, matcher)
                aligned = {a.chapter_index: a for a in align_chapters(
                    chapters, segments, talk_vectors, [paper.passages[i] for i in known], vectors[known])}
                starts = []
                for chapter in chapters:
                    members = [i for i, s in enumerate(segments) if chapter.start_s <= s.start_s < chapter.end_s]
                    source = Counter(truth[i] for i in members).most_common(1)[0][0]
                    found = aligned.get(chapter.index)   # a chapter left unaligned counts as wrong
                    got["aligned"] += found is not None and found.section == source
                    got["chapters"] += 1
                    starts.append(members[0])
                switches = [i for i in range(1, len(truth)) if truth[i] != truth[i - 1]]
                got["switches"] += len(switches)
                got["near"] += sum(any(abs(i - s) <= 2 for s in starts[1:]) for i in switches)
            totals.update({f"{mode}:{k}": v for k, v in got.items()})
            print(f"{name:<15}{mode:<11}{got['chapters']:>9}{100 * got['aligned'] / got['chapters']:>8.0f}%"
                  f"{100 * got['near'] / got['switches']:>20.0f}%")
    for mode in ("verbatim", "own words"):
        print(f"{'all':<15}{mode:<11}{totals[mode + ':chapters']:>9}"
              f"{100 * totals[mode + ':aligned'] / totals[mode + ':chapters']:>8.0f}%"
              f"{100 * totals[mode + ':near'] / totals[mode + ':switches']:>20.0f}%")


if __name__ == "__main__":
    main()
