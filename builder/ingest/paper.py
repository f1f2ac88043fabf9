"""PDF -> Paper: metadata, section tree, citable sentences with their pages, references.

The PDF is untrusted input; anything wrong with it becomes a PairError naming the file.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pymupdf

from ..errors import PairError
from ..models.paper import Paper, Passage, Section
from .paper_meta import KEYWORDS_HEAD, append_line, body_font_size, extract_meta, join_lines, printed_compounds
from .chinese import cjk_count
from .figures import CAPTION, table_regions
from .pdf_layout import Line, PageLines, PdfFile, open_pdf  # noqa: F401 (open_pdf: the old home)

HEADING = re.compile(r"^(?P<num>(?:\d{1,2}|[A-H])(?:\.\d{1,2}){0,3}\.?)\s+(?P<title>[A-Z].{0,90}[^.\s])$")
UNNUMBERED = ("abstract", "references", "bibliography", "acknowledgements", "acknowledgments", "acknowledgment",
              "appendix", "appendices", "conclusion", "conclusions", "introduction", "related work",
              "broader impact", "broader impacts", "limitations", "supplementary material",
              # the statements conference templates ask for after the conclusion (ICLR, NeurIPS, ACL)
              "ethics statement", "ethical statement", "ethical considerations", "ethics", "impact statement",
              "reproducibility statement", "reproducibility",
              # a paper in Chinese: abstract, references, acknowledgements
              "摘要", "参考文献", "致谢")
# "IV. Experimental Results": IEEE-style top-level headings are set in body-size small capitals (read
# as title case), not bold, so what marks them is the roman numeral and a title-case title alone in
# its block; find_headings keeps them only as a run that starts at I.
ROMAN_HEADING = re.compile(r"^(?P<num>X{0,2}(?:IX|IV|V?I{0,3})\.)\s+(?P<title>[A-Z][^.!?]{2,90})$")
_MINOR_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "vs", "via", "with"}
REFERENCES = re.compile(r"^(references|bibliography|literature cited|参考文献)$", re.I)
ABSTRACT = re.compile(r"^(?:abstract|摘要)$", re.I)
# a Latin sentence ends before a capital or a digit; a Chinese one at its full-width mark, whatever follows
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[]?[A-Z0-9])|(?<=[。！？])[”’」』）)]?\s*(?=\S)")
# "1 引言", "3.2 训练目标": a number and a short Chinese title, no sentence punctuation
CJK_HEADING = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}\.?)\s*(?P<title>[\u3400-\u9fff][^。，；：！？,;:]{0,29})$")
# "一、引言": Chinese numerals, as many Chinese journals number their sections (a run from 一, as roman ones)
CJK_NUMERALS = ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、", "十一、", "十二、"]
CJK_NUMERAL_HEADING = re.compile(r"^(?P<num>(?:十?[一二三四五六七八九]|十)、)\s*(?P<title>[\u3400-\u9fff][^。，；：！？,;:]{0,29})$")
ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|etc|cf|vs|Fig|Figs|Eq|Eqs|Sec|Secs|Tab|No|Dr|Mr|Ms|Prof|approx|resp|w\.r\.t|i\.i\.d|"
    r"Ref|Refs|Thm|Prop|Lem|Def|Alg|Appx|App|Ch|pp|vol|al)\.|\b[A-Z]\.)$")
MIN_TEXT_CHARS = 200


class _Stream:
    """Running text of one section with the page each character was printed on."""

    def __init__(self, section: str, compounds: frozenset[str]):
        self.section = section
        self._compounds = compounds       # hyphenated words the paper prints: their hyphen stays at a break
        self._lines: list[str] = []
        self._line_pages: list[int] = []
        self.emphasised: list[str] = []   # italic runs, one run across a line break joined
        self.leads: list[str] = []        # paragraph heads set in bold
        self._open = False                # the last line ended in italics

    def add(self, line: Line) -> None:
        self._lines.append(line.plain)
        self._line_pages.append(line.page_no)
        for text, at_start, _ in line.emphasis:
            if at_start and self._open:
                self.emphasised[-1] = append_line(self.emphasised[-1], text, self._compounds)   # "Page-" + "dAttention"
            else:
                self.emphasised.append(text)
        self._open = bool(line.emphasis) and line.emphasis[-1][2]
        if line.lead:
            self.leads.append(line.lead)

    def text_and_pages(self) -> tuple[str, list[tuple[int, int]]]:
        """Join the lines (undoing hyphenation) once, recording where each page starts."""
        text = ""
        pages: list[tuple[int, int]] = []
        for part, page_no in zip(self._lines, self._line_pages):
            if not pages or pages[-1][1] != page_no:
                pages.append((len(text), page_no))
            text = append_line(text, part, self._compounds)
        return text, pages


def _page_at(pages: list[tuple[int, int]], offset: int) -> int:
    page = pages[0][1]
    for start, page_no in pages:
        if start <= offset:
            page = page_no
    return page


def ingest_paper(path: Path) -> Paper:
    with PdfFile(path) as pdf:
        return read_paper(pdf)


def read_paper(pdf: PdfFile) -> Paper:
    """The paper stage: everything but the figures (their own stage, keyed by their own code)."""
    page_texts = pdf.page_texts
    pages = pdf.pages
    toc = pdf.doc.get_toc(simple=True)
    in_tables = table_cell_lines(pdf.doc, pages)
    text_chars = sum(len(l.text) for p in pages for l in p.lines)
    if text_chars < MIN_TEXT_CHARS:
        raise PairError(pdf.path, "has no text layer (a scanned PDF?)",
                        "run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`, and use the result")
    body_size = body_font_size(pages)
    compounds = printed_compounds(line.plain for page in pages for line in page.lines)
    meta = extract_meta(pages, body_size, compounds)
    headings = find_headings(pages, body_size, toc)
    opening = None if any(id(line) in headings for line in pages[0].lines) else \
        _body_start_on_page_one(pages[0], meta.abstract.value if meta.abstract else None, body_size)
    sections, passages, references, emphasised, leads = _walk(pages, headings, body_size, compounds, in_tables,
                                                              opening)
    if meta.abstract is not None:
        passages = with_abstract(passages, meta.abstract.value, meta.abstract.page_no)
    missing = [name for name in ("title", "authors", "venue", "year", "abstract") if getattr(meta, name) is None]
    return Paper(file_name=pdf.path.name, page_count=len(pages), meta=meta, sections=sections,
                 passages=passages, references=references, figures=[], missing_fields=missing, page_texts=page_texts,
                 emphasised=emphasised, leads=leads)


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NUMBER_PREFIX = re.compile(r"^(?:\d+|[A-H])(?:\.\d+)*\.?\s+")
_NOT_LETTER = re.compile(r"[\W\d_]+")


def _norm(text: str) -> str:
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


def find_headings(pages: list[PageLines], body_size: float, toc: list) -> dict[int, Section]:
    """Map id(line) -> Section for every heading line (a heading's second line maps to the same
    Section). The PDF outline wins when there is one."""
    candidates: dict[int, tuple[Line, str, str, int | None]] = {}
    for page in pages:
        for line in page.lines:
            parsed = _parse_heading(line, body_size)
            if parsed:
                candidates[id(line)] = (line, *parsed, None)
    at = _reading_positions(pages)
    candidates = _not_a_list(pages, _no_appendix_first(candidates, at))
    if len(toc) >= 3:
        from_toc = _outline_headings(pages, toc)
        if from_toc:
            # outlines often leave out References and Acknowledgements: keep those from the layout
            unnumbered = {k: v for k, v in candidates.items() if not v[1] and k not in from_toc}
            candidates = {**from_toc, **unnumbered}
    candidates = _roman_run(dict(sorted(candidates.items(), key=lambda kv: _place(kv[1][0], at))))
    unnumbered, second_lines = _unnumbered_headings(pages, candidates, body_size)
    candidates.update(unnumbered)
    candidates.update(_bold_capitals_headings(pages, candidates, body_size))
    candidates.update(_numbered_at_body_size(pages, candidates, body_size, at))
    candidates.update(_references_at_body_size(pages, candidates, body_size))
    candidates = _without_contents_page(dict(sorted(candidates.items(), key=lambda kv: _place(kv[1][0], at))))
    finished = _finishing_lines(pages, candidates, set(second_lines))
    second_lines.update({id(second): key for key, second in finished.items()})
    headings: dict[int, Section] = {}
    for key, (line, number, title, toc_level) in candidates.items():
        level = toc_level or (number.rstrip(".").count(".") + 1 if number else 1)
        if key in finished:
            title = f"{title} {finished[key].plain.strip()}"
        headings[key] = Section(number=number, title=title, level=level, page_start=line.page_no, page_end=line.page_no)
    for second, key in second_lines.items():
        if key in headings and second not in headings:
            headings[second] = headings[key]   # the walk skips it: no sentence starts with a heading's end
    return headings


def _no_appendix_first(candidates: dict, at: dict[int, tuple[int, int]]) -> dict:
    """A lettered heading ("A Additional Details") is an appendix, and appendices come after the
    paper's sections: one before any other heading is the title's "A" ("A STATISTICAL APPROACH
    TO MACHINE TRANSLATION") or a list item."""
    lettered = {k for k, v in candidates.items() if re.fullmatch(r"[A-H](?:\.\d+)*\.?", v[1])}
    first = min((_place(v[0], at) for k, v in candidates.items() if k not in lettered), default=None)
    if first is None:
        # no other heading at all: lettered sections count as a run ("A", "B", ...), and one alone
        # is a title that starts with "A" ("A Letter Without Sections")
        return candidates if len(lettered) >= 2 else {k: v for k, v in candidates.items() if k not in lettered}
    return {k: v for k, v in candidates.items() if not (k in lettered and _place(v[0], at) < first)}


def _not_a_list(pages: list[PageLines], candidates: dict) -> dict:
    """Numbered lines one right under another at the same level are a list or a table's rows
    ("3 Player stone / opponent stone / empty", "1 A constant plane filled with 1"): a section
    heading is followed by its text or a subsection, never at once by the next section."""
    listed: set[int] = set()
    for page in pages:
        for line, after in zip(page.lines, page.lines[1:]):
            a, b = candidates.get(id(line)), candidates.get(id(after))
            if a and b and a[1] and b[1] and a[1].rstrip(".").count(".") == b[1].rstrip(".").count("."):
                listed |= {id(line), id(after)}
    return {k: v for k, v in candidates.items() if k not in listed}


def _outline_headings(pages: list[PageLines], toc: list) -> dict[int, tuple[Line, str, str, int]]:
    """The outline's headings when its entries are found on the pages: all of them when most are,
    else those of the levels whose entries mostly are (a Nature outline gives the title a level of
    its own, and the Methods' paragraph heads one below, which no line holds alone), their levels
    counted from the shallowest kept."""
    found = _headings_from_toc(pages, toc)
    if len(found) >= 0.6 * len(toc):
        return found
    entries = Counter(level for level, _, _ in toc)
    hits = Counter(v[3] for v in found.values())
    kept = sorted(level for level in entries if hits[level] >= 3 and hits[level] >= 0.6 * entries[level])
    return {k: (line, number, title, level - kept[0] + 1) for k, (line, number, title, level) in found.items()
            if level in kept}


def _without_contents_page(candidates: dict) -> dict:
    """A table of contents ("Contents", then "1 Introduction ... 3") repeats the headings in bold:
    its heading and every entry whose title is printed again as a heading on a later page go."""
    contents = [v[0] for v in candidates.values() if not v[1] and v[2].strip().lower() in ("contents", "table of contents")]
    if not contents:
        return candidates
    page_no = contents[0].page_no
    later = {_norm(v[2]) for v in candidates.values() if v[0].page_no > page_no}
    return {k: v for k, v in candidates.items()
            if not (v[0].page_no == page_no and (v[0] is contents[0] or _norm(v[2]) in later))}


def _unnumbered_headings(pages: list[PageLines], known: dict, body_size: float) -> tuple[dict, dict[int, int]]:
    """Headings without a number ("Attention Visualizations", "Author Contributions"): lines set
    in the same large type as the numbered top-level headings, short, not ending a sentence; and
    id(second line) -> id(heading) for those set over two lines."""
    top_sizes = sorted(v[0].size for v in known.values() if re.fullmatch(r"\d+\.?", v[1]))
    if not top_sizes:
        return {}, {}
    top_size = top_sizes[len(top_sizes) // 2]
    if top_size <= body_size + 0.4:
        return {}, {}
    first_page_known = [v[0].y0 for v in known.values() if v[0].page_no == 1]
    front_end = min(first_page_known) if first_page_known else float("inf")
    found: dict[int, tuple] = {}
    second_lines: dict[int, int] = {}
    last_line: Line | None = None     # the previous line, when it was (part of) a heading
    head_key: int | None = None       # the heading that line belongs to
    for page in pages:
        for line in page.lines:
            text = line.plain.strip()
            is_heading = (id(line) not in known and line.bold and top_size - 0.3 <= line.size <= top_size + 1.0
                          and not (page.page_no == 1 and line.y0 < front_end)
                          and text[:1].isupper() and not re.match(r"^(Figure|Fig\.|Table)\s+\d", text))
            continues = (last_line is not None and line.page_no == last_line.page_no
                         and 0 <= line.y0 - last_line.y1 < 0.8 * line.size)
            if is_heading and continues:
                first, _, title, _ = found[head_key]
                found[head_key] = (first, "", f"{title} {text}", None)  # a heading set over two lines
                second_lines[id(line)] = head_key
                last_line = line
            elif is_heading and len(text.split()) <= 14 and not text.endswith((".", ",")):
                found[id(line)] = (line, "", text, None)
                last_line, head_key = line, id(line)
            else:
                last_line = head_key = None
    kept = {k: v for k, v in found.items() if len(v[2].split()) <= 16}
    return kept, {second: head for second, head in second_lines.items() if head in kept}


def _bold_capitals_headings(pages: list[PageLines], known: dict, body_size: float) -> dict:
    """Unnumbered headings in bold capitals at about the body's size, or smaller (APS's revtex:
    "INTRODUCTION", "RELATED WORK" in 9 pt bold over a 10 pt body), in a paper with no numbered
    sections: short lines, ending no sentence, and more than one of them (a paper's headings come
    as a set; the title, far larger, is no heading)."""
    if any(re.fullmatch(r"(\d+|[IVX]+)\.?", v[1]) for v in known.values()) or not pages:
        return {}
    # page 1's title block (a title in bold capitals, as amsart sets it) ends where prose starts
    prose = [line.y0 for line in pages[0].lines if not line.bold and line.size >= body_size - 1.5
             and len(line.plain.split()) >= 8]
    front_end = min(prose, default=float("inf"))
    found = {id(line): (line, "", line.plain.strip(), None)
             for page in pages for line in page.lines
             if id(line) not in known and line.bold and 0.75 * body_size <= line.size <= body_size + 2
             and not (page.page_no == 1 and line.y0 < front_end)
             and _in_capitals(line.plain.strip()) and not line.plain.strip().endswith((".", ","))}
    return found if len(found) >= 2 else {}


def _numbered_at_body_size(pages: list[PageLines], known: dict, body_size: float,
                           at: dict[int, tuple[int, int]]) -> dict:
    """Numbered headings in the body's own type and weight (amsart's small capitals: "1.
    Introduction", "2. Related Work"), in a paper where no numbered heading stood out otherwise:
    short title-case lines that count 1, 2, 3, ... in reading order, three or more of them, as
    IEEE's roman numerals must (a list's items are sentences, and run on)."""
    if any(re.fullmatch(r"\d+\.?", v[1]) for v in known.values()):
        return {}
    found = []
    for page in pages:
        for line in page.lines:
            match = HEADING.match(line.plain.strip())
            if (match and id(line) not in known and re.fullmatch(r"\d+\.?", match["num"])
                    and abs(line.size - body_size) <= 0.5 and _title_case(match["title"])
                    and len(match["title"].split()) <= 8):
                found.append((line, match["num"], match["title"]))
    found.sort(key=lambda item: _place(item[0], at))
    run = []
    for line, number, title in found:
        if int(number.rstrip(".")) == len(run) + 1:
            run.append((line, number, title))
    return {id(line): (line, number, title, None) for line, number, title in run} if len(run) >= 3 else {}


def _references_at_body_size(pages: list[PageLines], known: dict, body_size: float) -> dict:
    """"References" alone on its line, in the body's type or smaller, with space above it or at
    the top of a column (IEEE sets its headings in small capitals at body size, a scan's OCR
    layer gives it the size of the list): the reference list starts there all the same."""
    if any(REFERENCES.match(v[2]) for v in known.values()):
        return {}
    for page in pages:
        for before, line in zip([None, *page.lines], page.lines):
            text = line.plain.strip()
            apart = before is None or line.y0 < before.y0 or line.y0 - before.y1 >= 0.8 * line.size
            if REFERENCES.match(text) and text[:1].isupper() and line.size >= 0.75 * body_size and apart:
                return {id(line): (line, "", text, None)}
    return {}


def _finishing_lines(pages: list[PageLines], candidates: dict, taken: set[int]) -> dict[int, Line]:
    """id(heading) -> the line that finishes it, for a heading set over two lines: right under it,
    in the same size, short, not a sentence, and either centred on the same point ("VI. Data
    Cleansing Methods for Label" / "Noise-Polluted Datasets") or hanging under the title beside a
    number ("4.4 Model Analysis: Vector Length and" / "Context Size"). A body line under a heading
    starts at the column's edge, left of a centred heading's lines and at its number."""
    found: dict[int, Line] = {}
    for page in pages:
        for line, after in zip(page.lines, page.lines[1:]):
            if id(line) not in candidates or id(after) in candidates or id(after) in taken:
                continue
            text = after.plain.strip()
            if not (abs(after.size - line.size) < 0.3 and -0.3 * line.size <= after.y0 - line.y1 < 0.8 * line.size
                    and after.x0 > line.x0 + 2 and not text.endswith((".", ",", ":", ";"))):
                continue
            centred = abs((after.x0 + after.x1) - (line.x0 + line.x1)) < 6 and _title_case(text)
            if centred or _hangs_under(line, after, candidates[id(line)]):
                found[id(line)] = after
    return found


def _hangs_under(line: Line, after: Line, candidate: tuple) -> bool:
    """Is `after` the rest of a numbered heading's title, set under the title's first word: a few
    words in the heading's own type, or any few words after a title that cannot end where its line
    does ("... Comparison with" / "word2vec")? A body line that follows a heading is set in roman
    and reads on; a heading's title never ends with "with" or "and"."""
    number, title = candidate[1], candidate[2]
    words = after.plain.split()
    if not number or not 1 <= len(words) <= 8 or after.x0 >= line.x1 or _TWO_SENTENCES.search(after.plain):
        return False
    last = title.split()[-1].lower() if title.split() else ""
    unfinished = last in _MINOR_WORDS or title.endswith(("-", ":"))
    return unfinished or (after.bold == line.bold and _title_case(after.plain))


def _reading_positions(pages: list[PageLines]) -> dict[int, tuple[int, int]]:
    """id(line) -> (page, place in the page's reading order): headings sorted by height alone
    mix a two-column page's columns (IEEE's "IV. Experiments" at the top of the right column came
    before "I. Introduction", which broke the run of roman numerals, and every section was lost)."""
    return {id(line): (page.page_no, i) for page in pages for i, line in enumerate(page.lines)}


def _place(line: Line, at: dict[int, tuple[int, int]]) -> tuple[int, int]:
    return at.get(id(line), (line.page_no, 0))


def _parse_heading(line: Line, body_size: float) -> tuple[str, str] | None:
    text = line.plain.strip()
    roman = ROMAN_HEADING.match(text)
    if roman and roman["num"] != "." and _title_case(roman["title"]) and line.size >= body_size - 0.5:
        return roman["num"], roman["title"]
    match = HEADING.match(text)
    if match and _in_capitals(match["title"]) and len(text) <= 60 and line.size >= 0.75 * body_size:
        return match["num"], match["title"].upper()   # "5 PARAMETER ESTIMATION": capitals mark it, at any weight
    if not (line.bold or line.size > body_size + 0.4) or len(text) > 100 or line.size < body_size - 0.5:
        return None
    if text.lower().rstrip(":") in UNNUMBERED:
        return "", text.rstrip(":")
    if match and len(match["title"].split()) <= 14 and not _TWO_SENTENCES.search(match["title"]):
        return match["num"], match["title"]
    if chinese := CJK_HEADING.match(text) or CJK_NUMERAL_HEADING.match(text):
        return chinese["num"], chinese["title"]
    return None


# "8 GPUs. We also implemented ...": a sentence ends and the next goes on in lower case: a line of
# text that starts with a number, not a heading ("QLoRA vs. Standard Finetuning" is one)
_TWO_SENTENCES = re.compile(r"\b(?!vs\.)[A-Za-z]{2,}\.\s+[A-Z][a-z]*\s+[a-z]{2,}")


def _in_capitals(title: str) -> bool:
    """A title in capital letters, words of letters: how scanned and older papers set their
    headings (in the body's own type and weight). An OCR layer may read one word of it in title
    case ("6 Two PILOT EXPERIMENTS"); the rest in capitals still shows how it is printed."""
    words = title.split()
    capitals = [bool(re.fullmatch(r"[A-Z][A-Z'-]*", w)) for w in words]
    title_case = [bool(re.fullmatch(r"[A-Z][a-z'-]+", w)) for w in words]
    return (1 <= len(words) <= 8 and any(len(w) >= 4 and c for w, c in zip(words, capitals))
            and (all(capitals) or (len(words) >= 3 and capitals.count(False) == 1 and any(title_case))))


def _title_case(title: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'-]*", title)
    return 0 < len(words) <= 14 and all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in words)


ROMAN_NUMERALS = ["I.", "II.", "III.", "IV.", "V.", "VI.", "VII.", "VIII.", "IX.", "X.", "XI.", "XII.", "XIII.",
                  "XIV.", "XV.", "XVI.", "XVII.", "XVIII.", "XIX.", "XX."]


def _roman_run(candidates: dict) -> dict:
    """Roman-numbered headings count only as the run I., II., III., ...; a lone "V. Then we" is text.
    So do Chinese numerals, 一、二、三、 ... (a list's "二、" in the text is no heading)."""
    for numerals in (ROMAN_NUMERALS, CJK_NUMERALS):
        keys = [k for k, v in candidates.items() if v[1] in numerals]
        numbers = [candidates[k][1] for k in keys]
        run = numbers[:1] == numerals[:1] and len(numbers) >= 2 and numbers == numerals[:len(numbers)]
        if not run:
            candidates = {k: v for k, v in candidates.items() if k not in keys}
    return candidates


def _headings_from_toc(pages: list[PageLines], toc: list) -> dict[int, tuple[Line, str, str, int]]:
    found: dict[int, tuple[Line, str, str, int]] = {}
    bare_lines: dict[int, str] = {}  # each line normalised once, not once per outline entry
    for level, toc_title, page_no in toc:
        toc_number = re.match(r"^((?:\d+|[A-H])(?:\.\d+)*\.?)\s+", toc_title)
        bare = _norm(toc_title[toc_number.end():] if toc_number else toc_title)
        window = pages[max(0, page_no - 2): page_no + 1]
        matches = [l for page in window for l in page.lines
                   if id(l) not in found and bare and _bare_line(l, bare_lines) == bare]
        # the outline's own page first (a table of contents a page or two earlier lists the same
        # words), then the earliest page; a figure label can repeat a heading's words: prefer the
        # numbered, then the bold line
        matches.sort(key=lambda l: (l.page_no != page_no, l.page_no,
                                    not (HEADING.match(l.plain.strip()) and l.bold), not l.bold))
        hit = matches[0] if matches else None
        if hit:
            printed = HEADING.match(hit.plain.strip())
            number = printed["num"] if printed else (toc_number[1] if toc_number else "")
            title = printed["title"] if printed else _NUMBER_PREFIX.sub("", hit.plain.strip()) if toc_number \
                else hit.plain.strip()   # as printed ("METHODS"), the outline's words in its own case
            found[id(hit)] = (hit, number, title.strip(), level)
    return found


def _bare_line(line: Line, memo: dict[int, str]) -> str:
    """A line as an outline entry would name it: no section number, no case, no punctuation."""
    if id(line) not in memo:
        memo[id(line)] = _norm(_NUMBER_PREFIX.sub("", line.plain.strip()))
    return memo[id(line)]


def table_cell_lines(doc: pymupdf.Document, pages: list[PageLines]) -> set[int]:
    """Lines printed inside a ruled table: cells in body-size type would otherwise run into the
    sentences around them ("System Win rate vs. SFT 50% ... We find that ..."). Only pages with a
    "Table N" caption are looked at, so papers without tables pay nothing."""
    cells: set[int] = set()
    for page in pages:
        for box in table_regions(doc[page.page_no - 1], page):
            cells.update(id(line) for line in page.lines if box.y0 - 1 <= (line.y0 + line.y1) / 2 <= box.y1 + 1
                         and line.x0 >= box.x0 - 4 and line.x1 <= box.x1 + 4)
    return cells


def _body_start_on_page_one(page: PageLines, abstract: str | None, body_size: float) -> int | None:
    """Where page 1's body starts when no heading on it says so (a letter with no sections, or
    headings this reader does not know): after the line that ends the abstract, or, with no abstract,
    at the first line of prose (body type, eight words or more). None: nowhere sure."""
    if abstract:
        end = _NOT_ALNUM.sub("", abstract.lower())[-20:]
        for i, line in enumerate(page.lines):
            if end and _NOT_ALNUM.sub("", line.plain.lower()).endswith(end):
                return i + 1
        return None
    return next((i for i, line in enumerate(page.lines) if not line.bold and abs(line.size - body_size) <= 0.5
                 and len(line.plain.split()) >= 8), None)


def _walk(pages: list[PageLines], headings: dict[int, Section], body_size: float, compounds: frozenset[str],
          in_tables: set[int] = frozenset(), opening: int | None = None):
    """Read the body in order: section spans, sentences per section, reference entries. Page 1
    before its first heading is the title block, which the metadata reads; without a heading on
    page 1, its body starts at line `opening` (None: page 1 is left out)."""
    sections: list[Section] = []
    streams: list[_Stream] = []
    reference_lines: list[Line] = []
    current: Section | None = None
    in_references = False
    started = False
    page_ends: dict[int, int] = {}  # id(section) -> its last page, set once the walk has passed it
    for page in pages:
        for i, line in enumerate(page.lines):
            section = headings.get(id(line))
            if section is not None and section is current:
                continue  # the heading's second line
            if section is not None:
                started = True
                if current is not None:
                    page_ends[id(current)] = max(current.page_start, line.page_no)
                current = section
                if not ABSTRACT.match(section.title):  # a passage source, not part of the section tree
                    sections.append(section)
                in_references = bool(REFERENCES.match(section.title))
                streams.append(_Stream(section.heading, compounds))
                continue
            if page.page_no == 1 and not started and (opening is None or i < opening):
                continue  # title block; metadata has it
            if current is not None:
                page_ends[id(current)] = line.page_no
            if in_references:
                reference_lines.append(line)
                continue
            if line.size < body_size - 0.8 or CAPTION.match(line.plain) or id(line) in in_tables:
                continue  # footnotes, captions, table cells in small type
            if not streams:
                streams.append(_Stream("", compounds))
            streams[-1].add(line)
    passages = []
    emphasised = [text for stream in streams for text in stream.emphasised]
    leads = [text for stream in streams for text in stream.leads]
    for stream in streams:
        text, pages_at = stream.text_and_pages()
        for sentence, offset in split_sentences(text):
            if _is_prose(sentence):
                passages.append(Passage(id=f"s{len(passages) + 1}", text=sentence,
                                        page_no=_page_at(pages_at, offset), section=stream.section))
    sections = [replace(s, page_end=page_ends.get(id(s), s.page_end)) for s in sections]
    return sections, passages, parse_references(reference_lines), emphasised, leads


def with_abstract(passages: list[Passage], abstract_text: str | None, page_no: int | None) -> list[Passage]:
    """The paper's sentences with its abstract first, when the page-1 reader found the abstract
    but no "Abstract" heading to make sentences of (two-column front pages, e.g. BERT; a Nature
    standfirst; a scan's bold paragraph): the summary, the key terms and the talk's vocabulary all
    read the abstract, and a report may cite it."""
    if not abstract_text or page_no is None or any(ABSTRACT.match(p.section) for p in passages):
        return passages
    front = [Passage(id="", text=sentence, page_no=page_no, section="Abstract")
             for sentence, _ in split_sentences(abstract_text) if _is_prose(sentence)]
    return [replace(p, id=f"s{i + 1}") for i, p in enumerate(front + passages)]


def split_sentences(text: str) -> list[tuple[str, int]]:
    """Sentences with their start offsets; abbreviations and initials do not end a sentence."""
    pieces: list[tuple[str, int]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        candidate = text[start:match.start()].strip()
        if ABBREVIATION.search(text[max(0, match.start() - 12):match.start()].rstrip("\"”’)")):
            continue
        if candidate:
            pieces.append((candidate, start))
        start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append((tail, start))
    return pieces


def _is_prose(sentence: str) -> bool:
    """A sentence of the text: not a formula's debris, and not the keyword list ("Index Terms:
    time delay neural networks, ..."), which page 1's metadata reads. A Chinese sentence is
    measured in its characters (no spaces between words, no capitals)."""
    characters = cjk_count(sentence)
    if characters >= 4:
        letters = len(_NOT_LETTER.sub("", sentence))
        return 8 <= characters <= 400 and letters / max(1, len(sentence)) > 0.6 and not KEYWORDS_HEAD.match(sentence)
    words = sentence.split()
    if not 5 <= len(words) <= 90 or KEYWORDS_HEAD.match(sentence):
        return False
    letters = len(_NOT_LETTER.sub("", sentence))
    return letters / max(1, len(sentence)) > 0.6 and sentence[0].isupper()


def parse_references(lines: list[Line]) -> list[str]:
    """Entries start with "[n]" / "n." or at the hanging indent's left edge of a column."""
    if not lines:
        return []
    entries: list[list[str]] = []
    bracketed = sum(1 for l in lines if re.match(r"^\[\d+\]", l.plain)) >= 3
    entry_start = re.compile(r"^\[\d+\]" if bracketed else r"^\d{1,3}\.\s")
    numbered = bracketed or sum(1 for l in lines if entry_start.match(l.plain)) >= 3
    lefts: dict[tuple[int, bool], float] = {}
    for line in lines:
        key = (line.page_no, line.x0 > 300)
        lefts[key] = min(lefts.get(key, line.x0), line.x0)
    for line in lines:
        starts = (entry_start.match(line.plain) if numbered
                  else line.x0 <= lefts[(line.page_no, line.x0 > 300)] + 1.5)
        if starts or not entries:
            entries.append([line.plain])
        else:
            entries[-1].append(line.plain)
    return [join_lines(e) for e in entries if len(join_lines(e)) > 15]
