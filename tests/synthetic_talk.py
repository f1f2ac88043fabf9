"""A talk made from a paper's own sections read aloud in shuffled order, as transcript segments.

No audio: each sentence becomes one segment timed at a speaking rate of 2.5 words per second, as
faster-whisper would return it for a clear reading. The source section of every segment is kept,
so chapter splitting and alignment can be scored against the truth."""
from __future__ import annotations

import random
from collections import OrderedDict

from builder.models import Paper, Segment

WORDS_PER_S = 2.5
PAUSE_S = 0.4
SKIP = ("abstract", "references", "acknowledg", "author contributions")


def sections_read_aloud(paper: Paper, seed: int, sections: int = 9, min_sentences: int = 5,
                        max_sentences: int = 14) -> tuple[list[Segment], list[str], float]:
    """(segments, source section of each segment, duration in seconds)."""
    by_section: OrderedDict[str, list[str]] = OrderedDict()
    for passage in paper.passages:
        if passage.section and not any(k in passage.section.lower() for k in SKIP):
            by_section.setdefault(passage.section, []).append(passage.text)
    readable = [(name, texts[:max_sentences]) for name, texts in by_section.items() if len(texts) >= min_sentences]
    rng = random.Random(seed)
    chosen = rng.sample(readable, min(sections, len(readable)))
    segments, truth, t = [], [], 0.0
    for name, texts in chosen:
        for text in texts:
            length = len(text.split()) / WORDS_PER_S
            segments.append(Segment(round(t, 2), round(t + length, 2), text, []))
            truth.append(name)
            t += length + PAUSE_S
    return segments, truth, round(t, 2)
