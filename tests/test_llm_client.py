"""The OpenAI-compatible client and the parsing of a model's answer, without a model:
endpoints that are down, answer nonsense or refuse the key fail with one line naming the endpoint."""
from __future__ import annotations

import http.server
import json
import socket
import socketserver
import threading
import time

import pytest

from builder.write.llm_client import Endpoint, LLMError, LLMSkipped, chat, completions_url, shown_url
from builder.write.llm_writer import parse_sentences

KEY = "sk-live-7f3a9c1e5b2d4f60"
MESSAGES = [{"role": "user", "content": "x"}]


def _completion(text: str) -> bytes:
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]}).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers by the first path segment: (status, body), or a function of the handler giving one."""
    replies: dict = {}
    seen: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": json.loads(body)})
        reply = self.replies[self.path.split("/")[1]]
        status, data = reply(self) if callable(reply) else reply
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass  # the client stopped reading a flood, as it should

    def log_message(self, *args):
        pass


def _echo_headers(handler) -> tuple[int, bytes]:
    """A server that echoes the request's headers in its error, as some proxies do."""
    headers = "; ".join(f"{k}: {v}" for k, v in sorted(handler.headers.items()))
    return 400, json.dumps({"error": {"message": f"bad request, headers were {headers}"}}).encode()


def _flaky(handler) -> tuple[int, bytes]:
    """503 on every first request of a test, then an answer."""
    _flaky.calls += 1
    return (503, b'{"error": "loading model"}') if _flaky.calls % 2 else (200, _completion("Up [P1]."))


_flaky.calls = 0


def _requests_to(route: str) -> int:
    return sum(1 for r in _Handler.seen if r["path"].split("/")[1] == route)


@pytest.fixture(scope="module")
def fake_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.replies = {
        "good": (200, json.dumps({"choices": [{"message": {"role": "assistant", "content": "Hi [P1]."}}]}).encode()),
        "html": (200, b"<html>not an API</html>"),
        "empty": (200, b'{"choices": []}'),
        "locked": (401, b'{"error": {"message": "Incorrect API key provided: sk-secr***"}}'),
        "missing": (404, b'{"error": {"message": "model nope not found"}}'),
        "hostile": (400, json.dumps({"error": {"message": "bad\x1b]0;owned\x07 request\r\nerror: forged line "
                                                         "\x1b[2J\x1b[31m" + "x" * 5000}}).encode()),
        "echo": _echo_headers,
        "echo-ok": lambda handler: (200, _completion(f"Your header was {handler.headers['Authorization']} [P1].")),
        "flood": (200, _completion("The model says this again. " * 140_000)),   # 3.7 MB for 600 tokens
        "down": (503, b"<html>502 Bad Gateway</html>"),
        "flaky": _flaky,
    }
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_chat_posts_a_chat_completion_with_the_key_from_the_environment(fake_server, monkeypatch):
    monkeypatch.setenv("COURSEWIKI_LLM_KEY", "sk-test-123")
    reply = chat(f"{fake_server}/good/v1", "m1", [{"role": "user", "content": "x"}], max_tokens=50)
    assert reply.text == "Hi [P1]." and not reply.cut_off
    request = _Handler.seen[-1]
    assert request["path"] == "/good/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test-123"
    assert request["body"]["model"] == "m1" and request["body"]["max_tokens"] == 50
    assert request["body"]["messages"] == [{"role": "user", "content": "x"}]


@pytest.mark.parametrize("path, message", [
    ("html/v1", "the answer is not JSON (is this an OpenAI-compatible /v1 URL?)"),
    ("empty/v1", "the answer has no choices[0].message.content"),
    ("missing/v1", "HTTP 404 (the URL should end in /v1, and the model must exist): model nope not found"),
])
def test_a_bad_answer_is_one_line_naming_the_endpoint(fake_server, path, message):
    with pytest.raises(LLMError) as caught:
        chat(f"{fake_server}/{path}", "m", [{"role": "user", "content": "x"}], max_tokens=5)
    assert str(caught.value) == f"LLM endpoint {fake_server}/{path}/chat/completions: {message}"


