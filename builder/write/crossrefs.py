"""Cross-references between a paper, its talk and the glossary, as Markdown lines.

Kept apart from report.py and pages.py so those files only call in: where the paper defines a
term, which talk moment explains a paper section, the paper's own new terms, and the places a
glossary term appears (defining page first). All source text goes through `escape_md`."""
from __future__ import annotations

import re

from ..models import ChapterAlignment, GlossaryTerm, PairResult, TermDefinition, TermRelation
from .markdown import escape_md, page_link, paper_sentence, time_link
from .words import WORDS

RULE_WORDS = {   # how the paper defines a term -> a key of the report's words
    "section heading": "its own section",
    "run-in heading": "its own paragraph",
    "is-a sentence": "defined",
    "we call": "named",
    "called": "named",
    "stands for": "spelled out",
    "long form (abbreviation)": "spelled out",
}


def section_label(section: str) -> str:
    """ "3.2 Attention" -> "§3.2 Attention"; unnumbered headings stay as they are."""
    return f"§{section}" if re.match(r"^(?:\d+|[A-H])(?:\.\d+)*\.?\s", section) else section


def definition_of(result: PairResult, term_id: str) -> TermDefinition | None:
    """Where this pair's paper defines the course term (None when it only uses it)."""
    found = next((d for d in result.analysis.definitions if d.term_id == term_id), None)
    return found if found is not None and found.rule != "first use" else None


def talk_moment(result: PairResult, section: str) -> ChapterAlignment | None:
    """The first talk chapter aligned to this paper section."""
    return next((a for a in sorted(result.analysis.alignments, key=lambda a: a.chapter_index)
                 if a.section == section), None)


def chapter_start(result: PairResult, alignment: ChapterAlignment) -> float:
    return next(c.start_s for c in result.analysis.chapters if c.index == alignment.chapter_index)


def defined_in_paper_lines(result: PairResult, term_id: str, video_name: str | None,
                           words: dict[str, str] = WORDS["en"]) -> list[str]:
    """ "**In this paper** (its own section, §3.2.2): “...” [p. 4] · explained in the talk at 12:40"."""
    definition = definition_of(result, term_id)
    if definition is None:
        return []
    how = words[RULE_WORDS.get(definition.rule, "defined")]
    where = f"{words['list sep']}{escape_md(section_label(definition.section))}" if definition.section else ""
    space = "" if words["language"] == "zh" else " "   # no space after a full-width colon
    line = (f"{words['in this paper'].format(how=how, where=where)}{space}“{paper_sentence(definition.sentence, escape_md)}” "
            f"{page_link(definition.page_no)}")
    moment = talk_moment(result, definition.section) if result.transcript else None
    if moment is not None and video_name:
        line += " " + words["explained at"].format(time=time_link(chapter_start(result, moment), video_name))
    return [line, ""]


def sections_explained_lines(result: PairResult, video_name: str | None,
                             words: dict[str, str] = WORDS["en"]) -> list[str]:
    """Each paper section a talk chapter explains, with the talk moment: the report side of the
    alignment (the talk notes show the paper side)."""
    if not result.transcript or not video_name or not result.analysis.alignments:
        return []
    lines = [words["sections explained"], ""]
    seen: set[str] = set()
    for alignment in sorted(result.analysis.alignments, key=lambda a: a.chapter_index):
        if alignment.section in seen:
            continue
        seen.add(alignment.section)
        start = chapter_start(result, alignment)
        # "**label:** [p. N] · …": a label and navigation, not a sentence for validation to weigh
        lines.append(f"- **{escape_md(section_label(alignment.section) or 'text')}:** {page_link(alignment.page_no)} "
                     + words["explained at"].format(time=time_link(start, video_name)))
    return lines + [""]


def paper_terms_lines(result: PairResult, words: dict[str, str] = WORDS["en"]) -> list[str]:
    """The terms this paper names, each quoted from the sentence that names it, then those it uses
    most and those other papers of the course name, all linked to their course glossary entries
    (where the sentences of the last two are quoted)."""
    def link(label: str, found) -> str:
        return f"[{escape_md(label)}](../glossary.md#{found.id})" if found else escape_md(label)
    own = [(d, next((t for t in result.named_terms if t.is_entry_for(d.name, d.abbr)), None))
           for d in result.analysis.paper_terms]
    named = [(d, found) for d, found in own if d.rule != "first use"]
    lines = []
    if named:
        lines += [f"### {words['named terms']}", "", words["named intro"], ""]
        for d, found in named:
            label = f"{d.name} ({d.abbr})" if d.abbr else d.name
            lines.append(f"- **{link(label, found)}**: “{paper_sentence(d.sentence, escape_md)}” "
                         f"{page_link(d.page_no)}")
        lines.append("")
    most = [(d, found) for d, found in own if d.rule == "first use"]
    if most:
        lines += [words["most used"] + words["list sep"].join(link(d.name, found) for d, found in most), ""]
    shown = {id(found) for _, found in own if found}
    others = [t for t in result.named_terms if id(t) not in shown and t.slug != result.source.slug]
    if others:
        lines += [words["named elsewhere"]
                  + words["list sep"].join(f"[{escape_md(t.label)}](../glossary.md#{t.id})" for t in others), ""]
    return lines


def glossary_places_line(term_id: str, result: PairResult, title: str, slug: str, video_name: str | None,
                         max_items: int = 12, words: dict[str, str] = WORDS["en"]) -> str:
    """One pair's line under a glossary entry: the defining page first (with its sentence), then the
    other pages, then the talk times."""
    uses = [u for u in result.analysis.term_uses if u.term_id == term_id]
    pages = sorted({u.page_no for u in uses if u.page_no is not None})
    times = sorted({int(u.start_s) for u in uses if u.start_s is not None})
    parts = []
    definition = definition_of(result, term_id)
    if definition is not None:
        parts.append(words["defined on"].format(page=page_link(definition.page_no, f"{slug}/"),
                                                sentence=escape_md(_shorten(definition.sentence))))
        pages = [p for p in pages if p != definition.page_no]
    if pages:
        listed = ", ".join(page_link(p, f"{slug}/") for p in pages[:max_items])
        parts.append(words["also pages" if definition else "paper pages"].format(pages=listed))
    if times and result.transcript and video_name:
        parts.append(words["talk times"].format(times=", ".join(time_link(t, video_name, f"{slug}/")
                                                                 for t in times[:max_items])))
    return f"- [{escape_md(title)}]({slug}/report.md): {words['reason sep'].join(parts)}"


def relation_text(relation: TermRelation, words: dict[str, str] = WORDS["en"]) -> str:
    """ "listed as related in the course glossary; used together in 3 sentences of DPO"."""
    reasons = []
    if relation.listed:
        reasons.append(words["listed"])
    if relation.together:
        reasons.append(words["together"].format(count=relation.together, papers=", ".join(relation.papers)))
    if relation.similarity:
        reasons.append(words["alike"].format(score=f"{relation.similarity:.2f}"))
    return words["reason sep"].join(reasons)


def related_terms_line(term: GlossaryTerm, related: list[tuple[str, TermRelation]], by_id: dict[str, GlossaryTerm],
                       words: dict[str, str] = WORDS["en"]) -> str:
    """ "*Related:* [DPO](#dpo) (listed in the glossary; used together in 2 papers), ..."."""
    items = [f"[{escape_md(by_id[other].label)}](#{other}) ({escape_md(relation_text(relation, words))})"
             for other, relation in related if other in by_id]
    return words["related terms"] + ", ".join(items) if items else ""


def _shorten(sentence: str, limit: int = 160) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + " …"
