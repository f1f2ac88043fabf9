"""The reading report, written extractively: every sentence is either our own template text or a
sentence of the paper or talk followed by its anchor (PDF page or talk time). No LLM needed."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..headings import top_sections
from ..models import GlossaryTerm, Paper, PairResult, Passage, TermUse
from .crossrefs import defined_in_paper_lines, paper_terms_lines, sections_explained_lines
from .markdown import escape_md, escape_md_math, format_time, glossary_link, page_link, paper_sentence, time_link
from .words import WORDS, is_chinese, words_for
from .site import local_player, related_box

SUMMARY_PARTS = [
    ("Research goal", re.compile(r"\b(in this (paper|work)|we (propose|introduce|present|study|address|investigate|aim)|"
                                 r"our (goal|aim)|this paper|the goal of)\b", re.I), 3),
    ("Method", re.compile(r"\b(our (method|approach|model|algorithm)|we (use|train|derive|fine-?tune|apply|show how|"
                          r"design|build)|is based on|consists of|by (using|training|optimizing)|we call)\b", re.I), 4),
    ("Main findings", re.compile(r"\b(we (find|show|observe|demonstrate|prove)|results? (show|indicate|suggest)|"
                                 r"outperform|achiev|improv|state-of-the-art|better than|significantly)\w*", re.I), 4),
]
CONCLUSION_SECTION = re.compile(r"conclusion|discussion|summary|结论|总结|讨论", re.I)
# The paper's plan of itself ("The rest of this paper is structured as follows", "Section VIII
# discusses ...", "In Section 3, we introduce ..."): where things are, not what the paper does.
ROADMAP = re.compile(r"\b(rest|remainder) of (this|the) (paper|article)\b|\b(organi[sz]ed|structured) as follows\b"
                     r"|^(\w+,\s+)?(in\s+)?sections?\s+([IVX]+|\d+)(\.\d+)*\b", re.I)
FRONT_SECTIONS = re.compile(r"^(abstract|((\d+|[IVX]+)\.?\s+)?introduction)$", re.I)   # "1. Introduction", "I. Introduction"
MAX_TERMS = 12
SUPPLEMENTS_PER_CHAPTER = 4
SKIPPED_SECTIONS = re.compile(r"^(references|bibliography|acknowledge?ments?|appendix|appendices|author contributions|"
                              r"broader impacts?|checklist)\b", re.I)
LEADING_CONNECTIVE = re.compile(r"^(however|moreover|furthermore|in addition|additionally|also|thus|therefore|hence|"
                                r"consequently|finally|second|secondly|third|thirdly|first|firstly|then|instead|"
                                r"in particular|specifically|similarly|likewise|indeed|notably),\s+(?=[a-z])", re.I)
STOPWORDS = frozenset("""a an the of to in on for and or but is are was were be been being by with as at from that this
these those it its we our their they which who whom can may might will would should could not no than then so such
into over under between both each more most other some any all also only very via per using used use based show shows
shown paper work method methods approach model models result results table figure section et al""".split())


@dataclass(frozen=True)
class LengthTarget:
    """How long a report should be: words for English, characters (字) for Chinese."""
    low: int = 2000
    high: int = 3000
    unit: str = "words"

    @classmethod
    def parse(cls, text: str, language: str = "en") -> "LengthTarget":
        match = re.fullmatch(r"\s*(\d+)\s*[-–:]\s*(\d+)\s*", text)
        if not match or int(match[1]) > int(match[2]) or int(match[2]) == 0:
            raise ValueError(f"'{text}' is not a length range like 2000-3000")
        return cls(int(match[1]), int(match[2]), "characters" if is_chinese(language) else "words")


@dataclass(frozen=True)
class Detail:
    """How much of the paper one report quotes; the writer raises it until the length target is met."""
    summary_per_part: int
    per_section: int
    uses_per_term: int
    terms: int


DETAIL_LEVELS = [Detail(2, 1, 1, 5), Detail(2, 1, 2, 6), Detail(3, 1, 2, 8), Detail(3, 2, 2, 10),
                 Detail(4, 2, 3, 12), Detail(4, 3, 3, 12), Detail(5, 4, 3, 12), Detail(5, 5, 4, 12),
                 Detail(6, 6, 4, 12), Detail(6, 8, 5, 12)]


def tidy(sentence: str) -> str:
    """A sentence lifted out of its paragraph reads better without a connective that pointed back
    to the sentence before it ("However, ..."); the words that carry the claim stay as printed."""
    stripped = LEADING_CONNECTIVE.sub("", sentence, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != sentence else sentence


def quote_passage(passage: Passage) -> str:
    """A paper sentence with its page (a run-in heading set apart as a label: `paper_sentence`)."""
    return f"{paper_sentence(tidy(passage.text))} {page_link(passage.page_no)}"


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9-]{2,}", text.lower()) if w not in STOPWORDS}


def centrality(passages: list[Passage]) -> dict[str, float]:
    """How much each sentence shares the paper's recurring vocabulary (a TextRank-like score on
    word overlap, weighted by rarity): central sentences state what the paper is about."""
    words = {p.id: content_words(p.text) for p in passages}
    frequency = Counter(w for ws in words.values() for w in ws)
    count = max(1, len(passages))
    scores = {}
    for p in passages:
        ws = words[p.id]
        weight = sum(math.log(1 + frequency[w]) * math.log(count / frequency[w] + 1) for w in ws if frequency[w] > 1)
        scores[p.id] = weight / math.sqrt(len(ws) + 4)
    return scores


def choose_summary(paper: Paper, per_part: int = 3, scores: dict[str, float] | None = None) -> dict[str, list[Passage]]:
    """Sentences for goal / method / findings from the abstract and introduction (cue phrases,
    the most central first, then in reading order), and conclusions from the conclusion section."""
    scores = scores if scores is not None else centrality(paper.passages)
    front = [p for p in paper.passages if FRONT_SECTIONS.match(p.section.strip())] or paper.passages[:40]
    used: set[str] = set()
    seen_text: set[str] = set()
    chosen: dict[str, list[Passage]] = {}

    def pick(candidates: list[Passage], limit: int) -> list[Passage]:
        fresh = [p for p in candidates if p.id not in used and p.text not in seen_text]
        best = sorted(sorted(fresh, key=lambda p: -scores.get(p.id, 0))[:limit], key=lambda p: int(p.id[1:]))
        used.update(p.id for p in best)
        seen_text.update(p.text for p in best)
        return best

    for name, cue, limit in SUMMARY_PARTS:
        chosen[name] = pick([p for p in front if cue.search(p.text) and not ROADMAP.search(p.text)],
                            max(1, per_part * limit // 3))
    chosen["Conclusions"] = pick(conclusion_passages(paper), per_part + 1)
    if not any(chosen.values()):
        chosen["Research goal"] = pick(front, 3)
    return chosen


def conclusion_passages(paper: Paper) -> list[Passage]:
    """The sentences of the paper's own conclusion: its top-level sections named so ("IX.
    Conclusion", "6 Discussion") with their subsections, when it has one; a survey's sections each
    end with a "Discussion" of their own, which concludes that section, not the paper."""
    top_of = top_sections(paper.sections)
    own = [p for p in paper.passages
           if (top := top_of.get(p.section)) is not None and CONCLUSION_SECTION.search(top.title)]
    return own or [p for p in paper.passages if CONCLUSION_SECTION.search(p.section)]


def section_walk(paper: Paper, per_section: int, scores: dict[str, float], skip: set[str]) -> list[tuple[str, list[Passage]]]:
    """For each top-level section, its most central sentences in reading order: a guided tour."""
    top_of = top_sections(paper.sections)
    tops = {top.heading: top for top in top_of.values()}
    grouped: dict[str, list[Passage]] = defaultdict(list)
    for passage in paper.passages:
        top = top_of.get(passage.section)
        if top and not SKIPPED_SECTIONS.match(top.title) and passage.id not in skip:
            grouped[top.heading].append(passage)
    tour = []
    for heading, section in tops.items():
        candidates, seen = [], set()
        for p in grouped.get(heading, []):
            if p.text not in seen:
                seen.add(p.text)
                candidates.append(p)
        best = sorted(candidates, key=lambda p: -scores.get(p.id, 0))[:per_section]
        if best:
            tour.append((heading, sorted(best, key=lambda p: int(p.id[1:]))))
    return tour


def key_terms(uses: list[TermUse], glossary: dict[str, GlossaryTerm]) -> list[str]:
    """This pair's important glossary terms: used most in the paper, then in the talk."""
    paper_counts = Counter(u.term_id for u in uses if u.page_no is not None)
    talk_counts = Counter(u.term_id for u in uses if u.start_s is not None)
    ranked = sorted(set(paper_counts) | set(talk_counts),
                    key=lambda t: (-(paper_counts[t] + 2 * talk_counts[t]), glossary[t].term.lower()))
    return [t for t in ranked if paper_counts[t] + talk_counts[t] >= 2][:MAX_TERMS]


