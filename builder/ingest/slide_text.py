"""What a slide says: OCR of its picture (RapidOCR with the PP-OCRv6 models its wheel ships) and
the title picked from the lines read: the large type at the top."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from PIL import Image

DETECT_SIDE = 960


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: tuple[float, float, float, float]   # x0, y0, x1, y1 in pixels of the image read
    score: float


@dataclass(frozen=True)
class OcrRead:
    """What OCR read on one picture: the record the build caches per slide picture."""
    lines: list[OcrLine]


# --- the text ------------------------------------------------------------------------------------

# The title is in the upper part of the slide; a title slide centres it, a little above the middle.
TITLE_ZONE = 0.6
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}(\s*/\s*\d{1,3})?\s*$")
_BULLET = re.compile(r"^[\s•·▪‣◦●○■□\-–*>]+")


def title_and_body(lines: list[OcrLine], height: float) -> tuple[str, str]:
    """The title is the tallest type in the upper part of the slide (with the lines right under it in
    the same size, a title over two lines); the body is every other line in reading order, page
    numbers and bullet marks left out."""
    lines = [ln for ln in lines if ln.text.strip() and not _PAGE_NUMBER.match(ln.text)]
    if not lines:
        return "", ""
    rows = _rows(lines)
    top = [r for r in rows if _centre(r) < TITLE_ZONE * height]
    title_rows: list[list[OcrLine]] = []
    if top:
        tallest = max(_height(r) for r in top)
        first = next(r for r in top if _height(r) >= 0.8 * tallest)
        title_rows = [first]
        for row in rows[rows.index(first) + 1:]:
            gap = _top(row) - _bottom(title_rows[-1])
            if _height(row) >= 0.8 * tallest and gap < 0.8 * tallest and _centre(row) < TITLE_ZONE * height:
                title_rows.append(row)
            else:
                break
    title = " ".join(_row_text(r) for r in title_rows)
    body = [_BULLET.sub("", _row_text(r)).strip() for r in rows if r not in title_rows]
    return clean_text(title), "\n".join(clean_text(b) for b in body if b.strip())


def _rows(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """OCR boxes on one line of the slide (a title cut in two pieces) joined left to right."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        centre = (line.box[1] + line.box[3]) / 2
        if rows and abs(centre - _centre(rows[-1])) < 0.4 * min(_height(rows[-1]), line.box[3] - line.box[1]):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(r, key=lambda ln: ln.box[0]) for r in rows]


def _height(row: list[OcrLine]) -> float:
    return max(ln.box[3] - ln.box[1] for ln in row)


def _top(row: list[OcrLine]) -> float:
    return min(ln.box[1] for ln in row)


def _bottom(row: list[OcrLine]) -> float:
    return max(ln.box[3] for ln in row)


def _centre(row: list[OcrLine]) -> float:
    return (_top(row) + _bottom(row)) / 2


def _row_text(row: list[OcrLine]) -> str:
    text = ""
    for line in row:
        piece = line.text.strip()
        glue = "" if not text or (_is_cjk(text[-1]) and _is_cjk(piece[:1] or " ")) else " "
        text += glue + piece
    return text


def clean_text(text: str) -> str:
    """One line, normal spaces, no space between Chinese characters (OCR puts some there)."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


def same_text(a: str, b: str) -> bool:
    """Equal up to case, runs of spaces and full-width forms: how a reader compares two titles
    (a lost space between two words is a difference: "Howthelossisderived" is not the title)."""
    def key(s: str) -> str:
        return clean_text(s).casefold()
    return bool(a.strip()) and key(a) == key(b)


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"


# --- OCR -----------------------------------------------------------------------------------------

_ENGINE = None


def default_ocr():
    """RapidOCR with the PP-OCRv6 models its wheel ships (nothing downloaded), loaded once.
    Chosen by benchmarks/slide_ocr.py: it reads English and Chinese slide titles exactly, spaces
    included, where Tesseract misses Chinese titles and the PP-OCRv4 wheel drops English spaces."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = RapidOcr()
    return _ENGINE


class RapidOcr:
    name = "RapidOCR (PP-OCRv6)"

    def __init__(self):
        import logging
        from rapidocr import RapidOCR
        # Slides are upright (no angle classifier), and their type is large: finding the text lines
        # on a 960-pixel picture is three times faster than at the default size and misses none.
        self._engine = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False,
                                        "Det.limit_type": "max", "Det.limit_side_len": DETECT_SIDE})
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)

    def __call__(self, image: Image.Image) -> list[OcrLine]:
        try:
            result = self._engine(np.asarray(image.convert("RGB"))[:, :, ::-1])
        except (ValueError, RuntimeError, IndexError, TypeError):
            return []  # a picture the models cannot take (a few pixels high): no text on it
        if result.txts is None:
            return []
        return [OcrLine(text, _box(box), float(score)) for box, text, score in zip(result.boxes, result.txts, result.scores)]


def _box(points) -> tuple[float, float, float, float]:
    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return (min(xs), min(ys), max(xs), max(ys))
