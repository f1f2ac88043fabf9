"""Is a Chinese claim about an English page judged right? The support check across languages.

The claims are our Chinese translations of hand-written paraphrases of real sentences
(benchmarks/data/zh_claims.yml), each cited
- to the page its source sentence is printed on (true),
- to another page of the same paper, not the next one (false: wrong page),
- to a page of another paper (false: other paper).
Each claim is scored by `SupportChecker.score`: the key terms it names (Latin-script terms, and
glossary terms read by their English names), its numbers, and with the multilingual model its best
similarity to a sentence of the cited page. A grid search picks the similarity threshold that
judges most claims right (each kind weighing the same); then the shipped rule's rates are printed,
and those of the rule with no multilingual model (key terms and numbers only).

Run: python benchmarks/zh_support.py [--seed N]   (papers: ../shared/data/papers/*.pdf)
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

from builder.analyse.embed import MULTILINGUAL, Embedder  # noqa: E402
from builder.analyse.glossary import load_glossary  # noqa: E402
from builder.cache import Cache  # noqa: E402
from builder.check.support import Claim, SupportChecker, build_evidence  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402

PAPERS = ROOT.parent / "shared" / "data" / "papers"
CLAIMS = yaml.safe_load((Path(__file__).parent / "data" / "zh_claims.yml").read_text(encoding="utf-8"))
KINDS = ("true", "wrong page", "other paper")


def cited(claims: dict, page_counts: dict[str, int], rng: random.Random) -> list[tuple[str, str, Claim]]:
    """(paper whose evidence is used, kind, claim) rows: each claim three times."""
    rows = []
    names = sorted(claims)
    for name in names:
        for page, text in claims[name]:
            rows.append((name, "true", Claim(text, 0, [page])))
            wrong = [n for n in range(1, page_counts[name] + 1) if n not in (page - 1, page, page + 1)]
            rows.append((name, "wrong page", Claim(text, 0, [rng.choice(wrong)])))
            other = rng.choice([n for n in names if n != name])
            rows.append((other, "other paper", Claim(text, 0, [rng.randint(1, page_counts[other])])))
    return rows


def judged_right(kind: str, supported: bool) -> bool:
    return supported == (kind == "true")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    glossary = load_glossary()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Cache(Path(tmp))
        papers = {name: ingest_paper(PAPERS / name) for name in sorted(CLAIMS)}
        evidence = {name: build_evidence(p.passages, p.page_texts, []) for name, p in papers.items()}
        rows = cited(CLAIMS, {name: p.page_count for name, p in papers.items()}, rng)
        checkers = {"key terms only": SupportChecker(Embedder(cache), glossary),
                    "multilingual": SupportChecker(Embedder(cache), glossary, multilingual=Embedder(cache, MULTILINGUAL))}
        scored = {}
        for label, checker in checkers.items():
            started = time.perf_counter()
            verdicts = []
            for name in sorted(evidence):
                mine = [(kind, claim) for paper, kind, claim in rows if paper == name]
                verdicts += list(zip([k for k, _ in mine], checker.score([c for _, c in mine], evidence[name], name)))
            scored[label] = (verdicts, time.perf_counter() - started)

    def rates(label: str, checker: SupportChecker) -> dict[str, float]:
        out = {}
        for kind in KINDS:
            mine = [v for k, v in scored[label][0] if k == kind]
            out[kind] = sum(judged_right(kind, not checker._reason(v)) for v in mine) / len(mine)
        return out

    multilingual = checkers["multilingual"]
    best = None
    for step in range(20, 81, 1):
        multilingual.min_similarity_across = step / 100
        right = rates("multilingual", multilingual)
        mean = sum(right.values()) / len(right)
        if best is None or mean > best[0] + 1e-9:
            best = (mean, step / 100, right)
    print(f"{len(rows)} claims ({len(rows) // 3} Chinese claims x {', '.join(KINDS)}), "
          f"{len(papers)} papers")
    print(f"best threshold: similarity >= {best[1]:.2f}, mean judged right {best[0]:.1%} "
          + ", ".join(f"{k} {v:.1%}" for k, v in best[2].items()))
    for threshold in (0.40, 0.45, 0.50, 0.55, 0.60):
        multilingual.min_similarity_across = threshold
        right = rates("multilingual", multilingual)
        print(f"  similarity >= {threshold:.2f}: " + ", ".join(f"{k} {v:.1%}" for k, v in right.items()))
    multilingual.min_similarity_across = SupportChecker(None).min_similarity_across
    for label, checker in checkers.items():
        right = rates(label, checker)
        every = sum(right[k] * sum(1 for kk, _ in scored[label][0] if kk == k) for k in KINDS) / len(rows)
        print(f"{label:<16} judged right: all {every:.1%}; " + ", ".join(f"{k} {v:.1%}" for k, v in right.items())
              + f"; {scored[label][1]:.1f} s" + (f" (threshold {checker.min_similarity_across:.2f})"
                                                  if checker.multilingual else ""))
    true = sorted(v.similarity for k, v in scored["multilingual"][0] if k == "true")
    false = sorted(v.similarity for k, v in scored["multilingual"][0] if k != "true")
    print(f"multilingual similarity: true median {true[len(true) // 2]:.2f} (min {true[0]:.2f}), "
          f"false median {false[len(false) // 2]:.2f} (max {false[-1]:.2f})")
    for kind, verdict in scored["multilingual"][0]:
        reason = multilingual._reason(verdict)
        if not judged_right(kind, not reason):
            print(f"  wrong: {kind:<12} sim {verdict.similarity:.2f} p.{verdict.claim.pages[0]} {verdict.claim.text[:40]}"
                  f" ({reason or 'accepted'})")


if __name__ == "__main__":
    main()