def test_endpoint_error_text_is_one_short_line_without_escape_sequences(fake_server):
    with pytest.raises(LLMError) as caught:
        chat(f"{fake_server}/hostile/v1", "m", MESSAGES, max_tokens=5)
    message = str(caught.value)
    assert message.startswith(f"LLM endpoint {fake_server}/hostile/v1/chat/completions: HTTP 400: bad request error: forged")
    assert "\n" not in message and "\r" not in message
    assert not any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 for ch in message), repr(message)
    assert len(message) < 400


def test_a_key_the_server_echoes_back_is_redacted(fake_server, monkeypatch):
    monkeypatch.setenv("COURSEWIKI_LLM_KEY", KEY)
    with pytest.raises(LLMError) as caught:
        chat(f"{fake_server}/echo/v1", "m", MESSAGES, max_tokens=5)
    assert KEY not in str(caught.value) and "Bearer [key hidden]" in str(caught.value)
    reply = chat(f"{fake_server}/echo-ok/v1", "m", MESSAGES, max_tokens=5)  # the text may be published
    assert KEY not in reply.text and reply.text == "Your header was Bearer [key hidden] [P1]."


def test_an_answer_far_longer_than_max_tokens_is_a_failed_answer(fake_server):
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        chat(f"{fake_server}/flood/v1", "m", MESSAGES, max_tokens=600)
    assert "the answer runs past 53 KiB, more than 600 tokens can take; treated as a failed answer" in str(caught.value)
    assert time.monotonic() - started < 2


def test_an_answer_without_a_length_is_read_only_up_to_the_cap(trickle_server):
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        chat(f"{trickle_server}/endless/v1", "m", MESSAGES, max_tokens=600, timeout_s=30)
    assert "the answer runs past 53 KiB" in str(caught.value)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("route", ["trickle-body", "trickle-headers", "silent-after-headers"])
def test_the_deadline_holds_for_the_whole_request_even_when_bytes_keep_trickling_in(trickle_server, route):
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        chat(f"{trickle_server}/{route}/v1", "m", MESSAGES, max_tokens=50, timeout_s=1)
    assert str(caught.value) == (f"LLM endpoint {trickle_server}/{route}/v1/chat/completions: "
                                 "no complete answer within 1 s (--llm-timeout)")
    assert time.monotonic() - started < 1.8


def test_a_5xx_is_retried_once_within_the_deadline(fake_server):
    before = _requests_to("flaky")
    assert chat(f"{fake_server}/flaky/v1", "m", MESSAGES, max_tokens=5).text == "Up [P1]."
    assert _requests_to("flaky") - before == 2
    before = _requests_to("down")
    with pytest.raises(LLMError) as caught:
        chat(f"{fake_server}/down/v1", "m", MESSAGES, max_tokens=5)
    assert str(caught.value).endswith("/down/v1/chat/completions: HTTP 503 (tried twice)")
    assert _requests_to("down") - before == 2


def test_after_its_first_failure_the_endpoint_asks_nothing_more(fake_server):
    endpoint = Endpoint(f"{fake_server}/html/v1", "m", timeout_s=5)
    with pytest.raises(LLMError):
        endpoint.chat(MESSAGES, max_tokens=5)
    before = len(_Handler.seen)
    with pytest.raises(LLMSkipped) as caught:
        endpoint.chat(MESSAGES, max_tokens=5)
    assert len(_Handler.seen) == before
    assert "the answer is not JSON" in str(caught.value)


def test_a_request_has_a_sane_default_deadline():
    from builder.config import LLMSettings
    assert LLMSettings(url="http://127.0.0.1:8080/v1", model="m").timeout_s == 120


def test_a_refused_key_names_the_variable_and_never_shows_the_key(fake_server, monkeypatch):
    monkeypatch.setenv("COURSEWIKI_LLM_KEY", "sk-secret-999")
    with pytest.raises(LLMError) as caught:
        chat(f"{fake_server}/locked/v1", "m", [{"role": "user", "content": "x"}], max_tokens=5)
    assert "refused the request (HTTP 401); set the API key in COURSEWIKI_LLM_KEY or OPENAI_API_KEY" in str(caught.value)
    assert "secret" not in str(caught.value) and "secr" not in str(caught.value)


