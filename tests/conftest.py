"""Shared fixtures: real data from ../shared/data and the expensive results tests share (a parsed
paper, a transcript, a built course), each made once per test session: once per pytest-xdist
worker, which runs whole modules (`--dist loadfile`), so a module's own fixtures are made once.

Builds share one cache folder per worker, so only the first build of a pair there transcribes and
embeds."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from builder.gather import Reporter  # noqa: E402  (after the environment it reads)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
PAPERS = SHARED / "papers"
SPEECH = SHARED / "speech"
# The example pair shipped in the repository: a short paper (4 pages) for tests about how a build
# runs (in parallel, cached), where a real paper's hundreds of sentences would only cost time.
EXAMPLE = REPO / "sources" / "example"


def pytest_configure(config):
    """Under pytest-xdist each worker keeps its own share of the cores, as `coursewiki build --jobs`
    does (`distribute._take_cores`): whisper and the embedder size their threads by the cores a
    process may use, and two workers each running two threads on two cores spent their time
    waiting for each other (measured: unpinned, 4% faster than one process; pinned, 40%)."""
    worker, count = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    if not worker or not count:
        return
    try:
        cores = sorted(os.sched_getaffinity(0))
    except AttributeError:   # no affinity on this system: the workers share the cores
        return
    k, n = int(worker.removeprefix("gw")), int(count)
    os.sched_setaffinity(0, cores[k * len(cores) // n:(k + 1) * len(cores) // n] or [cores[k % len(cores)]])


def pytest_collection_modifyitems(config, items):
    """The modules with slow tests first, then the rest, each group by its number of tests: the
    workers take modules in this order (`--no-loadscope-reorder` in pyproject's addopts). xdist's own
    order, by number of tests alone, left the one-test modules that each take half a minute (the
    killed builds, the wheel) to the end, run one after the other on one worker while the other
    had finished (38 s of a 5 min 45 s run)."""
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    slow = {name for name, tests in modules.items() if any(t.get_closest_marker("slow") for t in tests)}
    order = sorted(modules, key=lambda name: (name not in slow, -len(modules[name])))
    items[:] = [item for name in order for item in modules[name]]


def parsed_pdf(path: Path):
    """The paper stage's record of a PDF, parsed once per session per content (records are frozen,
    so tests can share it; a test that writes another PDF at the same path gets that one)."""
    return _parsed(hashlib.sha256(Path(path).read_bytes()).hexdigest(), str(path))


@functools.lru_cache(maxsize=None)
def _parsed(digest: str, path: str):
    from builder.ingest.paper import ingest_paper
    return ingest_paper(Path(path))


def parsed_paper(file_name: str):
    """A real paper from ../shared/data/papers, parsed once per test session."""
    return parsed_pdf(PAPERS / file_name)


def transcribed(path: Path, **settings):
    """The transcript of a talk with WhisperSettings(**settings), made once per session."""
    return _transcribed(str(path), tuple(sorted(settings.items())))


@functools.lru_cache(maxsize=None)
def _transcribed(path: str, settings: tuple):
    from builder.ingest.talk import WhisperSettings, transcribe
    return transcribe(Path(path), WhisperSettings(**dict(settings)))


@pytest.fixture(scope="session")
def jfk_transcript():
    """The real JFK clip (11 s, one speaker) with the default settings."""
    return transcribed(SPEECH / "jfk.flac")


@pytest.fixture(scope="session")
def bare_env(tmp_path_factory) -> dict[str, str]:
    """The environment for a subprocess (mkdocs, the CLI): nothing of the caller's but PATH's
    system folders, a HOME of its own, offline models, and PYTHONPATH set to this checkout, so
    the subprocess imports the code under test (mkdocs finds our plugin through its entry point,
    which would otherwise load whichever checkout is installed)."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path_factory.mktemp("home")), "PYTHONPATH": str(REPO),
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error", "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_build(root: Path, env: dict[str, str], *options: str) -> subprocess.CompletedProcess:
    """`mkdocs build -q` of a course in a subprocess, as a student runs it."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *options], cwd=root,
                          capture_output=True, text=True, env=env)


def make_pair(sources: Path, slug: str, pdf: Path, talk: Path, pair_yml: str | None = None) -> Path:
    folder = sources / slug
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, folder / "paper.pdf")
    shutil.copy(talk, folder / f"talk{talk.suffix}")
    if pair_yml is not None:
        (folder / "pair.yml").write_text(pair_yml, encoding="utf-8")
    return folder


def course_root(base: Path) -> Path:
    """A course folder with the project's mkdocs.yml (the theme comes from the package), ready for sources."""
    base.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", base / "mkdocs.yml")
    (base / "sources").mkdir(exist_ok=True)
    return base


