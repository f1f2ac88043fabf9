"""Markdown building blocks. All text from PDFs, transcripts and pair.yml passes through
`escape_md`, the one place that makes untrusted text inert (no HTML, no Markdown syntax)."""
from __future__ import annotations

import html
import re
from urllib.parse import quote

PDF_NAME = "paper.pdf"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=:<>$&\"'@])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def escape_md(text: str) -> str:
    """Untrusted text -> Markdown that renders exactly that text (needs pymdownx.escapeall).

    Each punctuation mark that could start Markdown or HTML is backslash-escaped; `<`, `>`
    and `&` become entities as well, so even a renderer without escapeall shows no markup."""
    text = _CONTROL.sub(" ", str(text))
    text = re.sub(r"\s+", " ", text).strip()
    out = []
    for char in text:
        if char in "<>&":
            out.append(html.escape(char))
        elif _MD_SPECIAL.match(char):
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def escape_attr(text: str) -> str:
    return html.escape(re.sub(r"\s+", " ", str(text)).strip(), quote=True)


def format_time(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def page_link(page_no: int, prefix: str = "") -> str:
    return f"[p.&nbsp;{page_no}]({prefix}{PDF_NAME}#page={page_no})"


def time_link(start_s: float, video_name: str, prefix: str = "") -> str:
    seconds = int(start_s)
    return f"[{format_time(seconds)}]({prefix}{quote(video_name)}#t={seconds})"


def glossary_link(term_id: str, label: str, prefix: str = "../") -> str:
    return f"[{escape_md(label)}]({prefix}glossary.md#{term_id})"
