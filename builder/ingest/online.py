"""Title, authors, venue and year from arXiv's API or Crossref, by the arXiv id or DOI the PDF prints.

Off unless a course asks for it (`--online`, or `online: true`): the build is offline by default.
An answer is used only when the title it gives is printed on page 1, so a mistyped id or a DOI of
the journal rather than the paper never puts another paper's authors on a report. What the lookup
gives wins for title and authors (the publisher's record spells every name); venue and year come from
it only where page 1 states none, because the PDF's own venue line is the one a reader can check.
Answers are cached by URL; a failed lookup is not cached and leaves the page-1 values as they are.
"""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

from ..cache import Cache, digest_text
from ..models.paper import Field, Paper

MAX_ANSWER_BYTES = 2_000_000
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
USER_AGENT = "coursewiki (paper metadata lookup)"


class LookupFailed(Exception):
    """A lookup that gave nothing usable: the message says why, in one line."""


@dataclass(frozen=True)
class OnlineSettings:
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    crossref_api_url: str = "https://api.crossref.org/works"
    timeout_s: float = 10.0


@dataclass(frozen=True)
class OnlineAnswer:
    """An answer as received (cached as it came, so a better parser needs no new request)."""
    source: str     # "arXiv API" or "Crossref"
    url: str
    body: str


@dataclass(frozen=True)
class OnlineRecord:
    source: str
    title: str
    authors: list[str]
    venue: str | None
    year: int | None


def lookup(paper: Paper, settings: OnlineSettings, cache: Cache, slug: str) -> tuple[Paper, str | None]:
    """The paper with what arXiv or Crossref says, and a one-line note when the lookup was not used."""
    request = _request_for(paper, settings)
    if request is None:
        return paper, None
    source, url = request
    try:
        answer = cache.record("online", slug, digest_text("online", url), OnlineAnswer,
                              lambda: OnlineAnswer(source, url, _fetch(url, settings.timeout_s)))
        record = parse_answer(answer)
    except LookupFailed as err:
        return paper, f"online lookup at {source} gave nothing usable ({err}); page 1's values are kept"
    page_one = paper.page_texts[0] if paper.page_texts else ""
    if not title_printed(record.title, page_one):
        return paper, (f"online lookup at {source} names another title ({record.title[:80]!r}), not printed "
                       f"on page 1; page 1's values are kept")
    return with_record(paper, record), None


def _request_for(paper: Paper, settings: OnlineSettings) -> tuple[str, str] | None:
    arxiv_id, doi = paper.meta.value("arxiv_id"), paper.meta.value("doi")
    if arxiv_id:
        return "arXiv API", f"{settings.arxiv_api_url}?{urllib.parse.urlencode({'id_list': arxiv_id})}"
    if doi:
        return "Crossref", f"{settings.crossref_api_url.rstrip('/')}/{urllib.parse.quote(doi, safe='/')}"
    return None


def _fetch(url: str, timeout_s: float) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json, application/atom+xml"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as err:
        raise LookupFailed(f"HTTP {err.code}") from err
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise LookupFailed(f"no answer: {reason}") from err
    if len(body) > MAX_ANSWER_BYTES:
        raise LookupFailed("the answer is larger than any metadata record")
    return body.decode("utf-8", errors="replace")


def parse_answer(answer: OnlineAnswer) -> OnlineRecord:
    return parse_arxiv(answer.body) if answer.source == "arXiv API" else parse_crossref(answer.body)


def parse_arxiv(body: str) -> OnlineRecord:
    """arXiv's Atom feed: one <entry>; an unknown id comes back as an entry titled "Error"."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise LookupFailed("the arXiv answer is not valid XML") from err
    entry = root.find(f"{ATOM}entry")
    if entry is None or "/api/errors" in (entry.findtext(f"{ATOM}id") or ""):
        raise LookupFailed("arXiv knows no such id")
    title = _squash(entry.findtext(f"{ATOM}title"))
    authors = [_squash(a.findtext(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")]
    journal = _squash(entry.findtext(f"{ARXIV}journal_ref")) or None
    year = None
    if journal:
        found = re.search(r"\b(19|20)\d\d\b", journal)
        year = int(found.group(0)) if found else None
    if not title or not all(authors) or not authors:
        raise LookupFailed("the arXiv answer has no title or authors")
    return OnlineRecord("arXiv API", title, authors, journal, year)


def parse_crossref(body: str) -> OnlineRecord:
    try:
        message = json.loads(body)["message"]
        title = _squash((message.get("title") or [""])[0])
        authors = [_squash(f"{a.get('given', '')} {a.get('family', '')}") if "family" in a else _squash(a.get("name"))
                   for a in message.get("author") or []]
        venue = _squash((message.get("container-title") or [""])[0]) or None
        dated = message.get("published-print") or message.get("published") or message.get("issued") or {}
        year = (dated.get("date-parts") or [[None]])[0][0]
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as err:
        raise LookupFailed("the Crossref answer is not a work record") from err
    if not title or not authors or not all(authors):
        raise LookupFailed("the Crossref answer has no title or authors")
    return OnlineRecord("Crossref", title, authors, venue, int(year) if isinstance(year, int) else None)


def title_printed(title: str, page_text: str) -> bool:
    """The title, letters and digits only, appears in page 1's text (case and line breaks aside). A
    title of one word or a few letters could be printed anywhere on the page, so it proves nothing."""
    bare = lambda s: re.sub(r"[\W_]+", "", s.casefold())
    return len(title.split()) >= 2 and len(bare(title)) >= 12 and bare(title) in bare(page_text)


def with_record(paper: Paper, record: OnlineRecord) -> Paper:
    meta = paper.meta
    values = {"title": Field(record.title, None, record.source), "authors": Field(record.authors, None, record.source)}
    if meta.venue is None and record.venue:
        values["venue"] = Field(record.venue, None, record.source)
    if meta.venue is None and record.year and (meta.year is None or meta.year.rule.startswith("arXiv")):
        values["year"] = Field(record.year, None, record.source)
    missing = [m for m in paper.missing_fields if m not in values]
    return replace(paper, meta=replace(meta, **values), missing_fields=missing)


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())
