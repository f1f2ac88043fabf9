"""`coursewiki check`: validate every page in content/ against the files served beside it.

Anchors must resolve, and each report's cited sentences must be supported by the PDF page text
and the talk.vtt cues they point at: the same evidence the build checked them on (the page texts
come from the cached paper record, so a check after a build embeds nothing new).
"""
from __future__ import annotations

import re

from pathlib import Path

from .. import layout
from ..analyse.embed import MULTILINGUAL, Embedder
from ..analyse.glossary import load_glossary
from ..cache import Cache
from ..config import CourseSettings
from ..errors import CoursewikiError, PairError
from ..faults import fault
from ..write.student_notes import generated_part
from .support import Evidence, SupportChecker, build_evidence, read_vtt
from .validate import Validation, validate_markdown

NOT_TALKS = (".md", ".vtt", ".srt")


def check_course(settings: CourseSettings) -> dict[str, Validation]:
    """Every published pair's pages, checked on the files beside them. A fault of coursewiki's own
    that one pair's files bring out is that pair's problem, in one line; the others are still checked."""
    glossary = load_glossary()
    if not settings.content_dir.is_dir():
        raise CoursewikiError(f"{settings.content_dir}: no content folder; run `coursewiki build` first")
    glossary_ids = {t.id for t in glossary} | published_anchors(settings.content_dir / layout.GLOSSARY)
    cache = Cache(settings.cache_dir)
    support = SupportChecker(Embedder(cache, settings.embedding_model), glossary,
                             multilingual=Embedder(cache, settings.multilingual_embedding_model or MULTILINGUAL))
    results: dict[str, Validation] = {}
    for folder in sorted(p for p in settings.content_dir.iterdir() if p.is_dir() and (p / layout.REPORT).is_file()):
        try:
            results.update(_check_pair(folder, settings, cache, support, glossary_ids))
        except (CoursewikiError, OSError):
            raise
        except Exception as err:  # noqa: BLE001 (a fault of ours that one pair's files bring out: that pair's problem)
            results[f"{folder.name}/{layout.REPORT}"] = Validation(problems=[
                f"not checked, coursewiki failed on it ({fault(err)}); report it with this pair's files"])
    return results


def _check_pair(folder: Path, settings: CourseSettings, cache: Cache, support: SupportChecker,
                glossary_ids: set[str]) -> dict[str, Validation]:
    from ..ingest.pdf_layout import open_pdf
    from ..ingest.talk import media_duration
    pdf = folder / layout.PDF_NAME
    try:
        with open_pdf(pdf) as doc:
            page_count = doc.page_count
    except PairError:
        page_count = 0
    talks = [t for t in sorted(folder.glob("talk.*")) if t.suffix not in NOT_TALKS]
    duration = media_duration(talks[0]) if talks else None
    evidence = published_evidence(folder, cache) if page_count else None
    results = {}
    for name in (layout.REPORT, layout.TALK_PAGE):
        page = folder / name
        if page.is_file():
            checker = support if name == layout.REPORT else None
            results[f"{folder.name}/{name}"] = validate_markdown(
                generated_part(page.read_text(encoding="utf-8")), page_count, duration, glossary_ids,
                support=checker, evidence=evidence, subject=folder.name, min_supported=settings.min_supported)
    return results


def published_anchors(page: Path) -> set[str]:
    """The entry anchors the published glossary page has (`{ #id }`, `{: #id }`): the terms the
    course's papers name are entries there and nowhere else."""
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return set()
    return set(re.findall(r"\{:?\s*#([\w-]+)\s*\}", text))


def published_evidence(folder: Path, cache: Cache) -> Evidence | None:
    """What a pair's anchors point at, read from the published paper.pdf and talk.vtt alone."""
    from ..gather import cached_paper
    pdf, vtt = folder / layout.PDF_NAME, folder / layout.SUBTITLES
    try:
        _, paper = cached_paper(cache, folder.name, pdf)
    except CoursewikiError:
        return None
    return build_evidence(paper.passages, paper.page_texts, read_vtt(vtt) if vtt.is_file() else [])
