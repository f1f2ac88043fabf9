"""Pages students own a part of: a notes section kept across rebuilds, and edits never overwritten.

A course wiki lives for years in git, and students annotate the generated pages. Each page ends
with a marked notes section that belongs to the student; everything above it is ours. The page
records a hash of what we generated, so the next build can tell whether someone changed our part:

    ...generated page...
    <!-- coursewiki:generated sha256=<hash of everything above this line> -->
    <!-- coursewiki:notes -->
    ## My notes
    ...the student's text...
    <!-- coursewiki:end-notes -->

If our part is unchanged, the page is rewritten with the new generated text and the same notes.
If it was edited (or the marker is gone, or the file was not made by us), the page is left alone
and the new version is parked in the cache for `coursewiki accept` to take in.
The hash lives in the page itself rather than in the cache, so deleting the cache never makes a
student's edit look like ours.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..fsio import write_atomic
from .words import WORDS

GENERATED = re.compile(r"^<!-- coursewiki:generated sha256=(?P<hash>[0-9a-f]{64}) -->$", re.M)
NOTES_START = "<!-- coursewiki:notes -->"
NOTES_END = "<!-- coursewiki:end-notes -->"
NEW_NOTES = WORDS["en"]["my notes"]


@dataclass(frozen=True)
class PageOutcome:
    path: Path
    written: bool        # the file on disk changed
    left_alone: bool     # the student edited our part; the new version waits in `pending`
    pending: Path | None = None


def body_hash(generated: str) -> str:
    return hashlib.sha256(generated.encode("utf-8")).hexdigest()


def compose(generated: str, notes: str | None = None, new_notes: str = NEW_NOTES) -> str:
    """The page as written to disk: our text, its hash, then the student's notes (`new_notes`, in
    the page's language, where the student has none yet)."""
    generated = generated.rstrip("\n") + "\n"
    notes_text = new_notes if notes is None else notes
    return (f"{generated}\n<!-- coursewiki:generated sha256={body_hash(generated)} -->\n"
            f"{NOTES_START}\n{notes_text.strip(chr(10))}\n{NOTES_END}\n")


def split_page(text: str) -> tuple[str | None, str | None]:
    """(our generated part if unedited, else None; the student's notes, if the section is there)."""
    notes = None
    start, end = text.find(NOTES_START), text.rfind(NOTES_END)
    if start != -1 and end > start:
        notes = text[start + len(NOTES_START):end].strip("\n")
    head = text[:start] if start != -1 else text  # a marker quoted in the notes is not ours
    marker = None
    for marker in GENERATED.finditer(head):
        pass
    if marker is None:
        return None, notes
    generated = text[:marker.start()]
    generated = generated[:-1] if generated.endswith("\n") else generated  # the blank line compose() adds
    return (generated if body_hash(generated) == marker["hash"] else None), notes


def generated_part(text: str) -> str:
    """The page without the student's notes: what validation should look at."""
    start = text.find(NOTES_START)
    return text if start == -1 else text[:start]


def publish_page(path: Path, generated: str, pending_dir: Path, relative: str,
                 new_notes: str = NEW_NOTES) -> PageOutcome:
    """Write a generated page, keeping the student's notes and never overwriting their edits."""
    pending = pending_dir / relative
    if not path.exists():
        pending.unlink(missing_ok=True)
        return PageOutcome(path, write_atomic(path, compose(generated, None, new_notes)), False)
    ours, notes = split_page(path.read_text(encoding="utf-8", errors="replace"))
    if ours is None:
        write_atomic(pending, compose(generated, notes, new_notes))
        return PageOutcome(path, False, True, pending)
    pending.unlink(missing_ok=True)
    return PageOutcome(path, write_atomic(path, compose(generated, notes, new_notes)), False)


def pending_page(page: str, content_dir: Path, pending_dir: Path, cwd: Path) -> tuple[str, Path] | None:
    """Which page a user means by PAGE, and its parked new version: (path in content/, pending file).

    Users paste what the `kept:` message printed (`content/x/report.md`), tab-complete from another
    folder, or give an absolute path; each must name a page inside content/ whose new version is
    parked inside pending/. Anything else is None, so the caller can never unlink the page itself."""
    given = Path(page)
    content = content_dir.resolve()
    relative = None
    for candidate in ([given] if given.is_absolute() else [cwd / given, content / given]):
        try:
            relative = candidate.resolve().relative_to(content)
            break
        except ValueError:
            continue
    if relative is None and not given.is_absolute():
        relative = Path(given.as_posix().removeprefix(f"{content_dir.name}/"))
    if relative is None or relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    pending = (pending_dir / relative).resolve()
    if not pending.is_relative_to(pending_dir.resolve()) or not pending.is_file():
        return None
    return relative.as_posix(), pending


def accept_pending(path: Path, pending: Path) -> None:
    """Take the parked new version, carrying over the notes the student has written since."""
    if path.resolve() == pending.resolve():
        raise ValueError(f"{path}: is the page itself, not a parked new version")
    _, current_notes = split_page(path.read_text(encoding="utf-8", errors="replace")) if path.exists() else (None, None)
    new_ours, _ = split_page(pending.read_text(encoding="utf-8"))
    if new_ours is None:
        raise ValueError(f"{pending}: not a page coursewiki wrote")
    write_atomic(path, compose(new_ours, current_notes))
    pending.unlink()
