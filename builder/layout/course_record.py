"""What the coursewiki MkDocs plugin needs of the last build (`content/.coursewiki-course.json`):
the navigation's pair sections, in MkDocs' own `nav` form.

The plugin runs inside MkDocs, on every rebuild of `mkdocs serve`, so this is a small JSON file
it can read without importing the pipeline. It is generated output like the pages: the same
sources give the same bytes (which pair folders a build saw, with their file times, is machine
state and lives in the cache: `sources.load_seen`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import COURSE_RECORD

VERSION = 1


@dataclass(frozen=True)
class CourseRecord:
    nav: list = field(default_factory=list)   # MkDocs nav entries for the pairs

    @classmethod
    def load(cls, content_dir: Path) -> "CourseRecord | None":
        """The last build's record; None when there is none or it cannot be read (a course built
        before this file existed, or one a person edited by hand)."""
        try:
            data = json.loads((Path(content_dir) / COURSE_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        nav = data.get("nav")
        return cls(nav) if isinstance(nav, list) else None

    def text(self) -> str:
        return json.dumps({"version": VERSION, "nav": self.nav},
                          ensure_ascii=False, indent=1, sort_keys=True) + "\n"
