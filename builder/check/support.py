"""Is a cited sentence supported by what it cites? Evidence per anchor, and the support test.

A page anchor's evidence is that page: the paper's sentences printed on it plus the page's raw
text (captions, table text and metadata lines are not passages). A talk-time anchor's evidence is
the transcript cues from that moment on for `TALK_WINDOW_S`. A sentence is supported when

- every number in it appears in its evidence,
- its content words are mostly found in its evidence (`MIN_OVERLAP`), and
- its embedding is close to one evidence sentence (`MIN_SIMILARITY`).

The two thresholds were measured on the real papers (`benchmarks/support_threshold.py`,
BENCHMARKS.md): true citations against the same sentences cited to a wrong page or to another
paper. MiniLM is an English model, so a sentence in Chinese is judged on its numbers and key terms
only (Latin-script terms and glossary terms, which the glossary maps from Chinese to English).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..models.glossary import GlossaryTerm
from ..models.paper import Passage
from ..models.talk import Segment

MIN_SIMILARITY = 0.60
MIN_OVERLAP = 0.70
MIN_SIMILARITY_ACROSS = 0.45   # a Chinese claim and an English sentence, USE Multilingual (benchmarks/zh_support.py)
TALK_WINDOW_S = 20.0
CANDIDATES = 6      # evidence sentences per claim sentence worth embedding: those sharing most words
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[]?[A-Z0-9])")
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:[.,]\d+)*")  # "了9.4%": CJK letters are \w too
_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_STOPWORDS = frozenset("""
a about above after again against all also although am an and any are as at be because been before being
below between both but by can could did do does doing down during each either else even ever every few for
from further had has have having he her here hers him his how however i if in into is it its itself just
let may me might more most much must my neither no nor not now of off often on once one only or other our
ours out over own per rather same she should since so some such than that the their theirs them then there
these they this those though through thus to too under until up upon us very via was we were what when where
whether which while who whom whose why will with within without would yet you your yours
paper work approach method show shows shown use used uses using based new also well given make makes made
""".split())


@dataclass
class Claim:
    """One cited sentence of a page: the plain text and what it cites."""
    text: str
    line_no: int
    pages: list[int] = field(default_factory=list)
    times_s: list[float] = field(default_factory=list)


@dataclass
class Verdict:
    claim: Claim
    similarity: float
    overlap: float
    missing_numbers: list[str]
    reason: str = ""
    verbatim: bool = False    # printed (or said) word for word where it points

    @property
    def supported(self) -> bool:
        return not self.reason


@dataclass
class Cue:
    start_s: float
    end_s: float
    text: str


@dataclass
class Evidence:
    """Everything anchors of one pair can point at: sentences per PDF page, and transcript cues."""
    page_sentences: dict[int, list[str]]
    page_text: dict[int, str]
    cues: list[Cue]

    def for_claim(self, claim: Claim) -> tuple[list[str], str]:
        """The evidence sentences (for similarity) and the evidence text (for words and numbers)."""
        sentences: list[str] = []
        texts: list[str] = []
        for page in dict.fromkeys(claim.pages):
            sentences += self.page_sentences.get(page, [])
            texts += [self.page_text.get(page, "")] + self.page_sentences.get(page, [])
        for start in dict.fromkeys(claim.times_s):
            for cue in self.cues:
                if cue.end_s > start and cue.start_s < start + TALK_WINDOW_S:
                    sentences.append(cue.text)
                    texts.append(cue.text)
        return sentences, " ".join(texts)


def paper_evidence(passages: list[Passage], page_texts: list[str]) -> dict[int, list[str]]:
    """Sentences per page: the paper's passages first, then sentences of the raw page text that
    the passages do not already hold (captions, tables, metadata)."""
    by_page: dict[int, list[str]] = {}
    for passage in passages:
        by_page.setdefault(passage.page_no, []).append(passage.text)
    for page_no, text in enumerate(page_texts, start=1):
        known = set(by_page.get(page_no, []))
        extra = [s for s in _SENTENCE_END.split(text) if len(s) > 20 and s not in known]
        by_page.setdefault(page_no, []).extend(extra)
    return by_page


def build_evidence(passages: list[Passage], page_texts: list[str], cues: list[Cue]) -> Evidence:
    return Evidence(page_sentences=paper_evidence(passages, page_texts),
                    page_text={n: t for n, t in enumerate(page_texts, start=1)}, cues=cues)


def read_page_texts(pdf: Path) -> list[str]:
    """Each page's text as the paper stage keeps it on `Paper.page_texts` (for tests and benchmarks)."""
    from ..ingest.pdf_layout import PdfFile
    with PdfFile(pdf) as opened:
        return opened.page_texts


def cues_of_segments(segments: list[Segment]) -> list[Cue]:
    return [Cue(s.start_s, max(s.end_s, s.start_s + 0.5), s.text.strip()) for s in segments]


_VTT_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})\s+-->\s+(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})")


