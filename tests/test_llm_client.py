"""The OpenAI-compatible client and the parsing of a model's answer, without a model:
endpoints that are down, answer nonsense or refuse the key fail with one line naming the endpoint."""
from __future__ import annotations

import http.server
import json
import socket
import threading

import pytest

from builder.write.llm_client import LLMError, chat, completions_url, shown_url
from builder.write.llm_writer import parse_sentences


class _Handler(http.server.BaseHTTPRequestHandler):
    replies: dict[str, tuple[int, bytes]] = {}
    seen: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": json.loads(body)})
        status, reply = self.replies[self.path.split("/")[1]]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


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


def test_a_refused_key_names_the_variable_and_never_shows_the_key(fake_server, monkeypatch):
    monkeypatch.setenv("COURSEWIKI_LLM_KEY", "sk-secret-999")
    with pytest.raises(LLMError) as caught:
        chat(f"{fake_server}/locked/v1", "m", [{"role": "user", "content": "x"}], max_tokens=5)
    assert "refused the request (HTTP 401); set the API key in COURSEWIKI_LLM_KEY or OPENAI_API_KEY" in str(caught.value)
    assert "secret" not in str(caught.value) and "secr" not in str(caught.value)


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
    from builder.pipeline import Reporter, build_course
    from conftest import PAPERS, SPEECH, course_root, make_pair

    class Collect(Reporter):
        warnings: list[str] = []

        def warn(self, message: str) -> None:
            self.warnings.append(message)

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
    assert len(reporter.warnings) == 1
    assert reporter.warnings[0].startswith(f"tdnn: LLM endpoint http://127.0.0.1:{port}/v1/chat/completions: "
                                           "cannot connect")
    assert reporter.warnings[0].endswith("; wrote the extractive report instead")
    report = (root / "content" / "tdnn" / "report.md").read_text(encoding="utf-8")
    assert "## 2. Core summary" in report and "Validation details" not in report


def test_the_llm_writer_needs_a_url_and_a_model(tmp_path):
    from click.testing import CliRunner
    from builder.cli import main
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path), "--writer", "llm", "--llm-model", "m"])
    assert result.exit_code == 2
    assert "error: --writer llm needs --llm-url (an OpenAI-compatible /v1 URL) and --llm-model" in result.output


def test_cited_ids_become_the_anchors_of_the_passages_they_name():
    from builder.models import Passage, Segment
    from builder.write.llm_writer import _render, number_evidence
    from builder.write.support import Verdict

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
