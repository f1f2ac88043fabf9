"""Whisper's hallucinations, found and removed before a transcript is written.

On music, applause, noise or a long silence whisper loops: it repeats a phrase inside one window
("the the the ...", "we will we will we will"), emits the same line window after window ("Thank
you." x 12), or, when primed with a prompt, reads the prompt back or writes its terms into noise.
A student's notes should say each thing once, so: runs of a repeated word sequence collapse to one
copy, a run of prompt-term words whisper itself barely believes is cut, a run of one line said again
and again is kept once when whisper's own signals doubt it (the run compresses like a loop, or
whisper was unsure of the repeated words), a line that still compresses like a loop (whisper's
compression-ratio test, 2.4) is dropped, and so is a line that is mostly a stretch of the prompt.
A speaker who really says something twice ("It is not a reward model. It is not a reward model.")
keeps both: only a doubted run is a hallucination, and a line said again later is never one.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from ..models.talk import Segment
from .sentences import TimedWord, sentences

MAX_NGRAM = 12
MIN_REPEATS = 3            # a word sequence said 3 times in a row is a loop; twice can be emphasis
MIN_REPEATS_SINGLE = 4     # "no, no, no" is speech; four of one word in a row is not
MAX_COMPRESSION = 2.4      # whisper's compression_ratio_threshold
LOOP_CHARS = 40            # shorter text compresses too little to say anything about loops
REPEAT_P = 0.5             # a repeated line whose words average below this is whisper guessing
UNHEARD_RUN = 3            # ... this many words of one prompt term in a row, each below UNHEARD_P
UNHEARD_P = 0.05
PROMPT_RUN = 4             # this many words in a row from the prompt, making up most of a line: an echo
# How the hotwords are joined. Whisper writes in the style of its prompt. Terms given as short
# sentences ("Direct Preference Optimization. DPO. PPO.") made it write short sentences: half as
# long as those said, a full stop at every pause, and 5 points more word errors on the scripted talks;
# a comma list with no full stop made it write run-on text with commas for full stops ("..., So
# The Author's Also Run ..."). A comma list that ends with a full stop, its plain words in lower
# case (`vocabulary._in_lower_case`), keeps the speaker's sentences (BENCHMARKS.md, "The hotwords'
# punctuation").
TERM_SEPARATOR = ", "
TERM_END = "."


@dataclass(frozen=True)
class Cleaned:
    """The sentences of what was heard, and how much of whisper's output was taken out."""
    segments: list[Segment]
    collapsed_words: int    # repeats of a looping word sequence
    unheard_words: int      # hotwords written into noise
    dropped_lines: int      # repeated lines, loops, prompt echoes


def clean(words: list[TimedWord], prompt: str = "") -> Cleaned:
    words, collapsed = collapse_loops(words)
    words, unheard = drop_unheard_terms(words, prompt)
    segments, dropped = drop_repeated_lines(sentences(words), prompt)
    return Cleaned(segments, collapsed, unheard, dropped)


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def collapse_loops(words: list[TimedWord]) -> tuple[list[TimedWord], int]:
    """`words` with every run of one word sequence repeated back to back kept once."""
    keys = [" ".join(words_of(w.raw)) for w in words]
    out: list[int] = []
    i = 0
    removed = 0
    while i < len(words):
        skipped = False
        for n in range(1, MAX_NGRAM + 1):
            if i + n * 2 > len(words):
                break
            gram = keys[i:i + n]
            if not any(gram):
                continue
            repeats = 1
            while keys[i + repeats * n:i + (repeats + 1) * n] == gram:
                repeats += 1
            if repeats >= (MIN_REPEATS_SINGLE if n == 1 else MIN_REPEATS):
                out.extend(range(i, i + n))
                removed += (repeats - 1) * n
                i += repeats * n
                skipped = True
                break
        if not skipped:
            out.append(i)
            i += 1
    return [words[k] for k in out], removed


def joined_terms(terms: list[str]) -> str:
    """The hotwords as whisper is given them: one list of the terms, a comma within a term left out
    (so that `prompt_terms` reads the same terms back)."""
    return TERM_SEPARATOR.join(term.replace(TERM_SEPARATOR, " ") for term in terms) + TERM_END if terms else ""


def prompt_terms(prompt: str) -> list[str]:
    return [term.strip() for term in prompt.removesuffix(TERM_END).split(TERM_SEPARATOR) if term.strip()]