class _Trickler(socketserver.BaseRequestHandler):
    """Raw HTTP that misbehaves in time (a byte at a time, or silence after the headers), or
    floods a body of no declared length; the route is the request path's first segment."""

    def handle(self):
        self.request.settimeout(10)
        try:
            route = self.request.recv(65536).decode("latin-1").split(" ", 2)[1].split("/")[1]
            stop = time.monotonic() + 8
            if route == "endless":
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
                while time.monotonic() < stop:
                    self.request.sendall(b"x" * 65536)
            elif route == "trickle-headers":
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X" * 1000:
                    self.request.sendall(bytes([byte]))
                    time.sleep(0.25)
                    if time.monotonic() > stop:
                        break
            else:
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: 1000\r\n\r\n")
                while time.monotonic() < stop:
                    if route == "trickle-body":
                        self.request.sendall(b" ")
                    time.sleep(0.25)
        except OSError:
            pass


@pytest.fixture(scope="module")
def trickle_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Trickler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_endpoint_that_is_down_is_one_line_naming_it():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(LLMError) as caught:
        chat(f"http://127.0.0.1:{port}/v1", "m", [{"role": "user", "content": "x"}], max_tokens=5, timeout_s=5)
    assert str(caught.value).startswith(f"LLM endpoint http://127.0.0.1:{port}/v1/chat/completions: cannot connect")


def test_urls_are_shown_without_credentials_and_completed_to_the_chat_path():
    assert shown_url("https://user:pw@api.example.org/v1/chat/completions?key=abc") == \
        "https://api.example.org/v1/chat/completions"
    assert completions_url("http://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080/v1/chat/completions"
    assert completions_url("http://h/v1/chat/completions") == "http://h/v1/chat/completions"


def test_the_answer_is_split_into_sentences_with_the_ids_each_cites():
    answer = ("## Summary\n"
              "The paper proposes **TDNN** [P1]. It sub-samples frames, e.g. every third one [P2, P3].\n"
              "- Gains are 5.52% on average [P4][T1]\n"
              "This sentence cites nothing.\n"
              "本文提出了时延神经网络【P5】。它很快[T2]。")
    got = [(s.text, s.ids, s.list_item) for s in parse_sentences(answer)]
    assert got == [
        ("The paper proposes TDNN.", ["P1"], False),
        ("It sub-samples frames, e.g. every third one.", ["P2", "P3"], False),
        ("Gains are 5.52% on average", ["P4", "T1"], True),
        ("This sentence cites nothing.", [], False),
        ("本文提出了时延神经网络。", ["P5"], False),
        ("它很快。", ["T2"], False),
    ]


def test_an_unreachable_llm_costs_a_warning_and_the_extractive_report(tmp_path, shared_cache):
    from builder.config import CourseSettings, LLMSettings
    from builder.pipeline import build_course
    from conftest import PAPERS, SPEECH, Collect, course_root, make_pair

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    settings = CourseSettings.for_root(root, cache_dir=shared_cache, writer="llm",
                                       llm=LLMSettings(url=f"http://127.0.0.1:{port}/v1", model="m", timeout_s=5))
    reporter = Collect()
    summary = build_course(settings, reporter)
    assert summary.built == ["tdnn"] and summary.failed == []
    warnings = _not_off_paper(reporter.warnings)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"tdnn: LLM endpoint http://127.0.0.1:{port}/v1/chat/completions: "
                                  "cannot connect")
    assert warnings[0].endswith("; wrote the extractive report instead "
                                "(the rest of this build asks the endpoint nothing)")
    report = (root / "content" / "tdnn" / "report.md").read_text(encoding="utf-8")
    assert "## 2. Core summary" in report and "Validation details" not in report


def test_the_llm_writer_needs_a_url_and_a_model(tmp_path):
    from click.testing import CliRunner
    from builder.cli import main
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path), "--writer", "llm", "--llm-model", "m"])
    assert result.exit_code == 2
    assert "error: writer 'llm' needs llm_url (an OpenAI-compatible /v1 URL) and llm_model" in result.output
    assert "--llm-url and --llm-model" in result.output


