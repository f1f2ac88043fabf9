"""Talk <-> paper alignment: which section each chapter explains, and what the talk adds.

Both rest on cosine similarity of sentence embeddings (unit vectors, so a dot product).
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..models import Chapter, ChapterAlignment, Passage, Segment, Supplement

TOP_PASSAGES = 3
# A talk sentence whose closest paper sentence scores below this is something the talk adds.
SUPPLEMENT_THRESHOLD = 0.45
MIN_SUPPLEMENT_WORDS = 6


def align_chapters(chapters: list[Chapter], segments: list[Segment], segment_vectors: np.ndarray,
                   passages: list[Passage], passage_vectors: np.ndarray) -> list[ChapterAlignment]:
    if not passages or not chapters:
        return []
    sections: dict[str, list[int]] = defaultdict(list)
    for i, passage in enumerate(passages):
        sections[passage.section].append(i)
    alignments = []
    for chapter in chapters:
        members = [i for i, s in enumerate(segments) if chapter.start_s <= s.start_s < chapter.end_s]
        if not members:
            continue
        centre = segment_vectors[members].mean(axis=0)
        centre /= np.linalg.norm(centre) + 1e-9
        scores = passage_vectors @ centre
        best_section, best_score = None, -1.0
        for section, idx in sections.items():
            top = np.sort(scores[idx])[::-1][:TOP_PASSAGES]
            score = float(top.mean())
            if score > best_score:
                best_section, best_score = section, score
        idx = sections[best_section]
        best_passage = passages[idx[int(np.argmax(scores[idx]))]]
        alignments.append(ChapterAlignment(chapter.index, best_section, best_passage.page_no, round(best_score, 3)))
    return alignments


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
