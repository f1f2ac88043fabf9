"""Talk <-> paper alignment: which section each chapter explains, and what the talk adds.

Both rest on cosine similarity of sentence embeddings (unit vectors, so a dot product).
"""
from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from ..models.analysis import Chapter, ChapterAlignment, Supplement
from ..models.paper import Passage
from ..models.talk import Segment

# A talk sentence whose closest paper sentence scores below this is something the talk adds
# (benchmarks/supplement_threshold.py: best balanced accuracy, see BENCHMARKS.md).
SUPPLEMENT_THRESHOLD = 0.52
MIN_SUPPLEMENT_WORDS = 6
# Below this fit a chapter explains no section: it is about something the paper does not cover.
MIN_ALIGNMENT_SCORE = 0.4


def align_chapters(chapters: list[Chapter], segments: list[Segment], segment_vectors: np.ndarray,
                   passages: list[Passage], passage_vectors: np.ndarray) -> list[ChapterAlignment]:
    """Each chapter's paper section, by two votes averaged: how close the section's mean sentence
    vector is to the chapter's (robust when the talk uses its own words), and how well the
    chapter's sentences each find a close sentence in the section (robust when a chapter runs a
    little into the next topic). BENCHMARKS.md has the numbers. The page is where most of the
    chapter's sentences find their closest sentence of that section."""
    if not passages or not chapters:
        return []
    sections: dict[str, list[int]] = defaultdict(list)
    for i, passage in enumerate(passages):
        sections[passage.section].append(i)
    names = list(sections)
    centroids = np.stack([_unit(passage_vectors[sections[name]].mean(axis=0)) for name in names])
    alignments = []
    for chapter in chapters:
        members = [i for i, s in enumerate(segments) if chapter.start_s <= s.start_s < chapter.end_s]
        if not members:
            continue
        scores = segment_vectors[members] @ passage_vectors.T
        nearest = np.stack([scores[:, sections[name]].max(axis=1) for name in names], axis=1).mean(axis=0)
        fit = (centroids @ _unit(segment_vectors[members].mean(axis=0)) + nearest) / 2
        best = int(np.argmax(fit))
        idx = sections[names[best]]
        closest = np.argmax(segment_vectors[members] @ passage_vectors[idx].T, axis=1)
        pages = Counter(passages[idx[j]].page_no for j in closest)
        page = min(pages, key=lambda p: (-pages[p], p))
        if fit[best] >= MIN_ALIGNMENT_SCORE:
            alignments.append(ChapterAlignment(chapter.index, names[best], page, round(float(fit[best]), 3)))
    return alignments


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector) + 1e-9)


def find_supplements(chapters: list[Chapter], segments: list[Segment], segment_vectors: np.ndarray,
                     passage_vectors: np.ndarray) -> list[Supplement]:
    if len(passage_vectors) == 0:
        return []
    best = (segment_vectors @ passage_vectors.T).max(axis=1)
    out = []
    for i, segment in enumerate(segments):
        if len(segment.text.split()) < MIN_SUPPLEMENT_WORDS or best[i] >= SUPPLEMENT_THRESHOLD:
            continue
        chapter = next((c.index for c in chapters if c.start_s <= segment.start_s < c.end_s), chapters[-1].index)
        out.append(Supplement(chapter, segment.start_s, segment.text, round(float(best[i]), 3)))
    return out
