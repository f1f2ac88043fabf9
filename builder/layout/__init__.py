"""Every path the build writes under content/ (here), and the manifest of what it wrote (`manifest.py`).

Names are decided here and nowhere else; this file imports nothing of the builder, so the stages
that name their outputs (figures) do not depend on how files are written. The manifest
(`content/.coursewiki-manifest.json`) lists each file the build wrote with the hash of what it wrote; it is the only list of files the build
may ever delete, and it deletes one only while its hash still matches (a file a student replaced
or added, say `talk.pptx` or `assets/photo-1.jpg`, is theirs). Pages are the exception that proves
the rule: a page goes while its generated part is unedited (`write/student_notes.py`), and a
removed pair whose report was edited keeps all its files (the report cites them).
"""
from __future__ import annotations

from pathlib import Path

PDF_NAME = "paper.pdf"
REPORT = "report.md"
TALK_PAGE = "talk.md"
SUBTITLES = "talk.vtt"
SUBTITLES_SRT = "talk.srt"
INDEX = "index.md"
GLOSSARY = "glossary.md"
TAGS_PAGE = "tags.md"
ABBREVIATIONS = "includes/abbreviations.md"
MANIFEST = ".coursewiki-manifest.json"
# What the coursewiki MkDocs plugin reads of the last build: the navigation.
COURSE_RECORD = ".coursewiki-course.json"


def talk_name(source: Path) -> str:
    """The talk file's name in content/: `talk` and the source's suffix, lower case."""
    return "talk" + source.suffix.lower()


def chapter_image(index: int) -> str:
    return f"assets/chapter-{index + 1}.jpg"


def slide_image(start_s: float) -> str:
    return f"assets/slide-{int(start_s * 1000):08d}.jpg"


def figure_image(kind: str, number: str) -> str:
    return f"assets/{kind.lower()}-{number}.png"
