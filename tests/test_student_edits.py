"""Students' work in content/ survives rebuilds: notes sections, edited pages, their own files."""
from __future__ import annotations

from click.testing import CliRunner

from builder.cli import main
from builder.config import CourseSettings
from builder.pipeline import build_course
from builder.write.student_notes import NOTES_END, compose, split_page
from conftest import PAPERS, SPEECH, course_root, make_pair


def _course(tmp_path, shared_cache):
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    return root, CourseSettings.for_root(root, cache_dir=shared_cache)


def _retitle(root, title):
    (root / "sources" / "tdnn" / "pair.yml").write_text(f"title: {title}\n", encoding="utf-8")


def _write_notes(page, notes):
    text = page.read_text(encoding="utf-8")
    start = text.index("<!-- coursewiki:notes -->") + len("<!-- coursewiki:notes -->")
    page.write_text(text[:start] + "\n" + notes + "\n" + text[text.index(NOTES_END):], encoding="utf-8")


def test_notes_written_in_the_notes_section_survive_a_rebuild_that_changes_the_page(tmp_path, shared_cache):
    root, settings = _course(tmp_path, shared_cache)
    build_course(settings)
    report = root / "content" / "tdnn" / "report.md"
    _write_notes(report, "## My notes\n\nTDNN = a 1-D convolution over time. See [p. 2](paper.pdf#page=2).")
    _retitle(root, "A Retitled TDNN Paper")
    summary = build_course(settings)
    text = report.read_text(encoding="utf-8")
    assert "A Retitled TDNN Paper" in text
    assert "TDNN = a 1-D convolution over time." in text
    assert summary.left_alone == []


def test_a_page_edited_outside_its_notes_is_left_alone_until_accepted(tmp_path, shared_cache):
    root, settings = _course(tmp_path, shared_cache)
    build_course(settings)
    report = root / "content" / "tdnn" / "report.md"
    _write_notes(report, "my notes stay")
    edited = report.read_text(encoding="utf-8").replace("## ", "## (edited) ", 1)
    report.write_text(edited, encoding="utf-8")
    _retitle(root, "A Retitled TDNN Paper")

    result = CliRunner().invoke(main, ["build", "--root", str(root), "--cache", str(shared_cache)])
    assert result.exit_code == 0, result.output
    assert report.read_text(encoding="utf-8") == edited
    assert "tdnn/report.md was edited outside its notes section" in result.output
    assert "coursewiki accept tdnn/report.md" in result.output
    # the unedited page beside it is still rebuilt
    assert "A Retitled TDNN Paper" in (root / "content" / "tdnn" / "talk.md").read_text(encoding="utf-8")

    accepted = CliRunner().invoke(main, ["accept", "--root", str(root), "--cache", str(shared_cache), "tdnn/report.md"])
    assert accepted.exit_code == 0, accepted.output
    text = report.read_text(encoding="utf-8")
    assert "A Retitled TDNN Paper" in text and "(edited)" not in text and "my notes stay" in text
    assert split_page(text)[0] is not None  # ours again: the next build updates it


def test_a_page_that_was_not_made_by_coursewiki_is_never_overwritten(tmp_path, shared_cache):
    root, settings = _course(tmp_path, shared_cache)
    mine = root / "content" / "tdnn" / "talk.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# My own talk page\n", encoding="utf-8")
    summary = build_course(settings)
    assert mine.read_text(encoding="utf-8") == "# My own talk page\n"
    assert [page.path for page in summary.left_alone] == [mine]
    assert (root / "content" / "tdnn" / "report.md").is_file()


def test_a_removed_pair_takes_its_generated_files_but_not_the_students_with_it(tmp_path, shared_cache):
    root, settings = _course(tmp_path, shared_cache)
    make_pair(root / "sources", "dpo", PAPERS / "dpo.pdf", SPEECH / "hotwords.mp3")
    build_course(settings)
    (root / "content" / "dpo" / "essay.md").write_text("# My essay on DPO\n", encoding="utf-8")
    tdnn_files = {p for p in (root / "content" / "tdnn").rglob("*") if p.is_file()}

    import shutil
    shutil.rmtree(root / "sources" / "dpo")
    shutil.rmtree(root / "sources" / "tdnn")  # gone too, but nobody wrote anything in its folder
    summary = build_course(settings)
    assert [p.name for p in (root / "content" / "dpo").rglob("*")] == ["essay.md"]
    assert not (root / "content" / "tdnn").exists()
    assert tdnn_files <= set(summary.removed)
    assert root / "content" / "dpo" / "report.md" in summary.removed


