"""What the paper stage reads from a PDF: metadata with its sources, sections, sentences, figures."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """A metadata value and where it came from, so every fact in a report can be traced."""
    value: str | int | list[str]
    page_no: int | None
    rule: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    level: int
    page_start: int
    page_end: int

    @property
    def heading(self) -> str:
        if self.number.endswith("、"):   # "一、引言": the numeral's mark parts it from the title
            return f"{self.number}{self.title}"
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True)
class Passage:
    """A sentence of the paper with the page it is printed on: the unit of citation."""
    id: str
    text: str
    page_no: int
    section: str


@dataclass(frozen=True)
class Figure:
    label: str
    caption: str
    page_no: int
    image: str


@dataclass(frozen=True)
class Paper:
    file_name: str
    page_count: int
    meta: PaperMeta
    sections: list[Section]
    passages: list[Passage]
    references: list[str]
    figures: list[Figure]
    missing_fields: list[str]
    page_texts: list[str] = field(default_factory=list)   # each page's plain text: the evidence a page anchor cites
    emphasised: list[str] = field(default_factory=list)   # what the body sets in italics, in reading order
    leads: list[str] = field(default_factory=list)   # paragraph heads the body sets in bold, in reading order


@dataclass(frozen=True)
class FigureSet:
    """The figures stage's output: each figure or table with its PNG (base64, so the cache stores JSON)."""
    figures: list[Figure]
    png_base64: list[str]
