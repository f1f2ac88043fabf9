"""Real recordings (not about the paper) through the whole build: no error, no repeated lines in
the transcript a student reads, readable chapter titles. Short clips only; the long recordings
are in benchmarks/real_speech.py."""
from __future__ import annotations

import re

import pytest

from builder.ingest.repeats import repeated_lines
from builder.models import Segment

from conftest import PAPERS, SHARED, SPEECH, Collect, course_root, make_pair

CLIPS = {"jfk": SPEECH / "jfk.flac", "hotwords": SPEECH / "hotwords.mp3",
         "lecture": SHARED / "speech" / "real" / "talk_political_economy.flac"}


@pytest.fixture(scope="module")
def real_speech_course(tmp_path_factory, shared_cache):
    from builder.config import CourseSettings
    from builder.pipeline import build_course
    root = course_root(tmp_path_factory.mktemp("real-speech"))
    for slug, clip in CLIPS.items():
        make_pair(root / "sources", slug, PAPERS / "tdnn.pdf", clip)
    settings = CourseSettings.for_root(root, cache_dir=shared_cache)
    reporter = Collect()
    return root, build_course(settings, reporter), reporter.warnings


def transcript_lines(page: str) -> list[str]:
    full = page.split('??? note "Full transcript"', 1)[1]
    return [re.sub(r"^\s*\[[^\]]*\]\([^)]*\)\s*", "", line).strip() for line in full.splitlines()
            if line.startswith("    [")]


def talk_page(root, slug: str) -> str:
    return (root / "content" / slug / "talk.md").read_text(encoding="utf-8")


def test_real_recordings_build_with_a_real_paper_without_error(real_speech_course):
    _, summary, _ = real_speech_course
    assert summary.failed == []
    assert set(CLIPS) <= set(summary.built)


def test_real_recordings_have_no_repeated_lines_in_their_transcript(real_speech_course):
    root, _, _ = real_speech_course
    for slug in CLIPS:
        lines = transcript_lines(talk_page(root, slug))
        assert lines, slug
        assert repeated_lines([Segment(0.0, 0.0, line, []) for line in lines]) == 0, slug


def test_the_lecture_transcript_keeps_most_of_what_was_said(real_speech_course):
    """60 s of speech at ~150 words a minute: cleaning must not throw real sentences away."""
    root, _, _ = real_speech_course
    words = sum(len(line.split()) for line in transcript_lines(talk_page(root, "lecture")))
    assert words >= 100


def test_real_recordings_get_readable_chapter_titles(real_speech_course):
    root, _, _ = real_speech_course
    for slug in CLIPS:
        titles = re.findall(r"^### \d+\. (.*)$", talk_page(root, slug), flags=re.M)
        assert titles, slug
        for title in titles:
            words = re.findall(r"[\w'-]+", title.lower())
            assert 1 <= len(words) <= 12 and len(title) <= 90, title
            assert len(set(words)) == len(words), title   # no word said over and over
            assert re.search(r"[A-Za-z]{2}", title), title
            # a thing named, not a piece of a clause ("Comes back" was the lecture's, "Guess we're" the radio's)
            assert not re.search(r"n't\b|'(re|ll|ve|d|m)\b", title.lower()), title
            assert words[-1] not in {"back", "away", "soon", "told"}, title


def test_a_talk_about_something_else_is_said_to_be_so_and_not_matched_to_sections(real_speech_course):
    """None of these recordings is about the TDNN paper: every threshold of the alignment is
    relative to the talk's own fits, so before this check a memorial speech "explained" the paper's
    architecture section. Each pair says so in one line naming the video, and on its talk page."""
    root, _, warned = real_speech_course
    for slug in CLIPS:
        page = talk_page(root, slug)
        assert "does not seem to be about the paper" in page and "explains paper" not in page, slug
        report = (root / "content" / slug / "report.md").read_text(encoding="utf-8")
        part4 = report.split("## 4. Video supplementary points", 1)[1].split("\n## 5.", 1)[0]
        assert part4.lstrip().startswith('!!! warning "This talk does not seem to be about the paper"'), slug
        # nor is what it says listed as adding to the paper (nearly all of it is beyond the paper)
        assert "What the talk adds" not in part4 and "closely follows" not in part4, slug
        assert "What the talk adds here" not in page, slug
        said = [line for line in warned if "does not seem to be about" in line and f"/{slug}/" in line]
        assert len(said) == 1 and "talk." in said[0] and "paper.pdf" in said[0] and "\n" not in said[0], slug
