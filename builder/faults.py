"""A fault of coursewiki's own that one pair's files bring out, in the one line a user sees, for the
build (`distribute.attempt`) and for `coursewiki check` alike. Its own module, not `errors`, which
the talk stage imports: a change there would transcribe every talk again."""
from __future__ import annotations

from pathlib import Path


def fault(err: Exception) -> str:
    """The exception as one short line: its type and the first line of its message."""
    return f"{type(err).__name__}: {err}".strip().splitlines()[0][:160]


def internal_error(err: Exception, subject: Path | str) -> str:
    """The one wording of such a fault in a build: the pair is not built, the rest of the course is."""
    return (f"{subject}: not built, coursewiki failed on it ({fault(err)}); the rest of the course is built. "
            "Run with -v to see where, and report it with this pair's files")
