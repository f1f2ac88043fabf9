"""The spine: real paper + real speech -> pages with the real title, transcript and anchors."""
from __future__ import annotations

import re
import subprocess
import sys

import pymupdf
from click.testing import CliRunner

from builder.cli import main
from builder.config import CourseSettings
from builder.pipeline import build_course, check_course
from builder.check.validate import validate_markdown
from builder.analyse.glossary import load_glossary

from conftest import PAPERS, SPEECH


def read(root, rel):
    return (root / "content" / rel).read_text(encoding="utf-8")


def test_build_reports_each_pair_and_no_failure(real_course):
    _, _, summary = real_course
    assert summary.built == ["dpo", "tdnn"]
    assert summary.failed == []


def test_report_shows_the_papers_real_title_and_authors(real_course):
    root, _, _ = real_course
    report = read(root, "tdnn/report.md")
    assert "A time delay neural network architecture for efficient modeling of long temporal contexts" in report
    assert "Vijayaditya Peddinti, Daniel Povey, Sanjeev Khudanpur" in report
    assert "INTERSPEECH 2015" in report
    dpo = read(root, "dpo/report.md")
    assert "Direct Preference Optimization: Your Language Model is Secretly a Reward Model" in dpo
    assert "Rafael Rafailov" in dpo and "Chelsea Finn" in dpo


def test_report_has_all_parts(real_course):
    root, _, _ = real_course
    report = read(root, "dpo/report.md")
    for heading in ("## 1. Basic information", "## 2. Core summary", "## 3. Key techniques",
                    "## 4. Video supplementary points", "## 5. Summary and takeaways for a beginner"):
        assert heading in report


def test_core_summary_quotes_the_abstract_with_its_page(real_course):
    root, _, _ = real_course
    report = read(root, "dpo/report.md")
    goal = report.split("### Research goal", 1)[1].split("###", 1)[0]
    assert "In this paper we introduce a new parameterization" in goal
    assert "(paper.pdf#page=1)" in goal


def test_talk_page_has_real_transcript_words_at_their_times(real_course):
    root, _, _ = real_course
    talk = read(root, "tdnn/talk.md")
    lines = talk.splitlines()
    first = next((i for i, l in enumerate(lines) if "ask not what your country can do for you" in l), None)
    assert first is not None, "the JFK sentence is in the transcript"
    assert "[00:00](talk.flac#t=0)" in lines[first]
    # whisper writes the second half in a piece of its own; it is joined to the first unless
    # whisper ended the first with a full stop, and either way it is said within the next seconds
    rest = lines[first] if "ask what you can do for your country" in lines[first] else lines[first + 1]
    assert "ask what you can do for your country" in rest.lower() and "(talk.flac#t=" in rest
    cues = read(root, "tdnn/talk.vtt").split("\n\n")[1:]
    last_start = cues[-1].split(" --> ")[0]
    assert "your country" in cues[-1] and "00:00:04" <= last_start <= "00:00:09", "subtitles follow the words"


def test_every_anchor_resolves_against_the_real_pdf_and_talk(real_course):
    root, _, _ = real_course
    from builder.check.course import published_anchors
    ids = {t.id for t in load_glossary()} | published_anchors(root / "content" / "glossary.md")
    for slug, pdf, duration in (("tdnn", PAPERS / "tdnn.pdf", 11.0), ("dpo", PAPERS / "dpo.pdf", 4.0)):
        pages = pymupdf.open(pdf).page_count
        for name in ("report.md", "talk.md"):
            check = validate_markdown(read(root, f"{slug}/{name}"), pages, duration + 0.5, ids)
            assert check.ok, check.problems
            assert check.anchors > 0
    report = read(root, "dpo/report.md")
    assert re.search(r"\[p\.&nbsp;\d+\]\(paper\.pdf#page=\d+\)", report)


def test_check_command_accepts_the_built_course(real_course):
    root, _, _ = real_course
    results = check_course(CourseSettings.for_root(root))
    assert set(results) == {"dpo/report.md", "dpo/talk.md", "tdnn/report.md", "tdnn/talk.md"}
    assert all(v.ok for v in results.values())


def test_check_command_rejects_a_page_anchor_past_the_end(real_course, tmp_path):
    import shutil
    root, settings, _ = real_course
    copy = tmp_path / "course"
    shutil.copytree(root / "content", copy / "content")
    report = copy / "content" / "tdnn" / "report.md"
    report.write_text(report.read_text().replace("\n<!-- coursewiki:generated", "\nBad [p. 99](paper.pdf#page=99)\n\n"
                                                                  "<!-- coursewiki:generated"))
    result = CliRunner().invoke(main, ["check", "--root", str(copy), "--cache", str(settings.cache_dir)])
    assert result.exit_code == 1
    assert "page 99 does not exist (the PDF has 5)" in result.output


def test_second_build_reruns_no_stage_and_leaves_content_identical(real_course):
    root, settings, _ = real_course
    before = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    summary = build_course(settings)
    assert [r for r in summary.runs if r.ran] == []
    assert {r.stage for r in summary.runs} >= {"paper", "talk", "analysis", "keyframes"}
    assert summary.written == []
    after = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    assert after == before
    assert "transcribed 0, embedded 0" in summary.line()


def test_glossary_and_index_link_the_pairs(real_course):
    root, _, _ = real_course
    index = read(root, "index.md")
    assert "(dpo/report.md)" in index and "(tdnn/talk.md)" in index
    glossary = read(root, "glossary.md")
    assert "{ #dpo }" in glossary and "直接偏好优化" in glossary
    assert "(dpo/report.md)" in glossary


def test_mkdocs_strict_build_of_the_generated_site(real_course):
    root, _, _ = real_course
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                          capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    html = (root / "site" / "tdnn" / "talk.html").read_text(encoding="utf-8")
    assert '<video class="coursewiki-player"' in html
    assert "fonts.googleapis.com" not in html


def test_pair_yml_overrides_win_and_are_cited_as_such(tmp_path, shared_cache):
    from conftest import course_root, make_pair
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac",
              "title: A Better Title\nvenue: Interspeech 2015 (Dresden)\ndoi: 10.21437/Interspeech.2015-647\n")
    build_course(CourseSettings.for_root(root, cache_dir=shared_cache))
    report = read(root, "tdnn/report.md")
    assert "| Title | A Better Title | pair.yml |" in report
    assert "10.21437/Interspeech.2015-647" in report