def glossary_terms_used(uses: list[TermUse]) -> list[str]:
    """Every glossary term the paper uses, most used first: a student meeting one in the paper
    finds its definition from the report."""
    counts = Counter(u.term_id for u in uses if u.page_no is not None)
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def write_report(result: PairResult, glossary: dict[str, GlossaryTerm], video_name: str | None,
                 length: LengthTarget | None = None, language: str = "en") -> str:
    """The report at the least detail that reaches the length target (or the most the paper has);
    in Chinese (`language` "zh") our words are Chinese and the length is counted in 字."""
    length = length or LengthTarget(unit="characters" if is_chinese(language) else "words")
    scores = centrality(result.paper.passages)
    best = None
    for detail in DETAIL_LEVELS:
        text = _report_at(result, glossary, video_name, detail, scores, words_for(language))
        size = report_length(text, length.unit)
        if size > length.high and best is not None:
            break
        best = text
        if size >= length.low:
            break
    return best


def report_length(markdown: str, unit: str = "words") -> int:
    """Words (or CJK characters) a reader sees: link targets, markup and escapes do not count."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r"\{[^}]*\}|!\[|&nbsp;|\\|[*#|>`\[\]]", " ", text)
    if unit == "characters":
        return len(re.findall(r"[\u4e00-\u9fff\u3400-\u4dbf]", text)) + len(re.findall(r"[A-Za-z0-9]+", text))
    # a hyphen or apostrophe inside a word starts a new one ("self-contained", "model's": two), as
    # when every hyphen was escaped, so reports keep the length (and the detail) they were tuned to
    text = re.sub(r"(?<=[^\s-])(?=[-'])", " ", text)
    return len(re.findall(r"[\w'’-]+", text))


def _report_at(result: PairResult, glossary: dict[str, GlossaryTerm], video_name: str | None, detail: Detail,
               scores: dict[str, float], words: dict[str, str]) -> str:
    title = result.paper.meta.value("title") or result.source.slug
    lines = [f"# {words['title'].format(title=escape_md(title))}", ""]
    lines += _basic_information(result, video_name, words)
    summary, summary_lines = summary_part(result, detail, scores, words)
    lines += [f"## {words['summary']}", "", *summary_lines]
    terms, technique_lines = techniques_part(result, glossary, video_name, detail, words)
    lines += [f"## {words['techniques']}", "", *technique_lines]
    lines += [f"## {words['talk']}", "", *talk_part(result, video_name, words)]
    lines += [f"## {words['takeaways']}", "", *takeaways_part(result, summary, terms, glossary, words)]
    if result.related:
        lines += [f"## {words['related']}", "", *related_box(result.related, words)]
    return "\n".join(lines)


def summary_part(result: PairResult, detail: Detail, scores: dict[str, float],
                 words: dict[str, str]) -> tuple[dict[str, list[Passage]], list[str]]:
    """Part 2: goal, method, findings and conclusions, then the section-by-section tour."""
    paper = result.paper
    summary = choose_summary(paper, detail.summary_per_part, scores)
    lines = []
    for part, passages in summary.items():
        if passages:
            lines += [f"### {words[part]}", "", " ".join(quote_passage(p) for p in passages), ""]
    quoted = {p.id for ps in summary.values() for p in ps}
    tour = section_walk(paper, detail.per_section, scores, quoted)
    if tour:
        lines += [f"### {words['tour']}", "", words["tour intro"], ""]
        for heading, passages in tour:
            lines += [f"**{escape_md(heading)}:** " + " ".join(quote_passage(p) for p in passages), ""]
    return summary, lines


def term_heading(term: GlossaryTerm, words: dict[str, str]) -> str:
    """ "Direct Preference Optimization (DPO)", in a Chinese report "直接偏好优化（Direct Preference
    Optimization (DPO)）": both names, since the paper the student reads uses the English one."""
    if words["language"] == "zh" and term.zh:
        return f"{escape_md(term.zh)}（{escape_md(term.label)}）"
    return escape_md(term.label)


