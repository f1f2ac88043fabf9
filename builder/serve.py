"""Serve the built site (`site/`) over HTTP with range requests.

Browsers seek a video by asking for a byte range; a server that ignores `Range` (Python's
http.server, `mkdocs serve`) makes Chromium treat the talk as a stream it cannot seek, so a
timestamp link would play from 0:00. This handler answers single byte ranges (RFC 9110 §14)."""
from __future__ import annotations

import errno
import functools
import http.server
import os
import re
import socket
import sys
import threading
from pathlib import Path

from .errors import CoursewikiError

_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)", re.ASCII | re.IGNORECASE)
_BEYOND_ANY_FILE = 10 ** 18


def _position(digits: str) -> int:
    """A byte position; thousands of digits are valid syntax for a position past any file (and
    `int()` refuses strings over 4,300 digits), so they count as one huge number."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else _BEYOND_ANY_FILE


def byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for one "bytes=a-b" range; None when there is none to honour (no header,
    several ranges, or an invalid one such as `bytes=100-50`: RFC 9110 §14.2 says ignore it and
    send the whole file); False when it is valid but cannot be satisfied (416)."""
    match = _RANGE.fullmatch(header.strip())
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first:
        start = _position(first)
        if last and _position(last) < start:
            return None
        end = min(_position(last) if last else size - 1, size - 1)
    else:
        start, end = max(size - _position(last), 0), size - 1
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
        try:  # `%00` or an encoded surrogate in the path would make the base class's open() raise
            local = self.translate_path(self.path)
            os.fsencode(local)
        except ValueError:
            local = "\0"
        if "\0" in local:
            self.send_error(400, "Bad request path")
            return None
        path = Path(local)
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
        try:
            handle = open(path, "rb")
        except OSError:
            self.send_error(404, "File not found")
            return None
        handle.seek(start)
        self._remaining = end - start + 1
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(self._remaining))
        self.send_header("Last-Modified", self.date_time_string(int(os.fstat(handle.fileno()).st_mtime)))
        self.end_headers()
        return handle

    def list_directory(self, path):
        """A folder without index.html is not a page of the site: no listing of what else is there."""
        self.send_error(404, "File not found")
        return None

    def copyfile(self, source, outputfile) -> None:
        if self._remaining is None:
            return super().copyfile(source, outputfile)
        while self._remaining > 0:
            chunk = source.read(min(64 * 1024, self._remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            self._remaining -= len(chunk)


class _SiteServer(http.server.ThreadingHTTPServer):
    verbose = False

    def handle_error(self, request, client_address) -> None:
        """A browser that seeks a video drops the request it no longer needs; that is no error.
        Anything else is one line, never a traceback in the terminal."""
        err = sys.exc_info()[1]
        if not isinstance(err, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"error: a request from {client_address[0]} failed ({type(err).__name__}: {err})\n")


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 0,
                verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for `site_dir` (port 0: any free port; read it from `server.server_address`).
    A port in use or out of range and a host this machine cannot serve on are a CoursewikiError
    with one line naming the option to change."""
    if host.startswith("[") and host.endswith("]"):  # an IPv6 address written as in a URL
        host = host[1:-1]
    if not 0 <= port <= 65535:
        raise CoursewikiError(f"port {port} is out of range; give --port a number from 1 to 65535")
    try:
        family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
    except (OSError, ValueError) as err:  # socket.gaierror; UnicodeError for a name that is no host name
        reason = getattr(err, "strerror", None) or "not a host name or IP address"
        raise CoursewikiError(f"host '{host}' cannot be served on ({reason}); give --host 127.0.0.1, "
                              "or 0.0.0.0 for every network interface") from err
    handler = functools.partial(RangeRequestHandler, directory=str(site_dir))
    server_class = type("SiteServer", (_SiteServer,), {"address_family": family})
    try:
        server = server_class((host, port), handler)
    except OSError as err:
        raise CoursewikiError(_bind_problem(err, host, port)) from err
    server.verbose = verbose
    return server


def _bind_problem(err: OSError, host: str, port: int) -> str:
    if err.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use (another server?); pick another, e.g. --port {port % 65535 + 1}"
    if err.errno in (errno.EACCES, errno.EPERM):
        return f"port {port} on {host} needs administrator rights; give --port a number above 1023"
    if err.errno == errno.EADDRNOTAVAIL:
        return f"host '{host}' is not an address of this machine; give --host 127.0.0.1, or 0.0.0.0 for every " \
               "network interface"
    return f"cannot serve on {host} port {port} ({err.strerror or err})"


def server_url(server: http.server.HTTPServer) -> str:
    """The base URL of a running server, with IPv6 addresses in brackets."""
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve_in_thread(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server on a free 127.0.0.1 port in a daemon thread; returns it and its base URL."""
    server = make_server(site_dir)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server_url(server)

