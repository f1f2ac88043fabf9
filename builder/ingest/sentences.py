"""Transcript segments as sentences, cut from whisper's timed words.

Whisper's own segments end where its windows or pauses fall (the batched pipeline gives one per
voice-activity chunk, up to 30 s), often mid-sentence; key points, chapter summaries and
subtitles read better as whole sentences, so the timed words are cut again: after a full stop,
question or exclamation mark, at a long pause, and (failing those) at a comma or the widest gap
once a sentence runs past MAX_SENTENCE_S.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models.talk import Segment, Word

PAUSE_S = 1.5
MAX_SENTENCE_S = 20.0
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:，；：、][\"'”’)\]]*$")


@dataclass
class TimedWord:
    """A word as whisper spells it, leading space included (so Chinese words join without one)."""
    start_s: float
    end_s: float
    raw: str
    probability: float


def sentences(words: list[TimedWord]) -> list[Segment]:
    segments: list[Segment] = []
    current: list[TimedWord] = []
    for word in words:
        if current and word.start_s - current[-1].end_s >= PAUSE_S:
            segments += _close(current)
            current = []
        current.append(word)
        if _SENTENCE_END.search(word.raw.strip()):
            segments += _close(current)
            current = []
    return segments + _close(current)


def _close(words: list[TimedWord]) -> list[Segment]:
    """The segment(s) of one sentence, split at commas or the widest gaps while too long."""
    if not words:
        return []
    if words[-1].end_s - words[0].start_s <= MAX_SENTENCE_S or len(words) < 4:
        text = "".join(w.raw for w in words).strip()
        if not text:
            return []
        return [Segment(words[0].start_s, words[-1].end_s, text,
                        [Word(w.start_s, w.end_s, w.raw.strip(), w.probability) for w in words if w.raw.strip()])]
    span = words[-1].end_s - words[0].start_s
    middle = words[0].start_s + span / 2

    def cut_score(i: int) -> tuple:
        # prefer a clause end, then a wide gap, then the cut nearest the middle
        gap = words[i + 1].start_s - words[i].end_s
        return (bool(_CLAUSE_END.search(words[i].raw.strip())), round(gap, 1), -abs(words[i].end_s - middle))
    candidates = range(1, len(words) - 2)
    central = [i for i in candidates if abs(words[i].end_s - middle) <= span / 4] or list(candidates)
    cut = max(central, key=cut_score)
    return _close(words[:cut + 1]) + _close(words[cut + 1:])
