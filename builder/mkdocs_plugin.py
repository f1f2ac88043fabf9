"""The `coursewiki` MkDocs plugin: the course settings as its options, the theme overrides that
ship in the package, the course's navigation, and under `mkdocs serve` byte ranges and a rebuild
of each pair whose sources change.

The navigation (unless mkdocs.yml gives a `nav` of its own): the home page, one section per pair
under its week or group, as the last `coursewiki build` arranged them (`write/course_nav.py`,
read from `content/.coursewiki-course.json`), the glossary and tags, then any other page of the
course, placed as MkDocs would place it.

Under `mkdocs serve` the plugin also watches `sources/`: before each rebuild it compares the pair
folders with those the last build read (recorded in the cache) and builds the changed ones
(`coursewiki build --pair`, the others from the cache); MkDocs then rebuilds the site and the
open page reloads.

The overrides (`builder/theme/`: main.html, the player script, styles) go into the theme's
folders just below a course's own `custom_dir`, so a course needs no copy of them and its own
`theme/main.html` still wins.

Browsers seek a video by asking for a byte range. `mkdocs serve` ignores `Range` and sends the
whole file, so Chromium treats the talk as a stream it cannot seek and a timestamp link plays from
0:00. The plugin wraps the dev server's WSGI app: a ranged GET for a file of the built site gets
a 206 with just those bytes; everything else (pages, live reload) goes to MkDocs as before.
MkDocs calls `on_serve` only with live reload on, its default. `mkdocs build` output is unaffected;
for a built site, any static host or `coursewiki serve` answers ranges.
"""
from __future__ import annotations

import logging
import os
import posixpath
from pathlib import Path
from importlib import resources
from typing import Callable, Iterable

from mkdocs.config.base import ValidationError
from mkdocs.config.config_options import BaseConfigOption
from mkdocs.plugins import BasePlugin

from . import layout
from .config import SETTINGS, Setting
from .layout.course_record import CourseRecord
from .serve import byte_range
from .sources import load_seen, source_signatures

log = logging.getLogger("mkdocs.plugins.coursewiki")

_CHUNK = 64 * 1024


def with_ranges(app: Callable, root: str, mount_path: str) -> Callable:
    def ranged(environ, start_response) -> Iterable[bytes]:
        header = environ.get("HTTP_RANGE", "")
        path = environ.get("PATH_INFO", "")
        if not header or environ.get("REQUEST_METHOD") != "GET" or not (path + "/").startswith(mount_path):
            return app(environ, start_response)
        relative = posixpath.normpath("/" + path[len(mount_path):]).lstrip("/")  # no way out of the root
        file_path = os.path.join(root, relative)
        if not relative or not os.path.isfile(file_path):
            return app(environ, start_response)
        size = os.path.getsize(file_path)
        span = byte_range(header, size)
        if span is None:
            return app(environ, start_response)
        if span is False:
            start_response("416 Range Not Satisfiable", [("Content-Range", f"bytes */{size}"), ("Content-Length", "0")])
            return []
        start, end = span
        import mimetypes
        kind = mimetypes.guess_type(file_path)[0] or "application/octet-stream"
        start_response("206 Partial Content", [("Content-Type", kind), ("Accept-Ranges", "bytes"),
                                               ("Content-Range", f"bytes {start}-{end}/{size}"),
                                               ("Content-Length", str(end - start + 1))])
        return _read(file_path, start, end - start + 1)
    return ranged