def read_vtt(path: Path) -> list[Cue]:
    """Cues of a WebVTT (or SRT) file: the talk's published transcript."""
    return parse_vtt(path.read_text(encoding="utf-8", errors="replace"))


def parse_vtt(text: str) -> list[Cue]:
    """Cues of WebVTT (or SRT) text. The build reads the subtitles it publishes with this, and
    `coursewiki check` the published file, so both judge a talk anchor on the same evidence."""
    cues: list[Cue] = []
    current: Cue | None = None
    for line in text.splitlines():
        match = _VTT_TIME.match(line.strip())
        if match:
            g = match.groups()
            start = int(g[0] or 0) * 3600 + int(g[1]) * 60 + int(g[2]) + int(g[3]) / 1000
            end = int(g[4] or 0) * 3600 + int(g[5]) * 60 + int(g[6]) + int(g[7]) / 1000
            current = Cue(start, end, "")
            cues.append(current)
        elif not line.strip():
            current = None
        elif current is not None:
            current.text = f"{current.text} {line.strip()}".strip()
    return cues


# --- the test --------------------------------------------------------------------------------

def _closest_by_words(claim: str, sentences: list[str]) -> list[str]:
    """The few evidence sentences sharing most content words with the claim: the only ones that
    can be its source, so the only ones worth embedding (a long paper has thousands) and the
    only ones its numbers may come from."""
    words = content_words(claim)
    ranked = sorted(((len(words & content_words(s)), -len(s), n) for n, s in enumerate(sentences)), reverse=True)
    wanted = CANDIDATES * len(_SENTENCE_END.split(claim))  # a figure caption can be a paragraph
    return [sentences[n] for _, _, n in ranked[:wanted]]


def _verbatim(claim: str, evidence_text: str) -> bool:
    """Printed (or said) word for word where it points. A Chinese character carries about what
    three Latin letters do, so 10 of them are as long a match as 30 letters."""
    letters = _letters_only(claim)
    long_enough = len(letters) + 2 * len(_CJK.findall(letters)) >= 30
    return long_enough and letters in _letters_only(evidence_text.replace("-\n", ""))


def _letters_only(text: str) -> str:
    return re.sub(r"[^a-z0-9\u3400-\u9fff]", "", unicodedata.normalize("NFKC", text).lower())


_CHINESE_SCALE = {"万": 1e4, "亿": 1e8}
_ENGLISH_SCALES = (1.0, 1e3, 1e6, 1e9)   # as printed, thousand, million, billion


def _scaled_form_present(number: str, claim: str, present: set[str]) -> bool:
    """ "450 万" in a Chinese claim is the "4.5 million" (or "4,500,000") its English evidence prints."""
    scale = next((_CHINESE_SCALE[m[1]] for m in re.finditer(rf"(?<![\d.]){re.escape(number)}\s*([万亿])", claim)), None)
    if scale is None:
        return False
    value = float(number) * scale
    forms = {f"{value / unit:.6g}" for unit in _ENGLISH_SCALES}
    return any(f"{float(p):.6g}" in forms for p in present if re.fullmatch(r"\d+(?:\.\d+)?", p))


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'")


def numbers_in(text: str) -> list[str]:
    """Numbers as printed, thousands separators removed ("1,000" = "1000"; "0.5" stays)."""
    out = []
    for raw in _NUMBER.findall(unicodedata.normalize("NFKC", text)):
        out.append(re.sub(r",(?=\d{3}(?:\D|$))", "", raw))
    return out


def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


@functools.lru_cache(maxsize=1 << 16)
def content_words(text: str) -> frozenset[str]:
    words = (_stem(w) for w in _WORD.findall(normalise(text)))
    return frozenset(w for w in words if len(w) > 2 and w not in _STOPWORDS)


def is_cjk(text: str) -> bool:
    return len(_CJK.findall(text)) >= 4


