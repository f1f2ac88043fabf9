"""Markdown building blocks. All text from PDFs, transcripts and pair.yml passes through
`escape_md`, the one place that makes untrusted text inert (no HTML, no Markdown syntax)."""
from __future__ import annotations

import html
import re
from urllib.parse import quote

from ..headings import run_in_heading
from ..layout import PDF_NAME  # noqa: E402,F401 (layout owns every output name)
# Escaped wherever they stand: emphasis, code, links and images, attribute lists, table cells,
# arithmatex math, a trailing `#` that a heading would eat, and backslashes themselves.
_MD_ALWAYS = frozenset("\\`*_{}[]|$#")
# Escaped only at the start of the text, the one place they begin a block: a list (`- `, `+ `,
# `1. `), a rule or setext underline (`---`, `===`), an admonition (`!!!`, `???`), a fence (`~~~`).
_LINE_START = re.compile(r"^(?:[-+=!?~]|\d+(?=[.)](?:\s|$)))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def escape_md(text: str) -> str:
    """Untrusted text -> Markdown that renders exactly that text (needs pymdownx.escapeall).

    Only what would change the rendering is escaped, so the Markdown students open to write their
    notes, or read on GitHub, stays readable (`e.g. 3.5-point` stays as it is). `<`, `>` and `&`
    become entities, so even a renderer without escapeall shows no markup."""
    text = _CONTROL.sub(" ", str(text))
    text = re.sub(r"\s+", " ", text).strip()
    out = []
    start = _LINE_START.match(text)
    if start:
        lead = start.group(0)
        if lead.isdigit():  # "1986. A year": the number stays, its period would start a list
            out.append(lead + "\\" + text[len(lead)])
            text = text[len(lead) + 1:]
        else:
            out.append("\\" + lead)
            text = text[1:]
    for char in text:
        if char in "<>&":
            out.append(html.escape(char))
        elif char in _MD_ALWAYS or (char == "(" and out and out[-1] == "\\]"):
            out.append("\\" + char)  # "\]\(": not even the text of a link target is left
        else:
            out.append(char)
    return "".join(out)


# TeX between single dollars, as arXiv abstracts and some papers' text carry it. Pandoc's rule keeps
# prices out: no space just inside either dollar, and no digit right after the closing one. No
# backticks inside: a code span would be parsed before the math.
_TEX_SPAN = re.compile(r"(?<![\\$])\$(?![\s$])(?P<tex>[^$`\n]{1,300}?)(?<![\s\\])\$(?![\d$])")


def escape_md_math(text: str) -> str:
    """Like `escape_md`, but TeX spans (`$x^2$`) stay math for pymdownx.arithmatex.

    The TeX reaches the page only as text inside `<span class="arithmatex">` (html-escaped by the
    renderer) and MathJax typesets it in safe mode, so a span cannot carry markup."""
    text = _CONTROL.sub(" ", str(text))
    text = re.sub(r"\s+", " ", text).strip()
    out, last = [], 0
    for match in _TEX_SPAN.finditer(text):
        if not re.search(r"[\\^_{}=]|^[A-Za-z]$", match["tex"]):
            continue
        out += [_escape_keeping_spaces(text[last:match.start()]), f"${match['tex']}$"]
        last = match.end()
    out.append(_escape_keeping_spaces(text[last:]))
    return "".join(out)


def _escape_keeping_spaces(text: str) -> str:
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    return lead + escape_md(text) + trail


def escape_attr(text: str) -> str:
    return html.escape(re.sub(r"\s+", " ", str(text)).strip(), quote=True)


def format_time(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def paper_sentence(text: str, escape=escape_md_math) -> str:
    """A sentence of the paper as Markdown. A run-in heading the PDF ran into it ("Label Smoothing
    During training, we ...") is set apart as a bold label, so the quote reads as one sentence."""
    heading = run_in_heading(text)
    rest = text[len(heading):].lstrip(" :.") if heading and text.startswith(heading) else ""
    if heading and rest[:1].isupper() and len(rest.split()) >= 4:
        return f"**{escape_md(heading)}:** {escape(rest)}"
    return escape(text)


def page_link(page_no: int, prefix: str = "") -> str:
    return f"[p.&nbsp;{page_no}]({prefix}{PDF_NAME}#page={page_no})"


def time_link(start_s: float, video_name: str, prefix: str = "") -> str:
    seconds = int(start_s)
    return f"[{format_time(seconds)}]({prefix}{quote(video_name)}#t={seconds})"


def glossary_link(term_id: str, label: str, prefix: str = "../") -> str:
    return f"[{escape_md(label)}]({prefix}glossary.md#{term_id})"
