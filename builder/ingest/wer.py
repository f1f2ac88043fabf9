"""Word error rate of a transcript against a reference, shared by the tests and the benchmark.

Both texts are normalised the same way first (lowercase, no punctuation, digits spelled out as
words), so "2 GPUs," and "two GPUs" count as the same words: WER should measure what was heard,
not how the model chose to write it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand"), (100, "hundred"))


def number_words(n: int) -> str:
    """0 <= n < 10**12 as English words, without "and" (both spellings then normalise alike)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")
    for scale, name in _SCALES:
        if n >= scale:
            high, rest = divmod(n, scale)
            return f"{number_words(high)} {name}" + (f" {number_words(rest)}" if rest else "")
    raise ValueError(n)


def _spell_number(match: re.Match) -> str:
    digits = match.group(0).replace(",", "")
    if "." in digits:
        whole, _, fraction = digits.partition(".")
        return f" {number_words(int(whole))} point {' '.join(_ONES[int(d)] for d in fraction)} "
    if len(digits) == 4 and 1100 <= int(digits) <= 2099 and int(digits) % 100 != 0 and not digits.startswith("20"):
        return f" {number_words(int(digits[:2]))} {number_words(int(digits[2:]))} "  # a year: 1984
    return f" {number_words(int(digits))} " if len(digits) < 13 else f" {' '.join(_ONES[int(d)] for d in digits)} "


def normalise(text: str) -> list[str]:
    """The words of `text` as compared: lowercase, accents kept, punctuation and hyphens gone."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("%", " percent ").replace("&", " and ")
    text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text)
    text = re.sub(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", _spell_number, text)
    text = re.sub(r"['’](?=\w)", "", text)          # don't -> dont, on both sides alike
    return re.findall(r"\w+", text)


@dataclass(frozen=True)
class WordErrors:
    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        return self.errors / self.reference_words if self.reference_words else float(self.errors > 0)

    def __add__(self, other: "WordErrors") -> "WordErrors":
        return WordErrors(self.substitutions + other.substitutions, self.deletions + other.deletions,
                          self.insertions + other.insertions, self.reference_words + other.reference_words)


def word_errors(reference: str, hypothesis: str, hypothesis_prefix: bool = False) -> WordErrors:
    """Levenshtein alignment of the normalised word sequences.

    With `hypothesis_prefix`, the reference is matched against the best-fitting start of the
    hypothesis and the rest is ignored: for a recording whose reference covers only its first
    part (multilingual.mp3 has an English reference for its English half)."""
    return _align(normalise(reference), normalise(hypothesis), hypothesis_prefix)


def _align(ref: list[str], hyp: list[str], hypothesis_prefix: bool = False) -> WordErrors:
    # Each cell: (errors, substitutions, deletions, insertions); row i = first i reference words.
    previous = [(j, 0, 0, j) for j in range(len(hyp) + 1)]
    for i, ref_word in enumerate(ref, start=1):
        current = [(i, 0, i, 0)]
        for j, hyp_word in enumerate(hyp, start=1):
            diag = previous[j - 1]
            same = ref_word == hyp_word
            options = [
                (diag[0] + (not same), diag[1] + (not same), diag[2], diag[3]),
                (previous[j][0] + 1, previous[j][1], previous[j][2] + 1, previous[j][3]),
                (current[j - 1][0] + 1, current[j - 1][1], current[j - 1][2], current[j - 1][3] + 1),
            ]
            current.append(min(options))
        previous = current
    best = min(previous) if hypothesis_prefix else previous[-1]
    return WordErrors(best[1], best[2], best[3], len(ref))


def word_error_rate(reference: str, hypothesis: str, hypothesis_prefix: bool = False) -> float:
    return word_errors(reference, hypothesis, hypothesis_prefix).rate


_CHINESE_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


def character_errors(reference: str, hypothesis: str) -> WordErrors:
    """Character errors for Chinese (CER: Chinese has no spaces, so characters are the units):
    punctuation and spaces dropped, Arabic digits read as Chinese numerals (5 -> 五), Latin
    letters lower-cased; Latin words count as one unit each."""
    def units(text: str) -> list[str]:
        text = text.lower().translate(_CHINESE_DIGITS)
        return re.findall(r"[a-z]+|[\u3400-\u4dbf\u4e00-\u9fff〇]", text)
    return _align(units(reference), units(hypothesis))
