"""Does the talk's speech fit the model's language? One warning line when it probably does not.

A multilingual model detects the language itself. An English-only model (tiny.en, the default)
cannot: it writes foreign speech down as made-up English words ("Sionstatai", "angushrank").
Those are words its own tokenizer has to spell in three or more pieces, which real English
speech rarely needs (0-4% of words in the real and synthetic English speech here, 43% in the
German half of multilingual.mp3). A heuristic: a talk dense with rare jargon could trip it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

MADE_UP_PIECES = 3         # tokenizer pieces from which a word counts as made up
MADE_UP_SHARE = 0.25       # share of made-up words that marks a stretch of speech as foreign
MIN_WORDS = 8
FOREIGN_SHARE = 0.2        # share of the speech time that must look foreign before we warn
MODEL_ADVICE = ("use a multilingual model: leave --whisper-model out (the packaged base), or give "
                "--whisper-model small, or whisper_model: in pair.yml")
ADVICE = f"set `language:` in pair.yml and {MODEL_ADVICE}"


@dataclass
class Heard:
    """What the recogniser reports about language: detected code, probability, foreign stretches."""
    language: str
    probability: float
    multilingual_model: bool
    speech_s: float
    foreign_spans: list[tuple[float, float]]


def is_english(code: str | None) -> bool:
    code = (code or "").lower()
    return code in ("en", "english") or code.startswith("en-")


def cannot_write(model_label: str, language: str, stated: bool) -> str:
    """The one line said when an English-only model is asked to write another language: the talk
    gets no transcript, rather than English made up from speech the model cannot understand."""
    if language:
        why = f"pair.yml says the talk is in '{language}'" if stated else f"the talk sounds like '{language}'"
    else:
        why = "the talk does not sound like English"
    return (f"{why} but {model_label} understands English only, so no transcript, subtitles, chapters or "
            f"supplements are published for it ({MODEL_ADVICE})")


def foreign_spans(pieces: list, token_count: Callable[[str], int]) -> list[tuple[float, float]]:
    """(start, end) of whisper segments that read as made-up English."""
    spans = []
    for piece in pieces:
        words = [re.sub(r"[^\w'-]", "", w.word.strip()) for w in (piece.words or [])]
        words = [w for w in words if len(w) >= 3]
        if len(words) < MIN_WORDS:
            continue
        made_up = sum(token_count(" " + w) >= MADE_UP_PIECES for w in words)
        if made_up / len(words) >= MADE_UP_SHARE:
            spans.append((float(piece.start), float(piece.end)))
    return spans


def language_warnings(heard: Heard, wanted: str | None, model_label: str) -> list[str]:
    wanted_code = (wanted or "").lower()
    if not heard.multilingual_model:
        if wanted_code and not is_english(wanted_code):
            return [cannot_write(model_label, wanted, stated=True)]
        foreign_s = sum(end - start for start, end in heard.foreign_spans)
        if heard.speech_s and foreign_s / heard.speech_s >= FOREIGN_SHARE:
            first = int(heard.foreign_spans[0][0])
            return [f"{foreign_s / heard.speech_s:.0%} of the speech (from {first // 60:02d}:{first % 60:02d}) does not "
                    f"sound like English to the English-only model {model_label}, so those lines are left out of the "
                    f"transcript (if the talk is in another language, {ADVICE})"]
        return []
    if wanted_code and heard.language and heard.language != wanted_code and heard.probability >= 0.8:
        return [f"pair.yml says the talk is in '{wanted}' but {model_label} hears '{heard.language}' "
                f"(probability {heard.probability:.2f}); it was transcribed as '{wanted}'"]
    return []
