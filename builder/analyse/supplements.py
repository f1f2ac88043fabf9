"""What the talk adds: talk sentences that no passage of the paper supports.

A talk sentence is a supplement when all three hold:
- the paper does not support it, by the validation's own test pieces (`builder/write/support.py`):
  its closest paper sentence is not similar enough (`SUPPORT_SIMILARITY`), and not enough of its
  content words are found in the paper sentences closest to it (`SUPPORT_OVERLAP`);
- it is not a garbled transcription: whisper was sure enough of its words (mean word probability
  at least `MIN_WORD_PROBABILITY`; a transcript without probabilities skips this test);
- it is not filler: it carries at least `MIN_CONTENT_WORDS` content words once greetings,
  thanks and the talk's own signposting ("let me recall", "to wrap up", "next slide") are set
  aside.
The thresholds were measured on all scripted talks together (benchmarks/talk_pair.py, BENCHMARKS.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..models import Chapter, Segment, Supplement, Word
from ..write.support import content_words

SUPPORT_SIMILARITY = 0.55
SUPPORT_OVERLAP = 0.75
SUPPORT_CANDIDATES = 3
MIN_WORD_PROBABILITY = 0.55
MIN_CONTENT_WORDS = 4
_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
# Words that carry the talk, not its subject: greetings, thanks, signposting, the talk itself.
DISCOURSE_WORDS = frozenset("""
hello hi hey morning afternoon evening everyone everybody welcome thank thanks talk lecture seminar
slide slides today week episode podcast question questions recall remind wrap summary summarise
summarize conclude conclusion close closing start begin next previous later back moment minute look
let going come coming walk mention briefly quickly idea ideas point points part happy listening
coming see time good great okay alright right folks guys people group reading ask asked first
""".split())


@dataclass
class TalkSentence:
    start_s: float
    end_s: float
    text: str
    probability: float | None     # mean whisper word probability; None when not recorded


def talk_sentences(segments: list[Segment]) -> list[TalkSentence]:
    """The transcript cut into sentences at the words that end one, so a segment holding two
    sentences (or a sentence spread over two segments) is judged sentence by sentence."""
    out: list[TalkSentence] = []
    pending: list[Word] = []
    for segment in segments:
        if not segment.words:
            if pending:
                out.append(_sentence(pending))
                pending = []
            out.append(TalkSentence(segment.start_s, segment.end_s, segment.text.strip(), None))
            continue
        for word in segment.words:
            pending.append(word)
            if _SENTENCE_END.search(word.text.strip()):
                out.append(_sentence(pending))
                pending = []
    if pending:
        out.append(_sentence(pending))
    return [s for s in out if s.text]


def _sentence(words: list[Word]) -> TalkSentence:
    text = ""
    for word in words:   # words are stored without their leading space; none between CJK characters
        piece = word.text.strip()
        text += ("" if not text or (_CJK.match(text[-1]) and _CJK.match(piece[:1])) else " ") + piece
    probs = [w.probability for w in words if w.probability is not None]
    return TalkSentence(words[0].start_s, words[-1].end_s, text.strip(),
                        float(np.mean(probs)) if probs else None)


def is_filler(text: str) -> bool:
    """Greetings, thanks and signposts: too few content words once the talk's own words are out."""
    words = [w for w in content_words(text) if w not in DISCOURSE_WORDS]
    return len(words) < MIN_CONTENT_WORDS


def is_garbled(sentence: TalkSentence, min_probability: float = MIN_WORD_PROBABILITY) -> bool:
    return sentence.probability is not None and sentence.probability < min_probability


def support_scores(sentences: list[TalkSentence], sentence_vectors: np.ndarray, passages_text: list[str],
                   passage_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence: similarity of its closest paper sentence, and the share of its content words
    found in its few closest paper sentences (the word test of the validation's support check)."""
    if not len(passage_vectors) or not sentences:
        return np.zeros(len(sentences)), np.zeros(len(sentences))
    scores = sentence_vectors @ passage_vectors.T
    similarity = scores.max(axis=1)
    overlap = np.zeros(len(sentences))
    for i, sentence in enumerate(sentences):
        words = content_words(sentence.text) - DISCOURSE_WORDS
        if not words:
            continue
        closest = np.argsort(-scores[i])[:SUPPORT_CANDIDATES]
        found = frozenset().union(*(content_words(passages_text[j]) for j in closest))
        overlap[i] = len(words & found) / len(words)
    return similarity, overlap


def find_supplements(chapters: list[Chapter], sentences: list[TalkSentence], sentence_vectors: np.ndarray,
                     passages_text: list[str], passage_vectors: np.ndarray,
                     support_similarity: float = SUPPORT_SIMILARITY,
                     support_overlap: float = SUPPORT_OVERLAP) -> list[Supplement]:
    if not chapters or not len(passage_vectors):
        return []
    similarity, overlap = support_scores(sentences, sentence_vectors, passages_text, passage_vectors)
    out = []
    for i, sentence in enumerate(sentences):
        supported = similarity[i] >= support_similarity or overlap[i] >= support_overlap
        if supported or is_filler(sentence.text) or is_garbled(sentence):
            continue
        chapter = next((c.index for c in chapters if c.start_s <= sentence.start_s < c.end_s), chapters[-1].index)
        out.append(Supplement(chapter, round(sentence.start_s, 2), sentence.text, round(float(similarity[i]), 3)))
    return out
