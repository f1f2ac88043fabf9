"""The rest of the bad-input matrix: odd folder names, links, huge PDFs, formats, full disks.

Each case goes through a whole course build beside a good pair: one clear line naming the file,
no traceback (unless -v), the good pair still built, and an exit status that says a pair failed.
"""
from __future__ import annotations

import errno
import os
import shutil

import pymupdf
import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.sources import slugify
from conftest import PAPERS, SPEECH, course_root, make_pair


def _course_with_good_pair(tmp_path):
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "good", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    return root


def _build(root, cache, *options):
    return CliRunner().invoke(main, ["build", "-q", "--root", str(root), "--cache", str(cache), *options])


def _errors(result):
    return [line for line in result.output.splitlines() if line.startswith("error: ")]


def _good_pair_built(root, result):
    assert (root / "content" / "good" / "report.md").is_file()
    assert "Traceback" not in result.output


def test_a_thousand_page_pdf_is_refused_in_one_line(tmp_path, shared_cache):
    root = _course_with_good_pair(tmp_path)
    folder = make_pair(root / "sources", "thesis", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    doc = pymupdf.open()
    for number in range(1000):
        doc.new_page().insert_text((72, 72), f"Page {number + 1} of a very long thesis.")
    doc.save(folder / "paper.pdf")
    result = _build(root, shared_cache)
    assert result.exit_code == 1
    assert _errors(result) == [f"error: {folder / 'paper.pdf'}: has 1000 pages; coursewiki reads papers of at most "
                               f"600 (split out the paper itself)"]
    _good_pair_built(root, result)


def test_an_unsupported_talk_format_is_named_with_what_to_do(tmp_path, shared_cache):
    root = _course_with_good_pair(tmp_path)
    folder = root / "sources" / "wmv"
    folder.mkdir()
    shutil.copy(PAPERS / "tdnn.pdf", folder / "paper.pdf")
    (folder / "talk.wmv").write_bytes(b"0&\xb2u\x8ef\xcf\x11" + b"\0" * 100)
    result = _build(root, shared_cache)
    assert result.exit_code == 1
    [error] = _errors(result)
    assert f"{folder / 'talk.wmv'}: is not a talk format coursewiki reads" in error and "ffmpeg -i" in error
    _good_pair_built(root, result)


def test_an_audio_only_talk_builds_without_keyframes(tmp_path, shared_cache):
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "audio", PAPERS / "tdnn.pdf", SPEECH / "hotwords.mp3")
    result = _build(root, shared_cache)
    assert result.exit_code == 0, result.output
    assert (root / "content" / "audio" / "talk.md").is_file()
    assert not list((root / "content" / "audio").glob("assets/chapter-*.jpg"))


@pytest.mark.parametrize("name", ["My Paper (2023) v2", "注意力机制 论文", "🎓 lecture 🎓", "a..b", "..hidden-not"])
def test_folder_names_with_spaces_chinese_emoji_or_dots_give_safe_page_names(tmp_path, shared_cache, name):
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", name, PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    result = _build(root, shared_cache)
    slug = slugify(name)
    if name.startswith("."):
        assert result.exit_code == 0 and "0 pair(s) built" in result.output  # dot folders are hidden, like in git
        return
    assert result.exit_code == 0, result.output
    assert ".." not in slug and "/" not in slug and " " not in slug and slug
    page = root / "content" / slug / "report.md"
    assert page.is_file() and page.resolve().is_relative_to((root / "content").resolve())


def test_two_folders_with_the_same_page_name_are_reported(tmp_path, shared_cache):
    root = _course_with_good_pair(tmp_path)
    make_pair(root / "sources", "My Paper", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    make_pair(root / "sources", "my-paper", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    result = _build(root, shared_cache)
    assert result.exit_code == 1
    [error] = _errors(result)
    assert "sources/my-paper: gives the same page name 'my-paper' as My Paper (rename one of the two folders)" in error
    _good_pair_built(root, result)


@pytest.mark.parametrize("kind", ["loop", "self", "dangling"])
def test_symbolic_link_loops_in_sources_are_reported_not_followed(tmp_path, shared_cache, kind):
    root = _course_with_good_pair(tmp_path)
    link = root / "sources" / "linked"
    target = {"loop": root / "sources", "self": link, "dangling": tmp_path / "nowhere"}[kind]
    os.symlink(target, link)
    result = _build(root, shared_cache)
    assert result.exit_code == 1
    [error] = _errors(result)
    assert error.startswith(f"error: {link}: is a symbolic link")
    _good_pair_built(root, result)


def test_an_output_folder_that_cannot_be_created_is_one_line(tmp_path, shared_cache):
    root = _course_with_good_pair(tmp_path)
    (root / "content").write_text("not a folder")
    result = _build(root, shared_cache)
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {root.resolve() / 'content'}: is a file, not a folder; " \
                                    "move it away or pass --content"


def test_an_unwritable_pair_folder_fails_that_pair_only(tmp_path, shared_cache, monkeypatch):
    root = _course_with_good_pair(tmp_path)
    make_pair(root / "sources", "locked", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    import builder.fsio as fsio
    real_open_temp = fsio._open_temp

    def refuse_locked(target):
        if "locked" in str(target.parent):
            raise PermissionError(errno.EACCES, "Permission denied", str(target.parent))
        return real_open_temp(target)
    monkeypatch.setattr(fsio, "_open_temp", refuse_locked)
    result = _build(root, shared_cache)
    assert result.exit_code == 1
    [error] = _errors(result)
    assert "content/locked" in error and "cannot write (Permission denied)" in error
    _good_pair_built(root, result)


def test_a_full_disk_is_one_line_and_leaves_no_temp_files(tmp_path, monkeypatch):
    root = _course_with_good_pair(tmp_path)
    cache = tmp_path / "fresh-cache"  # nothing cached: the first cache entry hits the full disk
    import builder.fsio as fsio

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")
    real_fdopen = os.fdopen
    monkeypatch.setattr(fsio.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    result = _build(root, cache)
    assert result.exit_code == 1
    errors = _errors(result)
    assert "while building good (No space left on device" in errors[0]
    assert all("No space left on device" in error for error in errors)  # the home page could not be written either
    assert "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.tmp"))

    verbose = _build(root, cache, "-v")
    assert "Traceback" in verbose.output  # -v shows where it happened


def test_a_pair_folder_without_its_paper_is_one_line(tmp_path, shared_cache):
    root = _course_with_good_pair(tmp_path)
    folder = root / "sources" / "talk-only"
    folder.mkdir()
    shutil.copy(SPEECH / "jfk.flac", folder / "talk.flac")
    result = _build(root, shared_cache)
    assert result.exit_code == 1
    assert _errors(result) == [f"error: {folder}: no PDF found (put the paper in this folder as a .pdf file)"]
    _good_pair_built(root, result)
