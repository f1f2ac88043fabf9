"""The talk read against its paper: the section each chapter explains and what the talk adds."""
from __future__ import annotations

import numpy as np

from ..models.analysis import Chapter, ChapterAlignment, Supplement
from ..models.paper import Paper
from ..models.talk import Transcript
from .align import align_chapters
from .embed import Embedder
from .glossary import TermMatcher
from .supplements import TalkSentence, find_supplements, talk_sentences


def talk_versus_paper(paper: Paper, transcript: Transcript, chapters: list[Chapter], segment_vectors: np.ndarray,
                      passage_vectors: np.ndarray, embedder: Embedder, slug: str,
                      matcher: TermMatcher | None = None) -> tuple[list[ChapterAlignment], list[Supplement]]:
    """Alignment uses the chapter's slide text too when the chapter has one (`slide_text`), and
    the glossary (`matcher`) to read a Chinese talk's terms by their English names."""
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
