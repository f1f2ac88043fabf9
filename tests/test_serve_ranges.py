"""`mkdocs serve` with the coursewiki plugin answers byte ranges, so the talk player can seek."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from builder.mkdocs_plugin import with_ranges
from builder.serve import byte_range


def _call(app, path, header):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)
    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_RANGE": header}, start_response))
    return seen.get("status"), seen.get("headers", {}), body


def test_ranges_are_parsed_like_browsers_send_them():
    assert byte_range("bytes=0-", 100) == (0, 99)
    assert byte_range("bytes=10-19", 100) == (10, 19)
    assert byte_range("bytes=-10", 100) == (90, 99)
    assert byte_range("bytes=50-500", 100) == (50, 99)
    assert byte_range("bytes=200-", 100) is False
    assert byte_range("bytes=0-1,5-6", 100) is None and byte_range("", 100) is None


def test_a_ranged_get_gets_206_with_just_those_bytes_and_no_way_out_of_the_site(tmp_path):
    (tmp_path / "talk.mp4").write_bytes(bytes(range(256)) * 4)
    (tmp_path.parent / "secret.txt").write_text("outside")
    fallback = lambda environ, start_response: (start_response("404 Not Found", []), [b"mkdocs"])[1]
    app = with_ranges(fallback, str(tmp_path), "/")
    status, headers, body = _call(app, "/talk.mp4", "bytes=256-511")
    assert status.startswith("206") and body == bytes(range(256))
    assert headers["Content-Range"] == "bytes 256-511/1024" and headers["Content-Length"] == "256"
    assert _call(app, "/talk.mp4", "bytes=5000-")[0].startswith("416")
    assert _call(app, "/../secret.txt", "bytes=0-3")[2] == b"mkdocs"


@pytest.mark.slow
def test_mkdocs_serve_lets_the_browser_seek_the_talk(real_course):
    root, _, _ = real_course
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.5)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/tdnn/talk.flac", headers={"Range": "bytes=100-199"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 206 and len(response.read()) == 100
            assert response.headers["Content-Range"].startswith("bytes 100-199/")
    finally:
        server.terminate()
        server.wait(timeout=30)
