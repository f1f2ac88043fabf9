"""Writing files so that a killed build never leaves half a page or half a cache entry."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

TEMP_TAG = ".coursewiki-"
# `.<name>.coursewiki-<mkstemp's 8 random characters>.tmp`: only names of this form are ours to clean up
OUR_TEMP = re.compile(r"^\..+\.coursewiki-[a-z0-9_]{8}\.tmp$")


def _temp_in(folder: Path, name: str) -> tuple[int, str]:
    return tempfile.mkstemp(dir=folder, prefix=f".{name}{TEMP_TAG}", suffix=".tmp")


def write_atomic(path: Path, data: bytes | str) -> bool:
    """Write via a temp file and rename; returns False (and touches nothing) when unchanged."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.stat().st_size == len(payload) and path.read_bytes() == payload:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_in(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def copy_atomic(source: Path, target: Path) -> bool:
    """Copy a (possibly large) file unless the target already has the same size and mtime."""
    if target.is_file():
        src, dst = source.stat(), target.stat()
        if src.st_size == dst.st_size and int(src.st_mtime) == int(dst.st_mtime):
            return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_in(target.parent, target.name)
    os.close(fd)
    try:
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def remove_leftover_temps(folder: Path) -> int:
    """Delete temp files a killed build left behind (its renames never happened). Only our own
    names (`.<name>.coursewiki-<random>.tmp`): a `.notes.tmp` a person made is theirs."""
    removed = 0
    if folder.is_dir():
        for path in folder.rglob(f".*{TEMP_TAG}*.tmp"):
            if OUR_TEMP.match(path.name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed += 1
    return removed