def with_plugin_options(mkdocs_yml: Path, **options: str) -> None:
    """Give the coursewiki plugin in `mkdocs_yml` these options (course settings)."""
    text = mkdocs_yml.read_text(encoding="utf-8")
    lines = "".join(f"      {name}: {value}\n" for name, value in options.items())
    assert "\n  - coursewiki\n" in text
    mkdocs_yml.write_text(text.replace("\n  - coursewiki\n", f"\n  - coursewiki:\n{lines}", 1), encoding="utf-8")


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def real_course(tmp_path_factory, shared_cache):
    """Two pairs of real inputs: TDNN paper + JFK speech, DPO paper + a short spoken clip."""
    from builder.config import CourseSettings
    from builder.pipeline import build_course
    root = course_root(tmp_path_factory.mktemp("course"))
    # the course names the shared cache itself, so that what reads it as a student would (`mkdocs
    # serve`, `coursewiki check`) finds the transcripts and embeddings instead of making them again
    with_plugin_options(root / "mkdocs.yml", cache=str(shared_cache))
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    make_pair(root / "sources", "dpo", PAPERS / "dpo.pdf", SPEECH / "hotwords.mp3", "tags: [alignment]\n")
    settings = CourseSettings.for_root(root, cache_dir=shared_cache)
    summary = build_course(settings)
    return root, settings, summary



@dataclasses.dataclass(frozen=True)
class Course:
    root: Path
    settings: object          # builder.config.CourseSettings

    @property
    def content(self) -> Path:
        return self.root / "content"


def one_pair_sources(base: Path, cache: Path) -> Course:
    """A course folder with one pair (the TDNN paper, the real JFK clip), not built yet."""
    from builder.config import CourseSettings
    root = course_root(base)
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    return Course(root, CourseSettings.for_root(root, cache_dir=cache))


@pytest.fixture(scope="session")
def _built_one_pair(tmp_path_factory, shared_cache) -> Course:
    from builder.pipeline import build_course
    course = one_pair_sources(tmp_path_factory.mktemp("one-pair") / "course", shared_cache)
    summary = build_course(course.settings)
    assert summary.built == ["tdnn"] and not summary.failed, summary.failed
    return course


@pytest.fixture
def one_pair_unbuilt(tmp_path, shared_cache) -> Course:
    """`one_pair_sources` in this test's own folder, for tests that change it before the build."""
    return one_pair_sources(tmp_path / "course", shared_cache)


@pytest.fixture
def one_pair_course(_built_one_pair, tmp_path, shared_cache) -> Course:
    """The one-pair course, built once per session and copied into this test's own folder (the
    copy keeps file times and modes, so the next build sees what a rebuild in place would)."""
    from builder.config import CourseSettings
    root = tmp_path / "course"
    shutil.copytree(_built_one_pair.root, root, symlinks=True)
    return Course(root, CourseSettings.for_root(root, cache_dir=shared_cache))


class Collect(Reporter):
    """A build's reporter that keeps its warnings, for tests that read what the user is told."""
    def __init__(self):
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)
