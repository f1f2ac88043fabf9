"""Errors a user can act on. The CLI prints them as one line; `-v` adds the traceback."""
from __future__ import annotations

from pathlib import Path


class CoursewikiError(Exception):
    """Base class: the message is shown to the user as it is."""


class ConfigError(CoursewikiError):
    """A settings file is wrong: the message names the file and the key."""


class PairError(CoursewikiError):
    """One pair cannot be built; the rest of the course still is."""

    def __init__(self, path: Path | str, problem: str, advice: str = ""):
        self.path = Path(path)
        self.problem = problem
        self.advice = advice
        text = f"{path}: {problem}"
        if advice:
            text += f" ({advice})"
        super().__init__(text)


def disk_error(err: OSError, where: Path | str, building: str | None = None) -> str:
    """The one wording of a file that could not be written (disk full, permissions), as one line."""
    context = f" while building {building}" if building else ""
    return f"{err.filename or where}: cannot write{context} ({err.strerror or err}); free some space or fix permissions"
