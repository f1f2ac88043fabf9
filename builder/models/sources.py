"""A pair as found on disk, and a pair that could not be built."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PairConfig:
    """Overrides from a pair's optional `pair.yml`; every key is optional."""
    title: str | None = None
    short_title: str | None = None   # the navigation's name for the pair (default: the title up to a colon)
    week: int | str | None = None    # the heading the pair goes under: "Week 3" (or as written) ...
    group: str | None = None         # ... or a named group (both: "Week 3: Alignment")
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


@dataclass(frozen=True)
class PairSource:
    """One pair as found on disk: `sources/<slug>/` with one PDF and one talk file."""
    slug: str
    folder: Path
    pdf: Path
    video: Path
    config: PairConfig


@dataclass(frozen=True)
class PairFailure:
    slug: str
    message: str
