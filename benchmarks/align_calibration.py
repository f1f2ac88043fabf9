"""Talk -> paper alignment alone, on the scripted talks' true chapters, in both languages and with
both embedding models: what the thresholds of builder/analyse/align.py were calibrated on.

Chapter cutting is taken out (each chapter is the script's, with its slide title as slide text
when the talk shows slides, and once more without), so a figure here is the alignment's own: a
chapter is right when it gets its true section, or none when it explains none. Every scripted talk
is used: ../shared/data/talks/dpo, benchmarks/talks/<name> and our Chinese versions
benchmarks/talks/<name>-zh. English talks are measured with MiniLM and USE Multilingual, Chinese
ones with USE Multilingual (what a build uses for them) and MiniLM for comparison.

Run: python benchmarks/align_calibration.py
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from builder.analyse.embed import MULTILINGUAL, Embedder  # noqa: E402
from builder.analyse.glossary import TermMatcher, load_glossary  # noqa: E402
from builder.analyse.talk_paper import talk_versus_paper  # noqa: E402
from builder.cache import Cache  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402
from scripted_transcript import scripted_transcript  # noqa: E402
from talk_pair import same_section, true_chapters  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SCRIPTS = {"dpo": DATA / "talks" / "dpo" / "script.json"} | {
    path.parent.name: path for path in sorted((ROOT / "benchmarks" / "talks").glob("*/script.json"))}
MODELS = {"MiniLM": None, "USE": MULTILINGUAL}


def aligned_share(paper, script: dict, embedder: Embedder, name: str, matcher: TermMatcher,
                  slides: bool) -> float:
    transcript, truth = scripted_transcript(script)
    chapters = true_chapters(truth)
    if not slides:
        chapters = [replace(c, slide_text="") for c in chapters]
    vectors = embedder.encode([s.text for s in transcript.segments], f"{name}/talk")
    passage_vectors = embedder.encode([p.text for p in paper.passages], f"{script['paper']}/paper")
    alignments, _ = talk_versus_paper(paper, transcript, chapters, vectors, passage_vectors, embedder, name, matcher)
    section_of = {a.chapter_index: a.section for a in alignments}
    right = [same_section(section_of.get(c.index), t["section"]) for c, t in zip(chapters, truth["chapters"])]
    return sum(right) / len(right)


def main() -> None:
    matcher = TermMatcher(load_glossary())
    papers: dict = {}
    totals: dict[tuple[str, str, bool], list[float]] = {}
    print(f"{'talk':<16}" + "".join(f"{m + (' slides' if s else ''):>14}" for m in MODELS for s in (True, False)))
    embedders = {label: Embedder(Cache(Path(tempfile.mkdtemp(prefix="bench-align-"))), model)
                 for label, model in MODELS.items()}
    for name, path in SCRIPTS.items():
        script = json.loads(path.read_text(encoding="utf-8"))
        paper = papers.get(script["paper"]) or papers.setdefault(script["paper"], ingest_paper(DATA / "papers" / script["paper"]))
        shows = script.get("slides") is not False and not script.get("audio_only")
        language = script.get("language", "en")
        cells = []
        for label, embedder in embedders.items():
            for slides in (True, False):
                if slides and not shows:
                    cells.append(f"{'':>14}")
                    continue
                share = aligned_share(paper, script, embedder, name, matcher, slides)
                totals.setdefault((label, language, slides), []).append(share)
                cells.append(f"{share:>14.0%}")
        print(f"{name:<16}" + "".join(cells), flush=True)
    for (label, language, slides), values in sorted(totals.items()):
        print(f"mean {language} {label:<8}{'slides' if slides else 'no slides':<11}"
              f"{sum(values) / len(values):>6.0%}  ({len(values)} talks)")


if __name__ == "__main__":
    main()
