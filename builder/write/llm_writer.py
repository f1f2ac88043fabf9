"""The reading report written by a language model, kept honest by its evidence.

Each section is one request: the model gets numbered evidence passages ([P3]: a paper sentence
with its page, [T2]: a talk segment with its time) and must end every sentence with the ids it
used. Ids become PDF-page and talk-time anchors. A sentence that cites nothing, cites an id it was
not given, or is not supported by what it cites (numbers, words, embedding similarity; see
`support.py`) is dropped and listed at the end of the report (the first few; the rest are
counted). Answers are cached by the hash of endpoint, model and prompt, so a rebuild sends nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..cache import Cache, digest_text
from ..check.support import Evidence, SupportChecker
from ..check.validate import cited_claims
from ..config import LLMSettings
from ..models import GlossaryTerm, PairResult, Passage, Segment
from .llm_client import Endpoint
from .markdown import escape_md, format_time, glossary_link, page_link, time_link
from .report import _basic_information, choose_summary, extractive_part, key_terms
from .words import WORDS

PROMPT_VERSION = "llm-report-v1"
MAX_PASSAGE_CHARS = 400
MAX_DROPPED_LISTED = 5      # dropped sentences named in the report; the rest are counted
MAX_DROPPED_CHARS = 300     # of each one named
_CITATION = re.compile(r"[\[【(]\s*((?:[PT]\s*\d+)(?:\s*[,;，、]\s*(?:[PT]\s*)?\d+)*)\s*[\]】)]")
_ID = re.compile(r"([PT])?\s*(\d+)")
_MARK = "\x00"
_SENTENCE = re.compile(r".+?(?:[。！？]+(?:\s*\x00[^\x00]*\x00)*|[.!?]+(?:\s*\x00[^\x00]*\x00)*(?=\s|$)|$)", re.S)
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|et al|etc|cf|vs|Fig|Eq|Sec|Tab|approx)\.$", re.I)
_ECHOED_LABEL = re.compile(r"\((?:page \d+|talk [\d:]+)\)\s*")  # small models copy the evidence labels
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")

SECTIONS = {   # part headings as the extractive report writes them (words.py); the rest is ours
    language: {"summary": words["summary"], "techniques": words["techniques"], "talk": words["talk"],
               "takeaways": words["takeaways"], "dropped": dropped, "language": name}
    for language, words, dropped, name in (("en", WORDS["en"], "Validation details", "English"),
                                           ("zh", WORDS["zh"], "验证详情", "Simplified Chinese (简体中文)"))
}
TASKS = {
    "summary": "Summarise the paper in 4 to 6 sentences: its research goal, its method, its main findings "
               "and its conclusion.",
    "techniques": "Explain the key techniques of the paper for a beginner in 3 to 6 sentences, naming each "
                  "technique and what it does in this paper.",
    "talk": "In 2 to 5 sentences, say what the talk adds to the paper: points it explains, stresses or "
            "says that the paper does not.",
    "takeaways": "Write 3 to 4 takeaways for a beginner, one per line, each line starting with '- '.",
}
SYSTEM = ("You write one section of a reading report about a research paper and its talk. Use only the "
          "numbered evidence passages you are given. End every sentence with the ids of the passages it "
          "comes from, in square brackets, for example [P2] or [P1][T3]. A sentence without an id is deleted. "
          "Never write a number that is not in the cited passages. Write plain sentences: no headings, "
          "no tables, no links.")


@dataclass
class Numbered:
    """Evidence passages of one request and what each id points at."""
    pages: dict[str, int] = field(default_factory=dict)
    times_s: dict[str, float] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


@dataclass
class LLMAnswer:
    text: str
    cut_off: bool = False


@dataclass
class Sentence:
    text: str
    ids: list[str]
    list_item: bool


@dataclass
class Dropped:
    section: str
    text: str
    reason: str


def number_evidence(passages: list[Passage], segments: list[Segment], paper_chars: int,
                    talk_chars: int) -> Numbered:
    """[P1].. for paper sentences and [T1].. for talk segments, each until its budget is spent
    (at least one of each is always given)."""
    numbered = Numbered()
    used = 0
    for passage in passages:
        line = f"[P{len(numbered.pages) + 1}] (page {passage.page_no}) {_clip(passage.text)}"
        if used + len(line) > paper_chars and numbered.pages:
            break
        numbered.pages[f"P{len(numbered.pages) + 1}"] = passage.page_no
        numbered.lines.append(line)
        used += len(line)
    used = 0
    for segment in segments:
        line = (f"[T{len(numbered.times_s) + 1}] (talk {format_time(segment.start_s)}) {_clip(segment.text)}")
        if used + len(line) > talk_chars and numbered.times_s:
            break
        numbered.times_s[f"T{len(numbered.times_s) + 1}"] = segment.start_s
        numbered.lines.append(line)
        used += len(line)
    return numbered


def build_messages(task: str, title: str, numbered: Numbered, language: str) -> list[dict[str, str]]:
    names = SECTIONS[language]
    user = (f"Paper: {title}\n\nEvidence passages:\n" + "\n".join(numbered.lines) +
            f"\n\nTask: {TASKS[task]} Write in {names['language']}. Cite ids like [P1] after each sentence.")
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def parse_sentences(text: str) -> list[Sentence]:
    """The model's answer as sentences with the ids each one cites (Markdown syntax removed)."""
    sentences: list[Sentence] = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or line.startswith(("#", "|", "```")):
            continue
        list_item = bool(_LIST_ITEM.match(line))
        line = _LIST_ITEM.sub("", line)
        line = _ECHOED_LABEL.sub("", re.sub(r"\*\*|__|`", "", line))
        line = _CITATION.sub(lambda m: f"{_MARK}{','.join(_ids(m[1]))}{_MARK}", line)
        pieces = [m.group(0) for m in _SENTENCE.finditer(line) if m.group(0).strip()]
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREVIATION.search(merged[-1].split(_MARK)[0].rstrip()):
                merged[-1] += piece
            else:
                merged.append(piece)
        for n, piece in enumerate(merged):
            ids = [i for group in re.findall(rf"{_MARK}([^{_MARK}]*){_MARK}", piece) for i in group.split(",") if i]
            plain = re.sub(rf"{_MARK}[^{_MARK}]*{_MARK}", " ", piece)
            plain = re.sub(r"\s+([.,;:!?。，；：！？])", r"\1", re.sub(r"\s+", " ", plain)).strip()
            if re.search(r"\w", plain):
                sentences.append(Sentence(plain, list(dict.fromkeys(ids)), list_item and n == 0))
    return sentences


