"""`coursewiki serve` and the mkdocs plugin against odd and hostile requests: an invalid range is
ignored (RFC 9110 §14.2), absurd numbers and bad paths get an HTTP error instead of a traceback,
folders are never listed, and a port or host it cannot use is one line naming the option."""
from __future__ import annotations

import errno
import http.client
import socket

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.errors import CoursewikiError
from builder.mkdocs_plugin import with_ranges
from builder.serve import byte_range, serve_in_thread

BODY = bytes(range(256)) * 4
HUGE = "9" * 5000  # int() refuses strings over 4,300 digits


def test_an_invalid_range_is_ignored_and_absurd_numbers_are_just_large():
    assert byte_range("bytes=100-50", 1000) is None  # last before first: invalid, so the whole file
    assert byte_range(f"bytes={HUGE}-", 1000) is False  # valid, past the end: 416
    assert byte_range(f"bytes=0-{HUGE}", 1000) == (0, 999)
    assert byte_range(f"bytes=-{HUGE}", 1000) == (0, 999)
    assert byte_range(f"bytes={HUGE}-1", 1000) is None
    assert byte_range("bytes=" + "0" * 5000 + "7-9", 1000) == (7, 9)
    assert byte_range("Bytes=0-1", 1000) == (0, 1)
    assert byte_range("bytes=\u0661-\u0662", 1000) is None  # Arabic-Indic digits are no byte positions


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<h1>home</h1>")
    (tmp_path / "talk.mp4").write_bytes(BODY)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "private-notes.txt").write_text("not a page")
    (tmp_path / "dpo").mkdir()
    (tmp_path / "dpo" / "index.html").write_text("<h1>dpo</h1>")
    server, _ = serve_in_thread(tmp_path)
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_the_server_sends_the_whole_file_for_an_invalid_range(site):
    assert _get(site, "/talk.mp4", {"Range": "bytes=100-50"}) == (200, BODY)
    assert _get(site, "/talk.mp4", {"Range": "bytes=100-149"}) == (206, BODY[100:150])


def test_absurd_ranges_and_bad_paths_get_an_http_error_not_a_traceback(site, capfd):
    assert _get(site, "/talk.mp4", {"Range": f"bytes={HUGE}-"})[0] == 416
    assert _get(site, "/talk.mp4", {"Range": f"bytes=0-{HUGE}"}) == (206, BODY)
    assert _get(site, "/talk.mp4", {"Range": f"bytes={HUGE}-{HUGE}1"})[0] == 416
    for path in ("/talk.mp4%00", "/%00/index.html", "/%ed%a0%80.html"):
        assert _get(site, path)[0] == 400, path
        assert _get(site, path, {"Range": "bytes=0-1"})[0] == 400, path
    assert _get(site, "/%ff")[0] == 404  # no such file (the byte is read as U+FFFD)
    assert _get(site, "/") == (200, b"<h1>home</h1>")  # still serving
    assert "Traceback" not in capfd.readouterr().err


def test_folders_are_never_listed_only_their_index_page_served(site):
    status, body = _get(site, "/assets/")
    assert status == 404 and b"private-notes" not in body
    assert _get(site, "/dpo/") == (200, b"<h1>dpo</h1>")
    assert _get(site, "/assets/private-notes.txt") == (200, b"not a page")


def test_a_dropped_connection_is_not_reported(site, capfd):
    from builder.serve import make_server
    server = make_server(".")
    try:
        for err in (BrokenPipeError(errno.EPIPE, "Broken pipe"), ConnectionResetError(errno.ECONNRESET, "reset")):
            try:
                raise err
            except OSError:
                server.handle_error(None, ("127.0.0.1", 1234))
        try:
            raise RuntimeError("disk gone")
        except RuntimeError:
            server.handle_error(None, ("127.0.0.1", 1234))
    finally:
        server.server_close()
    err = capfd.readouterr().err
    assert err == "error: a request from 127.0.0.1 failed (RuntimeError: disk gone)\n"


def test_the_mkdocs_plugin_uses_the_same_range_rules(tmp_path):
    (tmp_path / "talk.mp4").write_bytes(BODY)
    fallback = lambda environ, start_response: (start_response("200 OK", []), [b"whole file from mkdocs"])[1]
    app = with_ranges(fallback, str(tmp_path), "/")

    def call(path, header):
        seen = {}
        body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_RANGE": header},
                            lambda status, headers: seen.update(status=status)))
        return seen["status"][:3], body
    assert call("/talk.mp4", "bytes=100-50") == ("200", b"whole file from mkdocs")
    assert call("/talk.mp4", f"bytes={HUGE}-")[0] == "416"
    assert call("/talk.mp4", f"bytes=0-{HUGE}") == ("206", BODY)
    assert call("/talk.mp4\x00", "bytes=0-1") == ("200", b"whole file from mkdocs")


@pytest.fixture
def built_site(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<h1>home</h1>")
    return tmp_path


def _serve(root, *options):
    result = CliRunner().invoke(main, ["serve", "--root", str(root), *options])
    assert result.exit_code == 2 and "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")
    return result.output.strip()


def test_serve_on_a_port_in_use_is_one_line(built_site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert _serve(built_site, "--port", str(port)) == \
            f"error: port {port} on 127.0.0.1 is already in use (another server?); pick another, e.g. --port {port + 1}"


@pytest.mark.parametrize("options, message", [
    (["--port", "70000"], "error: port 70000 is out of range; give --port a number from 1 to 65535"),
    (["--port", "-1"], "error: port -1 is out of range"),
    (["--host", "a" * 64], f"error: host '{'a' * 64}' cannot be served on (not a host name or IP address); "
                           "give --host 127.0.0.1, or 0.0.0.0 for every network interface"),
    (["--host", "192.0.2.1"], "error: host '192.0.2.1' is not an address of this machine; give --host 127.0.0.1"),
])
def test_serve_on_a_port_or_host_it_cannot_use_is_one_line(built_site, options, message):
    assert _serve(built_site, *options).startswith(message)


@pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6")
def test_serve_takes_an_ipv6_host_with_or_without_brackets(tmp_path):
    from builder.serve import make_server, server_url
    for host in ("::1", "[::1]"):
        try:
            server = make_server(tmp_path, host)
        except CoursewikiError as err:  # IPv6 compiled in but no ::1 configured
            pytest.skip(str(err))
        try:
            assert server_url(server) == f"http://[::1]:{server.server_address[1]}/"
        finally:
            server.server_close()
