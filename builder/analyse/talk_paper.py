"""The talk read against its paper: the section each chapter explains and what the talk adds."""
from __future__ import annotations

import numpy as np

from ..models import Chapter, ChapterAlignment, Paper, Supplement, Transcript
from .align import align_chapters
from .embed import Embedder
from .supplements import find_supplements, talk_sentences


def talk_versus_paper(paper: Paper, transcript: Transcript, chapters: list[Chapter], segment_vectors: np.ndarray,
                      passage_vectors: np.ndarray, embedder: Embedder,
                      slug: str) -> tuple[list[ChapterAlignment], list[Supplement]]:
    """Alignment uses the chapter's slide text too when the chapter has one (`slide_text`)."""
    slides = {c.index: text for c in chapters if (text := (getattr(c, "slide_text", "") or "").strip())}
    slide_rows = embedder.encode(list(slides.values()), f"{slug}/slides") if slides else []
    alignments = align_chapters(chapters, transcript.segments, segment_vectors, paper.passages, passage_vectors,
                                paper.sections, dict(zip(slides, slide_rows)))
    sentences = talk_sentences(transcript.segments)
    sentence_vectors = embedder.encode([s.text for s in sentences], f"{slug}/talk-sentences")
    supplements = find_supplements(chapters, sentences, sentence_vectors, [p.text for p in paper.passages],
                                   passage_vectors)
    return alignments, supplements
