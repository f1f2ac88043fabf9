"""What the cache holds and which of it the courses still use: `coursewiki cache` and its --prune.

Every build records the entries its pairs read or wrote (`uses.json` in the cache, one list per
pair, kept per sources folder beside those of other courses sharing the cache, as
`sources-seen.json` is), and with each entry it computed, the entries that went into it: a build
that finds a pair's analysis in the cache reads none of the embeddings it was made from, which are
still what the next change to the analysis code needs. An entry that no recorded course uses any
more, directly or through what it went into, (a talk re-encoded, a
paper replaced, a stage whose code changed, a pair removed) is what --prune deletes. A course
whose sources folder is gone uses nothing. Only files laid out as entries
(`<stage>/<2 hex>/<key>.<ext>`) are ever counted or deleted.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .cache import StageRun
from .fsio import write_atomic

USES = "uses.json"
COURSE_WIDE = "(course)"       # entries no one pair owns: the glossary's embeddings
_ENTRY = re.compile(r"[a-z_-]+/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z]+")


def record_uses(cache_dir: Path, sources_dir: Path, runs: list[StageRun], slugs: set[str],
                depends: dict[str, tuple[str, ...]]) -> None:
    """This build's entries, per pair (`slugs`; a subject "dpo/paper" is the pair dpo's), with
    what each went into; `depends`: the entries this build computed, with those they read."""
    data = _load(cache_dir)
    known = {entry: tuple(inputs) for entry, inputs in data.get("depends", {}).items()} | depends
    used: dict[str, set[str]] = defaultdict(set)
    for run in runs:
        if run.entry:
            owner = run.subject.split("/", 1)[0]
            used[owner if owner in slugs else COURSE_WIDE].update(_with_inputs(run.entry, known))
    courses = data.get("courses", {})
    courses[str(sources_dir.resolve())] = {slug: sorted(entries) for slug, entries in sorted(used.items())}
    _save(cache_dir, courses, known)


def _with_inputs(entry: str, depends: dict[str, tuple[str, ...]]) -> set[str]:
    found, todo = set(), [entry]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(depends.get(current, ()))
    return found


def _load(cache_dir: Path) -> dict:
    try:
        data = json.loads((cache_dir / USES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("courses"), dict):
        return {}
    return data


def _save(cache_dir: Path, courses: dict, depends: dict) -> None:
    """The courses whose sources folder is still there, and what their entries went into."""
    courses = {folder: pairs for folder, pairs in courses.items() if Path(folder).is_dir()}
    used = {entry for pairs in courses.values() for entries in pairs.values() for entry in entries}
    depends = {entry: list(inputs) for entry, inputs in sorted(depends.items()) if entry in used}
    write_atomic(cache_dir / USES, json.dumps({"courses": courses, "depends": depends}, indent=1,
                                              sort_keys=True) + "\n")


@dataclass
class Tally:
    entries: int = 0
    size: int = 0

    def add(self, size: int) -> None:
        self.entries += 1
        self.size += size


@dataclass
class CacheReport:
    """The cache as `coursewiki cache` shows it. `recorded`: whether a build of this course has
    said what it uses (without one nothing counts as unused, and nothing may be pruned)."""
    total: Tally = field(default_factory=Tally)
    by_stage: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_pair: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    unused: Tally = field(default_factory=Tally)
    unused_paths: list[Path] = field(default_factory=list)
    recorded: bool = False


def cache_report(cache_dir: Path, sources_dir: Path) -> CacheReport:
    report = CacheReport()
    courses = {folder: pairs for folder, pairs in _load(cache_dir).get("courses", {}).items()
               if isinstance(pairs, dict) and Path(folder).is_dir()}
    report.recorded = str(sources_dir.resolve()) in courses
    mine = courses.get(str(sources_dir.resolve()), {})
    owner = {entry: slug for slug, entries in mine.items() for entry in entries}
    anyone = {entry for pairs in courses.values() for entries in pairs.values() for entry in entries}
    for path in sorted(cache_dir.glob("*/*/*")):
        relative = path.relative_to(cache_dir).as_posix()
        if not path.is_file() or not _ENTRY.fullmatch(relative):
            continue
        size = path.stat().st_size
        report.total.add(size)
        report.by_stage[relative.split("/", 1)[0]].add(size)
        if relative in owner:
            report.by_pair[owner[relative]].add(size)
        elif report.recorded and relative not in anyone:
            report.unused.add(size)
            report.unused_paths.append(path)
    return report


def prune(cache_dir: Path, report: CacheReport) -> Tally:
    """Delete the entries no recorded course uses; what could not be deleted is left."""
    removed = Tally()
    for path in report.unused_paths:
        try:
            size = path.stat().st_size
            path.unlink()
        except OSError:
            continue
        removed.add(size)
    data = _load(cache_dir)
    _save(cache_dir, data.get("courses", {}), data.get("depends", {}))
    return removed


def size_text(size: float) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
