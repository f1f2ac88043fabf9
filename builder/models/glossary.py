"""The course glossary's entries (builder/data/glossary.yml)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class NamedTerm:
    """A term a paper of the course names itself and the curated glossary lacks ("small-loss
    trick", "Co-teaching"). Its glossary entry is the paper's own defining sentence, quoted with its
    page: we never write a definition we cannot cite. `used_in` is every pair whose paper uses the
    term, with the pages (the naming pair first)."""
    id: str
    name: str
    abbr: str | None
    slug: str                 # the pair whose paper names it
    sentence: str
    page_no: int
    used_in: tuple[tuple[str, tuple[int, ...]], ...]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.abbr})" if self.abbr else self.name

    def is_entry_for(self, name: str, abbr: str | None) -> bool:
        """Whether a paper's own term (name, abbreviation) is this entry, however it is spelt."""
        return bool({term_key(f) for f in (name, abbr) if f} & {term_key(f) for f in (self.name, self.abbr) if f})


def term_key(text: str) -> str:
    """How two spellings of one term compare: case, spaces and hyphens aside ("Co-teaching" is
    "co teaching")."""
    return re.sub(r"[\s\-\u2010-\u2015]+", " ", text).strip().casefold()


@dataclass(frozen=True)
class TermRelation:
    """Why two glossary terms are related: listed so in the curated glossary, used together in
    `together` sentences of the course's papers (`papers`: their short titles), or defined alike
    (`similarity` of our definitions, 0 below the threshold). A record, not a sentence, so each
    page says it in its own language."""
    listed: bool = False
    together: int = 0
    papers: tuple[str, ...] = ()
    similarity: float = 0.0