def techniques_part(result: PairResult, glossary: dict[str, GlossaryTerm], video_name: str | None, detail: Detail,
                    words: dict[str, str]) -> tuple[list[str], list[str]]:
    """Part 3: each key term with the course's definition, where the paper defines and uses it,
    a figure that shows it, and where the talk says it; then the paper's own terms."""
    paper, analysis = result.paper, result.analysis
    chinese = words["language"] == "zh"
    lines = []
    terms = key_terms(analysis.term_uses, glossary)[:detail.terms]
    if not terms:
        lines += [words["no terms"], ""]
    uses_by_term: dict[str, list[TermUse]] = defaultdict(list)
    for use in analysis.term_uses:
        uses_by_term[use.term_id].append(use)
    shown_figures: set[str] = set()
    for term_id in terms:
        term = glossary[term_id]
        definition = (term.definition_zh if chinese else "") or term.definition
        lines += [f"### {term_heading(term, words)}", "",
                  words["definition"].format(link=glossary_link(term_id, words["course glossary"]),
                                             definition=escape_md(definition)), ""]
        lines += defined_in_paper_lines(result, term_id, video_name, words)
        in_paper = _distinct([u for u in uses_by_term[term_id] if u.page_no is not None])[:detail.uses_per_term]
        in_talk = _distinct([u for u in uses_by_term[term_id] if u.start_s is not None])[:detail.uses_per_term]
        if in_paper:
            lines += [words["in paper"], ""]
            lines += [f"- {paper_sentence(u.text)} {page_link(u.page_no)}" for u in in_paper] + [""]
        figure = _figure_for(term, paper, shown_figures)
        if figure is not None:
            shown_figures.add(figure.label)
            lines += [f"![{escape_md(figure.label)}]({figure.image}){{ loading=lazy }}", "",
                      f"*{escape_md(figure.caption)}* {page_link(figure.page_no)}", ""]
        if in_talk and video_name:
            lines += [words["in talk"], ""]
            lines += [f"- {time_link(u.start_s, video_name)} {escape_md(u.text)}" for u in in_talk] + [""]
    more = [t for t in glossary_terms_used(analysis.term_uses) if t not in terms and t in glossary]
    if more:
        lines += [words["more terms"] + words["list sep"].join(glossary_link(t, glossary[t].label) for t in more), ""]
    lines += paper_terms_lines(result, words)
    return terms, lines


