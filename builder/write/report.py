"""The reading report, written extractively: every sentence is either our own template text or a
sentence of the paper or talk followed by its anchor (PDF page or talk time). No LLM needed."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..models import GlossaryTerm, Paper, PairResult, Passage, TermUse
from .crossrefs import defined_in_paper_lines, paper_terms_lines, sections_explained_lines
from .markdown import escape_md, format_time, glossary_link, page_link, time_link

SUMMARY_PARTS = [
    ("Research goal", re.compile(r"\b(in this (paper|work)|we (propose|introduce|present|study|address|investigate|aim)|"
                                 r"our (goal|aim)|this paper|the goal of)\b", re.I), 3),
    ("Method", re.compile(r"\b(our (method|approach|model|algorithm)|we (use|train|derive|fine-?tune|apply|show how|"
                          r"design|build)|is based on|consists of|by (using|training|optimizing)|we call)\b", re.I), 4),
    ("Main findings", re.compile(r"\b(we (find|show|observe|demonstrate|prove)|results? (show|indicate|suggest)|"
                                 r"outperform|achiev|improv|state-of-the-art|better than|significantly)\w*", re.I), 4),
]
CONCLUSION_SECTION = re.compile(r"conclusion|discussion|summary", re.I)
FRONT_SECTIONS = re.compile(r"^(abstract|(\d+\s+)?introduction)$", re.I)
MAX_TERMS = 12
USES_PER_TERM = 2
SUPPLEMENTS_PER_CHAPTER = 4


def quote_passage(passage: Passage) -> str:
    return f"{escape_md(passage.text)} {page_link(passage.page_no)}"


def choose_summary(paper: Paper) -> dict[str, list[Passage]]:
    """Sentences for goal / method / findings from the abstract and introduction (cue phrases,
    earliest first), and conclusions from the conclusion section."""
    front = [p for p in paper.passages if FRONT_SECTIONS.match(p.section.strip())] or paper.passages[:40]
    used: set[str] = set()
    chosen: dict[str, list[Passage]] = {}
    for name, cue, limit in SUMMARY_PARTS:
        picks = [p for p in front if p.id not in used and cue.search(p.text)][:limit]
        used.update(p.id for p in picks)
        chosen[name] = picks
    closing = [p for p in paper.passages if CONCLUSION_SECTION.search(p.section) and p.id not in used][:4]
    chosen["Conclusions"] = closing
    if not any(chosen.values()):
        chosen["Research goal"] = front[:3]
    return chosen


def key_terms(uses: list[TermUse], glossary: dict[str, GlossaryTerm]) -> list[str]:
    """This pair's important glossary terms: used most in the paper, then in the talk."""
    paper_counts = Counter(u.term_id for u in uses if u.page_no is not None)
    talk_counts = Counter(u.term_id for u in uses if u.start_s is not None)
    ranked = sorted(set(paper_counts) | set(talk_counts),
                    key=lambda t: (-(paper_counts[t] + 2 * talk_counts[t]), glossary[t].term.lower()))
    return [t for t in ranked if paper_counts[t] + talk_counts[t] >= 2][:MAX_TERMS]


def write_report(result: PairResult, glossary: dict[str, GlossaryTerm], video_name: str | None) -> str:
    paper, meta, transcript, analysis = result.paper, result.paper.meta, result.transcript, result.analysis
    title = meta.value("title") or result.source.slug
    lines = [f"# Reading report: {escape_md(title)}", ""]
    lines += _basic_information(result, video_name)
    lines += ["## 2. Core summary", ""]
    summary = choose_summary(paper)
    for part, passages in summary.items():
        if passages:
            lines += [f"### {part}", "", " ".join(quote_passage(p) for p in passages), ""]
    lines += ["## 3. Key techniques", ""]
    terms = key_terms(analysis.term_uses, glossary)
    if not terms:
        lines += ["No course glossary term is used often enough in this paper to explain here.", ""]
    uses_by_term: dict[str, list[TermUse]] = defaultdict(list)
    for use in analysis.term_uses:
        uses_by_term[use.term_id].append(use)
    shown_figures: set[str] = set()
    for term_id in terms:
        term = glossary[term_id]
        lines += [f"### {escape_md(term.label)}", "",
                  f"**Definition** ({glossary_link(term_id, 'course glossary')}): {escape_md(term.definition)}", ""]
        lines += defined_in_paper_lines(result, term_id, video_name)
        in_paper = _distinct([u for u in uses_by_term[term_id] if u.page_no is not None])[:USES_PER_TERM]
        in_talk = _distinct([u for u in uses_by_term[term_id] if u.start_s is not None])[:USES_PER_TERM]
        if in_paper:
            lines += ["**In the paper:**", ""]
            lines += [f"- {escape_md(u.text)} {page_link(u.page_no)}" for u in in_paper] + [""]
        figure = _figure_for(term, paper, shown_figures)
        if figure is not None:
            shown_figures.add(figure.label)
            lines += [f"![{escape_md(figure.label)}]({figure.image}){{ loading=lazy }}", "",
                      f"*{escape_md(figure.caption)}* {page_link(figure.page_no)}", ""]
        if in_talk and video_name:
            lines += ["**In the talk:**", ""]
            lines += [f"- {time_link(u.start_s, video_name)} {escape_md(u.text)}" for u in in_talk] + [""]
    lines += paper_terms_lines(result)
    lines += ["## 4. Video supplementary points", ""]
    lines += sections_explained_lines(result, video_name)
    if transcript is None or not analysis.supplements:
        lines += ["The talk closely follows the paper: no talk sentence was found that the paper does not cover.", ""]
    else:
        lines += ["Sentences from the talk whose closest match in the paper is weak: what the talk adds.", ""]
        by_chapter = defaultdict(list)
        for sup in analysis.supplements:
            by_chapter[sup.chapter_index].append(sup)
        for chapter in analysis.chapters:
            picks = by_chapter.get(chapter.index, [])[:SUPPLEMENTS_PER_CHAPTER]
            if picks:
                lines += [f"### {escape_md(chapter.title)} ({time_link(chapter.start_s, video_name)})", ""]
                lines += [f"- {time_link(s.start_s, video_name)} {escape_md(s.text)}" for s in picks] + [""]
    lines += _takeaways(result, summary, terms, glossary)
    if result.related:
        lines += ["## Related pages", ""]
        for link in result.related:
            reason = f"both use: {', '.join(escape_md(t) for t in link.shared_terms)}" if link.shared_terms \
                else f"similar topic (similarity {link.score:.2f})"
            lines.append(f"- [{escape_md(link.title)}](../{link.slug}/report.md): {reason}")
        lines.append("")
    return "\n".join(lines)