def test_the_hash_marker_tells_our_text_from_an_edit_and_ignores_markers_quoted_in_notes():
    page = compose("# Title\n\nBody [p. 1](paper.pdf#page=1)\n")
    assert split_page(page)[0] == "# Title\n\nBody [p. 1](paper.pdf#page=1)\n"
    assert split_page(page.replace("Body", "Bodies"))[0] is None
    quoted = page.replace(NOTES_END, "<!-- coursewiki:generated sha256=" + "0" * 64 + " -->\n" + NOTES_END)
    ours, notes = split_page(quoted)
    assert ours == "# Title\n\nBody [p. 1](paper.pdf#page=1)\n"
    assert "0" * 64 in notes


def _student_page(root):
    """A generated page with a student's notes and nothing parked for it: no build needed."""
    page = root / "content" / "tdnn" / "report.md"
    page.parent.mkdir(parents=True)
    page.write_text(compose("# Report\n\nBody.\n", "## My notes\n\nthree weeks of notes"), encoding="utf-8")
    return page


def test_accept_given_the_page_by_its_absolute_path_with_nothing_waiting_keeps_the_page(tmp_path, monkeypatch):
    root = tmp_path / "course"
    page = _student_page(root)
    before = page.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for given in (str(page), "course/content/tdnn/report.md", "content/tdnn/report.md", "tdnn/report.md"):
        result = CliRunner().invoke(main, ["accept", "--root", str(root), given])
        assert result.exit_code == 1, result.output
        assert "no new version waiting" in result.output and not result.output.startswith("accepted")
        assert page.read_text(encoding="utf-8") == before


def test_accept_takes_a_waiting_page_named_by_absolute_or_course_relative_path(tmp_path, monkeypatch):
    root = tmp_path / "course"
    page = _student_page(root)
    pending = root / ".coursewiki-cache" / "pending" / "tdnn" / "report.md"
    monkeypatch.chdir(root)
    for given in (str(page), "content/tdnn/report.md", "tdnn/report.md"):
        pending.parent.mkdir(parents=True, exist_ok=True)
        pending.write_text(compose("# Report, rebuilt\n\nBody.\n"), encoding="utf-8")
        result = CliRunner().invoke(main, ["accept", "--root", str(root), given])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == "accepted tdnn/report.md"
        text = page.read_text(encoding="utf-8")
        assert "Report, rebuilt" in text and "three weeks of notes" in text
        assert not pending.exists()


def test_accept_refuses_paths_outside_the_content_folder(tmp_path):
    root = tmp_path / "course"
    _student_page(root)
    outside = tmp_path / "elsewhere.md"
    outside.write_text(compose("# Not a course page\n"), encoding="utf-8")
    for given in (str(outside), "../elsewhere.md", "tdnn/../../../elsewhere.md"):
        result = CliRunner().invoke(main, ["accept", "--root", str(root), given])
        assert result.exit_code == 1, result.output
        assert outside.is_file()


def test_a_removed_pair_keeps_student_files_whose_names_look_generated(tmp_path, shared_cache):
    """Only files the manifest says the build wrote go, and only while unchanged: a student's
    `talk.pptx`, `talk.txt`, `assets/photo-1.jpg` and a replaced keyframe stay."""
    root, settings = _course(tmp_path, shared_cache)
    build_course(settings)
    folder = root / "content" / "tdnn"
    theirs = {folder / "talk.pptx": b"slides", folder / "talk.txt": b"my transcript",
              folder / "assets" / "photo-1.jpg": b"\xff\xd8 a photo of the board"}
    for path, data in theirs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    replaced = folder / "talk.vtt"
    replaced.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nmy corrected subtitles\n", encoding="utf-8")
    import shutil
    shutil.rmtree(root / "sources" / "tdnn")
    summary = build_course(settings)
    for path, data in theirs.items():
        assert path.read_bytes() == data
    assert replaced.is_file() and replaced not in summary.removed
    assert not (folder / "paper.pdf").exists() and not (folder / "report.md").exists()
    assert folder / "paper.pdf" in summary.removed


def test_a_build_removes_only_its_own_leftover_temp_files(tmp_path, shared_cache):
    root, settings = _course(tmp_path, shared_cache)
    build_course(settings)
    folder = root / "content" / "tdnn"
    mine = [folder / ".draft.tmp", folder / ".report.md.x1y2z3.tmp", root / "content" / ".notes.md.tmp"]
    for path in mine:
        path.write_text("a student's scratch file", encoding="utf-8")
    leftover = folder / ".report.md.coursewiki-ab12cd34.tmp"  # what a killed build leaves
    leftover.write_text("half a page", encoding="utf-8")
    build_course(settings)
    assert all(path.read_text(encoding="utf-8") == "a student's scratch file" for path in mine)
    assert not leftover.exists()
