"""The build, top to bottom: discover pairs -> gather each pair's stage results -> write pages.

Like mkdocs' `build()`: every pair's stages run first (`gather.py`, each through the
content-hash cache, so a second build with nothing changed transcribes and embeds nothing),
then related reports are linked across the course, then everything is written (`publish.py`)
and what earlier builds wrote but this one did not is removed (`layout.Manifest`). Errors become
pair failures in one place, `_as_failure`; one bad pair is reported and the rest builds.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

from .analyse.embed import Embedder
from .analyse.glossary import TermMatcher, load_glossary
from .analyse.related import with_related_links
from .cache import Cache, StageRun
from .check.support import SupportChecker
from .check.validate import Validation
from .config import CourseSettings
from .errors import CoursewikiError, disk_error
from .fsio import remove_leftover_temps
from .gather import Course, Reporter, cached_paper, gather_pair, regathered_if_changed
from .layout.manifest import Manifest
from .models import PairFailure, PairResult
from .publish import Writer, Written, llm_endpoint
from .sources import discover_pairs
from .write.pages import course_relative
from .write.student_notes import PageOutcome

__all__ = ["BuildSummary", "Reporter", "build_course", "cached_paper", "check_course"]
T = TypeVar("T")


@dataclass
class BuildSummary:
    built: list[str] = field(default_factory=list)
    failed: list[PairFailure] = field(default_factory=list)
    runs: list[StageRun] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    validations: dict[str, Validation] = field(default_factory=dict)
    left_alone: list[PageOutcome] = field(default_factory=list)
    tracebacks: dict[str, str] = field(default_factory=dict)  # shown with -v -v
    removed: list[Path] = field(default_factory=list)

    def ran(self, stage: str) -> list[StageRun]:
        return [r for r in self.runs if r.ran and r.stage == stage]

    def line(self) -> str:
        fresh = {r.subject for r in self.runs if r.ran and r.stage in ("paper", "talk", "analysis")}
        cached = [s for s in self.built if s not in fresh]
        return (f"{len(self.built)} pair(s) built ({len(cached)} entirely from cache), {len(self.failed)} failed; "
                f"transcribed {len(self.ran('talk'))}, embedded {len(self.ran('embed'))} batch(es); "
                f"{len(self.written)} file(s) updated")

    def add(self, done: Written) -> None:
        self.written += done.changed
        self.left_alone += done.left_alone


def build_course(settings: CourseSettings, reporter: Reporter | None = None) -> BuildSummary:
    reporter = reporter or Reporter()
    content = settings.content_dir
    if content.exists() and not content.is_dir():
        raise CoursewikiError(f"{content}: is a file, not a folder; move it away or pass --content")
    for folder in (content, settings.cache_dir):
        remove_leftover_temps(folder)
    glossary = load_glossary()
    cache = Cache(settings.cache_dir)
    course = Course(settings, cache, glossary, TermMatcher(glossary), Embedder(cache, settings.embedding_model),
                    reporter)
    summary = BuildSummary()
    pairs, summary.failed = discover_pairs(settings.sources_dir)

    # 1. every pair's stage results
    results: list[PairResult] = []
    for pair in pairs:
        gathered = _as_failure(summary, pair.slug, settings.cache_dir, lambda: gather_pair(pair, course),
                               building=pair.folder.name)
        if gathered is not None:
            results.append(gathered)
    glossary_by_id = {t.id: t for t in glossary}
    results = with_related_links(results, glossary_by_id)

    # 2. write them, each pair checked against its inputs first
    writer = Writer(settings, Manifest.load(content), cache, glossary_by_id, SupportChecker(course.embedder, glossary),
                    reporter.warn, llm_endpoint(settings))
    built: list[PairResult] = []
    for result in results:
        slug = result.source.slug
        done = _as_failure(summary, slug, content / slug, lambda: writer.pair(regathered_if_changed(result, course)))
        if done is not None:
            summary.add(done)
            summary.validations[slug] = done.validation
            summary.built.append(slug)
            built.append(result)

    # 3. the course pages, then take down what earlier builds wrote and this one did not
    failures = [course_relative(f.message, [settings.root, settings.sources_dir.parent]) for f in summary.failed]
    site = _as_failure(summary, "(site)", content, lambda: writer.site(built, failures, glossary, course.embedder))
    if site is not None:
        summary.add(site)
        writer.manifest.keep({f.slug for f in summary.failed})
        _as_failure(summary, "(site)", content, lambda: summary.removed.extend(writer.manifest.remove_stale()))
        _as_failure(summary, "(site)", content, writer.manifest.save)
    summary.runs = list(cache.log)
    try:
        cache.write_log()
    except OSError:
        pass  # the log is for tests and curious users; a full disk has already been reported
    return summary


def _as_failure(summary: BuildSummary, slug: str, where: Path, work: Callable[[], T],
                building: str | None = None) -> T | None:
    """The one place an error becomes a failure of one pair (or of the site pages): its message
    names the file; the traceback is kept for -v."""
    try:
        return work()
    except CoursewikiError as err:
        message, trace = str(err), traceback.format_exc()
    except OSError as err:  # the cache, a page or a scratch file could not be written: disk full, permissions
        message, trace = disk_error(err, where, building), traceback.format_exc()
    summary.failed.append(PairFailure(slug, message))
    summary.tracebacks[slug] = trace
    return None


def check_course(settings: CourseSettings) -> dict[str, Validation]:
    """`coursewiki check`; kept here so `from builder.pipeline import check_course` still works."""
    from .check.course import check_course as check
    return check(settings)
