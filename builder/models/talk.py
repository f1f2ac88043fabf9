"""What the talk stage hears: timed sentences with their words."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    start_s: float
    end_s: float
    text: str
    probability: float = 1.0   # whisper's confidence in the word: low on garbled speech (supplement filter)


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    text: str
    words: list[Word]


@dataclass(frozen=True)
class Transcript:
    file_name: str
    duration_s: float
    language: str
    model: str
    segments: list[Segment]
    warnings: list[str] = field(default_factory=list)   # e.g. speech that may not be the model's language
    # why there are no segments although the talk has speech: the model cannot write its language
    # (an English-only model on a Chinese talk), so nothing it made up is published
    withheld: str = ""