def test_cited_ids_become_the_anchors_of_the_passages_they_name():
    from builder.models import Passage, Segment
    from builder.write.llm_writer import _render, number_evidence
    from builder.check.support import Verdict

    class AcceptAll:
        def check(self, claims, evidence, subject):
            return [Verdict(c, 1.0, 1.0, []) for c in claims]

    numbered = number_evidence([Passage("a", "Alpha.", 2, ""), Passage("b", "Beta.", 5, "")],
                               [Segment(61.4, 65.0, "Gamma.", [])], 1000, 1000)
    assert numbered.lines == ["[P1] (page 2) Alpha.", "[P2] (page 5) Beta.", "[T1] (talk 01:01) Gamma."]
    lines, dropped = _render(parse_sentences("Alpha and beta [P2][P1]. Gamma <b>x</b> [T1]. Delta [P7]."),
                             numbered, "talk.mp4", AcceptAll(), None, "s", "2. Core summary")
    assert lines == ["Alpha and beta. [p.&nbsp;5](paper.pdf#page=5) [p.&nbsp;2](paper.pdf#page=2) "
                     "Gamma &lt;b&gt;x&lt;/b&gt;. [01:01](talk.mp4#t=61)"]
    assert [(d.text, d.reason) for d in dropped] == [("Delta.", "cites P7, which it was not given")]


@pytest.mark.parametrize("url, problem", [
    ("http://[::1", "is not a URL: its IPv6 address needs both brackets, as in http://[::1]:8080/v1"),
    ("http://127.0.0.1:99999/v1", "has a port out of range (1-65535)"),
    ("127.0.0.1:8080/v1", "is not an http:// or https:// URL; give one like http://127.0.0.1:8080/v1"),
    ("ftp://127.0.0.1/v1", "is not an http:// or https:// URL; give one like http://127.0.0.1:8080/v1"),
    ("http://127.0.0.1:8080/v1?key=abc", "has a query string or #fragment, which coursewiki does not send; "
                                         "give the base URL only, like http://127.0.0.1:8080/v1"),
])
def test_a_malformed_llm_url_is_one_line_before_anything_is_built(tmp_path, url, problem):
    from click.testing import CliRunner
    from builder.cli import main
    (tmp_path / "sources").mkdir()
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path), "--writer", "llm", "--llm-url", url,
                                       "--llm-model", "m"])
    assert result.exit_code == 2
    assert result.output == f"error: invalid value for '--llm-url': {url!r} {problem}\n"
    assert not (tmp_path / "content").exists() and not (tmp_path / ".coursewiki-cache").exists()


def test_credentials_in_the_llm_url_are_refused_without_printing_them(tmp_path):
    from click.testing import CliRunner
    from builder.cli import main
    (tmp_path / "sources").mkdir()
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path), "--writer", "llm", "--llm-model", "m",
                                       "--llm-url", "https://alice:hunter2@api.example.org/v1"])
    assert result.exit_code == 2
    assert result.output == ("error: invalid value for '--llm-url': 'https://***@api.example.org/v1' has credentials "
                             "in it (user:password@); put the API key in COURSEWIKI_LLM_KEY instead\n")
    assert not (tmp_path / "content").exists()


def test_the_key_is_never_printed_even_when_the_endpoint_echoes_it(tmp_path, shared_cache, fake_server):
    """README: the key "is read from COURSEWIKI_LLM_KEY (or OPENAI_API_KEY) and never printed"."""
    from click.testing import CliRunner
    from builder.cli import main
    from conftest import PAPERS, SPEECH, course_root, make_pair
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    for variable in ("COURSEWIKI_LLM_KEY", "OPENAI_API_KEY"):
        result = CliRunner().invoke(main, ["build", "--root", str(root), "--cache", str(shared_cache), "-v",
                                           "--writer", "llm", "--llm-url", f"{fake_server}/echo/v1",
                                           "--llm-model", "m"],
                                    env={"COURSEWIKI_LLM_KEY": None, "OPENAI_API_KEY": None, variable: KEY})
        assert result.exit_code == 0, result.output
        assert _Handler.seen[-1]["auth"] == f"Bearer {KEY}"
        assert "Bearer [key hidden]" in result.output
        assert KEY not in result.output
        assert KEY not in "".join(p.read_text(encoding="utf-8") for p in (root / "content").rglob("*.md"))


