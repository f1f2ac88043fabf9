"""Paper metadata from the page-1 layout and text patterns, never from `doc.metadata`.

Each value records the page and the rule that found it; a value no rule finds stays empty.
"""
from __future__ import annotations

import re
from collections import Counter

from ..models.paper import Field, PaperMeta
from .pdf_layout import Line, PageLines

ARXIV_STAMP = re.compile(
    r"arXiv:\s*(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?P<version>v\d+)?\s*"
    r"(?:\[(?P<cat>[\w.-]+)\])?\s*(?P<date>\d{1,2}\s+\w{3}\s+(?P<year>\d{4}))?")
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;])")
VENUE_RULES: list[tuple[str, re.Pattern]] = [
    ("conference-header", re.compile(
        r"(?:Published|Accepted) as an? (?:conference|workshop) paper at (?P<venue>[A-Z][\w-]*(?: [\w-]+)?\s+(?P<year>(?:19|20)\d\d))")),
    ("neurips-footer", re.compile(
        r"Conference on Neural Information Processing Systems \((?P<venue>(?:NeurIPS|NIPS) (?P<year>(?:19|20)\d\d))\)")),
    ("proceedings-line", re.compile(
        r"Proceedings of (?:the )?(?:[\w\s-]+ )?\((?P<venue>[A-Z][A-Za-z-]+[ -]?(?P<year>(?:19|20)\d\d))\)")),
    ("venue-year", re.compile(
        r"^(?:[Pp]roc\. )?(?P<venue>(?:INTERSPEECH|Interspeech|ICASSP|ACL|EMNLP|NAACL|ICLR|ICML|AAAI|IJCAI|CVPR|ICCV|ECCV|COLING|EACL|KDD|SIGIR|WWW|NeurIPS|NIPS|TACL|JMLR|COLM) (?P<year>(?:19|20)\d\d))\b")),
]
ARXIV_FIELDS = {
    "cs.CL": "Computation and Language (NLP)", "cs.LG": "Machine Learning", "cs.AI": "Artificial Intelligence",
    "cs.CV": "Computer Vision", "cs.NE": "Neural and Evolutionary Computing", "cs.SD": "Sound",
    "cs.IR": "Information Retrieval", "cs.RO": "Robotics", "cs.CR": "Cryptography and Security",
    "stat.ML": "Machine Learning (Statistics)", "eess.AS": "Audio and Speech Processing",
    "math.PR": "Probability", "math.OC": "Optimization and Control", "cs.DC": "Distributed Computing",
    "cs.HC": "Human-Computer Interaction", "cs.SE": "Software Engineering",
}
VENUE_FIELDS = {
    "INTERSPEECH": "Speech Processing", "ICASSP": "Speech and Signal Processing", "ACL": "Computation and Language (NLP)",
    "EMNLP": "Computation and Language (NLP)", "NAACL": "Computation and Language (NLP)",
    "NeurIPS": "Machine Learning", "NIPS": "Machine Learning", "ICML": "Machine Learning", "ICLR": "Machine Learning",
    "CVPR": "Computer Vision", "ICCV": "Computer Vision", "ECCV": "Computer Vision",
}
AFFILIATION_WORDS = re.compile(
    r"\b(Univ|University|Universit|Institute|Institut|Lab|Labs|Laboratory|Inc|Ltd|Co\.|College|School|"
    r"Department|Dept|Center|Centre|Technology|Technologies|Polytechnique|Research|Brain|Google|Microsoft|"
    r"Meta|OpenAI|DeepMind|Facebook|Amazon|IBM|NVIDIA|Corporation|Academy|Hospital|Foundation|Biohub|AI|"
    r"Faculty|Group|Company|Sciences?|Engineering|Language|USA|China|Switzerland|Canada|UK|Germany|France)\b")
NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’.-]*(?:\s+(?:[A-ZÀ-ÖØ-ÞŁŚŻ][\w'’.-]*|de|da|van|von|der|den|di|du|la|le|del))+$")
MARKS = re.compile(r"[\*∗†‡§¶⇤⇧‖#♠♣♥♦⋆★✝✉]+|\d+(?:,\d+)*$")
SECTION_START = re.compile(r"^(?:1\.?|I\.)\s+[A-Z]")


def extract_meta(pages: list[PageLines], body_size: float) -> PaperMeta:
    first = pages[0]
    meta: dict[str, Field] = {}
    front, abstract_at = _front_matter(first)
    title_lines = _title_lines(front)
    if title_lines:
        meta["title"] = Field(" ".join(l.plain for l in title_lines), 1, "largest type on page 1")
    rest = [l for l in front if l not in title_lines and (not title_lines or l.y0 > title_lines[0].y0)]
    authors, affiliations = _authors_and_affiliations(rest)
    if authors:
        meta["authors"] = Field(authors, 1, "name lines between title and abstract")
    if affiliations:
        meta["affiliations"] = Field(affiliations, 1, "institution lines between title and abstract")
    abstract = _abstract(first, pages[1] if len(pages) > 1 else None, abstract_at, body_size)
    if abstract:
        meta["abstract"] = Field(abstract, 1, "text under the Abstract heading")
    _stamp_fields(meta, pages)
    _venue_fields(meta, pages)
    _doi_and_keywords(meta, pages)
    return PaperMeta(**meta)


def _front_matter(page: PageLines) -> tuple[list[Line], int | None]:
    """Lines before the abstract (or the first section when there is no abstract heading)."""
    for i, line in enumerate(page.lines):
        if re.match(r"^abstract\b", line.plain.strip(), re.I):
            return page.lines[:i], i
    for i, line in enumerate(page.lines):
        if SECTION_START.match(line.plain) and line.bold:
            return page.lines[:i], None
    return page.lines[: min(len(page.lines), 25)], None


def _title_lines(front: list[Line]) -> list[Line]:
    candidates = [l for l in front if len(l.plain) > 2 and not re.search(r"(conference|workshop) paper|preprint|arxiv", l.plain, re.I)]
    if not candidates:
        return []
    biggest = max(l.size for l in candidates)
    first = next(l for l in candidates if l.size >= biggest - 0.3)
    title = [first]
    for line in candidates[candidates.index(first) + 1:]:
        if line.size >= biggest - 0.3 and line.y0 - title[-1].y1 < 1.5 * line.size:
            title.append(line)
        else:
            break
    return title


def _authors_and_affiliations(lines: list[Line]) -> tuple[list[str], list[str]]:
    """Authors come in rows or grids; read them row by row, left to right."""
    authors: list[str] = []
    affiliations: list[str] = []
    for line in _rows_left_to_right(lines):
        text = line.plain.strip()
        if "@" in text or not text or re.search(r"https?://|www\.", text):
            continue
        names = _names_in(text)
        if names is not None:
            authors.extend(n for n in names if n not in authors)
            continue
        for part in re.split(r"\s*[†‡§¶⇤∗*]\s*|\s+and\s+(?=[A-Z´É])", line.text):
            part = re.sub(r"^\d+\s*", "", part).strip(" ,;&")
            if part and AFFILIATION_WORDS.search(part) and part not in affiliations:
                affiliations.append(part)
    return authors, affiliations


def _rows_left_to_right(lines: list[Line]) -> list[Line]:
    """Group lines whose tops are within half a line of each other into rows (names with
    footnote marks sit a point or two lower or higher), then read each row left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda l: l.y0):
        if rows and abs(line.y0 - rows[-1][0].y0) < 0.6 * line.size:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda l: l.x0)]


def _names_in(text: str) -> list[str] | None:
    """The names on an author line, or None when the line is not a list of names."""
    if AFFILIATION_WORDS.search(text):
        return None
    parts = re.split(r"\s*(?:,|;|\band\b|&|\s{3,})\s*", text)
    names = []
    for part in parts:
        part = MARKS.sub("", part).strip(" ,")
        if not part:
            continue
        if not NAME.match(part) or len(part.split()) > 5:
            return None
        names.append(re.sub(r"\s+", " ", part))
    return names or None


def _abstract(page: PageLines, next_page: PageLines | None, abstract_at: int | None, body_size: float) -> str:
    if abstract_at is None:
        return ""
    heading = page.lines[abstract_at]
    inline = re.sub(r"^abstract\s*[.:—–-]?\s*", "", heading.plain, flags=re.I)
    parts = [inline] if inline else []
    following = page.lines[abstract_at + 1:]
    text_size = following[0].size if following else body_size
    for line in following:
        if line.size < text_size - 0.6:
            break
        if SECTION_START.match(line.plain) and (line.bold or line.size > body_size + 0.5):
            break
        if re.match(r"^(keywords|index terms)\b", line.plain, re.I) or line.size < body_size - 1.5:
            break
        parts.append(line.plain)
    return join_lines(parts)


def join_lines(parts: list[str]) -> str:
    """Join printed lines into running text, undoing end-of-line hyphenation."""
    text = ""
    for part in parts:
        text = append_line(text, part)
    return text


def append_line(text: str, part: str) -> str:
    """Add one printed line to running text: "finetun-" + "ing" becomes "finetuning"."""
    part = " ".join(part.split())
    if not part:
        return text
    if text.endswith("-") and part[0].islower() and len(text) > 1 and text[-2].islower():
        return text[:-1] + part
    return f"{text} {part}" if text else part


def _stamp_fields(meta: dict[str, Field], pages: list[PageLines]) -> None:
    for page in pages[:2]:
        for line in page.margin_lines + page.lines[:3]:
            match = ARXIV_STAMP.search(re.sub(r"\s+", " ", line.text))
            if not match:
                continue
            rule = "arXiv side stamp" if line.vertical else "arXiv identifier line"
            meta["arxiv_id"] = Field(match["id"], page.page_no, rule)
            if match["version"]:
                meta["arxiv_version"] = Field(match["version"], page.page_no, rule)
            if match["cat"]:
                meta["arxiv_category"] = Field(match["cat"], page.page_no, rule)
                if match["cat"] in ARXIV_FIELDS:
                    meta["field_of_study"] = Field(ARXIV_FIELDS[match["cat"]], page.page_no, "arXiv category")
            if match["year"]:
                meta["year"] = Field(int(match["year"]), page.page_no, "arXiv stamp date")
            return


def _venue_fields(meta: dict[str, Field], pages: list[PageLines]) -> None:
    for page in pages[:2]:
        for line in page.lines + page.margin_lines:
            text = re.sub(r"\s+", " ", line.plain)
            for rule, pattern in VENUE_RULES:
                match = pattern.search(text)
                if match:
                    meta["venue"] = Field(match["venue"], page.page_no, rule)
                    meta["year"] = Field(int(match["year"]), page.page_no, rule)
                    if meta.get("field_of_study") is None:
                        field = VENUE_FIELDS.get(match["venue"].split()[0])
                        if field:
                            meta["field_of_study"] = Field(field, page.page_no, "venue")
                    return


def _doi_and_keywords(meta: dict[str, Field], pages: list[PageLines]) -> None:
    first = pages[0]
    for line in first.lines + first.margin_lines:
        match = DOI.search(line.plain)
        if match and meta.get("doi") is None:
            meta["doi"] = Field(match[1], 1, "DOI pattern on page 1")
        kw = re.match(r"^(?:keywords|index terms)\s*[:—–-]\s*(.+)$", line.plain, re.I)
        if kw and meta.get("keywords") is None:
            words = [w.strip(" .") for w in re.split(r"[,;·]", kw[1]) if w.strip(" .")]
            meta["keywords"] = Field(words, 1, "Keywords line")


def body_font_size(pages: list[PageLines]) -> float:
    sizes = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0
