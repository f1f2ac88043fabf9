"""PDF pages into text lines in reading order, with running headers, footers and margin line
numbers removed. Metadata and structure rules work on these lines, never on raw PyMuPDF output."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pymupdf

from ..errors import PairError

# Spacing accents that LaTeX PDFs emit as separate glyphs before the letter ("Cl´ement").
_SPACING_ACCENTS = {"´": "\u0301", "`": "\u0300", "¨": "\u0308", "ˆ": "\u0302", "˜": "\u0303",
                    "¸": "\u0327", "ˇ": "\u030c", "˚": "\u030a", "¯": "\u0304"}
_ACCENT_BEFORE = re.compile("([" + "".join(_SPACING_ACCENTS) + r"])\s?([A-Za-zıȷ])")
_BOLD_FLAG = 16
_BOLD_FONT = re.compile(r"Bold|CMBX|-Medi\b|Semibold|Demi")
_ITALIC_FLAG = 2
# Where a line's `marked` text parts: a superscript left out, or two text lines of the PDF set on one
# row. An invisible separator, never printed in a PDF's text.
PIECE_BREAK = "\u2063"
MAX_PAGES = 600
# A paragraph's head in bold is a few words ("Deeper Bottleneck Architectures."), not a sentence.
MAX_LEAD_WORDS = 8


@dataclass
class Line:
    text: str
    plain: str        # the text without superscripts (footnote marks, affiliation numbers)
    page_no: int
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    block: int
    vertical: bool = False
    marked: str = ""  # `plain` with PIECE_BREAK where names and affiliations may part
    # runs of words set in italics (not maths): (text, the line starts with it, the line ends with it)
    emphasis: tuple[tuple[str, bool, bool], ...] = ()
    lead: str = ""    # the words in bold that open a line set in roman: a paragraph's head ("Shortcut Connections.")

    @property
    def pieces(self) -> list[str]:
        """The plain text cut where superscripts were printed ("Kwon1,∗Zhuohan Li1" gives two pieces)
        and where separate text lines meet (an author grid's columns, however narrow the gap)."""
        return [p for p in (self.marked or self.plain).split(PIECE_BREAK) if p.strip()]


@dataclass
class PageLines:
    page_no: int
    width: float
    height: float
    lines: list[Line]          # body lines in reading order
    margin_lines: list[Line]   # removed headers, footers, side stamps (venue and arXiv live here)


# A TeX font embedded without its Unicode map gives its ligatures as their slots in TeX's own
# encodings, control characters that Python even counts as spaces ("con\x1cdence" for "confidence"):
# T1 puts ff, fi, fl, ffi, ffl at 0x1B-0x1F, OT1 at 0x0B-0x0F (taken only next to a letter).
_TEX_LIGATURES = {chr(0x1B + n): lig for n, lig in enumerate(("ff", "fi", "fl", "ffi", "ffl"))}
_OT1_LIGATURES = {chr(0x0B + n): lig for n, lig in enumerate(("ff", "fi", "fl", "ffi", "ffl"))}
_TEX_LIGATURE = re.compile(r"[\x1b-\x1f]|(?<=[A-Za-z])[\x0b-\x0f]|[\x0b-\x0f](?=[a-z])")


def fix_glyphs(text: str) -> str:
    """Join split accents and expand ligatures so names and words come out as printed."""
    text = _TEX_LIGATURE.sub(lambda m: _TEX_LIGATURES.get(m[0]) or _OT1_LIGATURES[m[0]], text)
    text = _ACCENT_BEFORE.sub(lambda m: m.group(2).replace("ı", "i") + _SPACING_ACCENTS[m.group(1)], text)
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u00ad", "")


def open_pdf(path: Path) -> pymupdf.Document:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as err:
        raise PairError(path, f"cannot be read ({err.strerror})") from err
    if not head:
        raise PairError(path, "is empty (0 bytes)", "replace it with the paper's PDF")
    if b"%PDF" not in head:
        if re.search(rb"<(!doctype|html)", head, re.I):
            raise PairError(path, "is an HTML page, not a PDF", "download the PDF itself, not the page that links to it")
        raise PairError(path, "is not a PDF (it has no %PDF header)",
                        "download the PDF itself, or convert the paper to PDF")
    try:
        doc = pymupdf.open(path)
    except (pymupdf.FileDataError, RuntimeError, ValueError) as err:
        raise PairError(path, "is damaged and cannot be opened", "download the PDF again") from err
    if doc.needs_pass:
        doc.close()
        raise PairError(path, "is encrypted with a password", "save an unprotected copy of the PDF")
    if doc.page_count == 0:
        doc.close()
        raise PairError(path, "has no pages", "download the PDF again")
    if doc.page_count > MAX_PAGES:
        count = doc.page_count
        doc.close()
        raise PairError(path, f"has {count} pages; coursewiki reads papers of at most {MAX_PAGES}",
                        "split out the paper itself")
    return doc


class PdfFile:
    """One pair's PDF, opened once (on first use) for every stage that reads it: the paper, its
    figures and the page texts the checks cite. Each part is read at most once."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @cached_property
    def doc(self) -> pymupdf.Document:
        return open_pdf(self.path)

    @cached_property
    def page_texts(self) -> list[str]:
        """Read before `pages`, which removes readers' annotations from the open document."""
        return page_texts(self.doc)

    @cached_property
    def pages(self) -> list[PageLines]:
        self.page_texts  # noqa: B018 (the raw texts first, as printed)
        return read_pages(self.doc)

    def __enter__(self) -> "PdfFile":
        return self

    def __exit__(self, *exc) -> None:
        if "doc" in self.__dict__:
            self.doc.close()


def page_texts(doc: pymupdf.Document) -> list[str]:
    """Each page's text with hyphenation undone, ligatures expanded and whitespace collapsed: the
    evidence a `paper.pdf#page=N` anchor points at."""
    flags = (pymupdf.TEXTFLAGS_TEXT | pymupdf.TEXT_DEHYPHENATE) & ~pymupdf.TEXT_PRESERVE_LIGATURES
    return [re.sub(r"\s+", " ", fix_glyphs(page.get_text("text", flags=flags))).strip() for page in doc]


def read_pages(doc: pymupdf.Document) -> list[PageLines]:
    pages = [_page_lines(doc[i], i + 1) for i in range(doc.page_count)]
    _drop_running_lines(pages)
    return pages


def _page_lines(page: pymupdf.Page, page_no: int) -> PageLines:
    _drop_reader_annotations(page)
    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_LIGATURES & ~pymupdf.TEXT_PRESERVE_IMAGES
    data = page.get_text("dict", flags=flags)
    width, height = page.rect.width, page.rect.height
    blocks: list[list[Line]] = []
    margin: list[Line] = []
    for block in data["blocks"]:
        lines = []
        for raw in block.get("lines", []):
            spans = [s for s in raw["spans"] if s["text"].strip()]
            if not spans:
                continue
            chars = bold_chars = 0
            size = 0.0
            for span in spans:  # one pass: this loop runs for every line of every page
                chars += len(span["text"])
                size = max(size, span["size"])
                if _is_bold(span):
                    bold_chars += len(span["text"])
            text, marked = _join_spans(spans, size)
            text = fix_glyphs(text)
            marked = text if marked == text else fix_glyphs(marked)
            plain = marked.replace(PIECE_BREAK, "")
            if not text.strip():
                continue
            bold = bold_chars > chars / 2
            x0, y0, x1, y1 = raw["bbox"]
            line = Line(text.strip(), plain.strip(), page_no, x0, y0, x1, y1, round(size, 1), bold, block["number"],
                        vertical=abs(raw["dir"][0]) < 0.5, marked=marked.strip(), emphasis=_italic_runs(spans),
                        lead=_bold_lead(spans, size) if 0 < bold_chars < chars else "")
            if line.vertical or _is_margin_number(line, width):
                margin.append(line)
            else:
                lines.append(line)
        if lines:
            blocks.append(_merge_rows(lines))
    ordered = [line for block in _reading_order(blocks, width) for line in block]
    return PageLines(page_no, width, height, _join_drop_caps(ordered), margin)


def _join_drop_caps(lines: list[Line]) -> list[Line]:
    """A section's first letter printed large over two or three lines (IEEE's "C LASSIFICATION has
    been ...") is a line of its own in the PDF: it goes back in front of the word it starts, the
    line set to its right at the height of its top, so that the sentence starts with the word."""
    caps = [line for line in lines if re.fullmatch(r"[A-Z]", line.text)]
    if not caps:
        return lines
    joined: dict[int, Line] = {}
    dropped: set[int] = set()
    for cap in caps:
        beside = [line for line in lines if line is not cap and id(line) not in joined
                  and cap.size >= 2 * line.size and 0 <= line.x0 - cap.x1 <= 2 * line.size
                  and cap.y0 - line.size / 2 <= line.y0 <= cap.y0 + line.size and line.text[:1].isalpha()]
        if beside:
            word = min(beside, key=lambda line: line.y0)
            joined[id(word)] = _with_initial(word, cap.text)
            dropped.add(id(cap))
    return [joined.get(id(line), line) for line in lines if id(line) not in dropped]


def _with_initial(line: Line, letter: str) -> Line:
    return replace(line, text=letter + line.text, plain=letter + line.plain,
                   marked=letter + line.marked if line.marked else "")


def _drop_reader_annotations(page: pymupdf.Page) -> None:
    """Readers' notes (FreeText boxes, highlights) are not the paper; text extraction would include
    them. Deleting them only changes the in-memory document, never the file."""
    try:
        for annot in list(page.annots() or []):
            page.delete_annot(annot)
    except (RuntimeError, ValueError):
        pass  # a read-only document: keep going with the notes in


def _merge_rows(lines: list[Line]) -> list[Line]:
    """PyMuPDF may split one printed row ("2" and "Related Work") into two lines: rejoin them."""
    merged = [lines[0]]
    for line in lines[1:]:
        prev = merged[-1]
        same_row = abs(line.y0 - prev.y0) < 0.5 * max(line.size, 1) and line.x0 >= prev.x1 - 1
        if same_row and line.x0 - prev.x1 < 4 * line.size:
            sep = "   " if line.x0 - prev.x1 > 1.2 * line.size else " "  # a column gap, as in author rows
            merged[-1] = Line(f"{prev.text}{sep}{line.text}", f"{prev.plain}{sep}{line.plain}", prev.page_no,
                              prev.x0, min(prev.y0, line.y0), line.x1, max(prev.y1, line.y1),
                              max(prev.size, line.size), prev.bold and line.bold, prev.block,
                              marked=f"{prev.marked or prev.plain}{sep}{PIECE_BREAK}{line.marked or line.plain}",
                              emphasis=prev.emphasis + line.emphasis, lead=prev.lead or _head_of(prev, line))
        else:
            merged.append(line)
    return merged


def _bold_lead(spans: list[dict], size: float) -> str:
    """The bold words a line opens with when roman text follows on the line: how many templates
    set a paragraph's head ("Shortcut Connections. Practices and ...", "Word analogies. The word
    analogy task ..."). Not a bold line, not one bold word inside a sentence."""
    count = 0
    while count < len(spans) and _is_bold(spans[count]):
        count += 1
    if count == 0 or not re.search(r"[A-Za-z]{2}", "".join(span["text"] for span in spans[count:])):
        return ""   # no bold, or nothing in roman after it but marks ("Ashish Vaswani∗")
    lead = re.sub(r"\s+", " ", fix_glyphs(_join_spans(spans[:count], size)[0])).strip()
    return lead if _is_lead(lead) else ""


def _head_of(prev: Line, line: Line) -> str:
    """A row PyMuPDF split after its bold head ("Residual Representations." | "In image ...")."""
    return prev.plain if prev.bold and not line.bold and _is_lead(prev.plain) else ""


def _is_lead(text: str) -> bool:
    """A head starts with a capital or a digit; a bold phrase's tail run over from the line above
    ("ing data.") does not."""
    return bool(re.match(r"[A-Z0-9]", text)) and bool(re.search(r"[A-Za-z]{3}", text)) \
        and len(text.split()) <= MAX_LEAD_WORDS


def _is_bold(span: dict) -> bool:
    """PyMuPDF's bold flag, or a bold font's name: TeX's Computer Modern bold (CMBX) and the Times
    of many conference templates (NimbusRomNo9L-Medi) set no flag."""
    return bool(span["flags"] & _BOLD_FLAG) or bool(_BOLD_FONT.search(span["font"]))


def _italic_runs(spans: list[dict]) -> tuple[tuple[str, bool, bool], ...]:
    """Runs of consecutive italic spans holding words: how papers mark a term where they introduce
    it ("we call this *internal fragmentation*"). Maths is set in italics too, in its own fonts
    (CMMI, ...Math...), and single letters are variables: neither is a run."""
    runs: list[tuple[str, bool, bool]] = []
    current: list[dict] = []
    start = 0
    for i, span in enumerate(spans + [None]):
        italic = span is not None and _is_text_italic(span)
        if italic:
            if not current:
                start = i
            current.append(span)
            continue
        if current:
            text = re.sub(r"\s+", " ", fix_glyphs(_join_spans(current, max(s["size"] for s in current))[0])).strip()
            if re.search(r"[A-Za-z]{3}", text):
                runs.append((text, start == 0, i == len(spans)))
            current = []
    return tuple(runs)


def _is_text_italic(span: dict) -> bool:
    italic = _FONT_ITALIC.get(span["font"])
    if italic is None:   # a few fonts a paper, every span: the font's answer is worked out once
        font = span["font"]
        maths = re.search(r"CMMI|CMSY|Math|Symbol|MSBM|MSAM|\bMI\d", font)
        italic = _FONT_ITALIC[font] = None if maths else bool(re.search(r"Italic|Oblique|Ital\b|CMTI|-It\b|TI\d", font))
    return italic is not None and (italic or bool(span["flags"] & _ITALIC_FLAG))


# font name -> True (an italic text font), False (upright: the span's flags decide), None (maths)
_FONT_ITALIC: dict[str, bool | None] = {}


def _join_spans(spans: list[dict], size: float) -> tuple[str, str]:
    """Concatenate spans as printed. Small capitals (smaller upper-case spans on the baseline,
    as in "QLORA") become lower case; raised smaller spans are superscripts, left out of the second
    text and marked there with PIECE_BREAK, as is a gap wider than a word space (an author grid's
    columns: "Lianmin Zheng", "Wei-Lin Chiang")."""
    if len(spans) == 1:  # most lines: nothing to compare a span against
        return spans[0]["text"], spans[0]["text"]
    # the baseline of the line's own type; spans that are all smaller (the bold label of a line,
    # set smaller than the text after it: Oxford's "Key words:") have their own
    sized = [s for s in spans if s["size"] >= size - 0.1] or \
        [s for s in spans if s["size"] >= max(x["size"] for x in spans) - 0.1]
    baseline = max(s["origin"][1] for s in sized)
    text = plain = ""
    prev = None
    for span in spans:
        piece = span["text"]
        smaller = span["size"] < 0.92 * size
        raised = span["origin"][1] < baseline - 0.15 * size
        if smaller and not raised and piece.strip() and piece.upper() == piece and _CAPITAL.search(piece):
            piece = piece.lower()
        if prev is not None:
            gap = span["bbox"][0] - prev["bbox"][2]
            if gap > 0.25 * span["size"] and not text.endswith(" ") and not piece.startswith(" "):
                text += " "
                plain += " "
            if gap > 0.5 * span["size"] and not plain.endswith(PIECE_BREAK):
                plain += PIECE_BREAK
        text += piece
        if not (smaller and raised):
            plain += piece
        elif not plain.endswith(PIECE_BREAK):
            plain += PIECE_BREAK
        prev = span
    return text, plain


_CAPITAL = re.compile(r"[A-Z]")
_BARE_NUMBER = re.compile(r"\d{1,4}")
_PAGE_NUMBER = re.compile(r"(page\s*)?\d{1,4}(\s*(of|/)\s*\d+)?")
_DIGITS = re.compile(r"\d+")


def _is_margin_number(line: Line, width: float) -> bool:
    """Review-copy line numbers sit in the outer margins as bare integers."""
    return (line.x1 < 0.09 * width or line.x0 > 0.91 * width) and bool(_BARE_NUMBER.fullmatch(line.text))


def _reading_order(blocks: list[list[Line]], width: float) -> list[list[Line]]:
    """Two-column pages: full-width blocks cut the page into bands; in each band the left
    column is read before the right one."""
    mid = width / 2

    def side(block: list[Line]) -> str:
        x0 = min(l.x0 for l in block)
        x1 = max(l.x1 for l in block)
        if x1 <= mid + 0.02 * width:
            return "left"
        if x0 >= mid - 0.02 * width:
            return "right"
        return "full"

    sides = {id(b): side(b) for b in blocks}
    tops = {id(b): min(l.y0 for l in b) for b in blocks}
    two_column = sum(1 for b in blocks if sides[id(b)] != "full") >= max(2, len(blocks) // 2)
    if not two_column:
        return sorted(blocks, key=lambda b: (round(tops[id(b)]), min(l.x0 for l in b)))
    ordered: list[list[Line]] = []
    band: list[list[Line]] = []
    for block in sorted(blocks, key=lambda b: tops[id(b)]):
        if sides[id(block)] == "full":
            ordered.extend(_band(band, sides, tops))
            band = []
            ordered.append(block)
        else:
            band.append(block)
    ordered.extend(_band(band, sides, tops))
    return ordered


def _band(blocks: list[list[Line]], sides: dict, tops: dict) -> list[list[Line]]:
    top = lambda b: tops[id(b)]
    return sorted((b for b in blocks if sides[id(b)] == "left"), key=top) + \
        sorted((b for b in blocks if sides[id(b)] == "right"), key=top)


def _running_key(text: str) -> str:
    return _DIGITS.sub("#", text.lower()).strip()


def _drop_running_lines(pages: list[PageLines]) -> None:
    """Headers and footers repeat across pages near the top or bottom edge; page numbers too."""
    def in_edge(line: Line, page: PageLines) -> bool:
        return line.y1 < 0.09 * page.height or line.y0 > 0.91 * page.height

    counts = Counter()
    for page in pages:
        counts.update({_running_key(l.text) for l in page.lines if in_edge(l, page)})
    threshold = max(2, int(0.3 * len(pages)))
    for page in pages:
        keep = []
        for line in page.lines:
            running = in_edge(line, page) and (
                counts[_running_key(line.text)] >= threshold
                or _PAGE_NUMBER.fullmatch(line.text.lower()))
            (page.margin_lines if running else keep).append(line)
        page.lines = keep
