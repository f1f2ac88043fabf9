"""`coursewiki new DIR`: a course of one's own, from the template that ships in the package.

The template (`builder/course/`) holds its dotfiles without the dot (`gitignore`,
`github/workflows/pages.yml`): setuptools' package-data globs skip dotfiles, and a file missing
from the wheel would only show up on a user's machine. `COURSE_FILES` maps each to its name in
the course. Nothing that exists is ever overwritten: every target is checked before one is
written, and each is created exclusively, so a file that appears meanwhile is not replaced either.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from .errors import CoursewikiError

TEMPLATE_DIR = "course"          # inside the builder package
TEMPLATE_TITLE = "Course wiki"   # the template's own site_name line, replaced by the course's title
# template file -> its path in the course
COURSE_FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "sources/README.md": "sources/README.md",
    "github/workflows/pages.yml": ".github/workflows/pages.yml",
}


def template_text(name: str) -> str:
    return resources.files("builder").joinpath(TEMPLATE_DIR, *name.split("/")).read_text(encoding="utf-8")


def course_mkdocs_yml(title: str) -> str:
    """The template's mkdocs.yml with the course's title; this repository's mkdocs.yml is this text
    for its own title (a test keeps them equal)."""
    text = template_text("mkdocs.yml")
    template_line = yaml.safe_dump({"site_name": TEMPLATE_TITLE}, allow_unicode=True).strip()
    course_line = yaml.safe_dump({"site_name": title}, allow_unicode=True, width=10_000).strip()
    if not text.startswith(template_line + "\n"):
        raise CoursewikiError(f"builder/{TEMPLATE_DIR}/mkdocs.yml: does not start with '{template_line}'")
    return course_line + text[len(template_line):]


def default_title(folder: Path) -> str:
    """`my-course` -> "My course": a readable start, for site_name to be edited later."""
    words = folder.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(words).capitalize() if words else TEMPLATE_TITLE


def new_course(folder: Path, title: str | None = None) -> list[Path]:
    """Write a course into `folder` (made if missing) and return the files written."""
    if folder.exists() and not folder.is_dir():
        raise CoursewikiError(f"{folder}: is a file, not a folder; give a new folder's name")
    targets = {name: folder / path for name, path in COURSE_FILES.items()}
    for target in targets.values():
        if target.exists() or target.is_symlink():
            raise CoursewikiError(f"{target}: already exists; coursewiki new never overwrites a file, so nothing "
                                  f"was written (move it away, or start the course in another folder)")
    title = " ".join((title or default_title(folder)).split()) or TEMPLATE_TITLE
    for name, target in targets.items():
        text = course_mkdocs_yml(title) if name == "mkdocs.yml" else template_text(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            raise CoursewikiError(f"{target}: appeared while the course was being written; it was left alone")
    return list(targets.values())
