"""`coursewiki cache`: what the cache holds per stage and per pair, and --prune deleting what no
course's last build used, never what another course sharing the cache still uses."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.config import CourseSettings
from builder.pipeline import build_course
from conftest import EXAMPLE, PAPERS, SPEECH, course_root, make_pair

pytestmark = pytest.mark.slow


def _cache(root: Path, cache: Path, *options: str):
    return CliRunner().invoke(main, ["cache", "--root", str(root), "--cache", str(cache), *options])


def _entries(cache: Path) -> set[str]:
    return {p.relative_to(cache).as_posix() for p in cache.glob("*/*/*") if p.is_file()}


def test_the_cache_is_shown_per_stage_and_pair_and_pruned_of_what_no_course_uses(tmp_path):
    cache = tmp_path / "cache"
    first = course_root(tmp_path / "first")
    make_pair(first / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    other = course_root(tmp_path / "other")
    make_pair(other / "sources", "example", EXAMPLE / "paper.pdf", SPEECH / "hotwords.mp3")

    # before any build of the course there is nothing it could be said not to use
    shown = _cache(first, cache, "--prune")
    assert shown.exit_code == 0 and "no cache yet" in shown.output
    build_course(CourseSettings.for_root(other, cache_dir=cache))
    other_entries = _entries(cache)
    shown = _cache(first, cache, "--prune")
    assert shown.exit_code == 1 and "run `coursewiki build` before --prune" in shown.output
    build_course(CourseSettings.for_root(first, cache_dir=cache))
    shown = _cache(first, cache)
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert any(line.split()[:2] == ["talk", "2"] for line in lines)          # one talk per course
    assert any(line.split()[:1] == ["tdnn"] for line in lines)
    assert "not used by any course: 0 entries" in shown.output

    # a new recording of the talk: the old transcript and everything made from it are left over
    shutil.copy(SPEECH / "hotwords.mp3", first / "sources" / "tdnn" / "talk.mp3")
    (first / "sources" / "tdnn" / "talk.flac").unlink()
    build_course(CourseSettings.for_root(first, cache_dir=cache))
    shown = _cache(first, cache)
    unused = int(shown.output.split("not used by any course: ")[1].split()[0])
    assert unused >= 3                                                       # talk, slides, analysis, ...
    before = _entries(cache)
    pruned = _cache(first, cache, "--prune")
    assert pruned.exit_code == 0 and f"removed {unused} entries" in pruned.output
    after = _entries(cache)
    assert len(before) - len(after) == unused
    assert other_entries <= after
    # the other course's entries are all still there, and neither course has anything to redo
    again = build_course(CourseSettings.for_root(other, cache_dir=cache))
    assert again.ran("talk") == [] and again.ran("paper") == [] and again.ran("analysis") == []
    again = build_course(CourseSettings.for_root(first, cache_dir=cache))
    assert again.ran("talk") == [] and again.ran("analysis") == []
    assert "not used by any course: 0 entries" in _cache(first, cache).output
