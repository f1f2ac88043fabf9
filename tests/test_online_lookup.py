"""The optional online lookup against a local HTTP server on 127.0.0.1 that serves recorded answers
of arXiv's API and Crossref (tests/online_answers/): what it takes, what it refuses, what it caches."""
from __future__ import annotations

import threading
import urllib.parse
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cache import Cache
from builder.cli import main
from builder.config import CourseSettings
from builder.ingest.online import OnlineSettings, lookup, parse_arxiv, title_printed

from conftest import parsed_paper

ANSWERS = Path(__file__).parent / "online_answers"


class RecordedApis(ThreadingHTTPServer):
    """/api/query?id_list=ID answers arxiv_ID.xml (else arXiv's error entry); /works/DOI answers
    crossref_DOI.json (with / as _), else 404. `swap` serves another recorded file for a path."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[str] = []
        self.swap: dict[str, str] = {}
        self.status = 200

    @property
    def settings(self) -> OnlineSettings:
        base = f"http://127.0.0.1:{self.server_address[1]}"
        return OnlineSettings(arxiv_api_url=f"{base}/api/query", crossref_api_url=f"{base}/works", timeout_s=5)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        server: RecordedApis = self.server
        server.requests.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/api/query":
            name = f"arxiv_{urllib.parse.parse_qs(url.query)['id_list'][0]}.xml"
            name = name if (ANSWERS / name).is_file() else "arxiv_error.xml"
        else:
            name = "crossref_" + urllib.parse.unquote(url.path.removeprefix("/works/")).replace("/", "_") + ".json"
        name = server.swap.get(url.path, name)
        if server.status != 200 or not (ANSWERS / name).is_file():
            self.send_error(server.status if server.status != 200 else 404)
            return
        body = (ANSWERS / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def apis():
    server = RecordedApis()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_lookup_is_off_unless_asked_for(tmp_path):
    assert CourseSettings.for_root(tmp_path).online is False
    help_text = CliRunner().invoke(main, ["build", "--help"]).output
    assert "--online / --offline" in help_text and "[default: offline]" in " ".join(help_text.split())


def test_the_lookup_is_a_course_setting_in_mkdocs_yml_that_a_flag_overrides(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: C\nplugins:\n  - coursewiki:\n      online: true\n"
        "      arxiv_api_url: http://127.0.0.1:8123/api/query\n      online_timeout_s: 3\n", encoding="utf-8")
    settings = CourseSettings.for_root(tmp_path)
    assert settings.online is True
    assert settings.online_lookup == OnlineSettings("http://127.0.0.1:8123/api/query",
                                                    OnlineSettings.crossref_api_url, 3.0)
    assert CourseSettings.for_root(tmp_path, online=False).online is False


def test_an_arxiv_answer_whose_title_is_on_page_one_gives_title_and_authors(apis, tmp_path):
    paper, note = lookup(parsed_paper("attention.pdf"), apis.settings, Cache(tmp_path), "attention")
    assert note is None
    assert apis.requests == ["/api/query?id_list=1706.03762"]
    assert paper.meta.value("authors")[6] == "Lukasz Kaiser"      # arXiv's spelling, not page 1's "Łukasz"
    assert paper.meta.authors.rule == paper.meta.title.rule == "arXiv API" and paper.meta.title.page_no is None
    assert paper.meta.venue.rule == "neurips-footer" and paper.meta.value("venue") == "NIPS 2017"  # the PDF's own


def test_crossref_by_doi_fills_venue_and_year_only_where_page_one_has_none(apis, tmp_path):
    printed = parsed_paper("alphago.pdf")
    paper, note = lookup(printed, apis.settings, Cache(tmp_path), "alphago")
    assert note is None and apis.requests == ["/works/10.1038/nature16961"]
    assert paper.meta.value("authors") == printed.meta.value("authors") and paper.meta.authors.rule == "Crossref"
    assert paper.meta.venue == printed.meta.venue                   # page 1 states it: page 1 wins
    bare = replace(printed, meta=replace(printed.meta, venue=None, year=None), missing_fields=["venue", "year"])
    filled, _ = lookup(bare, apis.settings, Cache(tmp_path), "alphago")
    assert (filled.meta.value("venue"), filled.meta.value("year")) == ("Nature", 2016)
    assert filled.meta.venue.rule == "Crossref" and filled.missing_fields == []


def test_an_answer_that_names_another_title_is_not_used(apis, tmp_path):
    apis.swap["/api/query"] = "arxiv_2305.18290.xml"               # a mistyped id: another paper's record
    printed = parsed_paper("attention.pdf")
    paper, note = lookup(printed, apis.settings, Cache(tmp_path), "attention")
    assert paper == printed
    assert "names another title" in note and "Direct Preference Optimization" in note and "\n" not in note


def test_a_second_lookup_is_answered_from_the_cache(apis, tmp_path):
    cache = Cache(tmp_path)
    first, _ = lookup(parsed_paper("vllm.pdf"), apis.settings, cache, "vllm")
    second, _ = lookup(parsed_paper("vllm.pdf"), apis.settings, Cache(tmp_path), "vllm")
    assert first == second and len(apis.requests) == 1


@pytest.mark.parametrize("status, why", [(500, "HTTP 500"), (404, "HTTP 404")])
def test_a_failed_lookup_keeps_page_one_and_says_why_in_one_line(apis, tmp_path, status, why):
    apis.status = status
    printed = parsed_paper("alphago.pdf")
    paper, note = lookup(printed, apis.settings, Cache(tmp_path), "alphago")
    assert paper == printed and why in note and "\n" not in note
    apis.status = 200
    lookup(printed, apis.settings, Cache(tmp_path), "alphago")
    assert len(apis.requests) == 2                                   # the failure was not cached


def test_an_id_arxiv_does_not_know_and_a_server_that_is_down_leave_page_one_alone(apis, tmp_path):
    printed = parsed_paper("attention.pdf")
    unknown = replace(printed, meta=replace(printed.meta, arxiv_id=replace(printed.meta.arxiv_id, value="1706.99999")))
    paper, note = lookup(unknown, apis.settings, Cache(tmp_path), "attention")
    assert paper == unknown and "arXiv knows no such id" in note
    down = OnlineSettings(arxiv_api_url="http://127.0.0.1:9/api/query", timeout_s=2)
    paper, note = lookup(printed, down, Cache(tmp_path / "other"), "attention")
    assert paper == printed and "no answer" in note


def test_a_paper_with_neither_arxiv_id_nor_doi_is_not_looked_up(apis, tmp_path):
    printed = parsed_paper("glove.pdf")
    assert lookup(printed, apis.settings, Cache(tmp_path), "glove") == (printed, None)
    assert apis.requests == []


def test_recorded_answers_parse_as_the_apis_send_them():
    record = parse_arxiv((ANSWERS / "arxiv_2305.18290.xml").read_text(encoding="utf-8"))
    assert record.title == "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"
    assert len(record.authors) == 6 and record.venue is None
    assert title_printed(record.title, "Direct Preference\nOptimization: Your Language Model is Secretly a Reward Model")
    assert not title_printed("Attention", "Attention Is All You Need")  # too short to be evidence


def test_the_report_names_the_lookup_as_the_source_of_what_it_gave(apis, tmp_path):
    from builder.write.report import _basic_information
    from types import SimpleNamespace
    paper, _ = lookup(parsed_paper("attention.pdf"), apis.settings, Cache(tmp_path), "attention")
    rows = _basic_information(SimpleNamespace(paper=paper, transcript=None), None)
    assert any(r.startswith("| Authors |") and r.endswith("| arXiv API |") for r in rows)
    assert any(r.startswith("| Venue | NIPS 2017 |") and "paper.pdf#page=1" in r for r in rows)
