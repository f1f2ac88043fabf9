"""Pages and copied files get the mode a plain `open()` would give them (0o666 less the umask),
so a site published from content/ or site/ is readable by the web server, not by its owner only."""
from __future__ import annotations

import os
import stat

import pytest

from builder.fsio import copy_atomic, remove_leftover_temps, write_atomic


@pytest.fixture
def umask():
    """Set a known umask for one test and put the old one back."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_written_pages_get_the_umask_mode_not_0600(tmp_path, umask, mask):
    umask(mask)
    page = tmp_path / "content" / "x" / "report.md"
    assert write_atomic(page, "# Report\n")
    assert _mode(page) == 0o666 & ~mask
    assert write_atomic(page, "# Report, rebuilt\n") and _mode(page) == 0o666 & ~mask
    assert not remove_leftover_temps(tmp_path)  # no temp file left behind


def test_copied_talks_get_the_umask_mode_not_the_sources_private_one(tmp_path, umask):
    umask(0o022)
    source = tmp_path / "talk.mp4"
    source.write_bytes(b"\0" * 1000)
    source.chmod(0o600)
    target = tmp_path / "content" / "x" / "talk.mp4"
    assert copy_atomic(source, target)
    assert _mode(target) == 0o644 and target.read_bytes() == source.read_bytes()
    assert int(target.stat().st_mtime) == int(source.stat().st_mtime)
    assert not copy_atomic(source, target)  # same size and mtime: left alone
