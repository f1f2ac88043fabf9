"""The analysis stage: one paper and its talk -> chapters, alignment, supplements, term uses."""
from __future__ import annotations

from ..ingest.slides import SlideTrack
from ..models.analysis import PairAnalysis
from ..models.paper import Paper
from ..models.talk import Transcript
from .chapters import build_chapters
from .definitions import paper_matcher, paper_vocabulary
from .embed import Embedder
from .glossary import TermMatcher
from .supplements import sentence_pieces
from .talk_paper import closeness, is_off_paper, talk_versus_paper


def analyse_pair(paper: Paper, transcript: Transcript, matcher: TermMatcher, embedder: Embedder,
                 slug: str, slides: SlideTrack | None = None, paper_embedder: Embedder | None = None) -> PairAnalysis:
    """`embedder` reads the talk against the paper (a multilingual one for a talk not in English);
    `paper_embedder`, the course's own model, places the paper among the course's other papers."""
    matcher = paper_matcher(paper, matcher)   # no course term for an abbreviation the paper spells out otherwise
    passage_vectors = embedder.encode([p.text for p in paper.passages], f"{slug}/paper")
    segment_vectors = embedder.encode([s.text for s in transcript.segments], f"{slug}/talk")
    # chapters are made of the speaker's sentences, whichever way whisper grouped them into segments
    pieces = sentence_pieces(transcript.segments)
    piece_vectors = embedder.encode([p.text for p in pieces], f"{slug}/talk-pieces")
    # a talk with no transcript (its language is beyond the model) gets no chapters made up for it
    chapters = build_chapters(pieces, piece_vectors, transcript.duration_s, matcher, slides,
                              paper_text=" ".join(p.text for p in paper.passages)) if pieces else []
    near = closeness(segment_vectors, passage_vectors)
    off_paper = is_off_paper(near, embedder.label, transcript.language)
    alignments, supplements = ([], []) if off_paper else \
        talk_versus_paper(paper, transcript, chapters, segment_vectors, passage_vectors, embedder, slug, matcher)
    passages, definitions, own_terms = paper_vocabulary(paper, matcher)
    uses = matcher.in_passages(passages) + matcher.in_segments(transcript.segments)
    front = [i for i, p in enumerate(paper.passages) if p.section.lower().endswith(("abstract", "introduction"))]
    course_vectors = passage_vectors if paper_embedder in (None, embedder) else \
        paper_embedder.encode([p.text for p in paper.passages], f"{slug}/paper")
    basis = course_vectors[front] if front else course_vectors
    paper_vector = [round(float(x), 6) for x in basis.mean(axis=0)] if len(basis) else []
    return PairAnalysis(term_uses=uses, chapters=chapters, alignments=alignments, supplements=supplements,
                        paper_vector=paper_vector, definitions=definitions, paper_terms=own_terms,
                        talk_closeness=near, off_paper=off_paper)
