"""The cached stages and their keys: inputs' hashes + the settings a stage reads + its code version.

A stage's version is the hash of the source of the module that holds it and of every `builder`
module it imports, transitively (imports inside functions count: they run too). So changing
`analyse_pair` or the caption code it reaches re-runs the stage, while a record or a page writer
the stage never imports leaves its key alone, and a talk is not transcribed again for an edit to
the report writer. Package `__init__` files count only when imported by name, so they must hold
re-exports only (see `builder/models/__init__.py`).
"""
from __future__ import annotations

import ast
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import digest_text
from .records import to_jsonable

PACKAGE = "builder"
PACKAGE_ROOT = Path(__file__).parent


@dataclass(frozen=True)
class Stage:
    name: str        # the cache folder and the log's stage name
    module: str      # where the stage's function lives, e.g. "builder.analyse.pair"

    def key(self, *inputs: Any, root: Path = PACKAGE_ROOT) -> str:
        """The cache key: this stage's code version and everything it reads (hashes, settings)."""
        return digest_text(self.name, code_version(self.module, root), *inputs)


PAPER = Stage("paper", "builder.ingest.paper")            # read_paper: PDF -> Paper (no figures)
FIGURES = Stage("figures", "builder.ingest.figures")      # read_figures: PDF -> FigureSet
TALK = Stage("talk", "builder.ingest.talk")               # transcribe: talk file -> Transcript
ANALYSIS = Stage("analysis", "builder.analyse.pair")      # analyse_pair: (Paper, Transcript) -> PairAnalysis
KEYFRAMES = Stage("keyframes", "builder.ingest.keyframes")  # grab_keyframes: talk file, times -> Keyframes
SLIDES = Stage("slides", "builder.ingest.slides")         # read_slides: talk file -> SlideTrack (OCR)
OCR = Stage("ocr", "builder.ingest.slide_text")           # one slide picture -> its text lines (inside SLIDES)
SLIDE_FIGURES = Stage("slide-figures", "builder.analyse.slide_figures")  # (SlideTrack, FigureSet) -> SlideFigures
VOCABULARY = Stage("vocabulary", "builder.analyse.vocabulary")  # (Paper, glossary, slide text) -> Vocabulary
STAGES = (PAPER, FIGURES, SLIDES, OCR, VOCABULARY, TALK, ANALYSIS, KEYFRAMES, SLIDE_FIGURES)


def record_digest(record: Any) -> str:
    """The hash of a record as a later stage receives it (pair.yml overrides included)."""
    return digest_text(to_jsonable(record))


def code_version(module: str, root: Path = PACKAGE_ROOT) -> str:
    """Memoised for the installed package (its source does not change under a running build)."""
    root = Path(root).resolve()
    return _installed_version(module) if root == PACKAGE_ROOT.resolve() else _code_version(module, root)


# Every stage's version, worked out all at once by the first build thread to key a stage while
# the others wait. Worked out one stage at a time, a Dask worker's second task parsed the
# package's source while the first one's preload thread imported torch and transformers, and
# Python 3.11's ast, which is not thread-safe, failed the build now and then ("AST constructor
# recursion depth mismatch", tests/test_parallel_build.py).
_VERSIONS: dict[str, str] = {}
_FIRST_USE = threading.Lock()


def _installed_version(module: str) -> str:
    with _FIRST_USE:
        if not _VERSIONS:
            # the stages share most of their modules: each is parsed once (1.1 s -> 0.15 s, paid by
            # every `coursewiki build` process, a build with nothing to do included)
            imports: dict[str, list[str]] = {}
            _VERSIONS.update((stage.module, _code_version(stage.module, PACKAGE_ROOT.resolve(), imports))
                             for stage in STAGES)
        if module not in _VERSIONS:
            _VERSIONS[module] = _code_version(module, PACKAGE_ROOT.resolve())
        return _VERSIONS[module]


def _code_version(module: str, root: Path, imports: dict[str, list[str]] | None = None) -> str:
    sha = hashlib.sha256()
    for name in sorted(imported_modules(module, root, imports)):
        sha.update(f"{name}\0".encode())
        sha.update(_module_file(name, root).read_bytes())
    return sha.hexdigest()


def imported_modules(module: str, root: Path = PACKAGE_ROOT, imports: dict[str, list[str]] | None = None) -> set[str]:
    """`module` and every module of the package it imports, directly or through others. `imports`
    keeps each module's direct imports for later calls over the same sources."""
    imports = {} if imports is None else imports
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in imports:
            imports[name] = _direct_imports(name, root)
        todo += imports[name]
    return seen


def _module_file(name: str, root: Path) -> Path:
    parts = name.split(".")[1:]
    path = root.joinpath(*parts)
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _exists(name: str, root: Path) -> bool:
    parts = name.split(".")[1:]
    path = root.joinpath(*parts)
    return (path / "__init__.py").is_file() or path.with_suffix(".py").is_file()


def _direct_imports(name: str, root: Path) -> list[str]:
    path = _module_file(name, root)
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = [f"{target}.{alias.name}" for alias in node.names]
            named = [s for s in submodules if _exists(s, root)]
            found += named if len(named) == len(submodules) else named + [target]
    return [f for f in found if (f == PACKAGE or f.startswith(PACKAGE + ".")) and _exists(f, root)]