def _figure_for(term: GlossaryTerm, paper: Paper, shown: set[str]):
    """The first figure not shown yet whose caption names the term, if any."""
    names = [n.lower() for n in (term.term, term.abbr, *term.aliases) if n and len(n) > 2]
    for figure in paper.figures:
        if figure.label in shown:
            continue
        caption = figure.caption.lower()
        if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", caption) for n in names):
            return figure
    return None


def _distinct(uses: list[TermUse]) -> list[TermUse]:
    seen, out = set(), []
    for use in uses:
        if use.text not in seen:
            seen.add(use.text)
            out.append(use)
    return out


def _basic_information(result: PairResult, video_name: str | None) -> list[str]:
    meta, paper = result.paper.meta, result.paper
    rows = []

    def add(label: str, name: str, render=escape_md):
        found = getattr(meta, name)
        if found is not None and found.value not in ("", []):
            value = ", ".join(found.value) if isinstance(found.value, list) else str(found.value)
            where = page_link(found.page_no) if found.page_no else "pair.yml"
            rows.append(f"| {label} | {render(value)} | {where} |")

    add("Title", "title")
    add("Authors", "authors")
    add("Affiliations", "affiliations")
    add("Venue", "venue")
    add("Year", "year")
    add("Field", "field_of_study")
    if meta.arxiv_id:
        full = f"{meta.arxiv_id.value}{meta.value('arxiv_version', '')}"
        rows.append(f"| arXiv | [arXiv:{escape_md(full)}](https://arxiv.org/abs/{full}) | {page_link(meta.arxiv_id.page_no)} |")
    if meta.doi:
        rows.append(f"| DOI | [{escape_md(meta.doi.value)}](https://doi.org/{meta.doi.value}) | {page_link(meta.doi.page_no)} |")
    rows.append(f"| Paper | [{escape_md(paper.file_name)}](paper.pdf) ({paper.page_count} pages) | |")
    if result.transcript and video_name:
        rows.append(f"| Talk | [talk notes](talk.md) ({format_time(result.transcript.duration_s)}) | |")
    lines = ["## 1. Basic information", "", "| | | Source |", "|---|---|---|", *rows, ""]
    if paper.missing_fields:
        lines += [f"Not stated in the PDF, so left empty rather than guessed: {', '.join(paper.missing_fields)}.", ""]
    return lines


def _takeaways(result: PairResult, summary: dict[str, list[Passage]], terms: list[str],
               glossary: dict[str, GlossaryTerm]) -> list[str]:
    lines = ["## 5. Summary and takeaways for a beginner", ""]
    goal = (summary.get("Research goal") or summary.get("Main findings") or [None])[0]
    if goal:
        lines += [f"- **What the paper is about:** {quote_passage(goal)}"]
    finding = (summary.get("Main findings") or summary.get("Conclusions") or [None])[0]
    if finding and finding is not goal:
        lines += [f"- **What it found:** {quote_passage(finding)}"]
    if terms:
        names = ", ".join(glossary_link(t, glossary[t].abbr or glossary[t].term) for t in terms[:5])
        lines += [f"- **Learn these first:** {names}; each has a definition in the course glossary."]
    if result.transcript and result.analysis.chapters:
        lines += [f"- **Watch the talk:** {len(result.analysis.chapters)} chapters, "
                  f"{format_time(result.transcript.duration_s)} in all; the [talk notes](talk.md) link each one to the "
                  f"paper section it explains."]
    return lines + [""]
