"""Shared fixtures: real data from ../shared/data, and one course built once per test session.

Builds share one cache folder, so only the first build of a pair transcribes and embeds."""
from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
PAPERS = SHARED / "papers"
SPEECH = SHARED / "speech"


@functools.lru_cache(maxsize=None)
def parsed_paper(file_name: str):
    """A real paper from ../shared/data/papers, parsed once per test session (records are frozen,
    so tests can share it)."""
    from builder.ingest.paper import ingest_paper
    return ingest_paper(PAPERS / file_name)


def make_pair(sources: Path, slug: str, pdf: Path, talk: Path, pair_yml: str | None = None) -> Path:
    folder = sources / slug
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, folder / "paper.pdf")
    shutil.copy(talk, folder / f"talk{talk.suffix}")
    if pair_yml is not None:
        (folder / "pair.yml").write_text(pair_yml, encoding="utf-8")
    return folder


def course_root(base: Path) -> Path:
    """A course folder with the project's mkdocs.yml and theme, ready for sources."""
    base.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", base / "mkdocs.yml")
    shutil.copytree(REPO / "theme", base / "theme", dirs_exist_ok=True)
    (base / "sources").mkdir(exist_ok=True)
    return base


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def real_course(tmp_path_factory, shared_cache):
    """Two pairs of real inputs: TDNN paper + JFK speech, DPO paper + a short spoken clip."""
    from builder.config import CourseSettings
    from builder.pipeline import build_course
    root = course_root(tmp_path_factory.mktemp("course"))
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    make_pair(root / "sources", "dpo", PAPERS / "dpo.pdf", SPEECH / "hotwords.mp3", "tags: [alignment]\n")
    settings = CourseSettings.for_root(root, cache_dir=shared_cache)
    summary = build_course(settings)
    return root, settings, summary
