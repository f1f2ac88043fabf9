"""Measure the support thresholds: true citations against wrong ones, on the real papers.

For each paper, sentences of the paper (its passages) are cited
- correctly: to the page they are printed on, verbatim and in two shortened forms (every third
  word dropped; the first 60 % of the words), and 3 hand-written paraphrases per paper
  (benchmarks/data/paraphrases.yml) that stand in for what an LLM writes;
- wrongly: to another page of the same paper (not the next one, where a sentence may continue),
  the paraphrases likewise, and sentences of another paper to a page of this one.
Each claim is scored by `SupportChecker.score` (embedding similarity to the best evidence sentence,
content-word overlap, missing numbers); a grid search then picks the (similarity, overlap) pair
that maximises the mean true-accept rate over the true kinds minus the mean false-accept rate over
the wrong kinds (each kind weighs the same, so the few paraphrases count as much as the many
quotes). Prints the rates per kind of claim.

Run: python benchmarks/support_threshold.py [--per-paper N]   (papers: ../shared/data/papers/*.pdf)
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.analyse.embed import Embedder  # noqa: E402
from builder.cache import Cache  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402
from builder.check.support import (Claim, SupportChecker, build_evidence, content_words,  # noqa: E402
                                   read_page_texts)

PAPERS = ROOT.parent / "shared" / "data" / "papers"
SHORTENED = ("verbatim", "dropped words", "first 60%")
TRUE_KINDS = SHORTENED + ("paraphrase",)
FALSE_KINDS = ("wrong page", "paraphrase, wrong page", "other paper")
PARAPHRASES = yaml.safe_load((Path(__file__).parent / "data" / "paraphrases.yml").read_text(encoding="utf-8"))


def shortened(text: str, kind: str) -> str:
    words = text.split()
    if kind == "dropped words":
        return " ".join(w for i, w in enumerate(words) if i % 3 != 2)
    if kind == "first 60%":
        return " ".join(words[: max(5, int(len(words) * 0.6))])
    return text


def claims_for(papers: dict[str, tuple], per_paper: int, rng: random.Random) -> list[tuple[str, str, Claim]]:
    """(paper, kind, claim) rows."""
    rows = []
    names = sorted(papers)
    for name in names:
        paper, _ = papers[name]
        usable = [p for p in paper.passages if len(content_words(p.text)) >= 5 and len(p.text) < 600]
        picks = rng.sample(usable, min(per_paper, len(usable)))
        for passage in picks:
            for kind in SHORTENED:
                rows.append((name, kind, Claim(shortened(passage.text, kind), 0, [passage.page_no])))
            wrong = [n for n in range(1, paper.page_count + 1) if n not in (passage.page_no, passage.page_no + 1)]
            if wrong:
                rows.append((name, "wrong page", Claim(passage.text, 0, [rng.choice(wrong)])))
        for page, text in PARAPHRASES.get(name, []):
            rows.append((name, "paraphrase", Claim(text, 0, [page])))
            wrong = [n for n in range(1, paper.page_count + 1) if n not in (page, page + 1)]
            rows.append((name, "paraphrase, wrong page", Claim(text, 0, [rng.choice(wrong)])))
        other_names = [n for n in names if n != name]
        for _ in range(len(picks)):
            other, _ = papers[rng.choice(other_names)]
            source = rng.choice([p for p in other.passages if len(content_words(p.text)) >= 5])
            rows.append((name, "other paper", Claim(source.text, 0, [rng.randint(1, paper.page_count)])))
    return rows


def rule(sim_min: float, overlap_min: float):
    return lambda s: not s.missing_numbers and s.similarity >= sim_min and s.overlap >= overlap_min


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-paper", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-rejected", action="store_true", help="print the paraphrases the shipped rule rejects")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        checker = SupportChecker(Embedder(Cache(Path(tmp))))
        papers = {}
        for pdf in sorted(PAPERS.glob("*.pdf")):
            paper = ingest_paper(pdf)
            papers[pdf.name] = (paper, build_evidence(paper.passages, read_page_texts(pdf), []))
        rows = claims_for(papers, args.per_paper, rng)
        scores = []
        for name in sorted(papers):
            mine = [(kind, claim) for paper, kind, claim in rows if paper == name]
            scored = checker.score([c for _, c in mine], papers[name][1], name)
            scores += [(kind, s) for (kind, _), s in zip(mine, scored)]
    elapsed = time.perf_counter() - started
    by_kind = {kind: [s for k, s in scores if k == kind] for kind in TRUE_KINDS + FALSE_KINDS}

    def rates(accept) -> tuple[float, float]:
        tpr = sum(sum(map(accept, by_kind[k])) / len(by_kind[k]) for k in TRUE_KINDS) / len(TRUE_KINDS)
        fpr = sum(sum(map(accept, by_kind[k])) / len(by_kind[k]) for k in FALSE_KINDS) / len(FALSE_KINDS)
        return tpr, fpr

    best = None
    for sim_step in range(30, 91, 2):
        for overlap_step in range(30, 96, 5):
            tpr, fpr = rates(rule(sim_step / 100, overlap_step / 100))
            if best is None or tpr - fpr > best[0] + 1e-9:
                best = (tpr - fpr, sim_step / 100, overlap_step / 100, tpr, fpr)
    _, sim_min, overlap_min, tpr, fpr = best
    print(f"{len(papers)} papers, {len(scores)} claims scored in {elapsed:.1f} s")
    print(f"best thresholds: similarity >= {sim_min:.2f}, content-word overlap >= {overlap_min:.2f} "
          f"(mean true accept {tpr:.1%}, mean false accept {fpr:.1%})")
    print(f"{'claim kind':<16}{'n':>6}{'accepted':>10}{'sim med':>9}{'overlap med':>13}{'numbers miss':>14}")
    accept = rule(sim_min, overlap_min)
    for kind in TRUE_KINDS + FALSE_KINDS:
        mine = [s for k, s in scores if k == kind]
        sims = sorted(s.similarity for s in mine)
        overlaps = sorted(s.overlap for s in mine)
        misses = sum(bool(s.missing_numbers) for s in mine)
        print(f"{kind:<16}{len(mine):>6}{sum(map(accept, mine)) / len(mine):>10.1%}{sims[len(sims) // 2]:>9.2f}"
              f"{overlaps[len(overlaps) // 2]:>13.2f}{misses / len(mine):>14.1%}")
    print(f"{'similarity':>10}{'overlap':>9}{'mean true':>11}{'mean false':>12}{'paraphrase':>12}{'wrong page':>12}")
    for sim_min_ in (0.3, 0.4, 0.5, 0.6):
        for overlap_min_ in (0.5, 0.6, 0.7, 0.75, 0.8):
            accept = rule(sim_min_, overlap_min_)
            tpr, fpr = rates(accept)
            print(f"{sim_min_:>10.2f}{overlap_min_:>9.2f}{tpr:>11.1%}{fpr:>12.1%}"
                  f"{sum(map(accept, by_kind['paraphrase'])) / len(by_kind['paraphrase']):>12.1%}"
                  f"{sum(map(accept, by_kind['wrong page'])) / len(by_kind['wrong page']):>12.1%}")
    shipped = SupportChecker(None)
    current = rule(shipped.min_similarity, shipped.min_overlap)
    tpr, fpr = rates(current)
    print(f"shipped thresholds (support.py): similarity >= {shipped.min_similarity:.2f}, "
          f"overlap >= {shipped.min_overlap:.2f}: mean true accept {tpr:.1%}, mean false accept {fpr:.1%}")
    for kind in TRUE_KINDS + FALSE_KINDS:
        print(f"  {kind:<24}{sum(map(current, by_kind[kind])) / len(by_kind[kind]):>8.1%} accepted")
    if "--show-rejected" in sys.argv:
        for kind, s in scores:
            if kind == "paraphrase" and not current(s):
                print(f"  rejected paraphrase: sim {s.similarity:.2f} overlap {s.overlap:.2f} {s.claim.text}")


if __name__ == "__main__":
    main()
