"""The `coursewiki` MkDocs plugin: lets `mkdocs serve` answer byte-range requests.

Browsers seek a video by asking for a byte range. `mkdocs serve` ignores `Range` and sends the
whole file, so Chromium treats the talk as a stream it cannot seek and a timestamp link plays from
0:00. The plugin wraps the dev server's WSGI app: a ranged GET for a file of the built site gets
a 206 with just those bytes; everything else (pages, live reload) goes to MkDocs as before.
MkDocs calls `on_serve` only with live reload on, its default. `mkdocs build` output is unaffected;
for a built site, any static host or `coursewiki serve` answers ranges.
"""
from __future__ import annotations

import os
import posixpath
from typing import Callable, Iterable

from mkdocs.config.base import ValidationError
from mkdocs.config.config_options import BaseConfigOption
from mkdocs.plugins import BasePlugin

from .config import SETTINGS, Setting
from .serve import byte_range

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


class CoursewikiPlugin(BasePlugin):
    config_scheme = tuple((name, _SettingOption(spec)) for name, spec in SETTINGS.items())

    def on_serve(self, server, config, builder):
        server.set_app(with_ranges(server.get_app(), server.root, server.mount_path))
        return server
