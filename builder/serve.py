"""Serve the built site (`site/`) over HTTP with range requests.

Browsers seek a video by asking for a byte range; a server that ignores `Range` (Python's
http.server, `mkdocs serve`) makes Chromium treat the talk as a stream it cannot seek, so a
timestamp link would play from 0:00. This handler answers single byte ranges (RFC 9110 §14)."""
from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for one "bytes=a-b" range; None when there is none to honour; False when it
    cannot be satisfied (416)."""
    match = _RANGE.match(header.strip())
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:
        start, end = max(size - int(last), 0), size - 1
    return (start, end) if start < size and start <= end else False


class RangeRequestHandler(http.server.SimpleHTTPRequestHandler):
    _remaining: int | None = None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_head(self):
        self._remaining = None
        path = Path(self.translate_path(self.path))
        header = self.headers.get("Range", "")
        if not header or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        span = byte_range(header, size)
        if span is None:
            return super().send_head()
        if span is False:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        start, end = span
        handle = open(path, "rb")
        handle.seek(start)
        self._remaining = end - start + 1
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(self._remaining))
        self.send_header("Last-Modified", self.date_time_string(int(os.fstat(handle.fileno()).st_mtime)))
        self.end_headers()
        return handle

    def copyfile(self, source, outputfile) -> None:
        if self._remaining is None:
            return super().copyfile(source, outputfile)
        while self._remaining > 0:
            chunk = source.read(min(64 * 1024, self._remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            self._remaining -= len(chunk)


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 0,
                verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for `site_dir` (port 0: any free port; read it from `server.server_address`)."""
    handler = functools.partial(RangeRequestHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.verbose = verbose
    return server


def serve_in_thread(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server on a free 127.0.0.1 port in a daemon thread; returns it and its base URL."""
    server = make_server(site_dir)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"

