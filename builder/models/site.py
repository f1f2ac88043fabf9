"""A built pair as the page writers see it: every stage's result, the related reports and the
terms the course's papers name that this pair uses."""
from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import PairAnalysis
from .glossary import NamedTerm
from .paper import Paper
from .sources import PairSource
from .talk import Transcript


@dataclass(frozen=True)
class RelatedLink:
    slug: str
    title: str
    score: float
    shared_terms: list[str]


@dataclass(frozen=True)
class PairResult:
    source: PairSource
    paper: Paper
    transcript: Transcript
    analysis: PairAnalysis
    related: list[RelatedLink] = field(default_factory=list)
    named_terms: tuple[NamedTerm, ...] = ()   # course terms papers name, used by this pair's paper
    keyframe_jpegs: list[bytes | None] = field(default_factory=list)
    slide_jpegs: dict[str, bytes] = field(default_factory=dict)
    talk_has_picture: bool = True
    figure_images: dict[str, bytes] = field(default_factory=dict)
    input_digests: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # path -> (sha256, size, mtime_ns)
    stage_keys: tuple[str, ...] = ()   # the cache keys of every stage it came from: what its pages are made of