def write_llm_report(result: PairResult, glossary: dict[str, GlossaryTerm], video_name: str,
                     llm: LLMSettings, support: SupportChecker, evidence: Evidence, cache: Cache,
                     endpoint: Endpoint | None = None) -> str:
    """The report with sections 2-5 by the model; raises LLMError when the endpoint fails.

    `endpoint` is the build's: it remembers a failure so later pairs ask nothing (cached
    answers are still used)."""
    endpoint = endpoint or Endpoint(llm.url, llm.model, llm.timeout_s)
    if llm.language not in SECTIONS:
        raise ValueError(f"unsupported report language {llm.language!r}")
    names = SECTIONS[llm.language]
    paper, transcript = result.paper, result.transcript
    title = paper.meta.value("title") or result.source.slug
    segments = transcript.segments if transcript else []
    summary = [p for group in choose_summary(paper).values() for p in group] or paper.passages[:12]
    terms = key_terms(result.analysis.term_uses, glossary)
    term_passages = _term_passages(result, terms)
    supplement_starts = {s.start_s for s in result.analysis.supplements}
    talk_first = [s for s in segments if s.start_s in supplement_starts] + \
                 [s for s in segments if s.start_s not in supplement_starts]
    plans = {
        "summary": (summary, []),
        "techniques": (term_passages or summary, []),
        "talk": (summary[:4], talk_first) if segments else None,
        "takeaways": (summary, segments[:6]),
    }
    words = WORDS[llm.language]
    lines = [f"# {words['title'].format(title=escape_md(title))}", ""] + _basic_information(result, video_name, words)
    dropped: list[Dropped] = []
    for task, plan in plans.items():
        lines += [f"## {names[task]}", ""]
        if task == "talk" and result.analysis.off_paper:
            lines += [words["off paper"], ""]   # as the extractive report warns
        if plan is None:
            lines += [words["no talk"], ""]
            continue
        passages, talk = plan
        talk_share = (0.75 if task == "talk" else 0.25) if talk else 0.0
        talk_chars = int(llm.evidence_chars * talk_share)
        numbered = number_evidence(passages, talk, llm.evidence_chars - talk_chars, talk_chars)
        messages = build_messages(task, title, numbered, llm.language)
        answer = _ask(cache, llm, endpoint, messages, f"{result.source.slug}/{task}")
        sentences = parse_sentences(answer.text)
        if answer.cut_off and sentences and not re.search(r"[.!?。！？]$", sentences[-1].text):
            cut = sentences.pop()
            dropped.append(Dropped(names[task], cut.text, f"cut off at the token limit ({llm.max_tokens})"))
        body, lost = _render(sentences, numbered, video_name, support, evidence,
                             f"{result.source.slug}/llm", names[task])
        dropped += lost
        if not body:   # the extractive text, never an empty part
            body = [words["fallback"], "", *extractive_part(task, result, glossary, video_name, llm.language)]
        lines += body + [""]
        if task == "techniques" and terms:
            names_line = ", ".join(glossary_link(t, glossary[t].label) for t in terms[:8])
            lines += [f"Course glossary: {names_line}.", ""]
    lines += _related(result)
    lines += [f"## {names['dropped']}", ""] + validation_details(llm.model, dropped)
    return "\n".join(lines).rstrip("\n") + "\n"


