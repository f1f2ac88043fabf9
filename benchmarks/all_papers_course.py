"""One course of every paper in tests/expected/papers.yml: key terms linked to the glossary from
each report, and cited sentences that are broken.

Builds one course holding every shared paper, each with the same short real clip as its talk (the
talk does not matter here; a cache folder keeps the transcriptions for a second run), then reads
each report's glossary links. A key term counts as linked when the report links the glossary entry
coursewiki must find it as (`found_as`: a course glossary id, or "new" for a term the paper names
itself, matched by the link's label); rows with `found_as: null` (datasets, tools, phrases the
paper never names) are counted apart, by label, as what a reader would also like.
A cited sentence (a sentence of the paper that its report quotes with a page) is broken when it
starts in lower case (cut from the middle of a sentence), stops mid-phrase (no closing punctuation:
joined across a column, figure or page break) or opens with a run-in heading the report does not
set apart as a label.
Goals (issue 15): >= 80% of each paper's key terms linked from its report; < 1% broken cited sentences.
Run: python benchmarks/all_papers_course.py [--cache DIR] [-v]
"""
from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LINK = re.compile(r"\[([^\]]+)\]\(\.\./glossary\.md#([^)\s]+)\)")


def unescape(label: str) -> str:
    return re.sub(r"\\(.)", r"\1", label).replace("*", "").strip()


def linked(row: dict, links: set[tuple[str, str]], curated: dict[str, set[str]]) -> bool:
    """Whether the report links the row's term: its curated id, or an entry under its name."""
    from builder.models.glossary import term_key
    names = {row["term"].lower(), (row.get("match") or "").lower()} - {""}
    names |= {m.lower() for m in re.findall(r"^(.*?)\s*\(([^)]+)\)$", row["term"])[0]} if "(" in row["term"] else set()
    if row.get("found_as") not in (None, "new"):
        return any(term_id == row["found_as"] for _, term_id in links)
    if any({term_key(n) for n in names} & curated.get(term_id, set()) for _, term_id in links):
        return True
    labels = {re.sub(r"\s*\([^)]*\)$", "", unescape(label)).lower() for label, _ in links} | \
             {m.lower() for label, _ in links for m in re.findall(r"\(([^)]+)\)$", unescape(label))}
    labels = {singular(label) for label in labels}
    return any(singular(name) in labels or any(singular(name).startswith(label) and len(label) > 3 for label in labels)
               for name in names)


def singular(text: str) -> str:
    """Plural s aside: "value networks" names the key term "value network"."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in text.split())


def broken(sentence: str, report: str) -> str | None:
    """Why a quoted paper sentence is broken, or None."""
    from builder.headings import run_in_heading
    from builder.write.markdown import escape_md
    if sentence[:1].islower():
        return "starts in lower case"
    if not re.search(r"[.!?:;)\]\"”’%]$", sentence.strip()):
        return "stops mid-phrase"
    heading = run_in_heading(sentence)
    if heading and not re.match(r"(?:Figure|Fig\.|Table)\s", sentence) and f"**{escape_md(heading)}:**" not in report:
        return "opens with a run-in heading"
    return None


def quoted_sentences(report: str, passages) -> list[str]:
    """The paper's sentences the report quotes (whole, or after a label set apart)."""
    from builder.write.markdown import escape_md_math
    from builder.write.report import tidy
    found = []
    for passage in passages:
        text = tidy(passage.text)
        tail = escape_md_math(text)[-60:]
        if len(text) >= 30 and tail in report:
            found.append(text)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="cache folder kept between runs")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the terms not linked")
    args = parser.parse_args()
    from builder.config import CourseSettings
    from builder.pipeline import build_course
    expected = yaml.safe_load((ROOT / "tests" / "expected" / "papers.yml").read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="glossary-coverage-"))
    try:
        root = work / "course"
        (root / "sources").mkdir(parents=True)
        for slug, paper in expected.items():
            folder = root / "sources" / slug
            folder.mkdir()
            shutil.copy(SHARED / "papers" / paper["file"], folder / "paper.pdf")
            shutil.copy(SHARED / "speech" / "jfk.flac", folder / "talk.flac")
        from builder.analyse.glossary import load_glossary
        from builder.models.glossary import term_key
        curated = {t.id: {term_key(n) for n in (t.term, t.abbr, *t.aliases) if n} for t in load_glossary()}
        settings = CourseSettings.for_root(root, cache_dir=args.cache or work / "cache")
        started = time.perf_counter()
        summary = build_course(settings)
        print(f"build: {time.perf_counter() - started:.0f} s for {len(expected)} pairs "
              f"({'cold' if not args.cache else 'with the cache in ' + str(args.cache)})")
        assert not summary.failed, summary.failed
        glossary_entries = len(re.findall(r"^## ", (root / "content" / "glossary.md").read_text(encoding="utf-8"), re.M))
        totals = {"asserted": [0, 0], "null": [0, 0]}
        worst, worst_all, below = 1.0, 1.0, []
        print(f"{'paper':<14}{'asserted':>10}{'also':>8}{'all':>8}")
        for slug, paper in expected.items():
            report = (root / "content" / slug / "report.md").read_text(encoding="utf-8")
            links = set(LINK.findall(report))
            counts = {"asserted": [0, 0], "null": [0, 0]}
            for row in paper.get("terms") or []:
                kind = "null" if row.get("found_as") is None else "asserted"
                hit = linked(row, links, curated)
                counts[kind][0] += hit
                counts[kind][1] += 1
                if args.verbose and not hit:
                    print(f"    {slug}: {row['term']} ({row.get('found_as')}) not linked")
            for kind in totals:
                totals[kind][0] += counts[kind][0]
                totals[kind][1] += counts[kind][1]
            if counts["asserted"][1]:
                worst = min(worst, counts["asserted"][0] / counts["asserted"][1])
            hits, rows = counts["asserted"][0] + counts["null"][0], counts["asserted"][1] + counts["null"][1]
            if rows:
                worst_all = min(worst_all, hits / rows)
                below += [slug] if hits / rows < 0.8 else []
            print(f"{slug:<14}{'%d/%d' % tuple(counts['asserted']):>10}{'%d/%d' % tuple(counts['null']):>8}"
                  f"{'%d/%d' % (hits, rows):>8}")
        share = totals["asserted"][0] / max(1, totals["asserted"][1])
        also = totals["null"][0] / max(1, totals["null"][1])
        every = (totals["asserted"][0] + totals["null"][0]) / max(1, totals["asserted"][1] + totals["null"][1])
        from builder.gather import cached_paper
        from builder.cache import Cache
        claims = bad = 0
        for slug, paper in expected.items():
            report = (root / "content" / slug / "report.md").read_text(encoding="utf-8")
            _, read = cached_paper(Cache(settings.cache_dir), slug, root / "sources" / slug / "paper.pdf")
            for sentence in quoted_sentences(report, read.passages):
                claims += 1
                why = broken(sentence, report)
                if why:
                    bad += 1
                    if args.verbose:
                        print(f"    {slug}: {why}: {sentence[:100]!r}")
        print(f"cited_sentences: broken={bad / max(1, claims):.1%} ({bad} of {claims})")
        print(f"glossary_coverage: linked={share:.0%} worst_paper={worst:.0%} also_null_rows={also:.0%} "
              f"all_rows={every:.0%} worst_paper_all_rows={worst_all:.0%} papers_below_80={len(below)} "
              f"papers={len(expected)} glossary_entries={glossary_entries}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
