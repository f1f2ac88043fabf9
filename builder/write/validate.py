"""Validation of written pages: every PDF page anchor, talk time and glossary link must resolve.

`coursewiki check` runs this on what is in content/, against the PDF and talk files there, so it
checks what the site will really serve, not what the builder meant to write."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PAGE_ANCHOR = re.compile(r"\]\((?P<prefix>[^)\s]*?)paper\.pdf#page=(?P<page>\d+)\)")
TIME_ANCHOR = re.compile(r"\]\((?P<prefix>[^)\s]*?)(?P<video>talk\.[a-z0-9]+)#t=(?P<t>\d+(?:\.\d+)?)\)")
GLOSSARY_ANCHOR = re.compile(r"\]\((?:\.\./)?glossary\.md#(?P<id>[^)\s]+)\)")


@dataclass
class Validation:
    page_anchors: int = 0
    time_anchors: int = 0
    glossary_links: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def anchors(self) -> int:
        return self.page_anchors + self.time_anchors

    @property
    def resolved(self) -> int:
        return self.anchors + self.glossary_links - len(self.problems)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_markdown(markdown: str, page_count: int, duration_s: float | None, glossary_ids: set[str]) -> Validation:
    result = Validation()
    for line_no, line in enumerate(markdown.splitlines(), start=1):
        for match in PAGE_ANCHOR.finditer(line):
            result.page_anchors += 1
            page = int(match["page"])
            if not 1 <= page <= page_count:
                result.problems.append(f"line {line_no}: page {page} does not exist (the PDF has {page_count})")
        for match in TIME_ANCHOR.finditer(line):
            result.time_anchors += 1
            seconds = float(match["t"])
            if duration_s is None:
                result.problems.append(f"line {line_no}: links to {match['video']} but the pair has no talk")
            elif not 0 <= seconds <= duration_s:
                result.problems.append(f"line {line_no}: time {seconds:g}s is past the talk's end ({duration_s:.0f}s)")
        for match in GLOSSARY_ANCHOR.finditer(line):
            result.glossary_links += 1
            if match["id"] not in glossary_ids:
                result.problems.append(f"line {line_no}: glossary has no term '{match['id']}'")
    return result


def validation_line(check: Validation) -> str:
    """The short line a report shows about itself."""
    status = "all resolve" if check.ok else f"{len(check.problems)} do not resolve"
    return (f"*Validation: {check.anchors} source anchors ({check.page_anchors} PDF pages, "
            f"{check.time_anchors} talk times) and {check.glossary_links} glossary links; {status}.*")