class SupportChecker:
    """Scores claims against their evidence; embeddings are batched per page of claims."""

    def __init__(self, embedder, glossary: list[GlossaryTerm] | None = None,
                 min_similarity: float = MIN_SIMILARITY, min_overlap: float = MIN_OVERLAP,
                 multilingual=None, min_similarity_across: float = MIN_SIMILARITY_ACROSS):
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.min_overlap = min_overlap
        # a Chinese claim about an English page is weighed by meaning too when a multilingual
        # model is given (Chinese and English sentences in one vector space)
        self.multilingual = multilingual
        self.min_similarity_across = min_similarity_across
        self._zh_terms = sorted(((z, t.term) for t in glossary or [] for z in [t.zh, *t.aliases_zh] if z),
                                key=lambda pair: -len(pair[0]))

    def check(self, claims: list[Claim], evidence: Evidence, subject: str) -> list[Verdict]:
        scored = self.score(claims, evidence, subject)
        for verdict in scored:
            verdict.reason = self._reason(verdict)
        return scored

    def score(self, claims: list[Claim], evidence: Evidence, subject: str) -> list[Verdict]:
        """Similarity, word overlap and missing numbers of each claim, without the verdict."""
        if not claims:
            return []
        wanted = [evidence.for_claim(c) for c in claims]
        # printed (or said) word for word where it points, as the extractive writer's quotes are:
        # nothing to weigh, so nothing to embed (the raw page text's sentences cost most)
        verbatim = {i for i, c in enumerate(claims) if _verbatim(c.text, wanted[i][1])}
        english = [i for i, c in enumerate(claims) if not is_cjk(c.text) and i not in verbatim]
        for i in english:
            wanted[i] = (_closest_by_words(claims[i].text, wanted[i][0]), wanted[i][1])
        # Numbers must be in the sentences the claim comes from, not anywhere on the page: every
        # page has a "1" and a "9" somewhere (a Chinese claim has too few words to find them).
        latin = {i for i, c in enumerate(claims) if not is_cjk(c.text)}
        number_text = [" ".join(wanted[i][0]) if i in latin else wanted[i][1] for i in range(len(claims))]
        unit_texts = list(dict.fromkeys(s for i in english for s in wanted[i][0]))
        unit_index = {s: n for n, s in enumerate(unit_texts)}
        claim_vectors = self.embedder.encode([claims[i].text for i in english], f"{subject}/claims")
        unit_vectors = self.embedder.encode(unit_texts, f"{subject}/evidence")
        similarity = {i: 0.0 for i in range(len(claims))}
        for row, i in enumerate(english):
            rows = [unit_index[s] for s in wanted[i][0]]
            if rows:
                similarity[i] = float(np.max(unit_vectors[rows] @ claim_vectors[row]))
        if self.multilingual is not None:
            similarity.update(self._across_languages(
                claims, wanted, [i for i in range(len(claims)) if i not in latin and i not in verbatim], subject))
        verdicts = []
        for i, claim in enumerate(claims):
            text = wanted[i][1]
            if i in verbatim:
                verdicts.append(Verdict(claim, 1.0, 1.0, [], verbatim=True))
                continue
            words = self._key_words(claim.text)
            found = content_words(text)
            if i not in latin:   # the glossary's spelling of a term, not the paper's: "fine-tuning", "finetuning"
                words, found = {w.replace("-", "") for w in words}, {w.replace("-", "") for w in found}
            overlap = len(words & found) / len(words) if words else 0.0
            present = set(numbers_in(number_text[i]))
            missing = [n for n in dict.fromkeys(numbers_in(claim.text))
                       if n not in present and not _scaled_form_present(n, claim.text, present)]
            verdicts.append(Verdict(claim, round(similarity[i], 4), round(overlap, 4), missing))
        return verdicts

    def _across_languages(self, claims: list[Claim], wanted: list[tuple[list[str], str]], chinese: list[int],
                          subject: str) -> dict[int, float]:
        """Each Chinese claim's best multilingual similarity to a sentence its anchors point at
        (all of them: no shared word can pick the few candidates as for an English claim)."""
        units = list(dict.fromkeys(s for i in chinese for s in wanted[i][0]))
        if not chinese or not units:
            return {}
        index = {s: n for n, s in enumerate(units)}
        claim_vectors = self.multilingual.encode([claims[i].text for i in chinese], f"{subject}/claims-zh")
        unit_vectors = self.multilingual.encode(units, f"{subject}/evidence-zh")
        found = {}
        for row, i in enumerate(chinese):
            rows = [index[s] for s in wanted[i][0]]
            if rows:
                found[i] = float(np.max(unit_vectors[rows] @ claim_vectors[row]))
        return found

    def _key_words(self, text: str) -> set[str]:
        if not is_cjk(text):
            return content_words(text)
        latin = set(content_words(text))
        for zh, english in self._zh_terms:
            if zh in text:
                text = text.replace(zh, " ")
                latin |= content_words(english)
        return latin

    def _reason(self, verdict: Verdict) -> str:
        if not verdict.claim.pages and not verdict.claim.times_s:
            return "cites nothing"
        if verdict.missing_numbers:
            return f"number {', '.join(verdict.missing_numbers)} is not in its evidence"
        if is_cjk(verdict.claim.text):
            if verdict.verbatim:
                return ""
            has_terms = bool(self._key_words(verdict.claim.text))
            if has_terms and verdict.overlap < self.min_overlap:
                return f"only {verdict.overlap:.0%} of its key terms are in its evidence"
            if self.multilingual is not None:
                if verdict.similarity < self.min_similarity_across:
                    return f"closest evidence sentence is too different in meaning (similarity {verdict.similarity:.2f})"
                return ""
            if not has_terms:
                return "no term or number that can be checked against the English evidence"
            return ""
        if verdict.overlap < self.min_overlap:
            return f"only {verdict.overlap:.0%} of its content words are in its evidence"
        if verdict.similarity < self.min_similarity:
            return f"closest evidence sentence is too different (similarity {verdict.similarity:.2f})"
        return ""
