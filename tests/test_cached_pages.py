"""A pair's report and talk page are rendered and validated again only when something they are
made of changed: a build with nothing changed reads them back (the no-change rebuild of a
50-pair course: 37 s before this, under 2 s with it; BENCHMARKS.md)."""
from __future__ import annotations

from builder.config import CourseSettings
from builder.pipeline import build_course
from conftest import one_pair_sources


def _pages_ran(summary) -> list[bool]:
    return [r.ran for r in summary.runs if r.stage == "pages"]


def test_a_pairs_pages_are_rendered_again_only_when_what_they_are_made_of_changes(tmp_path, shared_cache):
    course = one_pair_sources(tmp_path / "course", shared_cache)
    build_course(course.settings)
    report = (course.content / "tdnn" / "report.md").read_bytes()
    again = build_course(course.settings)
    assert _pages_ran(again) == [False] and again.written == []
    assert (course.content / "tdnn" / "report.md").read_bytes() == report
    # the report's language is one of the things they are made of
    chinese = build_course(CourseSettings.for_root(course.root, cache_dir=shared_cache, language="zh"))
    assert _pages_ran(chinese) == [True]
    assert "论文基本信息" in (course.content / "tdnn" / "report.md").read_text(encoding="utf-8")
    # so is pair.yml: a title given there is the report's title
    (course.root / "sources" / "tdnn" / "pair.yml").write_text("title: A Title Given in pair.yml\n", encoding="utf-8")
    retitled = build_course(course.settings)
    assert _pages_ran(retitled) == [True]
    assert (course.content / "tdnn" / "report.md").read_text(encoding="utf-8").count("A Title Given in pair.yml") >= 1
