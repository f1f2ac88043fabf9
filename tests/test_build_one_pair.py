"""Working as people do: `coursewiki build --pair SLUG` rebuilds one pair and takes the rest from
the cache; under `mkdocs serve` the plugin rebuilds a pair whose sources change and the page
follows."""
from __future__ import annotations

import hashlib
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.mkdocs_plugin import changed_pairs, removed_pairs
from builder.sources import load_seen, save_seen, source_signatures


@pytest.fixture
def course(real_course, tmp_path, shared_cache) -> Path:
    """A copy of the built two-pair real course (tdnn, dpo); its mkdocs.yml names the tests'
    shared cache, so the CLI and `mkdocs serve` both find what the first build cached."""
    root = tmp_path / "course"
    shutil.copytree(real_course[0], root, symlinks=True)
    assert f"cache: {shared_cache}" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    save_seen(shared_cache, root / "sources", source_signatures(root / "sources"))  # as if built here
    return root


def content_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "content").rglob("*")) if p.is_file()}


def build(root: Path, *args: str):
    return CliRunner().invoke(main, ["build", "--root", str(root), "-q", *args])


def stages_that_ran(cache: Path) -> list[dict]:
    return [row for row in json.loads((cache / "last-build.json").read_text()) if row["ran"]]


def test_one_pair_after_a_full_build_runs_no_stage_and_changes_no_file(course, shared_cache):
    before = content_hashes(course)
    result = build(course, "--pair", "dpo")
    assert result.exit_code == 0, result.output
    assert "0 file(s) updated" in result.output
    assert stages_that_ran(shared_cache) == []
    assert content_hashes(course) == before


def test_a_pair_not_named_keeps_its_pages_until_a_build_names_it(course, shared_cache):
    report = course / "content" / "tdnn" / "report.md"
    before = report.read_text(encoding="utf-8")
    (course / "sources" / "tdnn" / "pair.yml").write_text("venue: Proceedings of a Test Venue\n")
    result = build(course, "--pair", "dpo")
    assert result.exit_code == 0, result.output
    assert "kept: tdnn has no cached build of its current sources" in result.output
    assert report.read_text(encoding="utf-8") == before
    assert {row["subject"].split("/")[0] for row in stages_that_ran(shared_cache)} <= {"dpo"}
    assert load_seen(shared_cache, course / "sources")["tdnn"] != source_signatures(course / "sources")["tdnn"]

    result = build(course, "--pair", "tdnn")
    assert result.exit_code == 0 and "kept:" not in result.output, result.output
    assert "Proceedings of a Test Venue" in report.read_text(encoding="utf-8")
    assert not [row for row in stages_that_ran(shared_cache) if row["stage"] == "talk"]  # the venue is not heard
    assert load_seen(shared_cache, course / "sources") == source_signatures(course / "sources")


def test_an_unknown_pair_is_one_line_naming_the_pairs_there_are(course):
    before = content_hashes(course)
    result = build(course, "--pair", "nosuch")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {(course / 'sources').resolve()}: no pair 'nosuch' (pairs: dpo, tdnn)"]
    assert content_hashes(course) == before


def test_the_changed_pairs_are_the_folders_whose_files_differ_from_the_last_build(tmp_path):
    sources = tmp_path / "sources"
    for name in ("a", "b"):
        (sources / name).mkdir(parents=True)
        (sources / name / "paper.pdf").write_bytes(b"%PDF")
    (sources / "_drafts").mkdir()
    seen = source_signatures(sources)
    assert changed_pairs(seen, source_signatures(sources)) == [] and removed_pairs(seen, source_signatures(sources)) == []
    (sources / "b" / "pair.yml").write_text("week: 1\n")
    (sources / "c").mkdir()
    now = source_signatures(sources)
    assert changed_pairs(seen, now) == ["b", "c"]
    shutil.rmtree(sources / "a")
    assert removed_pairs(seen, source_signatures(sources)) == ["a"]
    assert changed_pairs(None, now) is None  # never built: every pair


@pytest.mark.slow
def test_mkdocs_serve_rebuilds_a_pair_whose_sources_change(course, bare_env, shared_cache):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=course,
                              env=bare_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def home() -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            return response.read().decode("utf-8")
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                page = home()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.5)
        assert "Watched DPO" not in page
        (course / "sources" / "dpo" / "pair.yml").write_text("tags: [alignment]\nshort_title: Watched DPO\n")
        deadline = time.monotonic() + 120
        while "Watched DPO" not in page:
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "the site never showed the pair's new short title"
            time.sleep(1)
            page = home()
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    assert "coursewiki: building dpo (sources changed)" in log
    assert "Traceback" not in log
    assert load_seen(shared_cache, course / "sources") == source_signatures(course / "sources")
