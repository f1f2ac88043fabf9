"""Paper metadata from the page-1 layout and text patterns, never from `doc.metadata`.

Each value records the page and the rule that found it; a value no rule finds stays empty.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..models.paper import Field, PaperMeta
from .authors import authors_and_affiliations, footnote_affiliations
from .pdf_layout import Line, PageLines
from .titlecase import restore_case, spellings
from .venue import LETTER_SPACED, find_venue

ARXIV_STAMP = re.compile(
    r"arXiv:\s*(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?P<version>v\d+)?\s*"
    r"(?:\[(?P<cat>[\w.-]+)\])?\s*(?P<date>\d{1,2}\s+\w{3}\s+(?P<year>\d{4}))?")
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;])")
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
SECTION_START = re.compile(r"^(?:1\.?|I\.)\s+[A-Z]")
# The abstract's heading ("Abstract", "ABSTRACT", "A B S T R A C T" once closed up, "摘要")
_ABSTRACT_HEAD = r"(?:abstract\b|摘\s*要)"


# The label of a keyword list and the list after it: "Keywords:", "Key words:" (MNRAS), "Index
# Terms—" (IEEE), "Key words and phrases." (AMS), "Additional Key Words and Phrases:" (ACM)
_KEYWORDS_LABEL = r"(?:(?:additional\s+)?key\s?words(?:\s+and\s+phrases)?|index terms|关键词|关键字)"
KEYWORDS_HEAD = re.compile(r"^" + _KEYWORDS_LABEL + r"(?:\b|(?<=[词字]))", re.I)
KEYWORDS_ALONE = re.compile(r"^" + _KEYWORDS_LABEL + r"\s*[:.：]?$", re.I)
KEYWORDS = re.compile(r"^" + _KEYWORDS_LABEL + r"(?:\s*[:.：—–-]\s*|\s+(?=[^,;·]+[,;·]))(.+)$", re.I)

def extract_meta(pages: list[PageLines], body_size: float, compounds: frozenset[str] = frozenset()) -> PaperMeta:
    first = pages[0]
    meta: dict[str, Field] = {}
    front, abstract_at = _front_matter(first)
    known = spellings([l.plain for page in pages[:6] for l in page.lines])
    title_lines = _title_lines(front)
    if title_lines:
        title = join_lines([l.plain for l in title_lines])
        copies = [l.plain for page in pages[1:4] for l in page.margin_lines + page.lines[:3]]
        cased = restore_case(title, known, copies)
        rule = "largest type on page 1" if cased == title else "largest type on page 1, set in capitals: cased as the paper spells it"
        meta["title"] = Field(cased, 1, rule)
    below = [l for l in front if l not in title_lines and (not title_lines or l.y0 > title_lines[0].y0)]
    authors, affiliations, rule = authors_and_affiliations(below)
    if authors:
        meta["authors"] = Field(authors, 1, rule)
    if affiliations:
        meta["affiliations"] = Field(affiliations, 1, "institution lines between title and abstract")
    elif authors and (affiliations := footnote_affiliations(first.lines, first.height, body_size)):
        meta["affiliations"] = Field(affiliations, 1, "numbered institution footnotes on page 1")
    if abstract_at is not None:
        abstract = _abstract(first, abstract_at, body_size, compounds)
        rule = "text under the Abstract heading"
    else:
        abstract, rule = _standfirst(below, body_size), "bold paragraph under the authors (no Abstract heading)"
        if not abstract:
            abstract = _standfirst(below, body_size, bold=False)
            rule = "first paragraph under the authors, in smaller type than the body (no Abstract heading)"
    if abstract:
        meta["abstract"] = Field(abstract, 1, rule)
    _stamp_fields(meta, pages)
    _venue_fields(meta, pages, known)
    _doi_and_keywords(meta, pages)
    return PaperMeta(**meta)


def _front_matter(page: PageLines) -> tuple[list[Line], int | None]:
    """Lines before the abstract (or the first section when there is no abstract heading)."""
    for i, line in enumerate(page.lines):
        if re.match(_ABSTRACT_HEAD, _unspaced(line.plain), re.I):
            return page.lines[:i], i
    for i, line in enumerate(page.lines):
        if SECTION_START.match(line.plain) and line.bold:
            return page.lines[:i], None
    return page.lines[: min(len(page.lines), 25)], None


def _title_lines(front: list[Line]) -> list[Line]:
    """The title: the largest type above the abstract, and the lines right under it in the same type
    (small capitals and stacked lines vary a few per cent in size). A lone word in capitals above it is
    a masthead ("ARTICLE"), not the title; the author block, in smaller type, always ends it."""
    candidates = [l for l in front if len(l.plain) > 2 and not _is_masthead(l)
                  and not re.search(r"(conference|workshop) paper|preprint|arxiv", l.plain, re.I)]
    if not candidates:
        return []
    biggest = max(l.size for l in candidates)
    first = next(l for l in candidates if l.size >= 0.95 * biggest)
    title = [first]
    for line in candidates[candidates.index(first) + 1:]:
        if line.size >= 0.95 * biggest and line.y0 - title[-1].y1 < 1.5 * line.size and len(title) < 4:
            title.append(line)
        else:
            break
    return title


def _is_masthead(line: Line) -> bool:
    words = line.plain.split()
    return len(words) == 1 and words[0].isupper() and len(words[0]) > 3


def _standfirst(lines: list[Line], body_size: float, bold: bool = True) -> str:
    """Journals such as Nature print no Abstract heading: the abstract is the paragraph set in bold
    under the authors. Taken only when a bold block is a paragraph of sentences (two or more lines,
    150+ characters, ending in a full stop); author and affiliation blocks are neither. With
    `bold=False`, the first such paragraph set a size below the body (ACM's journals print their
    abstract so, with no heading, above the CCS concepts)."""
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks and (blocks[-1][-1].block == line.block or _same_paragraph(blocks[-1][-1], line, bold)):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    for block in blocks:
        if bold and not all(l.bold and l.size >= body_size - 0.5 for l in block):
            continue
        if not bold and not all(not l.bold and body_size - 1.5 <= l.size <= body_size - 0.5 for l in block):
            continue
        text = join_lines([l.plain for l in block])
        if len(block) >= 2 and len(text) >= 150 and text.endswith(".") and ". " in text and "@" not in text:
            return text
    return ""


def _same_paragraph(line: Line, following: Line, bold: bool = True) -> bool:
    """Two lines of one paragraph that the PDF put in blocks of their own (a preprint set
    double-spaced, as nature.cls sets it): same type and weight, same left edge, the next row down."""
    return (line.bold == following.bold == bold and abs(line.size - following.size) <= 0.3
            and abs(line.x0 - following.x0) <= 2 and 0 < following.y0 - line.y0 <= 3 * line.size)


def _unspaced(text: str) -> str:
    """A heading set letter-spaced ("A B S T R A C T", Elsevier's) as the word it spells."""
    text = text.strip()
    return text.replace(" ", "") if LETTER_SPACED.match(text) else text


def _abstract(page: PageLines, abstract_at: int, body_size: float, compounds: frozenset[str]) -> str:
    """The lines under the Abstract heading, up to the first section, keywords or smaller type.
    Where the front matter is two boxes side by side (Elsevier's "ARTICLE INFO" | "ABSTRACT"),
    the other box's lines, wholly left of the heading, come first in reading order and are passed."""
    heading = page.lines[abstract_at]
    inline = re.sub(r"^" + _ABSTRACT_HEAD + r"\s*[.:：—–-]?\s*", "", _unspaced(heading.plain), flags=re.I)
    parts = [inline] if inline else []
    # a review copy's line numbers ("1", "2", ... in the margin) are no part of it
    following = [l for l in page.lines[abstract_at + 1:] if not re.fullmatch(r"\d{1,4}", l.plain.strip())]
    while following and not parts and following[0].x1 < heading.x0:
        following = following[1:]
    text_size = following[0].size if following else body_size
    for line in following:
        if line.size < text_size - 0.6:
            break
        if SECTION_START.match(line.plain) and (line.bold or line.size > body_size + 0.5):
            break
        if KEYWORDS_HEAD.match(line.plain) or line.size < min(body_size, text_size) - 1.5:
            break
        parts.append(line.plain)
    return join_lines(parts, compounds)


def join_lines(parts: list[str], compounds: frozenset[str] = frozenset()) -> str:
    """Join printed lines into running text, undoing end-of-line hyphenation."""
    text = ""
    for part in parts:
        text = append_line(text, part, compounds)
    return text


# a line that ends inside a hyphenated compound: "copy-on-", "state-of-the-"
_COMPOUND_SO_FAR = re.compile(r"\w-\w+-$")


def append_line(text: str, part: str, compounds: frozenset[str] = frozenset()) -> str:
    """Add one printed line to running text: "finetun-" + "ing" becomes "finetuning", but a
    compound's own hyphen stays: "copy-on-" + "write" is "copy-on-write", "state-of-the-" + "art"
    is "state-of-the-art", and "co-" + "occurrence" is "co-occurrence" when the document prints
    that compound within a line (`compounds`, from `printed_compounds`)."""
    part = " ".join(part.split())
    if not part:
        return text
    if text.endswith("-") and part[0].islower() and len(text) > 1 and text[-2].islower():
        if _COMPOUND_SO_FAR.search(text):
            return text + part
        head = re.search(r"[A-Za-z]+-$", text)
        tail = re.match(r"[a-z]+", part)
        if head and tail and f"{head.group()}{tail.group()}".lower() in compounds:
            return text + part
        return text[:-1] + part
    if text and _CJK_END.search(text) and _CJK_START.match(part):
        return text + part    # Chinese runs on from line to line with no space between
    return f"{text} {part}" if text else part


_CJK_END = re.compile(r"(?:[\u3000-\u9fff\uff00-\uffef]|(?<=[\u3400-\u9fff])[,.;:!?)])$")   # "，" is "," by now (NFKC)
_CJK_START = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def printed_compounds(lines: Iterable[str]) -> frozenset[str]:
    """The hyphenated words a document prints within its lines ("co-occurrence", "fine-tuning")
    and never closed up ("cooccurrence"), in lower case: where a line break falls on such a
    hyphen, the hyphen is the word's own, not the typesetter's. Without this evidence a hyphen at
    a line break is taken as the typesetter's, which it is far more often ("finetun-ing")."""
    hyphenated: set[str] = set()
    closed: set[str] = set()
    for line in lines:
        whole = line[:line.rfind(" ") + 1] if line.endswith("-") else line   # not the word the break cuts
        for word in _WORD_OR_COMPOUND.findall(whole):
            (hyphenated if "-" in word else closed).add(word.lower())
    return frozenset(w for w in hyphenated if w.replace("-", "") not in closed)


_WORD_OR_COMPOUND = re.compile(r"(?<![\w-])[A-Za-z]+(?:-[A-Za-z]+)*(?![\w-])")


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


def _venue_fields(meta: dict[str, Field], pages: list[PageLines], known: dict[str, str]) -> None:
    """The venue's year wins over the arXiv stamp's: a stamp dates the upload, not the publication."""
    venue = find_venue(pages, known)
    if venue is None:
        return
    meta["venue"] = Field(venue.name, venue.page_no, venue.rule)
    if venue.year:
        meta["year"] = Field(venue.year, venue.page_no, venue.rule)
    if meta.get("field_of_study") is None:
        field = VENUE_FIELDS.get(venue.name.split()[0])
        if field:
            meta["field_of_study"] = Field(field, venue.page_no, "venue")


def _doi_and_keywords(meta: dict[str, Field], pages: list[PageLines]) -> None:
    first = pages[0]
    lines = first.lines + first.margin_lines
    for i, line in enumerate(lines):
        match = DOI.search(line.plain)
        if match and meta.get("doi") is None:
            meta["doi"] = Field(match[1], 1, "DOI pattern on page 1")
        kw = KEYWORDS.match(line.plain)
        alone = KEYWORDS_ALONE.match(line.plain)
        if (kw or alone) and meta.get("keywords") is None:
            listed = kw[1] if kw else ""
            rows = []
            for following in lines[i + 1:]:   # the list runs on in its paragraph ("robust train-" / "ing")
                if following.block != line.block or abs(following.size - line.size) > 0.3:
                    break
                listed = append_line(listed, following.plain)
                rows.append(following.plain.strip())
            if alone and not re.search(r"[,;·]", listed):
                listed = "; ".join(rows)     # the label on a line of its own, one keyword a line (Elsevier)
            words = [w.strip(" .。") for w in re.split(r"[,;·，；、]|\s[–—]\s", listed) if w.strip(" .。")]
            if words:
                meta["keywords"] = Field(words, 1, "Keywords line")



def body_font_size(pages: list[PageLines]) -> float:
    sizes = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0
