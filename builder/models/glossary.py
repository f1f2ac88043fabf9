"""The course glossary's entries (builder/data/glossary.yml)."""
from __future__ import annotations

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
