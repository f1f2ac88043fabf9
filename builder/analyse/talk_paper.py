"""The talk read against its paper: the section each chapter explains and what the talk adds."""
from __future__ import annotations

import numpy as np

from ..models.analysis import Chapter, ChapterAlignment, Supplement
from ..models.paper import Paper
from ..models.talk import Transcript
from .align import align_chapters
from .embed import DEFAULT_LABEL, MULTILINGUAL_LABEL, Embedder
from .glossary import TermMatcher
from .supplements import TalkSentence, find_supplements, talk_sentences


# How close a talk as a whole must be to its paper (the cosine of the mean direction of its
# sentences and of the paper's passages) to be about it, for the models whose levels were measured
# (BENCHMARKS.md, "A talk that is not about its paper"). MiniLM, English talks: talks about their
# paper 0.69 or more, about another paper of the course 0.26-0.78, real speeches on other subjects
# 0.33 or less. USE Multilingual, Chinese talks about English papers: 0.40 or more, a Chinese
# classroom recording 0.12. MiniLM reads no Chinese (every Chinese talk is near 0): no floor. Each
# floor sits below the middle of the gap: a lecture that is only partly about its paper must not
# lose its alignment, while a talk on another subject is far below either way.
OFF_PAPER_BELOW = {(DEFAULT_LABEL, "en"): 0.4, (MULTILINGUAL_LABEL, None): 0.2}


def closeness(segment_vectors: np.ndarray, passage_vectors: np.ndarray) -> float | None:
    """The cosine of the talk's and the paper's mean directions: near 1 when they speak of one
    subject, whatever the order or the words; a talk about something else is far below."""
    if not len(segment_vectors) or not len(passage_vectors):
        return None
    talk = np.asarray(segment_vectors, dtype=np.float64).mean(axis=0)
    paper = np.asarray(passage_vectors, dtype=np.float64).mean(axis=0)
    norms = np.linalg.norm(talk) * np.linalg.norm(paper)
    return round(float(talk @ paper / norms), 3) if norms > 1e-9 else None


def off_paper_floor(model_label: str, language: str | None) -> float | None:
    """The closeness under which a talk is not about its paper, for this model and talk language;
    None where it was never measured (another model: every talk is read as about its paper)."""
    return OFF_PAPER_BELOW.get((model_label, language or "en"), OFF_PAPER_BELOW.get((model_label, None)))


def is_off_paper(near: float | None, model_label: str, language: str | None) -> bool:
    """Whether the talk is too far from its paper to be about it. Such a talk gets no alignment:
    every threshold of the alignment is relative to the talk's own fits, so an unrelated talk would
    still see its best sections stand out (a memorial speech "explained" a speech recognition
    paper's architecture section). Nor does it get supplements: nearly all it says is beyond the
    paper, which is not something it adds to the paper."""
    floor = off_paper_floor(model_label, language)
    return floor is not None and near is not None and near < floor


def talk_versus_paper(paper: Paper, transcript: Transcript, chapters: list[Chapter], segment_vectors: np.ndarray,
                      passage_vectors: np.ndarray, embedder: Embedder, slug: str,
                      matcher: TermMatcher | None = None) -> tuple[list[ChapterAlignment], list[Supplement]]:
    """Alignment uses the chapter's slide text too when the chapter has one (`slide_text`), and
    the glossary (`matcher`) to read a Chinese talk's terms by their English names. For a talk
    about its paper: `is_off_paper` says why another gets neither."""
    slides = {c.index: text for c in chapters if (text := c.slide_text.strip())}
    slide_rows = embedder.encode(list(slides.values()), f"{slug}/slides") if slides else []
    alignments = align_chapters(chapters, transcript.segments, segment_vectors, paper.passages, passage_vectors,
                                paper.sections, dict(zip(slides, slide_rows)), matcher)
    sentences = talk_sentences(transcript.segments)
    sentence_vectors = _sentence_vectors(sentences, transcript, segment_vectors, embedder, slug)
    supplements = find_supplements(chapters, sentences, sentence_vectors, [p.text for p in paper.passages],
                                   passage_vectors)
    return alignments, supplements


def _sentence_vectors(sentences: list[TalkSentence], transcript: Transcript, segment_vectors: np.ndarray,
                      embedder: Embedder, slug: str) -> np.ndarray:
    """A sentence that is a whole segment already has its vector: only the others are embedded
    (an hour's talk has hundreds of sentences, and embedding is the slow part here)."""
    known = {s.text.strip(): i for i, s in enumerate(transcript.segments)}
    fresh = list(dict.fromkeys(s.text for s in sentences if s.text not in known))
    fresh_vectors = embedder.encode(fresh, f"{slug}/talk-sentences") if fresh else np.zeros((0, 0))
    row = {text: i for i, text in enumerate(fresh)}
    if not sentences:
        return np.zeros((0, segment_vectors.shape[1] if segment_vectors.ndim == 2 else 0))
    return np.stack([segment_vectors[known[s.text]] if s.text in known else fresh_vectors[row[s.text]]
                     for s in sentences])
