"""Finding the course's pairs on disk: `sources/<slug>/` holds one PDF and one talk file."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from .config import load_pair_config
from .errors import ConfigError, CoursewikiError, PairError
from .fsio import write_atomic
from .models.sources import PairFailure, PairSource

TALK_SUFFIXES = (".mp4", ".mkv", ".webm", ".mov", ".avi", ".m4v", ".mp3", ".wav", ".m4a", ".flac", ".ogg", ".opus")

SOURCES_HELP = """\
Each pair lives in its own folder under sources/:
  sources/<slug>/paper.pdf  the paper (exactly one .pdf)
  sources/<slug>/talk.mp4   the talk: mp4 mkv webm mov avi m4v
                            mp3 wav m4a flac ogg or opus
  sources/<slug>/pair.yml   optional overrides: title, short_title,
                            week, group, authors,
                            affiliations, venue, year, arxiv_id,
                            doi, field_of_study, keywords,
                            abstract, language, video_url, tags,
                            whisper_model"""


def slugify(name: str) -> str:
    """A URL-safe folder name; keeps letters of any script so Chinese names stay readable."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    return text[:80] or "pair"


def discover_pairs(sources_dir: Path) -> tuple[list[PairSource], list[PairFailure]]:
    if not sources_dir.is_dir():
        raise CoursewikiError(
            f"{sources_dir}: no sources folder; create it with one sub-folder per pair (see coursewiki build --help)")
    pairs: list[PairSource] = []
    failures: list[PairFailure] = []
    seen: dict[str, Path] = {}
    for folder in sorted(p for p in sources_dir.iterdir() if not p.name.startswith((".", "_"))):
        slug = slugify(folder.name)
        link_problem = _link_problem(folder, sources_dir)
        if link_problem:
            failures.append(PairFailure(slug, str(PairError(folder, link_problem, "point it at a pair folder "
                                                                                  "outside sources/, or remove it"))))
            continue
        if not folder.is_dir():
            continue
        try:
            if slug in seen:
                raise PairError(folder, f"gives the same page name '{slug}' as {seen[slug].name}",
                                "rename one of the two folders")
            seen[slug] = folder
            pairs.append(read_pair(folder, slug))
        except (PairError, ConfigError) as err:
            failures.append(PairFailure(slug, str(err)))
        except OSError as err:
            failures.append(PairFailure(slug, f"{folder}: cannot be read ({err.strerror or err})"))
    return pairs, failures


def _link_problem(entry: Path, sources_dir: Path) -> str | None:
    """A symbolic link that loops, dangles or points back into sources/ would make a pair of
    itself or of the whole course: say so instead of guessing."""
    if not entry.is_symlink():
        return None
    try:
        target = entry.resolve(strict=True)
    except (OSError, RuntimeError):
        return "is a symbolic link that loops or points nowhere"
    sources = sources_dir.resolve()
    if target == sources or sources.is_relative_to(target) or (target.is_dir() and target.parent == sources):
        return f"is a symbolic link back into the sources folder ({target})"
    return None


def read_pair(folder: Path, slug: str) -> PairSource:
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    pdfs = [p for p in files if p.suffix.lower() == ".pdf"]
    talks = [p for p in files if p.suffix.lower() in TALK_SUFFIXES]
    if not pdfs:
        raise PairError(folder, "no PDF found", "put the paper in this folder as a .pdf file")
    if len(pdfs) > 1:
        raise PairError(folder, f"{len(pdfs)} PDFs found ({', '.join(p.name for p in pdfs)})",
                        "keep exactly one paper per pair folder")
    if not talks:
        others = [p.name for p in files if p.suffix.lower() not in (".pdf", ".yml", ".yaml", ".md", ".txt")]
        if others:
            raise PairError(folder / others[0], "is not a talk format coursewiki reads",
                            f"convert it, e.g. ffmpeg -i '{others[0]}' talk.mp4; readable: {', '.join(TALK_SUFFIXES)}")
        raise PairError(folder, "no talk video or audio found",
                        f"add one file ending in {', '.join(TALK_SUFFIXES)}")
    if len(talks) > 1:
        raise PairError(folder, f"{len(talks)} talk files found ({', '.join(p.name for p in talks)})",
                        "keep exactly one talk per pair folder")
    config = load_pair_config(folder / "pair.yml")
    return PairSource(slug=slug, folder=folder, pdf=pdfs[0], video=talks[0], config=config)


def source_signatures(sources_dir: Path) -> dict[str, dict[str, list[int]]]:
    """Each pair folder's files as [size, mtime in ns], by folder name then file name: cheap to take
    (no file is read), and any copy, edit or removal changes it. Folders skipped by
    `discover_pairs` (hidden, `_drafts`) are skipped here too."""
    signatures: dict[str, dict[str, list[int]]] = {}
    if not sources_dir.is_dir():
        return signatures
    for folder in sorted(p for p in sources_dir.iterdir() if not p.name.startswith((".", "_"))):
        try:
            if not folder.is_dir():
                continue
            files = {}
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.startswith("."):
                    stat = path.stat()
                    files[path.name] = [stat.st_size, stat.st_mtime_ns]
        except OSError:
            files = {"": [-1, -1]}  # unreadable now: a change the next look will see
        signatures[folder.name] = files
    return signatures


SOURCES_SEEN = "sources-seen.json"   # in the cache folder: sources folder -> its signatures


def load_seen(cache_dir: Path, sources_dir: Path) -> dict[str, dict[str, list[int]]] | None:
    """The pair folders as the last build of this sources folder found them; None when no build
    has recorded them. Kept in the cache, not in content/: file times are this machine's state,
    and the generated site must be the same bytes wherever the same sources are built."""
    try:
        data = json.loads((cache_dir / SOURCES_SEEN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    seen = data.get(str(sources_dir.resolve())) if isinstance(data, dict) else None
    return seen if isinstance(seen, dict) else None


def save_seen(cache_dir: Path, sources_dir: Path, signatures: dict[str, dict[str, list[int]]]) -> None:
    """Record the folders a build found, beside those of other courses sharing the cache."""
    path = cache_dir / SOURCES_SEEN
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    data[str(sources_dir.resolve())] = signatures
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
