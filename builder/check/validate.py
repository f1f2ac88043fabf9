"""Validation of written pages: every PDF page anchor, talk time and glossary link must resolve,
and every cited sentence of a report must be supported by the evidence its anchors point at.

`coursewiki check` runs this on what is in content/, against the PDF and talk files there, so it
checks what the site will really serve, not what the builder meant to write."""
from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it import MarkdownIt

from ..config import DEFAULT_MIN_SUPPORTED
from ..write.words import WORDS, words_for
from .support import Claim, Evidence, SupportChecker, Verdict

_PAGE_HREF = re.compile(r"^(?P<prefix>[^\s]*?)paper\.pdf#page=(?P<page>\d+)$")
_TIME_HREF = re.compile(r"^(?P<prefix>[^\s]*?)(?P<video>talk\.[a-z0-9]+)#t=(?P<t>\d+(?:\.\d+)?)$")
_GLOSSARY_HREF = re.compile(r"^(?:\.\./)?glossary\.md#(?P<id>\S+)$")
_ADMONITION = ("!!!", "???")
_MARKDOWN = MarkdownIt("commonmark").enable("table")

_LINK = re.compile(r"\[(?P<label>(?:\\.|[^\]\\])*)\]\((?P<url>[^)\s]*)\)")
_PAGE_URL = re.compile(r"(?:^|/)paper\.pdf#page=(\d+)$")
_TIME_URL = re.compile(r"(?:^|/)talk\.[a-z0-9]+#t=(\d+(?:\.\d+)?)$")
_LIST_MARK = re.compile(r"^(?:[-*+]|\d+\.)\s+")
_BOLD_LABEL = re.compile(r"^\*\*[^*]{1,60}[:：]\*\*\s*")
_SKIP_LINE = ("#", "|", "![", "<", "```", "???", "!!!", *(f"*{w['validation'].split('{')[0]}" for w in WORDS.values()))


@dataclass
class Validation:
    page_anchors: int = 0
    time_anchors: int = 0
    glossary_links: int = 0
    problems: list[str] = field(default_factory=list)
    cited: int = 0
    supported: int = 0
    unsupported: list[str] = field(default_factory=list)
    min_supported: float = DEFAULT_MIN_SUPPORTED

    @property
    def anchors(self) -> int:
        return self.page_anchors + self.time_anchors

    @property
    def resolved(self) -> int:
        return self.anchors + self.glossary_links - len(self.problems)

    @property
    def supported_fraction(self) -> float:
        return self.supported / self.cited if self.cited else 1.0

    @property
    def support_ok(self) -> bool:
        return self.supported_fraction >= self.min_supported

    @property
    def ok(self) -> bool:
        return not self.problems and self.support_ok


def validate_markdown(markdown: str, page_count: int, duration_s: float | None, glossary_ids: set[str], *,
                      support: SupportChecker | None = None, evidence: Evidence | None = None,
                      subject: str = "", min_supported: float = DEFAULT_MIN_SUPPORTED) -> Validation:
    """Anchors must resolve; with `support` and `evidence`, cited sentences must be supported too."""
    result = Validation(min_supported=min_supported)
    for line_no, href in page_links(markdown):
        if match := _PAGE_HREF.match(href):
            result.page_anchors += 1
            page = int(match["page"])
            if not 1 <= page <= page_count:
                result.problems.append(f"line {line_no}: page {page} does not exist (the PDF has {page_count})")
        elif match := _TIME_HREF.match(href):
            result.time_anchors += 1
            seconds = float(match["t"])
            if duration_s is None:
                result.problems.append(f"line {line_no}: links to {match['video']} but the pair has no talk")
            elif not 0 <= seconds <= duration_s:
                result.problems.append(f"line {line_no}: time {seconds:g}s is past the talk's end ({duration_s:.0f}s)")
        elif match := _GLOSSARY_HREF.match(href):
            result.glossary_links += 1
            if match["id"] not in glossary_ids:
                result.problems.append(f"line {line_no}: glossary has no term '{match['id']}'")
    if support is not None and evidence is not None:
        verdicts = support.check(cited_claims(markdown), evidence, subject or "page")
        record_support(result, verdicts)
    return result


