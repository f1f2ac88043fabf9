"""Figures and tables: each "Figure N:" / "Table N:" caption with what it labels, rendered to a PNG.

Papers draw figures as embedded images or as vector graphics; both are found as boxes on the
page, and the area between the caption and the text above it is rendered, so either kind works.
Tables are text between horizontal rules: the rules are found as drawings next to the caption
(above or below it, as journals differ) and the cells inside them come along. A table drawn
without rules is left out rather than guessed at. PyMuPDF's own
`find_tables` would also work but costs one to two seconds a page, most of a build's paper time.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pymupdf

from ..layout import figure_image
from ..models.paper import Figure, FigureSet
from .paper_meta import join_lines
from .pdf_layout import Line, PageLines, PdfFile

CAPTION = re.compile(r"^(?P<kind>Figure|Fig\.|Table)\s*(?P<n>\d+)\s*[:.|]\s*(?P<text>.*)$")
TABLE_RULE_GAP = 40.0  # pt between a table caption and the first or last rule of its table
TABLE_SPAN_GAP = 160.0  # pt of rows a table may hold between two of its rules
MIN_SIDE = 30.0
RENDER_DPI = 110
MAX_FIGURES = 60


def extract_figures(pdf: PdfFile) -> list[tuple[Figure, bytes]]:
    doc, pages = pdf.doc, pdf.pages
    found: list[tuple[Figure, bytes]] = []
    seen: set[str] = set()
    for page_lines in pages:
        captions = [(i, l) for i, l in enumerate(page_lines.lines) if CAPTION.match(l.plain)]
        if not captions:
            continue
        page = doc[page_lines.page_no - 1]
        boxes = [pymupdf.Rect(info["bbox"]) for info in page.get_image_info()]
        drawn: list[pymupdf.Rect] | None = None
        try:   # cluster_drawings reads nothing of a path but its box
            drawn = path_boxes(page)
            boxes += list(page.cluster_drawings(drawings=[{"rect": box} for box in drawn]))
        except (RuntimeError, ValueError):
            pass
        boxes = [b for b in boxes if b.width >= 4 and b.height >= 4]
        rules, tables = _page_tables(page, page_lines, captions, drawn)
        previous_bottom = 0.0
        for index, caption in captions:
            match = CAPTION.match(caption.plain)
            kind = "Table" if match["kind"] == "Table" else "Figure"
            label = f"{kind} {match['n']}"
            block = _caption_lines(page_lines.lines, index, rules)
            text = join_lines([line.plain for line in block])
            if kind == "Table":
                region = tables.get(index)
                if region is not None:
                    region = _with_cells(region, page_lines.lines, caption)
            else:
                region = _figure_region(boxes, caption, page_lines.width, page_lines.height, previous_bottom)
                if region is not None:
                    region = _with_labels(region, page_lines.lines, caption, previous_bottom)
                previous_bottom = caption.y1
            if label in seen or region is None:
                continue
            seen.add(label)
            png = page.get_pixmap(clip=region, dpi=RENDER_DPI).tobytes("png")
            found.append((Figure(label=label, caption=text, page_no=page_lines.page_no,
                                 image=figure_image(kind, match['n'])), png))
            if len(found) >= MAX_FIGURES:
                return found
    return found


def _caption_lines(lines: list[Line], index: int, rules: list[pymupdf.Rect]) -> list[Line]:
    """The caption's own lines: its text block, up to a rule (some PDFs put a table in that block)."""
    caption = lines[index]
    block = [caption]
    for line in lines[index + 1:]:
        if line.block != caption.block or line.page_no != caption.page_no:
            break
        if any(caption.y1 <= r.y0 <= line.y0 + 1 and r.x0 < line.x1 and r.x1 > line.x0 for r in rules):
            break
        block.append(line)
    return block


def _column(caption: Line, page_width: float) -> tuple[float, float]:
    """The horizontal span a caption's float may occupy: the whole page, or the caption's column."""
    centre = (caption.x0 + caption.x1) / 2
    wide = caption.x1 - caption.x0 > 0.55 * page_width or abs(centre - page_width / 2) < 0.08 * page_width
    if wide:
        return 0.0, page_width
    return (0.0, page_width / 2 + 10) if caption.x1 <= page_width / 2 + 10 else (page_width / 2 - 10, page_width)


def path_boxes(page: pymupdf.Page) -> list[pymupdf.Rect]:
    """The box of each path drawn on the page. Read with `get_cdrawings`: `get_drawings` is the
    same paths with every point of every path made a Python object, where only their boxes are
    needed (the same table rules on all 422 pages of the shared papers, in 1.5 s instead of 3.6 s)."""
    return [pymupdf.Rect(d["rect"]) for d in page.get_cdrawings()]


def table_rules(boxes: list[pymupdf.Rect]) -> list[pymupdf.Rect]:
    """Horizontal rules among the page's drawn `boxes`: the top, header and bottom lines of ruled tables."""
    rules = [box for box in boxes if box.height <= 2.5 and box.width >= MIN_SIDE]
    return sorted(rules, key=lambda r: (r.y0, r.x0))


def table_regions(page: pymupdf.Page, page_lines: PageLines) -> list[pymupdf.Rect]:
    """The ruled tables that a "Table N" caption on this page labels (the same choice the table
    pictures are cut by), so the body text can leave their cells out of its sentences."""
    captions = [(i, l) for i, l in enumerate(page_lines.lines) if CAPTION.match(l.plain)]
    return list(_page_tables(page, page_lines, captions)[1].values())


