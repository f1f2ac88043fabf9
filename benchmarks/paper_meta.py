"""Page-1 metadata against the hand-read values in tests/expected/papers.yml, over every paper there.

Figures: fields exact (title, authors, venue, year, arXiv id, DOI: an empty field counts as exact only
when the paper prints none), author lists exact, authors named that are not on the page (invented), affiliation
lists exact and affiliations that still carry a footnote number or mark (one that the page prints as
part of the name, such as "4Paradigm", is not counted), and top-level section headings exact, in order.
Goal (issue 15): every field exact, no invented author.
Run: python benchmarks/paper_meta.py [-v]   (-v prints each field that differs)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from builder.ingest.paper import ingest_paper

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ROOT.parent / "shared" / "data" / "papers"
FIELDS = ["title", "authors", "venue", "year", "arxiv_id", "doi"]
NUMBERED = re.compile(r"^\s*[\d*∗†‡§¶]|\s\d\s*[A-Z]")


def main(verbose: bool) -> None:
    expected_by_paper = yaml.safe_load((ROOT / "tests" / "expected" / "papers.yml").read_text(encoding="utf-8"))
    exact = total = authors_exact = invented = numbered = affiliations = affiliations_exact = sections_exact = 0
    print(f"{'paper':<14}{'fields':>8}{'authors':>9}{'invented':>10}{'sections':>10}")
    for name, expected in expected_by_paper.items():
        paper = ingest_paper(PAPERS / expected["file"])
        meta = paper.meta
        sections = [s.heading for s in paper.sections if s.level == 1]
        sections_exact += sections == expected["sections"]
        if verbose and sections != expected["sections"]:
            print(f"    {name}.sections: got {sections!r}, want {expected['sections']!r}")
        right = 0
        for field in FIELDS:
            got, want = meta.value(field), expected.get(field)
            if got == want or (not got and not want):
                right += 1
            elif verbose:
                print(f"    {name}.{field}: got {got!r}, want {want!r}")
        names = meta.value("authors") or []
        extra = [n for n in names if n not in expected["authors"]]
        affiliations_exact += (meta.value("affiliations") or []) == expected.get("affiliations", [])
        for affiliation in meta.value("affiliations") or []:
            affiliations += 1
            numbered += bool(NUMBERED.search(affiliation)) and affiliation not in expected.get("affiliations", [])
        exact += right
        total += len(FIELDS)
        authors_exact += names == expected["authors"]
        invented += len(extra)
        print(f"{name:<14}{right:>5}/{len(FIELDS)}{'yes' if names == expected['authors'] else 'no':>9}{len(extra):>10}"
              f"{'yes' if sections == expected['sections'] else 'no':>10}")
    print(f"fields exact {exact}/{total} ({100 * exact / total:.1f}%); author lists exact "
          f"{authors_exact}/{len(expected_by_paper)}; invented authors {invented}; "
          f"affiliation lists exact {affiliations_exact}/{len(expected_by_paper)}; "
          f"affiliations with a footnote number {numbered}/{affiliations}; "
          f"section lists exact {sections_exact}/{len(expected_by_paper)}")


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
