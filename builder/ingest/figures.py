"""Figures: each "Figure N:" caption with the picture above it, rendered to a PNG.

Papers draw figures as embedded images or as vector graphics; both are found as boxes on the
page, and the area between the caption and the text above it is rendered, so either kind works.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from ..models import Figure
from .paper_meta import join_lines
from .pdf_layout import Line, read_pages

FIGURE_CAPTION = re.compile(r"^(?P<label>(?:Figure|Fig\.)\s*(?P<n>\d+))\s*[:.|]\s*(?P<text>.*)$")
MIN_SIDE = 30.0
RENDER_DPI = 110
MAX_FIGURES = 60


@dataclass
class FigureSet:
    figures: list[Figure]
    png_base64: list[str]


def extract_figures(doc: pymupdf.Document) -> list[tuple[Figure, bytes]]:
    pages = read_pages(doc)
    found: list[tuple[Figure, bytes]] = []
    seen: set[str] = set()
    for page_lines in pages:
        captions = [(i, l) for i, l in enumerate(page_lines.lines) if FIGURE_CAPTION.match(l.plain)]
        if not captions:
            continue
        page = doc[page_lines.page_no - 1]
        boxes = [pymupdf.Rect(info["bbox"]) for info in page.get_image_info()]
        try:
            boxes += list(page.cluster_drawings())
        except (RuntimeError, ValueError):
            pass
        boxes = [b for b in boxes if b.width >= 4 and b.height >= 4]
        previous_bottom = 0.0
        for index, caption in captions:
            match = FIGURE_CAPTION.match(caption.plain)
            label = f"Figure {match['n']}"
            text = _caption_text(page_lines.lines, index)
            region = _figure_region(boxes, caption, page_lines.width, page_lines.height, previous_bottom)
            if region is not None:
                region = _with_labels(region, page_lines.lines, caption, previous_bottom)
            previous_bottom = caption.y1
            if label in seen or region is None:
                continue
            seen.add(label)
            png = page.get_pixmap(clip=region, dpi=RENDER_DPI).tobytes("png")
            found.append((Figure(label=label, caption=text, page_no=page_lines.page_no,
                                 image=f"assets/figure-{match['n']}.png"), png))
            if len(found) >= MAX_FIGURES:
                return found
    return found


def _caption_text(lines: list[Line], index: int) -> str:
    caption = lines[index]
    parts = [caption.plain]
    for line in lines[index + 1:]:
        if line.block != caption.block or line.page_no != caption.page_no:
            break
        parts.append(line.plain)
    return join_lines(parts)


def _figure_region(boxes: list[pymupdf.Rect], caption: Line, page_width: float, page_height: float,
                   top: float) -> pymupdf.Rect | None:
    """The union of graphics above the caption, in the caption's column, below the last caption."""
    centre = (caption.x0 + caption.x1) / 2
    wide = caption.x1 - caption.x0 > 0.55 * page_width or abs(centre - page_width / 2) < 0.08 * page_width
    left, right = (0.0, page_width) if wide else (
        (0.0, page_width / 2 + 10) if caption.x1 <= page_width / 2 + 10 else (page_width / 2 - 10, page_width))
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
    from .paper import open_pdf
    with open_pdf(path) as doc:
        return extract_figures(doc)
