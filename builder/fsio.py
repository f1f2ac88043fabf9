"""Writing files so that a killed build never leaves half a page or half a cache entry."""
from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

TEMP_TAG = ".coursewiki-"
# `.<name>.coursewiki-<8 random hex digits>.tmp`: only names of this form are ours to clean up
OUR_TEMP = re.compile(r"^\..+\.coursewiki-[0-9a-f]{8}\.tmp$")


def _open_temp(target: Path) -> tuple[int, Path]:
    """A new temp file next to `target` with the mode a plain `open()` gives a new file (0o666 less
    the umask). `mkstemp` makes every file 0600, so a published page would be readable by its
    owner only."""
    for _ in range(100):
        tmp = target.parent / f".{target.name}{TEMP_TAG}{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{target.parent}: no free temporary file name")


def write_atomic(path: Path, data: bytes | str) -> bool:
    """Write via a temp file and rename; returns False (and touches nothing) when unchanged."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.stat().st_size == len(payload) and path.read_bytes() == payload:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _open_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def copy_atomic(source: Path, target: Path) -> bool:
    """Copy a (possibly large) file unless the target already has the same size and mtime."""
    if target.is_file():
        src, dst = source.stat(), target.stat()
        if src.st_size == dst.st_size and int(src.st_mtime) == int(dst.st_mtime):
            return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _open_temp(target)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)  # not copy2: the mode is the one _open_temp chose, not the source's
        times = source.stat()
        os.utime(tmp, ns=(times.st_atime_ns, times.st_mtime_ns))  # the size-and-mtime check above reads it
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
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
