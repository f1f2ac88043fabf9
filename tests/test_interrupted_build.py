"""A build killed at any moment leaves no partial page, and the next build finishes the job with
output byte-identical to a build that was never interrupted (and to one with a fresh cache)."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.write.student_notes import NOTES_END
from conftest import PAPERS, REPO, SPEECH, course_root, make_pair

pytestmark = pytest.mark.slow


def _build(root: Path, cache: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1")
    return subprocess.Popen([sys.executable, "-m", "builder", "build", "-q", "--root", str(root), "--cache", str(cache)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _tree(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def _course(base: Path) -> Path:
    root = course_root(base)
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    return root


def test_sigkill_at_random_moments_then_rebuild_gives_the_uninterrupted_output(tmp_path):
    reference = _course(tmp_path / "reference")
    started = time.monotonic()
    done = _build(reference, tmp_path / "reference-cache")
    assert done.wait(timeout=600) == 0, done.stderr.read().decode()
    full_run = time.monotonic() - started
    expected = _tree(reference / "content")

    root, cache = _course(tmp_path / "killed"), tmp_path / "killed-cache"
    moments = random.Random(20261127)
    for _ in range(3):
        process = _build(root, cache)
        time.sleep(moments.uniform(0.2, full_run))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        for page in (root / "content").rglob("*.md"):  # every page on disk is whole
            assert page.read_text(encoding="utf-8").rstrip().endswith(NOTES_END), page
        for entry in cache.rglob("*.json"):  # every cache entry is whole
            json.loads(entry.read_text(encoding="utf-8"))

    final = _build(root, cache)
    assert final.wait(timeout=600) == 0, final.stderr.read().decode()
    assert not list((root / "content").rglob("*.tmp")) and not list(cache.rglob("*.tmp"))
    assert _tree(root / "content") == expected