def drop_unheard_terms(words: list[TimedWord], prompt: str) -> tuple[list[TimedWord], int]:
    """Whisper primed with hotwords writes them into noise it cannot read: a radio log of an
    unrelated talk came out as "... come up with just about a time delay neural network" with each
    of those words below 0.03 probability. A run of UNHEARD_RUN or more words that spell part of
    one prompt term, every one that unlikely, is taken out. A single low word is left: a term
    truly said ("Direct" in "Direct Preference Optimization", 0.016) scores as low on its own."""
    terms = [words_of(term) for term in prompt_terms(prompt)]
    vocabulary = {word for term in terms for word in term}
    keys = [" ".join(words_of(w.raw)) for w in words]
    drop: set[int] = set()
    i = 0
    while i < len(words):
        best = 0
        if keys[i] not in vocabulary or words[i].probability >= UNHEARD_P:
            i += 1
            continue
        for term in terms:
            for origin in range(len(term)):
                length = 0
                while (i + length < len(words) and origin + length < len(term)
                       and keys[i + length] == term[origin + length] and words[i + length].probability < UNHEARD_P):
                    length += 1
                best = max(best, length)
        if best >= UNHEARD_RUN:
            drop.update(range(i, i + best))
            i += best
        else:
            i += 1
    return [w for k, w in enumerate(words) if k not in drop], len(drop)


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def line_key(line: str) -> str:
    return " ".join(words_of(line))


def looks_like_loop(text: str) -> bool:
    return len(text) > LOOP_CHARS and compression_ratio(text) > MAX_COMPRESSION


def echoes_prompt(line: str, prompt: str) -> bool:
    """Most of `line` is the prompt read back: stretches of at least PROMPT_RUN words that run on
    from one prompt term into the next ("DPO, PPO, Bradley-Terry"). A speaker saying one term,
    even a long one such as the paper's title, is not an echo."""
    words = words_of(line)
    sequence = [(word, k) for k, term in enumerate(prompt_terms(prompt)) for word in words_of(term)]
    if len(words) < PROMPT_RUN or not sequence:
        return False
    origins: dict[str, list[int]] = {}
    for k, (word, _) in enumerate(sequence):
        origins.setdefault(word, []).append(k)
    covered = [False] * len(words)
    for start in range(len(words)):
        for origin in origins.get(words[start], ()):
            length = 0
            while (start + length < len(words) and origin + length < len(sequence)
                   and words[start + length] == sequence[origin + length][0]):
                length += 1
            terms = {k for _, k in sequence[origin:origin + length]}
            if length >= PROMPT_RUN and len(terms) >= 2:
                for k in range(start, start + length):
                    covered[k] = True
    return sum(covered) >= 0.6 * len(words)


def drop_repeated_lines(segments: list[Segment], prompt: str = "") -> tuple[list[Segment], int]:
    echoed = _echo_runs(segments, prompt)
    kept: list[Segment] = []
    dropped = len(echoed)
    for run in _runs([s for i, s in enumerate(segments) if i not in echoed]):
        if len(run) > 1 and _doubted(run):
            dropped += len(run) - 1
            run = run[:1]
        for segment in run:
            if looks_like_loop(segment.text) or echoes_prompt(segment.text, prompt):
                dropped += 1
                continue
            kept.append(segment)
    return kept, dropped


def _echo_runs(segments: list[Segment], prompt: str) -> set[int]:
    """Lines that read the prompt back a term or two at a time ("DPO." "PPO." "Bradley-Terry."):
    back-to-back lines made only of prompt words that, joined, echo the prompt."""
    vocabulary = {word for term in prompt_terms(prompt) for word in words_of(term)}
    if not vocabulary:
        return set()
    found: set[int] = set()
    run: list[int] = []
    for i, segment in enumerate(segments + [Segment(0.0, 0.0, "", [])]):
        words = words_of(segment.text)
        if words and all(word in vocabulary for word in words):
            run.append(i)
            continue
        if len(run) >= 2 and echoes_prompt(" ".join(segments[k].text for k in run), prompt):
            found.update(run)
        run = []
    return found


def _runs(segments: list[Segment]) -> list[list[Segment]]:
    """Back-to-back lines with the same words, each run in a list."""
    runs: list[list[Segment]] = []
    for segment in segments:
        key = line_key(segment.text)
        if runs and key and line_key(runs[-1][0].text) == key:
            runs[-1].append(segment)
        else:
            runs.append([segment])
    return runs


def _doubted(run: list[Segment]) -> bool:
    """Whisper's signals on a run of one line: together they compress like a loop, or the words of
    the repeats are ones whisper was unsure of."""
    repeats = [w.probability for segment in run[1:] for w in segment.words]
    unsure = bool(repeats) and sum(repeats) / len(repeats) < REPEAT_P
    return unsure or looks_like_loop(" ".join(segment.text for segment in run))


def repeated_lines(segments: list[Segment]) -> int:
    """Lines that repeat the line before them in a run whisper's signals doubt: what a clean
    transcript has none of."""
    return sum(len(run) - 1 for run in _runs(segments) if len(run) > 1 and _doubted(run))
