"""Venue and year from what page 1 prints about where the paper appeared.

Templates put it in different places: a conference footnote ("... (NeurIPS 2023)", ICML's
"Proceedings of the 41st International Conference on Machine Learning, ..."), a header line
("Published as a conference paper at ICLR 2024"), a proceedings header ("Proceedings of the 57th Annual
Meeting of ..., pages 1441–1451 ... 2019"), a journal header or footer ("... VOL. 25, NO. 5, MAY 2014",
"Journal of Machine Learning Research 23 (2022) 1-40", "Proceedings of Machine Learning Research
235:1–2, 2024", "Bioinformatics, 2024, pp. 1–12", "NATURE | VOL 529 | 28 JANUARY 2016", "MNRAS 527,
1234-1250 (2024)", "ACM Trans. Priv. Sec., Vol. 27, No. 2, Article 14. Publication date: May 2024.",
"计算机学报 第45卷 第3期 2022年3月"),
an ACM reference block ("SOSP ’23, October 23–26, 2023, ...") or a report number. Journal headers are
only read at the top or bottom edge of the page, where templates print them, so a sentence that happens to
say "Volume" is never taken for one. A year is taken only from the line that names the venue (or the
line printed right under it); the paper's citations never give it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .pdf_layout import Line, PageLines
from .titlecase import restore_case

YEAR = r"(?P<year>(?:19|20)\d\d)"
MONTH_NAMES = "January February March April May June July August September October November December".split()
MONTHS = "(?:" + "|".join(MONTH_NAMES) + ")"
MONTHS_IN_CAPITALS = "(?:" + "|".join(m.upper() for m in MONTH_NAMES) + ")"
KNOWN_VENUES = (r"INTERSPEECH|Interspeech|ICASSP|ACL|EMNLP|NAACL|ICLR|ICML|AAAI|IJCAI|CVPR|ICCV|ECCV|COLING|EACL|"
                r"KDD|SIGIR|WWW|NeurIPS|NIPS|TACL|JMLR|COLM")

# (rule name, pattern, where it may be printed: "any" line of page 1-2, only at the page's "edge", or
# only at page 1's edge, "edge1": the second page's foot may already hold the references)
RULES: list[tuple[str, re.Pattern, str]] = [
    ("conference-header", re.compile(
        r"(?:Published|Accepted) as an? (?:conference|workshop) paper at (?P<venue>[A-Z][\w-]*(?: [\w-]+)?\s+" + YEAR + ")"),
     "any"),
    ("neurips-footer", re.compile(
        r"Conference on Neural Information Processing Systems \((?P<venue>(?:NeurIPS|NIPS) " + YEAR + r")\)"), "any"),
    ("proceedings-line", re.compile(
        r"Proceedings of (?:the )?(?:[\w\s-]+ )?\((?P<venue>[A-Z][A-Za-z-]+[ -]?" + YEAR + r")\)"), "any"),
    ("venue-year", re.compile(r"^(?:[Pp]roc\. )?(?P<venue>(?:" + KNOWN_VENUES + ") " + YEAR + r")\b"), "any"),
    ("proceedings-header", re.compile(
        r"^(?P<venue>Proceedings of (?:the )?[A-Z0-9][^,()]{10,200}?),\s+(?:pages|pp\.)\s+\d+"), "edge"),
    ("proceedings-footnote", re.compile(    # ICML's "Proceedings of the 41st International Conference on
        # Machine Learning, Vienna, Austria. PMLR 235, 2024.", at the foot of page 1 (the year on the line under it)
        r"^Proceedings of (?:the )?(?:\d+\s*(?:st|nd|rd|th)?\s+)?(?P<venue>(?:[A-Z][\w&'’-]*\s+)*?"
        r"(?:Conference|Symposium|Workshop|Meeting)\b[^,()]*?)\s*[,(]"), "edge1"),
    ("acm-reference-block", re.compile(
        r"^(?P<acronym>[A-Z][A-Za-z]{1,12}) ['’](?P<yy>\d\d),\s+" + MONTHS + r"\b[^,]*,\s+" + YEAR + r"\b"), "any"),
    ("journal-header", re.compile(
        r"^(?:\d+\s*\|\s*)?(?P<venue>[A-Z][A-Za-z&:.\- ]{2,120}?)\s*[,|]?\s+(?:VOL\.?|Vol\.?|Volume)\s*\d+\b.*?" + YEAR + r"\b"),
     "edge"),
    ("journal-volume-year", re.compile(
        r"^(?P<venue>[A-Z][A-Za-z&:\- ]{2,120}?)\s+\d+\s+\(" + YEAR + r"\)\s+\d+\s*[-–]\s*\d+"), "edge"),
    ("journal-volume:pages-year", re.compile(    # "Proceedings of Machine Learning Research 235:1–2, 2024"
        r"^(?P<venue>[A-Z][A-Za-z&:\- ]{2,120}?)\s+(?:vol\.?\s+)?\d+:\d+\s*[-–]\s*\d+,\s+" + YEAR + r"$"), "edge"),
    ("journal-year-pages", re.compile(    # "Bioinformatics, 2024, pp. 1–12" (Oxford's journals)
        r"^(?P<venue>(?!.*\bet al\b)[A-Z][A-Za-z&:.\- ]{2,120}?),\s+" + YEAR + r",\s+(?:pp\.\s*)?\d+\s*[-–]\s*\d+$"), "edge"),
    ("journal-volume-pages-year", re.compile(    # "MNRAS 527, 1234-1250 (2024)", "Phys. Rev. Lett. 120, 061101 (2018)"
        r"^(?P<venue>[A-Z][A-Za-z&:.\- ]{1,120}?)\s+\d+,\s*\d+(?:\s*[-–]\s*\d+)?\s+\(" + YEAR + r"\)$"), "edge"),
    ("chinese-journal-header", re.compile(    # "计算机学报 第45卷 第3期 2022年3月", "中文信息学报(英文版)..."
        r"^(?P<venue>[\u4e00-\u9fff]{2,20}?(?:学报|杂志|学刊|通讯|期刊)(?:\([\u4e00-\u9fff]{2,8}版\))?)\s*,?\s*"
        r"第\s*\d+\s*卷.*?" + YEAR + r"\s*年"), "edge"),
    ("report-number", re.compile(r"^(?P<venue>Technical Report (?:No\.\s*)?[\w-]+)$"), "any"),
]
# Rules whose venue is a name in words (a journal header in capitals reads "IEEE Transactions on ...");
# the others capture an acronym ("ICLR 2024"), kept as printed.
SPELLED_OUT = {"proceedings-footnote", "proceedings-header", "journal-header", "journal-volume-year",
               "journal-volume:pages-year", "journal-year-pages", "journal-volume-pages-year"}
DATE_LINE = re.compile(r"^" + MONTHS + r"\s+\d{1,2},\s+" + YEAR + r"$")
LETTER_SPACED = re.compile(r"^(?:\S(?: |$)){6,}")


@dataclass(frozen=True)
class Venue:
    name: str
    year: int | None
    page_no: int
    rule: str


def find_venue(pages: list[PageLines], known_spellings: dict[str, str]) -> Venue | None:
    """The first venue rule that matches a line of page 1 (then page 2), with its year."""
    for page in pages[:2]:
        lines = sorted(page.lines + page.margin_lines, key=lambda l: (l.y0, l.x0))
        for index, line in enumerate(lines):
            text = _readable(line.plain)
            at_edge = line.y1 < 0.12 * page.height or line.y0 > 0.88 * page.height
            for rule, pattern, where in RULES:
                if (where in ("edge", "edge1") and not at_edge) or (where == "edge1" and page.page_no != 1):
                    continue
                match = pattern.search(text)
                if match:
                    return _venue(rule, match, lines, index, page.page_no, known_spellings)
    return None


def _venue(rule: str, match: re.Match, lines: list[Line], index: int, page_no: int,
           known_spellings: dict[str, str]) -> Venue | None:
    groups = match.groupdict()
    if rule == "acm-reference-block":
        if groups["yy"] != groups["year"][2:]:
            return None
        return Venue(f"{groups['acronym']} {groups['year']}", int(groups["year"]), page_no, rule)
    name = groups["venue"].strip(" ,|")
    if rule in SPELLED_OUT:
        name = restore_case(name, known_spellings, min_words=1)
    year = groups.get("year")
    if year is None:
        year = _year_near(lines, index, rule)
    return Venue(name, int(year) if year else None, page_no, rule)


def _year_near(lines: list[Line], index: int, rule: str) -> str | None:
    """A proceedings header or footnote prints its year on its line or the line under it; a report
    its date line just above or below the report number."""
    proceedings = rule in ("proceedings-header", "proceedings-footnote")
    around = lines[index: index + 2] if proceedings else lines[max(0, index - 2): index + 3]
    for line in around:
        text = _readable(line.plain)
        if proceedings:
            found = re.search(YEAR + r"\b", text)
        else:
            found = DATE_LINE.match(text)
        if found:
            return found["year"]
    return None


def _readable(text: str) -> str:
    """One space between words; a letter-spaced masthead ("N A T U R E | V O L 5 2 9") closed up
    part by part between its bars."""
    text = re.sub(r"\s+", " ", text).strip()
    if LETTER_SPACED.match(text):
        text = " | ".join(part.replace(" ", "") for part in text.split("|"))
        text = re.sub(r"\b(VOL|NO)(\d)", r"\1 \2", text)
        text = re.sub(r"(\d)(" + MONTHS_IN_CAPITALS + r")(\d)", r"\1 \2 \3", text)
    return text