def test_llm_timeout_bounds_a_trickling_endpoint_in_a_build(tmp_path, shared_cache, trickle_server):
    from click.testing import CliRunner
    from builder.cli import main
    from conftest import PAPERS, SPEECH, course_root, make_pair
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--cache", str(shared_cache), "--writer", "llm",
                                       "--llm-url", f"{trickle_server}/trickle-body/v1", "--llm-model", "m",
                                       "--llm-timeout", "1"])
    assert time.monotonic() - started < 7, "one deadline for the build, not one per section or per read"
    assert result.exit_code == 0, result.output
    assert (f"warning: tdnn: LLM endpoint {trickle_server}/trickle-body/v1/chat/completions: no complete answer "
            "within 1 s (--llm-timeout); wrote the extractive report instead") in result.output


def _build_two_pairs(tmp_path, shared_cache, url: str):
    from builder.config import CourseSettings, LLMSettings
    from builder.pipeline import build_course
    from conftest import PAPERS, SPEECH, Collect, course_root, make_pair

    root = course_root(tmp_path / "course")
    for slug in ("tdnn", "tdnn-again"):
        make_pair(root / "sources", slug, PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    settings = CourseSettings.for_root(root, cache_dir=shared_cache, writer="llm",
                                       llm=LLMSettings(url=url, model="m", timeout_s=5))
    reporter = Collect()
    summary = build_course(settings, reporter)
    return root, summary, _not_off_paper(reporter.warnings)


def _not_off_paper(warnings: list[str]) -> list[str]:
    """The JFK speech is not about the TDNN paper, and the build says so: not what these tests read."""
    return [w for w in warnings if "does not seem to be about" not in w]


def test_a_flooding_endpoint_costs_one_warning_and_small_extractive_reports(tmp_path, shared_cache, fake_server):
    before = _requests_to("flood")
    root, summary, warnings = _build_two_pairs(tmp_path, shared_cache, f"{fake_server}/flood/v1")
    assert summary.built == ["tdnn", "tdnn-again"] and summary.failed == []
    assert _requests_to("flood") - before == 1, "the second pair asks the endpoint nothing"
    assert warnings == [f"tdnn: LLM endpoint {fake_server}/flood/v1/chat/completions: the answer runs past 53 KiB, "
                        "more than 600 tokens can take; treated as a failed answer; wrote the extractive report "
                        "instead (the rest of this build asks the endpoint nothing)"]
    for slug in ("tdnn", "tdnn-again"):
        report = root / "content" / slug / "report.md"
        assert report.stat().st_size < 100_000
        assert "Validation details" not in report.read_text(encoding="utf-8")


def _chatty(handler) -> tuple[int, bytes]:
    """Forty sentences per section that cite nothing (all dropped), well inside the byte cap."""
    return 200, _completion(" ".join(f"Claim number {n} stands alone." for n in range(40)))


def test_the_report_lists_a_few_dropped_sentences_and_counts_the_rest(tmp_path, shared_cache, fake_server):
    from builder.config import CourseSettings, LLMSettings
    from builder.pipeline import build_course
    from conftest import PAPERS, SPEECH, course_root, make_pair
    _Handler.replies["chatty"] = _chatty
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    settings = CourseSettings.for_root(root, cache_dir=shared_cache, writer="llm",
                                       llm=LLMSettings(url=f"{fake_server}/chatty/v1", model="m", timeout_s=5))
    assert build_course(settings).built == ["tdnn"]
    details = (root / "content" / "tdnn" / "report.md").read_text(encoding="utf-8").split("## Validation details")[1]
    assert "160 sentence(s) it wrote were dropped:" in details
    listed = [line for line in details.splitlines() if line.startswith("- ")]
    assert len(listed) == 6 and listed[-1] == "- and 155 more"