def validation_details(model: str, dropped: list[Dropped]) -> list[str]:
    """What was dropped and why: the first few sentences, then a count, so a model that writes
    thousands of unsupported sentences cannot make the page (and the search index) huge."""
    if not dropped:
        return [f"Written by the language model {escape_md(model)} from numbered evidence passages; "
                f"no sentence was dropped.", ""]
    lines = [f"Written by the language model {escape_md(model)} from numbered evidence passages. "
             f"{len(dropped)} sentence(s) it wrote were dropped:", ""]
    for d in dropped[:MAX_DROPPED_LISTED]:
        text = d.text if len(d.text) <= MAX_DROPPED_CHARS else d.text[: MAX_DROPPED_CHARS - 1].rstrip() + "…"
        lines.append(f"- ({escape_md(d.section)}) {escape_md(text)}: *{escape_md(d.reason)}*")
    if len(dropped) > MAX_DROPPED_LISTED:
        lines.append(f"- and {len(dropped) - MAX_DROPPED_LISTED} more")
    return lines


def _ask(cache: Cache, llm: LLMSettings, endpoint: Endpoint, messages: list[dict[str, str]],
         subject: str) -> LLMAnswer:
    def ask() -> LLMAnswer:
        reply = endpoint.chat(messages, max_tokens=llm.max_tokens)
        return LLMAnswer(reply.text, reply.cut_off)
    key = digest_text(PROMPT_VERSION, llm.url.rstrip("/"), llm.model, messages, llm.max_tokens)
    return cache.record("llm", subject, key, LLMAnswer, ask)


def _render(sentences: list[Sentence], numbered: Numbered, video_name: str, support: SupportChecker,
            evidence: Evidence, subject: str, section: str) -> tuple[list[str], list[Dropped]]:
    """Markdown lines of the kept sentences, and the dropped ones with why."""
    candidates: list[tuple[Sentence, str]] = []
    dropped: list[Dropped] = []
    for sentence in sentences:
        unknown = [i for i in sentence.ids if i not in numbered.pages and i not in numbered.times_s]
        if not sentence.ids:
            dropped.append(Dropped(section, sentence.text, "cites no evidence passage"))
        elif unknown:
            dropped.append(Dropped(section, sentence.text, f"cites {', '.join(unknown)}, which it was not given"))
        else:
            pages = list(dict.fromkeys(numbered.pages[i] for i in sentence.ids if i in numbered.pages))
            times = list(dict.fromkeys(int(numbered.times_s[i]) for i in sentence.ids if i in numbered.times_s))
            anchors = [page_link(p) for p in pages] + [time_link(t, video_name) for t in times]
            candidates.append((sentence, f"{escape_md(sentence.text)} {' '.join(anchors)}"))
    claims = [cited_claims(markdown) for _, markdown in candidates]
    checkable = [c[0] for c in claims if len(c) == 1]
    verdicts = iter(support.check(checkable, evidence, subject))
    paragraph: list[str] = []
    lines: list[str] = []
    for (sentence, markdown), claim in zip(candidates, claims):
        verdict = next(verdicts) if len(claim) == 1 else None
        if verdict is None or not verdict.supported:
            reason = verdict.reason if verdict else "not one sentence"
            dropped.append(Dropped(section, sentence.text, f"unsupported: {reason}"))
            continue
        if sentence.list_item:
            if paragraph:
                lines += [" ".join(paragraph), ""]
                paragraph = []
            lines.append(f"- {markdown}")
        else:
            paragraph.append(markdown)
    if paragraph:
        if lines:
            lines.append("")
        lines.append(" ".join(paragraph))
    return lines, dropped


def _term_passages(result: PairResult, terms: list[str]) -> list[Passage]:
    """Paper sentences using the key terms, two per term, in the order of the terms."""
    by_text = {p.text: p for p in result.paper.passages}
    chosen: dict[str, Passage] = {}
    for term_id in terms:
        uses = [u for u in result.analysis.term_uses if u.term_id == term_id and u.page_no is not None]
        for use in uses[:2]:
            passage = by_text.get(use.text) or Passage(f"use-{term_id}", use.text, use.page_no, "")
            chosen.setdefault(passage.text, passage)
    return list(chosen.values())


def _related(result: PairResult) -> list[str]:
    if not result.related:
        return []
    lines = ["## Related pages", ""]
    for link in result.related:
        reason = f"both use: {', '.join(escape_md(t) for t in link.shared_terms)}" if link.shared_terms \
            else f"similar topic (similarity {link.score:.2f})"
        lines.append(f"- [{escape_md(link.title)}](../{link.slug}/report.md): {reason}")
    return lines + [""]


def _ids(group: str) -> list[str]:
    """"P1, 3" -> ["P1", "P3"]: a bare number continues the previous id's kind."""
    out, kind = [], "P"
    for letter, number in _ID.findall(group):
        kind = letter or kind
        out.append(f"{kind}{int(number)}")
    return out


def _clip(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= MAX_PASSAGE_CHARS else text[: MAX_PASSAGE_CHARS - 3].rsplit(" ", 1)[0] + "..."