def talk_part(result: PairResult, video_name: str | None, words: dict[str, str]) -> list[str]:
    """Part 4: the sections the talk explains, then what it says that the paper does not, by chapter;
    first a warning when the talk does not seem to be about the paper at all."""
    transcript, analysis = result.transcript, result.analysis
    lines = [words["off paper"], ""] if analysis.off_paper else []
    lines += sections_explained_lines(result, video_name, words)
    if transcript is not None and transcript.withheld:
        lines += [words["withheld"].format(language=escape_md(transcript.language or "?"),
                                           model=escape_md(transcript.model)), ""]
    elif transcript is None or not analysis.supplements:
        if not analysis.off_paper:   # else the warning above says why nothing is listed
            lines += [words["follows"], ""]
    else:
        lines += [words["adds"], ""]
        by_chapter = defaultdict(list)
        for sup in analysis.supplements:
            by_chapter[sup.chapter_index].append(sup)
        for chapter in analysis.chapters:
            picks = by_chapter.get(chapter.index, [])[:SUPPLEMENTS_PER_CHAPTER]
            if picks:
                lines += [f"### {escape_md(chapter.title)} ({time_link(chapter.start_s, video_name)})", ""]
                lines += [f"- {time_link(s.start_s, video_name)} {escape_md(s.text)}" for s in picks] + [""]
    return lines


