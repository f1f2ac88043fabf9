"""Content-hash cache: a stage's output is keyed by the hash of its inputs, settings and version.

A second build with nothing changed must not transcribe or embed again; the cache keeps a log of
which stages ran and which were reused so the build can say so (and tests can assert it).
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from .fsio import write_atomic
from .records import from_jsonable, to_jsonable

T = TypeVar("T")


@dataclass(frozen=True)
class StageRun:
    stage: str
    subject: str
    ran: bool
    entry: str = ""          # the entry's file, relative to the cache folder (what `coursewiki cache` counts)


def digest_text(*parts: Any) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class NotCached(Exception):
    """A stage has no entry for its inputs in a build that may only read the cache for this pair
    (`coursewiki build --pair` takes the other pairs from the cache as their last build left them)."""
    def __init__(self, stage: str, subject: str):
        super().__init__(f"{subject}: no cached {stage} for its current sources")
        self.stage, self.subject = stage, subject


class Cache:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.log: list[StageRun] = []
        self.depends: dict[str, tuple[str, ...]] = {}   # an entry computed in this build: the entries it read
        self._file_digests: dict[tuple[str, int, int], str] = {}
        self.computes = True

    def reading_only(self) -> "Cache":
        """The same cache (entries, log, file hashes) for a pair that must not run any stage: a
        missing entry raises NotCached instead of being computed."""
        view = copy.copy(self)
        view.computes = False
        return view

    def file_digest(self, path: Path) -> str:
        stat = path.stat()
        memo_key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if memo_key not in self._file_digests:
            sha = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    sha.update(chunk)
            self._file_digests[memo_key] = sha.hexdigest()
        return self._file_digests[memo_key]

    def entry_path(self, stage: str, key: str, suffix: str = ".json") -> Path:
        return self.root / stage / key[:2] / f"{key}{suffix}"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def record(self, stage: str, subject: str, key: str, cls: type[T], compute: Callable[[], T]) -> T:
        """Return the cached record for `key`, or compute, store and return it."""
        path = self.entry_path(stage, key)
        if path.is_file():
            try:
                loaded = from_jsonable(cls, json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, KeyError, TypeError):
                loaded = None  # an entry from an older layout: recompute it
            if loaded is not None:
                self.log.append(StageRun(stage, subject, ran=False, entry=self.relative(path)))
                return loaded
        if not self.computes:
            raise NotCached(stage, subject)
        start = len(self.log)
        result = compute()
        write_atomic(path, json.dumps(to_jsonable(result), ensure_ascii=False, sort_keys=True))
        entry = self.relative(path)
        self.depends[entry] = tuple(sorted({run.entry for run in self.log[start:] if run.entry}))
        self.log.append(StageRun(stage, subject, ran=True, entry=entry))
        return result

    def write_log(self) -> None:
        rows = [{"stage": r.stage, "subject": r.subject, "ran": r.ran} for r in self.log]
        write_atomic(self.root / "last-build.json", json.dumps(rows, indent=1, sort_keys=True))