def _page_tables(page: pymupdf.Page, page_lines: PageLines, captions: list[tuple[int, Line]],
                 drawn: list[pymupdf.Rect] | None = None) -> tuple[list[pymupdf.Rect], dict[int, pymupdf.Rect]]:
    """The page's horizontal rules, and the ruled block each "Table N" caption (by line index)
    labels; `drawn`: the page's `path_boxes` when the caller has read them. Pages without a table
    caption cost nothing: their drawings are not read."""
    if not any(CAPTION.match(l.plain)["kind"] == "Table" for _, l in captions):
        return [], {}
    rules = table_rules(path_boxes(page) if drawn is None else drawn)
    groups = rule_groups(rules, [l for _, l in captions])
    tables: dict[int, pymupdf.Rect] = {}
    for index, caption in captions:
        if CAPTION.match(caption.plain)["kind"] == "Table":
            block = _caption_lines(page_lines.lines, index, rules)
            region = _table_region(groups, caption, block[-1].y1, page_lines.width)
            if region is not None:
                tables[index] = region
    return rules, tables


def rule_groups(rules: list[pymupdf.Rect], captions: list[Line]) -> list[list[pymupdf.Rect]]:
    """Rules that frame one table: stacked, overlapping sideways, no caption or wide gap between."""
    groups: list[list[pymupdf.Rect]] = []
    for rule in rules:
        for group in groups:
            last = group[-1]
            overlap = min(last.x1, rule.x1) - max(last.x0, rule.x0)
            between = any(last.y1 <= c.y0 and c.y1 <= rule.y0 and c.x0 < rule.x1 and c.x1 > rule.x0
                          for c in captions)
            gap = rule.y0 - last.y1
            width = max(r.x1 for r in group) - min(r.x0 for r in group)
            # a short rule far below is a footnote separator; a short one close by is a \cmidrule
            short_and_far = rule.width < 0.6 * width and gap > 30
            if overlap >= 0.5 * min(last.width, rule.width) and gap <= TABLE_SPAN_GAP \
                    and not between and not short_and_far:
                group.append(rule)
                break
        else:
            groups.append([rule])
    return [g for g in groups if len(g) >= 2]


def _table_region(groups: list[list[pymupdf.Rect]], caption: Line, caption_bottom: float,
                  page_width: float) -> pymupdf.Rect | None:
    """The ruled block nearest the caption, right below or right above it (journals differ)."""
    left, right = _column(caption, page_width)
    best: tuple[float, pymupdf.Rect] | None = None
    for group in groups:
        # Rules have no height, and PyMuPDF's union ignores such "empty" rectangles: take the span by hand.
        box = pymupdf.Rect(min(r.x0 for r in group), group[0].y0, max(r.x1 for r in group), group[-1].y1)
        if box.x0 < left - 2 or box.x1 > right + 2:
            continue
        gap = min(abs(box.y0 - caption_bottom), abs(caption.y0 - box.y1))
        outside = box.y0 >= caption_bottom - 2 or box.y1 <= caption.y0 + 2
        if outside and gap < TABLE_RULE_GAP and (best is None or gap < best[0]):
            best = (gap, box)
    return best[1] if best else None


def _with_cells(region: pymupdf.Rect, lines: list[Line], caption: Line) -> pymupdf.Rect:
    """Grow the ruled block over the text of its cells, which may stick out past the rules."""
    grown = pymupdf.Rect(region)
    for line in lines:
        if line is caption:
            continue
        centre_y = (line.y0 + line.y1) / 2
        if region.y0 - 2 <= centre_y <= region.y1 + 2 and line.x0 < region.x1 and line.x1 > region.x0:
            grown |= pymupdf.Rect(line.x0, line.y0, line.x1, line.y1)
    return grown + (-4, -4, 4, 4)


def _figure_region(boxes: list[pymupdf.Rect], caption: Line, page_width: float, page_height: float,
                   top: float) -> pymupdf.Rect | None:
    """The union of graphics above the caption, in the caption's column, below the last caption."""
    left, right = _column(caption, page_width)
    chosen = [b for b in boxes
              if b.y1 <= caption.y0 + 4 and b.y0 >= top - 2 and b.x0 >= left - 2 and b.x1 <= right + 2
              and caption.y0 - b.y1 < 0.6 * page_height]
    if not chosen:
        return None
    region = pymupdf.Rect(chosen[0])
    for box in chosen[1:]:
        region |= box
    if region.width < MIN_SIDE or region.height < MIN_SIDE:
        return None
    return region + (-4, -4, 4, 4)


def _with_labels(region: pymupdf.Rect, lines: list[Line], caption: Line, top: float) -> pymupdf.Rect:
    """Grow the region over text set just above or inside it: a figure's own titles and labels."""
    grown = pymupdf.Rect(region)
    for line in sorted(lines, key=lambda l: -l.y1):
        if line is caption or line.y1 > caption.y0 or line.y0 < top:
            continue
        overlaps = line.x0 < grown.x1 and line.x1 > grown.x0
        if overlaps and grown.y0 - 16 <= line.y1 and line.x0 >= grown.x0 - 60 and line.x1 <= grown.x1 + 60:
            grown |= pymupdf.Rect(line.x0, line.y0, line.x1, line.y1)
    return grown + (-2, -2, 2, 2)


def figures_of(path: Path) -> list[tuple[Figure, bytes]]:
    with PdfFile(path) as pdf:
        return extract_figures(pdf)


def read_figures(pdf: PdfFile) -> FigureSet:
    """The figures stage: each figure and table as a PNG, base64 so the cache stores it as JSON."""
    found = extract_figures(pdf)
    return FigureSet([f for f, _ in found], [base64.b64encode(png).decode("ascii") for _, png in found])
