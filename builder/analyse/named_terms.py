"""The glossary grows with the course: every term a paper names itself becomes a course entry.

A paper about sharp minima or weight decomposition names its own key ideas, and a curated glossary
written before the paper cannot know them. Each pair's analysis already finds the terms its paper
names (`definitions.paper_terms`: the naming sentence and page); here, across the course, the same
term named by two papers becomes one entry (the first pair by folder name quotes its sentence),
and every pair whose paper uses it is listed with the pages, so the glossary links papers to each
other through their own vocabulary as it does through the curated terms. A curated entry always
wins: a term the curated glossary knows never becomes a named one.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from ..models import GlossaryTerm, NamedTerm, PairResult, TermDefinition
from ..models.glossary import term_key
from .definitions import SKIP_SECTIONS
from .prominent_terms import uses_pattern


def with_named_terms(results: list[PairResult], glossary: list[GlossaryTerm]) -> list[PairResult]:
    """Each result with the course's named terms its paper uses (its own among them)."""
    terms = course_named_terms(results, glossary)
    return [replace(r, named_terms=tuple(t for t in terms if any(slug == r.source.slug for slug, _ in t.used_in)))
            for r in results]


def course_named_terms(results: list[PairResult], glossary: list[GlossaryTerm]) -> list[NamedTerm]:
    """One entry per term the course's papers name, in name order, ids unique beside the curated ones."""
    curated_names = {term_key(n) for t in glossary for n in (t.term, t.abbr, *t.aliases) if n}
    taken = {t.id for t in glossary}
    named: dict[str, tuple[PairResult, TermDefinition]] = {}
    seen: set[str] = set()   # every spelling of a term taken (name and abbreviation)
    by_slug = sorted(results, key=lambda r: r.source.slug)
    for result in by_slug:
        for definition in result.analysis.paper_terms:
            keys = {term_key(f) for f in (definition.name, definition.abbr) if f}
            if keys & (curated_names | seen):
                continue
            seen |= keys
            named[term_key(definition.abbr or definition.name)] = (result, definition)
    terms = []
    bodies = {r.source.slug: _Body(r) for r in by_slug}
    for _, (owner, definition) in sorted(named.items(), key=lambda kv: (kv[1][1].name.casefold(), kv[0])):
        term_id = _free_id(definition.name, taken)
        taken.add(term_id)
        term = _Term(uses_pattern(definition.name, definition.abbr), definition.name, definition.abbr)
        used = [(owner.source.slug, bodies[owner.source.slug].pages(term) or (definition.page_no,))]
        used += [(r.source.slug, found) for r in by_slug
                 if r is not owner and (found := bodies[r.source.slug].pages(term))]
        terms.append(NamedTerm(term_id, definition.name, definition.abbr, owner.source.slug, definition.sentence,
                               definition.page_no, tuple(used)))
    return terms


class _Term:
    """A term as `_Body.pages` looks for it: its pattern, and the words of its name the word index
    holds whole (not "3.5", not "Bézier"), lower-cased, worked out once for all the papers."""
    def __init__(self, pattern: re.Pattern, name: str, abbr: str | None):
        self.pattern, self.abbr = pattern, abbr
        self.words = [w.lower() for w in re.split(r"[\s-]+", name.strip()) if _PLAIN.fullmatch(w)]


class _Body:
    """A paper's text (not its references) by passage, with an index of the words each passage
    holds: a term is searched for only in the passages that hold every word of its name (or its
    abbreviation), so a course of hundreds of papers does not run every term's pattern over every
    passage of every paper. The index only narrows the search; the pattern decides."""
    def __init__(self, result: PairResult):
        self.passages = [(p.page_no, p.text) for p in result.paper.passages if not SKIP_SECTIONS.search(p.section)]
        self.everywhere = frozenset(range(len(self.passages)))
        self.lowered: dict[str, set[int]] = defaultdict(set)
        self.cased: dict[str, set[int]] = defaultdict(set)
        for n, (_, text) in enumerate(self.passages):
            for word in _WORD.findall(text):
                self.lowered[word.lower()].add(n)
                self.cased[word].add(n)

    def pages(self, term: _Term) -> tuple[int, ...]:
        candidates = self.everywhere
        for word in term.words:
            candidates = candidates & _holding(self.lowered, word)
        if term.abbr:
            candidates |= _holding(self.cased, term.abbr) if _PLAIN.fullmatch(term.abbr) else self.everywhere
        return tuple(sorted({self.passages[n][0] for n in candidates if term.pattern.search(self.passages[n][1])}))


_WORD = re.compile(r"\w+")
_PLAIN = re.compile(r"[A-Za-z0-9_]+")


def _holding(index: dict[str, set[int]], word: str) -> set[int]:
    """Passages holding the word, or its plural as the pattern allows it (s or es)."""
    return index.get(word, set()) | index.get(word + "s", set()) | index.get(word + "es", set())


def _free_id(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^\w]+", "-", name.casefold(), flags=re.UNICODE).strip("-_") or "term"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
