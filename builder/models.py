"""The typed records passed between pipeline stages.

Every record is a plain dataclass so a stage can be tested without a video or a site, and so the
cache can store a stage's output as JSON (see `builder.records`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


# --- sources ---------------------------------------------------------------------------------

@dataclass
class PairConfig:
    """Overrides from a pair's optional `pair.yml`; every key is optional."""
    title: str | None = None
    authors: list[str] | None = None
    affiliations: list[str] | None = None
    venue: str | None = None
    year: int | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    field_of_study: str | None = None
    keywords: list[str] | None = None
    abstract: str | None = None
    language: str | None = None
    video_url: str | None = None
    tags: list[str] = field(default_factory=list)
    whisper_model: str | None = None


@dataclass
class PairSource:
    """One pair as found on disk: `sources/<slug>/` with one PDF and one video."""
    slug: str
    folder: Path
    pdf: Path
    video: Path | None
    config: PairConfig


# --- paper -----------------------------------------------------------------------------------

@dataclass
class Field:
    """A metadata value and where it came from, so every fact in a report can be traced."""
    value: str | int | list[str]
    page_no: int | None
    rule: str


@dataclass
class PaperMeta:
    title: Field | None = None
    authors: Field | None = None
    affiliations: Field | None = None
    venue: Field | None = None
    year: Field | None = None
    arxiv_id: Field | None = None
    arxiv_version: Field | None = None
    arxiv_category: Field | None = None
    doi: Field | None = None
    abstract: Field | None = None
    keywords: Field | None = None
    field_of_study: Field | None = None

    def value(self, name: str, default=None):
        found = getattr(self, name)
        return default if found is None else found.value


@dataclass
class Section:
    number: str
    title: str
    level: int
    page_start: int
    page_end: int

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass
class Passage:
    """A sentence of the paper with the page it is printed on: the unit of citation."""
    id: str
    text: str
    page_no: int
    section: str


@dataclass
class Figure:
    label: str
    caption: str
    page_no: int
    image: str


@dataclass
class Paper:
    file_name: str
    page_count: int
    meta: PaperMeta
    sections: list[Section]
    passages: list[Passage]
    references: list[str]
    figures: list[Figure]
    missing_fields: list[str]


# --- talk ------------------------------------------------------------------------------------

@dataclass
class Word:
    start_s: float
    end_s: float
    text: str
    probability: float


@dataclass
class Segment:
    start_s: float
    end_s: float
    text: str
    words: list[Word]


@dataclass
class Transcript:
    file_name: str
    duration_s: float
    language: str
    model: str
    segments: list[Segment]
    warnings: list[str] = field(default_factory=list)   # e.g. speech that may not be the model's language


@dataclass
class TalkPoint:
    start_s: float
    text: str


@dataclass
class SlideShot:
    """A picture taken where the video changes a lot (a new slide), shown at its time."""
    start_s: float
    image: str


@dataclass
class Chapter:
    index: int
    start_s: float
    end_s: float
    title: str
    points: list[TalkPoint]
    keyframe: str | None = None
    slides: list[SlideShot] = field(default_factory=list)
    slide_text: str = ""                  # what the chapter's slide says (OCR), "" without slides


# --- analysis --------------------------------------------------------------------------------

@dataclass
class TermUse:
    """One place a glossary term is used: a paper page or a talk time, with the sentence."""
    term_id: str
    text: str
    page_no: int | None = None
    start_s: float | None = None


@dataclass
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


@dataclass
class ChapterAlignment:
    chapter_index: int
    section: str
    page_no: int
    score: float
    confidence: float = 1.0    # margin over the best other choice for this chapter, 0..1


@dataclass
class Supplement:
    """A talk sentence no passage of the paper supports: something the talk adds."""
    chapter_index: int
    start_s: float
    text: str
    best_score: float          # similarity of the closest paper sentence


@dataclass
class PairAnalysis:
    term_uses: list[TermUse]
    chapters: list[Chapter]
    alignments: list[ChapterAlignment]
    supplements: list[Supplement]
    paper_vector: list[float]
    definitions: list[TermDefinition] = field(default_factory=list)   # course terms: where defined
    paper_terms: list[TermDefinition] = field(default_factory=list)   # the paper's own new terms


@dataclass
class RelatedLink:
    slug: str
    title: str
    score: float
    shared_terms: list[str]


# --- a built pair ----------------------------------------------------------------------------

@dataclass
class PairResult:
    source: PairSource
    paper: Paper
    transcript: Transcript | None
    analysis: PairAnalysis
    related: list[RelatedLink] = field(default_factory=list)
    keyframe_jpegs: list[bytes | None] = field(default_factory=list)
    slide_jpegs: dict[str, bytes] = field(default_factory=dict)
    talk_has_picture: bool = True
    figure_images: dict[str, bytes] = field(default_factory=dict)


@dataclass
class PairFailure:
    slug: str
    message: str


# --- glossary --------------------------------------------------------------------------------

@dataclass
class GlossaryTerm:
    """A course glossary entry, defined in our own words in English and Chinese."""
    id: str
    term: str
    zh: str
    definition: str
    definition_zh: str
    abbr: str | None = None
    aliases: list[str] = field(default_factory=list)
    aliases_zh: list[str] = field(default_factory=list)
    source: dict[str, str] = field(default_factory=dict)
    related: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.term} ({self.abbr})" if self.abbr else self.term