def extractive_part(part: str, result: PairResult, glossary: dict[str, GlossaryTerm], video_name: str | None,
                    language: str = "en") -> list[str]:
    """One part of the extractive report (its body, no heading): what the LLM writer shows for a
    part whose every sentence failed validation, so that no part of a report is ever empty."""
    words, detail = words_for(language), DETAIL_LEVELS[0]
    if part == "talk":
        return talk_part(result, video_name, words)
    scores = centrality(result.paper.passages)
    summary, summary_lines = summary_part(result, detail, scores, words)
    if part == "summary":
        return summary_lines
    terms, technique_lines = techniques_part(result, glossary, video_name, detail, words)
    if part == "techniques":
        return technique_lines
    return takeaways_part(result, summary, terms, glossary, words)


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


def _listed(values: list) -> str:
    """A list of names in one cell: with semicolons when a name holds a comma itself (an
    affiliation's "University of Helsinki, Finland"), so the reader sees where each one ends."""
    items = [str(v) for v in values]
    return ("; " if any("," in item for item in items) else ", ").join(items)


def _basic_information(result: PairResult, video_name: str | None, words: dict[str, str] = WORDS["en"]) -> list[str]:
    meta, paper = result.paper.meta, result.paper
    rows = []
    labels = {"title": "Title", "authors": "Authors", "affiliations": "Affiliations", "venue": "Venue", "year": "Year",
              "field_of_study": "Field", "keywords": "Keywords"}

    for name, label in labels.items():
        found = getattr(meta, name)
        if found is not None and found.value not in ("", []):
            value = _listed(found.value) if isinstance(found.value, list) else str(found.value)
            where = page_link(found.page_no) if found.page_no else escape_md(found.rule)  # pair.yml, arXiv API, Crossref
            rows.append(f"| {words[label]} | {escape_md(value)} | {where} |")
    if meta.arxiv_id:
        full = f"{meta.arxiv_id.value}{meta.value('arxiv_version', '')}"
        rows.append(f"| arXiv | [arXiv:{escape_md(full)}](https://arxiv.org/abs/{full}) | {page_link(meta.arxiv_id.page_no)} |")
    if meta.doi:
        rows.append(f"| DOI | [{escape_md(meta.doi.value)}](https://doi.org/{meta.doi.value}) | {page_link(meta.doi.page_no)} |")
    rows.append(f"| {words['Paper']} | [{escape_md(paper.file_name)}](paper.pdf) {words['pages'].format(n=paper.page_count) if paper.page_count != 1 else words['one page']} | |")
    if result.transcript and video_name:
        rows.append(f"| {words['Talk']} | [{words['talk notes']}](talk.md) ({format_time(result.transcript.duration_s)}) | |")
    lines = [f"## {words['basic']}", "", f"| | | {words['source']} |", "|---|---|---|", *rows, ""]
    if result.transcript and video_name:
        language = result.transcript.language or "en"
        lines += [f'??? example "{words["watch"]}"', "",
                  *("    " + line for line in local_player(video_name, "" if result.transcript.withheld else "talk.vtt",
                                                                language, words["subtitles"])), ""]
    if paper.missing_fields:
        missing = [words[labels[f]] if f in labels else f for f in paper.missing_fields]
        lines += [words["missing"].format(fields=words["list sep"].join(missing)), ""]
    return lines


def takeaways_part(result: PairResult, summary: dict[str, list[Passage]], terms: list[str],
                   glossary: dict[str, GlossaryTerm], words: dict[str, str]) -> list[str]:
    """Part 5: what the paper is about and found (quoted), the terms to learn first, the talk."""
    lines = []
    goal = (summary.get("Research goal") or summary.get("Main findings") or [None])[0]
    if goal:
        lines += [f"- {words['about']} {quote_passage(goal)}"]
    finding = (summary.get("Main findings") or summary.get("Conclusions") or [None])[0]
    if finding and finding is not goal:
        lines += [f"- {words['found']} {quote_passage(finding)}"]
    if terms:
        names = words["list sep"].join(glossary_link(t, glossary[t].abbr or glossary[t].term) for t in terms[:5])
        lines += [f"- {words['learn'].format(names=names)}"]
    if result.transcript and result.analysis.chapters:
        lines += [f"- {words['watch chapters'].format(n=len(result.analysis.chapters), duration=format_time(result.transcript.duration_s))}"]
    return lines + [""]
