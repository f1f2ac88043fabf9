"""How the course is arranged: which pairs go under which heading, in which order, by which short
name. The navigation and the home page both follow this one order.

A course of twenty papers listed as "Reading report: <full title>" under folder slugs cannot be
read; a reader looks for "DPO" or "Week 3". So each pair gets one section named by its short title
(`short_title:` in pair.yml, else the title up to its colon), holding "Report" and "Talk notes";
pairs with a `week:` or `group:` go under that heading. Headings come in week order, then named
groups alphabetically, then pairs with neither; within a heading, newest paper first.

The navigation is written for the coursewiki MkDocs plugin (`mkdocs_plugin.py`), which puts the
home page first, these sections next, then the glossary, the tags and any pages of the course's own.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

from .. import layout
from ..models import PairConfig, PairResult
from .words import words_for

SHORT_TITLE_CHARS = 60   # a colon later than this is inside the title, not after its short name


@dataclass(frozen=True)
class Heading:
    """A heading of the course with its pairs in order; `title` None where no pair has a week or
    group (then the course is one flat list)."""
    title: str | None
    pairs: tuple[PairResult, ...]


def short_title(result: PairResult) -> str:
    """pair.yml's short_title, else the title before its first colon ("DPO: Your Language Model
    is ..." -> "DPO"), else the whole title; the folder name when there is no title at all."""
    given = (result.source.config.short_title or "").strip()
    if given:
        return " ".join(given.split())
    title = _full_title(result)
    if not title:
        return result.source.slug
    head = re.split(r"\s*[:：]\s*", title, maxsplit=1)[0]
    return head if 2 <= len(head) <= SHORT_TITLE_CHARS and head != title else title


def heading_of(config: PairConfig, language: str) -> tuple[tuple, str] | None:
    """(sort key, heading) for a pair's week and group; None where it has neither."""
    week, group = config.week, (config.group or "").strip()
    if week is None and not group:
        return None
    parts, key = [], []
    if week is not None:
        text = str(week).strip()
        number = isinstance(week, int) or text.isdigit()
        parts.append(words_for(language)["week"].format(n=text) if number else text)
        key += [0, int(text) if number else 10**9, text.casefold()]
    else:
        key += [1, 0, ""]
    if group:
        parts.append(group)
        key.append(group.casefold())
    return tuple(key), ": ".join(parts)


def arranged(results: list[PairResult], language: str = "en") -> list[Heading]:
    """The course's headings in order, each with its pairs newest first (year, then title)."""
    def newest_first(r: PairResult):
        return (-(r.paper.meta.value("year") or 0), short_title(r).casefold(), r.source.slug)
    grouped: dict[tuple, tuple[str, list[PairResult]]] = {}
    rest: list[PairResult] = []
    for result in results:
        found = heading_of(result.source.config, language)
        if found is None:
            rest.append(result)
        else:
            grouped.setdefault(found[0], (found[1], []))[1].append(result)
    headings = [Heading(title, tuple(sorted(pairs, key=newest_first))) for _, (title, pairs) in sorted(grouped.items())]
    if rest:
        headings.append(Heading(words_for(language)["other papers"] if headings else None, tuple(sorted(rest, key=newest_first))))
    return headings


def nav_entries(headings: list[Heading], language: str = "en") -> list:
    """The pairs' part of an MkDocs `nav`: a section per pair (report, then talk notes), inside a
    section per heading where there are headings. Titles are HTML-escaped: MkDocs and Material
    write nav titles into the page as they are, and these come from PDFs and pair.yml."""
    words = words_for(language)
    names = section_names([r for heading in headings for r in heading.pairs])
    entries: list = []
    for heading in headings:
        sections = [{_html(names[r.source.slug]): [{words["nav report"]: f"{r.source.slug}/{layout.REPORT}"},
                                                   {words["nav talk"]: f"{r.source.slug}/{layout.TALK_PAGE}"}]}
                    for r in heading.pairs]
        entries += sections if heading.title is None else [{_html(heading.title): sections}]
    return entries


def _html(text: str) -> str:
    return html.escape(text, quote=True)


def section_names(results: list[PairResult]) -> dict[str, str]:
    """slug -> the pair's section name: its short title, unless two pairs share one (two
    "Attention"s); then their full titles, and the folder name where even those are the same."""
    short = {r.source.slug: short_title(r) for r in results}
    full = {r.source.slug: _full_title(r) or r.source.slug for r in results}
    short_count, full_count = Counter(short.values()), Counter(full.values())
    names = {}
    for slug, name in short.items():
        if short_count[name] > 1:
            name = full[slug] if full_count[full[slug]] == 1 else f"{full[slug]} ({slug})"
        names[slug] = name
    return names


def _full_title(result: PairResult) -> str:
    return " ".join(str(result.paper.meta.value("title") or "").split())
