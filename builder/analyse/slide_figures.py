"""Slides that show one of the paper's figures: "the slide at 02:05 shows Figure 2".

A speaker pastes a figure into a slide scaled, somewhere below the title, on the slide's own
background. So each figure is looked for in each slide picture by normalised cross-correlation
over a range of sizes (OpenCV's matchTemplate), in grey at a small size, which brightness,
colour shifts and video compression barely move. A figure counts as shown when the match is
close (MIN_SCORE); unrelated plots correlate far less, since the lines and labels fall elsewhere.
"""
from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

from ..ingest.slides import SlideTrack
from ..models.analysis import SlideFigure
from ..models.paper import Figure

# Coarse: every figure at sizes 6% apart on a small, blurred picture (thin plot lines then still
# line up at a size a few percent off); fine: the promising ones at 1% steps around their best
# size on a larger, sharper one. Measured (benchmarks/slide_figures.py): the figure shown scores
# 0.76-0.97, the paper's other figures at most about 0.6.
COARSE_WIDTH, FINE_WIDTH = 200, 240
COARSE_SHARES = tuple(0.12 * 1.06 ** k for k in range(36))   # 0.12 .. 0.92 of the slide's width
FINE_STEPS = tuple(1.0 + 0.01 * k for k in range(-4, 5))
COARSE_BLUR, FINE_BLUR = 0.8, 0.6
PROMISING = 0.65
MIN_SCORE = 0.8
MIN_TEMPLATE_SIDE = 10
# A slide all one colour (its background) with a word or two shows no figure: not searched.
MIN_PICTURE_SHARE = 0.01


def figures_on_slides(track: SlideTrack, figures: list[Figure], pngs: list[bytes]) -> list[SlideFigure]:
    """For each slide, the paper figure it shows best, when it shows one."""
    import cv2

    if not track.slides or not figures:
        return []
    templates = [_grey(Image.open(io.BytesIO(png))) for png in pngs]
    found: list[SlideFigure] = []
    for slide in track.slides:
        if not slide.jpeg_base64:
            continue
        picture = _grey(Image.open(io.BytesIO(base64.b64decode(slide.jpeg_base64))))
        if _picture_share(picture) < MIN_PICTURE_SHARE:
            continue
        coarse = _sized(cv2, picture, COARSE_WIDTH, COARSE_BLUR)
        fine = _sized(cv2, picture, FINE_WIDTH, FINE_BLUR)
        best = (0.0, None)
        for figure, template in zip(figures, templates):
            score, share = _best_match(cv2, coarse, template, COARSE_SHARES, COARSE_BLUR)
            if score < PROMISING:
                continue
            score, _ = _best_match(cv2, fine, template, tuple(share * step for step in FINE_STEPS), FINE_BLUR)
            if score > best[0]:
                best = (score, figure)
        score, figure = best
        if figure is not None and score >= MIN_SCORE:
            found.append(SlideFigure(slide.start_s, figure.label, figure.image, figure.page_no, round(score, 3)))
    return found


def _sized(cv2, picture: np.ndarray, width: int, blur: float) -> np.ndarray:
    height = round(picture.shape[0] * width / picture.shape[1])
    small = cv2.resize(picture, (width, height), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(small, (0, 0), blur)


def _best_match(cv2, picture: np.ndarray, template: np.ndarray, shares, blur: float) -> tuple[float, float]:
    """(best normalised correlation, at which share of the picture's width)."""
    best = (0.0, shares[0])
    for share in shares:
        width = round(picture.shape[1] * share)
        height = round(template.shape[0] * width / template.shape[1])
        if min(width, height) < MIN_TEMPLATE_SIDE or height > picture.shape[0] or width > picture.shape[1]:
            continue
        scaled = cv2.GaussianBlur(cv2.resize(template, (width, height), interpolation=cv2.INTER_AREA), (0, 0), blur)
        if float(scaled.std()) < 1.0:
            continue  # a blank template matches anything flat
        score = float(np.nanmax(cv2.matchTemplate(picture, scaled, cv2.TM_CCOEFF_NORMED)))
        if score > best[0]:
            best = (score, share)
    return best


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float32)


def _picture_share(picture: np.ndarray) -> float:
    """Share of pixels far from the slide's dominant grey (its background)."""
    counts, edges = np.histogram(picture, bins=32, range=(0, 256))
    k = int(np.argmax(counts))
    background = (edges[k] + edges[k + 1]) / 2
    return float((np.abs(picture - background) > 30).mean())