def _read(path: str, start: int, length: int) -> Iterable[bytes]:
    with open(path, "rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(_CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk


class _SettingOption(BaseConfigOption):
    """A course setting as a plugin option: `mkdocs build` checks it with the same words as
    `coursewiki build` does, and neither warns about the other's keys."""

    def __init__(self, spec: Setting):
        super().__init__()
        self.spec = spec
        self.default = spec.default

    def run_validation(self, value):
        try:
            return self.spec.check(value)
        except ValueError as err:
            raise ValidationError(str(err)) from None


def theme_dir() -> str:
    return str(resources.files("builder").joinpath("theme"))


def site_nav(pairs: list, pages: list[str]) -> list:
    """The whole navigation: home, the pairs' sections (entries whose pages are missing dropped),
    glossary and tags, then every other page as MkDocs' own navigation would nest it."""
    from mkdocs.utils import nest_paths
    present = set(pages)

    def kept(entries: list) -> list:
        out = []
        for entry in entries:
            (title, target), = entry.items()
            if isinstance(target, list):
                children = kept(target)
                if children:
                    out.append({title: children})
            elif target in present:
                out.append({title: target})
        return out

    def paths(entries: list) -> set[str]:
        found = set()
        for entry in entries:
            for target in entry.values():
                found |= paths(target) if isinstance(target, list) else {target}
        return found

    sections = kept(pairs)
    first = [p for p in (layout.INDEX,) if p in present]
    last = [p for p in (layout.GLOSSARY, layout.TAGS_PAGE) if p in present]
    placed = paths(sections) | set(first) | set(last)
    return first + sections + last + nest_paths([p for p in pages if p not in placed])


class _LogReporter:
    """The build's progress in MkDocs' log, as `mkdocs serve` shows its own."""
    def step(self, slug: str, message: str) -> None:
        log.info(f"[{slug}] {message}")

    def audio_progress(self, slug: str, done_s: float, total_s: float) -> None:
        pass

    def warn(self, message: str) -> None:
        log.warning(message)


def changed_pairs(seen: dict | None, now: dict) -> list[str] | None:
    """The pair folders that are new or differ from what the last build read (`sources.load_seen`);
    None when no build has recorded them (every pair is to be built)."""
    if seen is None:
        return None
    return [folder for folder, files in now.items() if seen.get(folder) != files]


def removed_pairs(seen: dict | None, now: dict) -> list[str]:
    """Pair folders the last build read that are gone (a build takes their pages down)."""
    return sorted(set(seen) - set(now)) if seen is not None else []


class CoursewikiPlugin(BasePlugin):
    config_scheme = tuple((name, _SettingOption(spec)) for name, spec in SETTINGS.items())

    def __init__(self):
        super().__init__()
        self.serving = False
        self.own_nav = False

    def on_startup(self, *, command, dirty):
        # defining on_startup keeps this plugin object for the whole of `mkdocs serve`
        self.serving = command == "serve"

    def on_config(self, config):
        dirs = config.theme.dirs
        ours = theme_dir()
        if ours not in dirs:  # custom_dir, when given, is dirs[0]: it stays above ours
            dirs.insert(1 if config.theme.custom_dir else 0, ours)
        self.own_nav = config.nav is None  # a nav written in mkdocs.yml is the course's: left as it is
        return config

    def on_pre_build(self, config):
        if self.serving:
            self._build_changed_pairs(config)

    def on_files(self, files, config):
        record = CourseRecord.load(Path(config.docs_dir)) if self.own_nav else None
        if record is not None:
            config.nav = site_nav(record.nav, [f.src_uri for f in files.documentation_pages()])
        return files

    def on_serve(self, server, config, builder):
        server.set_app(with_ranges(server.get_app(), server.root, server.mount_path))
        sources = self._settings(config).sources_dir
        if sources.is_dir():
            server.watch(str(sources))
        return server

    def _settings(self, config):
        from .config import CourseSettings
        return CourseSettings.for_root(Path(config.config_file_path).parent, content_dir=config.docs_dir)

    def _build_changed_pairs(self, config) -> None:
        """Build the pairs whose folders changed since the last build; a problem is logged and the
        site is served as it is, never a crash of the server."""
        from .errors import CoursewikiError
        from .pipeline import build_course
        try:
            settings = self._settings(config)
            seen, now = load_seen(settings.cache_dir, settings.sources_dir), source_signatures(settings.sources_dir)
            changed, removed = changed_pairs(seen, now), removed_pairs(seen, now)
            if changed == [] and not removed:
                return
            log.info("coursewiki: " + ("building the course (no earlier build)" if changed is None else
                                       f"building {', '.join(changed)} (sources changed)" if changed else
                                       f"taking down {', '.join(removed)} (removed from sources)"))
            summary = build_course(settings, _LogReporter(), only=changed)
        except (CoursewikiError, OSError) as err:
            log.error(f"coursewiki: {err}")
            return
        for failure in summary.failed:
            log.error(f"coursewiki: {failure.message}")
        log.info(f"coursewiki: {summary.line()}")
