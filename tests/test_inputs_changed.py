"""A pair whose files change while it is being built is built again (once), never published with
stale subtitles and notes; one that keeps changing fails with one line naming the file."""
from __future__ import annotations

import shutil

import builder.gather as gather
from builder.config import CourseSettings
from builder.pipeline import build_course
from conftest import PAPERS, SPEECH, course_root, make_pair


def _course(tmp_path, shared_cache):
    root = course_root(tmp_path / "course")
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    return root, CourseSettings.for_root(root, cache_dir=shared_cache)


def _replacing_the_talk(monkeypatch, root, times: int):
    """Copy another recording over the pair's talk after its stages ran, `times` times (in the
    step that places keyframes, which runs even when every stage comes from the cache)."""
    real = gather.with_pictures
    replacements = [SPEECH / "hotwords.mp3", SPEECH / "jfk.flac"][:times]

    def place_then_replace(analysis, frames):
        if replacements:
            talk = root / "sources" / "tdnn" / "talk.flac"
            shutil.copyfile(replacements.pop(0), talk)  # same name, new content: a talk replaced mid-build
        return real(analysis, frames)
    monkeypatch.setattr(gather, "with_pictures", place_then_replace)


def test_a_talk_replaced_during_the_build_is_built_again_before_publishing(tmp_path, shared_cache, monkeypatch):
    root, settings = _course(tmp_path, shared_cache)
    _replacing_the_talk(monkeypatch, root, times=1)
    warnings = []
    reporter = gather.Reporter()
    reporter.warn = warnings.append
    summary = build_course(settings, reporter)
    assert summary.failed == [] and summary.built == ["tdnn"]
    assert any("talk.flac: changed during the build" in w for w in warnings)
    published = (root / "content" / "tdnn" / "talk.flac").read_bytes()
    assert published == (SPEECH / "hotwords.mp3").read_bytes()
    vtt = (root / "content" / "tdnn" / "talk.vtt").read_text(encoding="utf-8").lower()
    assert "ask not what your country" not in vtt  # not the old talk's subtitles


def test_a_talk_that_keeps_changing_fails_its_pair_in_one_line(tmp_path, shared_cache, monkeypatch):
    root, settings = _course(tmp_path, shared_cache)
    _replacing_the_talk(monkeypatch, root, times=2)
    summary = build_course(settings)
    [failure] = summary.failed
    assert failure.message == (f"{root / 'sources' / 'tdnn' / 'talk.flac'}: changed again while it was being built "
                               "(build again once the file is complete)")
    assert not (root / "content" / "tdnn" / "talk.md").exists()
