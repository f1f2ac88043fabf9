"""Titles and venue names printed in capitals, given back their case.

A title set in capitals (or small capitals an OCR layer reads as capitals) reads badly in a report.
The paper itself is the best evidence of its own casing: a running header that repeats the title, or
how the body spells each word ("LLaMA", "IEEE"). Only where the paper says nothing is a word given
title case by rule.
"""
from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)
# Words a title leaves in lower case unless they open it or follow a colon.
_MINOR = frozenset("a an and as at but by for from in into nor of on onto or over per the to upon via vs with".split())


def is_capitals(text: str, min_words: int = 2) -> bool:
    """True for text whose letters are all capitals, with at least `min_words` words of 3+ letters
    (a lone "BERT" is a name, not a title set in capitals)."""
    words = [w for w in _WORD.findall(text) if len(w) >= 3]
    return len(words) >= min_words and text.upper() == text


def spellings(texts: list[str]) -> dict[str, str]:
    """How running text spells each word, keyed by its lower case: the most common spelling that is
    not plain lower case or a capitalised sentence start, from lines that are not set in capitals."""
    counts: dict[str, Counter] = {}
    for text in texts:
        if is_capitals(text):
            continue
        for word in _WORD.findall(text):
            if word.islower() or (word[0].isupper() and word[1:].islower()) or len(word) < 2:
                counts.setdefault(word.lower(), Counter())["plain"] += 1
            else:
                counts.setdefault(word.lower(), Counter())[word] += 1
    out = {}
    for key, counter in counts.items():
        spelling, count = counter.most_common(1)[0]
        if spelling != "plain" and count >= 1:
            out[key] = spelling
    return out


def restore_case(text: str, known: dict[str, str], copies: list[str] = (), min_words: int = 2) -> str:
    """`text` in capitals, cased as the paper prints it elsewhere (`copies`: other lines, such as running
    headers, that may repeat it), else word by word from `known` spellings, else in title case."""
    if not is_capitals(text, min_words):
        return text
    squash = lambda s: re.sub(r"\W+", " ", s).strip().casefold()
    for copy in copies:
        if squash(copy) == squash(text) and not is_capitals(copy):
            return " ".join(copy.split())
    out = []
    start = True
    for token in re.split(r"(\s+)", text):
        if not token.strip():
            out.append(token)
            continue
        out.append(_case_token(token, known, start))
        start = token.endswith((":", "—", "–"))
    return "".join(out)


def _case_token(token: str, known: dict[str, str], start: bool) -> str:
    parts = re.split(r"([-/])", token)
    cased = []
    for i, part in enumerate(parts):
        match = _WORD.search(part)
        if not match:
            cased.append(part)
            continue
        word = match.group(0)
        key = word.lower()
        if key in known:
            new = known[key]
        elif key in _MINOR and not start and i == 0:
            new = key
        else:
            new = word[0] + word[1:].lower()
        cased.append(part[: match.start()] + new + part[match.end():])
    return "".join(cased)
