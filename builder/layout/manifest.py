"""The manifest of generated files (`content/.coursewiki-manifest.json`): each file the build
wrote with the hash of what it wrote, the only files a build may ever delete."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..fsio import write_atomic
from . import MANIFEST, REPORT


def bytes_digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


@dataclass
class Manifest:
    """What this build wrote (`written`), read against what earlier builds wrote (`previous`)."""
    content_dir: Path
    previous: dict[str, str] = field(default_factory=dict)   # relative path -> sha256
    written: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, content_dir: Path) -> "Manifest":
        path = content_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = {str(k): str(v) for k, v in data.get("files", {}).items()}
        except (OSError, ValueError, AttributeError):
            files = {}  # no manifest (a first build, or one from before manifests): delete nothing
        return cls(content_dir, previous=files)

    def wrote(self, path: Path, digest: str) -> None:
        self.written[path.relative_to(self.content_dir).as_posix()] = digest

    def keep(self, slugs: set[str]) -> None:
        """Carry forward what earlier builds wrote for pairs this build did not write (failed ones)."""
        for relative, digest in self.previous.items():
            if relative.split("/", 1)[0] in slugs and relative not in self.written:
                self.written[relative] = digest

    def remove_stale(self) -> list[Path]:
        """Delete what earlier builds wrote and this one did not, where it is still as written;
        then empty folders left behind. Returns what was deleted."""
        removed: list[Path] = []
        stale = sorted(set(self.previous) - set(self.written))
        edited = {r.split("/", 1)[0] for r in stale if r.endswith("/" + REPORT) and self._edited(r)}
        for relative in stale:
            path = self.content_dir / relative
            if relative.split("/", 1)[0] in edited:
                continue
            if ".." in Path(relative).parts or not path.is_file() or path.is_symlink():
                continue
            if path.suffix == ".md":
                if self._edited(relative):
                    continue  # edited outside its notes: a person's work now
            elif file_digest(path) != self.previous[relative]:
                continue  # replaced by someone: theirs
            path.unlink()
            removed.append(path)
            folder = path.parent
            while folder != self.content_dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        return removed

    def _edited(self, relative: str) -> bool:
        from ..write.student_notes import split_page
        path = self.content_dir / relative
        return path.is_file() and split_page(path.read_text(encoding="utf-8", errors="replace"))[0] is None

    def save(self) -> None:
        text = json.dumps({"version": 1, "files": dict(sorted(self.written.items()))}, indent=1)
        write_atomic(self.content_dir / MANIFEST, text + "\n")
