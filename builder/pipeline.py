"""The build, top to bottom: discover pairs -> gather each pair's stage results -> write pages.

Like mkdocs' `build()`: every pair's stages run first (`gather.py`, each through the
content-hash cache, so a second build with nothing changed transcribes and embeds nothing),
then related reports and the terms the papers name are linked across the course, then everything is written (`publish.py`)
and what earlier builds wrote but this one did not is removed (`layout.Manifest`). Errors become
pair failures in one place, `distribute.attempt` (for the stages, wherever they run, and the pages); one bad pair is reported and the rest builds.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from .analyse.named_terms import with_named_terms
from .analyse.related import with_related_links
from .cache import NotCached, StageRun
from .cache_usage import record_uses
from .check.support import SupportChecker
from .check.validate import Validation
from .config import CourseSettings
from .errors import CoursewikiError
from .fsio import remove_leftover_temps
from .distribute import PairTask, WarningsOnly, attempt, course_for, gather_all
from .gather import Reporter, cached_paper, regathered_if_changed
from .layout.manifest import Manifest
from .models import PairFailure, PairResult
from .publish import Writer, Written, llm_endpoint
from .sources import discover_pairs, load_seen, save_seen, slugify, source_signatures
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
    kept: list[str] = field(default_factory=list)   # --pair: others with no cached result, pages left as they were

    def ran(self, stage: str) -> list[StageRun]:
        return [r for r in self.runs if r.ran and r.stage == stage]

    def line(self) -> str:
        fresh = {r.subject for r in self.runs if r.ran and r.stage in ("paper", "talk", "analysis")}
        cached = [s for s in self.built if s not in fresh]
        return (f"{len(self.built)} pair(s) built ({len(cached)} entirely from cache), {len(self.failed)} failed; "
                f"transcribed {len(self.ran('talk'))}, embedded {len(self.ran('embed'))} batch(es); "
                f"{len(self.written)} file(s) updated" + (f"; {len(self.kept)} kept as they were" if self.kept else ""))

    def add(self, done: Written) -> None:
        self.written += done.changed
        self.left_alone += done.left_alone


def build_course(settings: CourseSettings, reporter: Reporter | None = None,
                 only: Iterable[str] | None = None) -> BuildSummary:
    """Build the course. With `only` (pair folder names or slugs: `coursewiki build --pair`), just
    those pairs run their stages; every other pair is taken from the cache as its last build left it,
    so the course pages, related links and glossary stay whole, and one whose current sources have
    no cached result keeps its pages as they are until a build that includes it."""
    reporter = reporter or Reporter()
    content = settings.content_dir
    if content.exists() and not content.is_dir():
        raise CoursewikiError(f"{content}: is a file, not a folder; move it away or pass --content")
    for folder in (content, settings.cache_dir):
        remove_leftover_temps(folder)
    course = course_for(settings, reporter)
    cache, glossary = course.cache, course.glossary
    summary = BuildSummary()
    signatures = source_signatures(settings.sources_dir)
    pairs, summary.failed = discover_pairs(settings.sources_dir)
    chosen = _chosen(only, pairs, summary.failed, settings.sources_dir)
    from_cache = replace(course, cache=cache.reading_only(), reporter=WarningsOnly(reporter))
    course_of = {pair.slug: course if chosen is None or pair.slug in chosen else from_cache for pair in pairs}

    # 1. every pair's stage results: here, in --jobs processes or on a Dask cluster (distribute.py)
    results: list[PairResult] = []
    tasks = [PairTask(pair, settings, from_cache=chosen is not None and pair.slug not in chosen) for pair in pairs]
    for gathered in gather_all(tasks, course, settings):
        if gathered.failure is not None:
            summary.failed.append(PairFailure(gathered.slug, gathered.failure))
            summary.tracebacks[gathered.slug] = gathered.trace or ""
        elif gathered.kept:
            summary.kept.append(gathered.slug)
        else:
            results.append(gathered.result)
    glossary_by_id = {t.id: t for t in glossary}
    results = with_named_terms(with_related_links(results, glossary_by_id), glossary)

    # 2. write them, each pair checked against its inputs first
    support = SupportChecker(course.embedder, glossary, multilingual=course.multilingual)
    writer = Writer(settings, Manifest.load(content), cache, glossary_by_id, support, reporter.warn,
                    course.glossary_digest, llm_endpoint(settings))
    built: list[PairResult] = []
    for result in results:
        slug = result.source.slug
        write = lambda: _unless_uncached(summary, slug, lambda: writer.pair(regathered_if_changed(result, course_of[slug])))
        done = _as_failure(summary, slug, content / slug, write)
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
        writer.manifest.keep({f.slug for f in summary.failed} | set(summary.kept))
        _as_failure(summary, "(site)", content, lambda: summary.removed.extend(writer.manifest.remove_stale()))
        _as_failure(summary, "(site)", content, writer.manifest.save)
    summary.runs = list(cache.log)
    seen = _sources_seen(signatures, summary.kept, pairs, load_seen(settings.cache_dir, settings.sources_dir))
    try:
        cache.write_log()
        save_seen(settings.cache_dir, settings.sources_dir, seen)
        record_uses(settings.cache_dir, settings.sources_dir, summary.runs, {p.slug for p in pairs},
                    cache.depends)
    except OSError:
        pass  # these only save work (tests read the log; serve compares what was seen; `coursewiki cache`
              # prunes by the uses); a full disk is reported
    return summary


def _chosen(only: Iterable[str] | None, pairs: list, failed: list[PairFailure], sources_dir: Path) -> set[str] | None:
    """The slugs `--pair` names (a folder name or its slug); an unknown name stops the build with
    the pairs there are, before anything runs."""
    if only is None:
        return None
    known = sorted({p.slug for p in pairs} | {f.slug for f in failed})
    chosen = set()
    for name in only:
        slug = slugify(str(name).strip().rstrip("/").rsplit("/", 1)[-1])
        if slug not in known:
            raise CoursewikiError(f"{sources_dir}: no pair '{name}' (pairs: {', '.join(known) or 'none'})")
        chosen.add(slug)
    return chosen


def _unless_uncached(summary: BuildSummary, slug: str, work: Callable[[], T]) -> T | None:
    """A pair taken from the cache only whose current sources were never built is kept as it is."""
    try:
        return work()
    except NotCached:
        if slug not in summary.kept:
            summary.kept.append(slug)
        return None


def _sources_seen(signatures: dict, kept: list[str], pairs: list, previous: dict | None) -> dict:
    """The pair folders as this build found them; a kept pair keeps the files its pages were built
    from, so `mkdocs serve` still sees it as changed."""
    sources = dict(signatures)
    folders = {p.slug: p.folder.name for p in pairs}
    for slug in kept:
        folder = folders[slug]
        if previous is not None and folder in previous:
            sources[folder] = previous[folder]
        else:
            sources.pop(folder, None)
    return sources


def _as_failure(summary: BuildSummary, slug: str, where: Path, work: Callable[[], T]) -> T | None:
    """`distribute.attempt`, its failure added to the summary."""
    result, message, trace = attempt(work, where)
    if message is not None:
        summary.failed.append(PairFailure(slug, message))
        summary.tracebacks[slug] = trace
    return result


def check_course(settings: CourseSettings) -> dict[str, Validation]:
    """`coursewiki check`; kept here so `from builder.pipeline import check_course` still works."""
    from .check.course import check_course as check
    return check(settings)
