"""Validation of written pages: every PDF page anchor, talk time and glossary link must resolve,
and every cited sentence of a report must be supported by the evidence its anchors point at.

`coursewiki check` runs this on what is in content/, against the PDF and talk files there, so it
checks what the site will really serve, not what the builder meant to write."""
from __future__ import annotations

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

_PAGE_URL = re.compile(r"(?:^|/)paper\.pdf#page=(\d+)$")
_TIME_URL = re.compile(r"(?:^|/)talk\.[a-z0-9]+#t=(\d+(?:\.\d+)?)$")
# a line opening with these is an admonition's title or our own validation line, not prose
_NOT_PROSE = ("???", "!!!", *(start for w in WORDS.values() if (start := w["validation"].split("{")[0])))


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
    inline = _inline_tokens(markdown)   # the page parsed once, for its links and its claims
    for line_no, href in _links_in(inline):
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
        verdicts = support.check(_claims_in(inline), evidence, subject or "page")
        record_support(result, verdicts)
    return result


def _links_in(inline: list) -> list[tuple[int, str]]:
    """(line number, target) of every Markdown link on a page (its `_inline_tokens`): read from
    markdown-it's tokens, a bracket in escaped source text is never taken for a link."""
    found: list[tuple[int, str]] = []
    for line, token, _ in inline:
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                found.append((line, unquote(str(child.attrs.get("href", "")))))
    return found


def _inline_tokens(markdown: str, first_line: int = 1) -> list[tuple[int, object, bool]]:
    """(line number, inline token, whether it is in a heading or a table) for each run of inline
    text of a page, in order. The body of an admonition (`??? note`, `!!! tip`: Material's boxes,
    indented) is read as Markdown too, as MkDocs does, with its own line numbers."""
    found: list[tuple[int, object, bool]] = []
    open_blocks: list[str] = []
    opener = ""
    for token in _MARKDOWN.parse(markdown):
        if token.nesting == 1:
            open_blocks.append(token.type.removesuffix("_open"))
        elif token.nesting == -1 and open_blocks:
            open_blocks.pop()
        if token.type == "inline":
            found.append((first_line + token.map[0], token, bool({"heading", "table"} & set(open_blocks))))
            opener = token.content
        elif token.type == "code_block" and opener.startswith(_ADMONITION):
            found += _inline_tokens(textwrap.dedent(token.content), first_line + token.map[0])
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
    """The sentences of a page that carry PDF-page or talk-time anchors, as plain text, read from
    markdown-it's tokens (what MkDocs will render), line by line.

    Two layouts are read: a sentence followed by its anchors ("text [p. 3] [00:05]"), and a list
    item led by its anchor ("- [00:05] text"). Headings, tables, pictures, raw HTML, our own
    validation line and navigation after a "·" ("· explained in the talk at [12:40]") are not
    claims; a bold label before a sentence ("**Label Smoothing:** During training ...") is not
    part of it."""
    return _claims_in(_inline_tokens(markdown))


def _claims_in(inline: list) -> list[Claim]:
    claims: list[Claim] = []
    for line, token, in_heading_or_table in inline:
        if not in_heading_or_table:
            for offset, parts in enumerate(_lines_of(token.children or [])):
                claims += _line_claims(parts, line + offset)
    return claims


def _lines_of(children) -> list[list[tuple[str, object]]]:
    """Each source line of an inline token as ("text", str) runs and ("anchor", ("page"|"time",
    number)) links. A line that is not prose comes out empty: an admonition's title, our own
    validation line, raw HTML before any text, a picture (a keyframe with its time is no claim).
    Other links keep their label; emphasis marks and code backticks go, their text stays."""
    lines: list[list] = [[]]
    prose = [True]
    in_anchor = False
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
            prose.append(True)
            in_anchor = False
            continue
        line = lines[-1]
        said = any(kind == "anchor" or kind == "text" and value.strip() for kind, value in line)
        if child.type == "image" or not said and (
                child.type == "html_inline" or child.type == "text" and child.content.startswith(_NOT_PROSE)):
            prose[-1] = False
        elif child.type == "link_open":
            href = unquote(str(child.attrs.get("href", "")))
            page, time = _PAGE_URL.search(href), _TIME_URL.search(href)
            if page or time:
                line.append(("anchor", ("page", int(page[1])) if page else ("time", float(time[1]))))
                in_anchor = True
        elif child.type == "link_close":
            in_anchor = False
        elif in_anchor:
            continue
        elif child.type in ("text", "code_inline"):
            line.append(("text", child.content))
        elif child.type in ("strong_open", "strong_close", "em_open", "em_close"):
            line.append(("mark", child.type))
    return [_without_label(line) if keep else [] for line, keep in zip(lines, prose)]


def _without_label(parts: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The line less a bold label it opens with ("**Label Smoothing:**") and emphasis marks, with
    the text between two anchors as one run."""
    words = [(kind, value) for kind, value in parts if not (kind == "text" and not value)]
    if len(words) >= 3 and words[0] == ("mark", "strong_open") and words[2] == ("mark", "strong_close") \
            and words[1][0] == "text" and len(words[1][1]) <= 60 and words[1][1].endswith((":", "：")):
        words = words[3:]
        if words and words[0][0] == "text":
            words[0] = ("text", words[0][1].lstrip())
    runs: list[tuple[str, object]] = []
    for kind, value in words:
        if kind == "mark":
            continue
        if kind == "text" and runs and runs[-1][0] == "text":
            runs[-1] = ("text", runs[-1][1] + value)
        else:
            runs.append((kind, value))
    return runs


def _line_claims(parts: list[tuple[str, object]], line_no: int) -> list[Claim]:
    """A line's claims: with leading anchors, each anchor group owns the text after it; otherwise
    each text owns the anchors after it."""
    if not any(kind == "anchor" for kind, _ in parts):
        return []
    claims: list[Claim] = []
    leading = parts[0][0] == "anchor"
    text_parts: list[str] = []
    anchors: list[tuple[str, float]] = []
    last: Claim | None = None
    for kind, value in parts:
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


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ")   # markdown-it has decoded the entities already
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
