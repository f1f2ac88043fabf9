"""What the analysis stage finds in a (paper, talk): chapters, alignment, term uses and definitions."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TalkPoint:
    start_s: float
    text: str


@dataclass(frozen=True)
class SlideShot:
    """A picture taken where the video changes a lot (a new slide), shown at its time."""
    start_s: float
    image: str


@dataclass(frozen=True)
class SlideFigure:
    """A slide that shows one of the paper's extracted figures (found by image similarity)."""
    start_s: float
    label: str          # "Figure 2"
    image: str          # the figure's picture in the pair's folder
    page_no: int
    score: float


@dataclass(frozen=True)
class SlideFigures:
    """The slide-figures stage's record: every slide that shows a paper figure."""
    links: list[SlideFigure] = field(default_factory=list)


@dataclass(frozen=True)
class Chapter:
    index: int
    start_s: float
    end_s: float
    title: str
    points: list[TalkPoint]
    keyframe: str | None = None
    slides: list[SlideShot] = field(default_factory=list)
    title_source: str = "speech"     # "slide": the slide's title read by OCR; "speech": a phrase said
    slide_text: str = ""             # the chapter's slide as read (title, then body lines); "" without one
    figures: list[SlideFigure] = field(default_factory=list)   # paper figures its slide shows


@dataclass(frozen=True)
class TermUse:
    """One place a glossary term is used: a paper page or a talk time, with the sentence."""
    term_id: str
    text: str
    page_no: int | None = None
    start_s: float | None = None


@dataclass(frozen=True)
class TermDefinition:
    """Where a paper defines a term, quoted: the sentence and page are the definition's source.
    `term_id` is the course glossary id, or None for a term new to the course (the paper's own)."""
    term_id: str | None
    name: str
    abbr: str | None
    sentence: str
    page_no: int
    section: str
    rule: str


@dataclass(frozen=True)
class ChapterAlignment:
    chapter_index: int
    section: str
    page_no: int
    score: float
    confidence: float = 1.0    # margin over the best other choice for this chapter, 0..1


@dataclass(frozen=True)
class Supplement:
    """A talk sentence no passage of the paper supports: something the talk adds."""
    chapter_index: int
    start_s: float
    text: str
    best_score: float          # similarity of the closest paper sentence


@dataclass(frozen=True)
class PairAnalysis:
    term_uses: list[TermUse]
    chapters: list[Chapter]
    alignments: list[ChapterAlignment]
    supplements: list[Supplement]
    paper_vector: list[float]
    definitions: list[TermDefinition] = field(default_factory=list)   # course terms: where defined
    paper_terms: list[TermDefinition] = field(default_factory=list)   # the paper's own new terms
    # how close the talk as a whole is to the paper (`talk_paper.closeness`), and whether it is too
    # far to be about it (then no chapter is aligned to a section)
    talk_closeness: float | None = None
    off_paper: bool = False