def page_links(markdown: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line number, target) of every Markdown link on a page, read from markdown-it's tokens, so
    a bracket in escaped source text is never taken for a link. The body of an admonition
    (`??? note`, `!!! tip`: Material's boxes, indented) is read as Markdown too, as MkDocs does."""
    found: list[tuple[int, str]] = []
    opener = ""
    for token in _MARKDOWN.parse(markdown):
        if token.type == "inline":
            line = token.map[0]
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "link_open":
                    found.append((first_line + line, unquote(str(child.attrs.get("href", "")))))
            opener = token.content
        elif token.type == "code_block" and opener.startswith(_ADMONITION):
            found += page_links(textwrap.dedent(token.content), first_line + token.map[0])
        elif token.type not in ("paragraph_open", "paragraph_close"):
            opener = ""
    return found


def record_support(result: Validation, verdicts: list[Verdict]) -> None:
    result.cited += len(verdicts)
    for verdict in verdicts:
        if verdict.supported:
            result.supported += 1
        else:
            result.unsupported.append(unsupported_line(verdict))


def unsupported_line(verdict: Verdict) -> str:
    text = verdict.claim.text if len(verdict.claim.text) <= 120 else verdict.claim.text[:117] + "..."
    return f"line {verdict.claim.line_no}: unsupported ({verdict.reason}): \"{text}\""


def cited_claims(markdown: str) -> list[Claim]:
    """The sentences of a page that carry PDF-page or talk-time anchors, as plain text.

    Two layouts are read: a sentence followed by its anchors ("text [p. 3] [00:05]"), and a list
    item led by its anchor ("- [00:05] text"). Headings, tables, images, our own validation line
    and navigation after a "·" ("· explained in the talk at [12:40]") are not claims."""
    claims: list[Claim] = []
    for line_no, raw in enumerate(markdown.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(_SKIP_LINE):
            continue
        line = _BOLD_LABEL.sub("", _LIST_MARK.sub("", line, count=1))
        tokens = _tokens(line)
        if not any(kind == "anchor" for kind, _ in tokens):
            continue
        leading = tokens[0][0] == "anchor"
        text_parts: list[str] = []
        anchors: list[tuple[str, float]] = []
        last: Claim | None = None
        for kind, value in tokens:
            if kind == "text":
                text_parts.append(value)
                continue
            text = _clean(" ".join(text_parts))
            if " ".join(text_parts).strip().startswith("·"):
                text = ""  # "… [p. 3] · explained in the talk at [00:40]": navigation, not a claim
            if leading:
                if anchors and re.search(r"\w", text):
                    claims.append(_claim(text, line_no, anchors))
                    anchors = []
                anchors.append(value)
            elif re.search(r"\w", text):
                last = _claim(text, line_no, [value])
                claims.append(last)
            elif last is not None:
                _add_anchor(last, value)
            text_parts = []
        text = "" if " ".join(text_parts).strip().startswith("·") else _clean(" ".join(text_parts))
        if leading and anchors and re.search(r"\w", text):
            claims.append(_claim(text, line_no, anchors))
    return claims


def _claim(text: str, line_no: int, anchors: list[tuple[str, float]]) -> Claim:
    claim = Claim(text, line_no)
    for anchor in anchors:
        _add_anchor(claim, anchor)
    return claim


def _add_anchor(claim: Claim, anchor: tuple[str, float]) -> None:
    kind, value = anchor
    if kind == "page":
        claim.pages.append(int(value))
    else:
        claim.times_s.append(float(value))


def _tokens(line: str) -> list[tuple[str, object]]:
    """("text", str) runs and ("anchor", ("page"|"time", number)) links; other links keep their label."""
    tokens: list[tuple[str, object]] = []
    text: list[str] = []
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            text.append(line[i + 1])
            i += 2
            continue
        if char == "[":
            match = _LINK.match(line, i)
            if match:
                page, time = _PAGE_URL.search(match["url"]), _TIME_URL.search(match["url"])
                if page or time:
                    if text:
                        tokens.append(("text", "".join(text)))
                        text = []
                    tokens.append(("anchor", ("page", int(page[1])) if page else ("time", float(time[1]))))
                else:
                    text.append(_LINK.sub(lambda m: m["label"], match[0]).replace("\\", ""))
                i = match.end()
                continue
        if char not in "*_`":
            text.append(char)
        i += 1
    if text:
        tokens.append(("text", "".join(text)))
    return tokens


def _clean(text: str) -> str:
    text = html.unescape(text).replace("\u00a0", " ")
    if "“" in text:  # our words, then the source's in quotes ("In this paper (defined, §2): “…”"): the quote is the claim
        text = text.rsplit("“", 1)[1].replace("”", "")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" ,;·–—(")


def validation_line(check: Validation, language: str = "en") -> str:
    """The short line a report shows about itself, in the report's language."""
    words = words_for(language)
    status = words["all resolve"] if not check.problems else words["do not resolve"].format(n=len(check.problems))
    line = words["validation"].format(anchors=check.anchors, pages=check.page_anchors, times=check.time_anchors,
                                      links=check.glossary_links, status=status)
    if check.cited:
        line += words["cited"].format(cited=check.cited, supported=check.supported)
    return f"*{line}*"
