"""Where the pairs' stages run: here, one pair after another; in `jobs` processes of this machine;
or as tasks on the workers of a Dask distributed cluster (`scheduler`).

A pair's stages are one task, `gather_task`: a function of the pair's inputs through the
content-hash cache, so where it runs cannot change what it returns, and the pages (written here,
after every pair is gathered) are the same bytes whichever way the course is built. A worker builds
its own Course from the settings once (the models load once per process) and sends back the
pair's result, or the one line that says why the pair failed, with the warnings and stage runs it
saw, so the terminal, `last-build.json` and the summary read as after a serial build.

Dask is used as it is: `Client(address).submit`, one task per pair, no scheduler or queue of our
own. The workers must see the sources and the cache folder at the same paths as this machine
(a shared file system) and import this version of coursewiki.
"""
from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import ctypes
import gc
import multiprocessing
import os
import re
import socket
import threading
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from .analyse.embed import MULTILINGUAL, Embedder
from .analyse.glossary import TermMatcher, load_glossary
from .cache import Cache, NotCached, StageRun
from .config import CourseSettings
from .errors import CoursewikiError, disk_error
from .faults import internal_error
from .gather import Course, Reporter, gather_pair
from .ingest.talk import media_duration
from .models import PairResult, PairSource

T = TypeVar("T")


def course_for(settings: CourseSettings, reporter: Reporter) -> Course:
    """Everything the pairs' stages share, as the build and every worker make it."""
    glossary = load_glossary()
    cache = Cache(settings.cache_dir)
    return Course(settings, cache, glossary, TermMatcher(glossary), Embedder(cache, settings.embedding_model),
                  reporter, Embedder(cache, settings.multilingual_embedding_model or MULTILINGUAL))


@dataclass(frozen=True)
class PairTask:
    """One pair's stages, as a task: `from_cache` for a pair `--pair` did not name (its stages may
    only read the cache)."""
    pair: PairSource
    settings: CourseSettings
    from_cache: bool = False


@dataclass(frozen=True)
class Gathered:
    """What a pair's task sends back: its result, or why it has none (`failure`, one line naming
    the file, with the traceback for -v; or `kept`: taken from the cache, and never built with its
    current sources), with what the build would have printed and logged while it ran."""
    slug: str
    result: PairResult | None = None
    failure: str | None = None
    trace: str | None = None
    kept: bool = False
    warnings: tuple[str, ...] = ()
    runs: tuple[StageRun, ...] = ()
    depends: tuple[tuple[str, tuple[str, ...]], ...] = ()   # the entries it computed, with those they read


def attempt(work: Callable[[], T], where: Path, building: str | None = None,
            subject: Path | None = None) -> tuple[T | None, str | None, str]:
    """The one place an error becomes a failure of one pair (or of the site pages): the result, or
    the one line that names the file, with the traceback kept for -v. A fault of coursewiki's own
    that some input brings out (a PDF laid out as no paper before it was) fails that pair alone,
    in one line too: the rest of the course is still built."""
    try:
        return work(), None, ""
    except CoursewikiError as err:
        return None, str(err), traceback.format_exc()
    except OSError as err:  # the cache, a page or a scratch file could not be written: disk full, permissions
        return None, disk_error(err, where, building), traceback.format_exc()
    except NotCached:
        raise
    except Exception as err:  # noqa: BLE001 (one pair's input met a bug: that pair fails, not the course)
        return None, internal_error(err, subject or where), traceback.format_exc()


def gather_task(task: PairTask, course: Course) -> Gathered:
    """The pair's stages; an error is a failure of this pair only."""
    pair = task.pair
    if task.from_cache:
        course = replace(course, cache=course.cache.reading_only())
    try:
        with one_blas_thread():
            result, failure, trace = attempt(lambda: gather_pair(pair, course), task.settings.cache_dir,
                                             pair.folder.name, pair.folder)
    except NotCached:
        return Gathered(pair.slug, kept=True)
    return Gathered(pair.slug, result=result, failure=failure, trace=trace or None)


def one_blas_thread():
    """NumPy's matrix products on one thread while a pair's stages run, whatever the cores. OpenBLAS
    sizes its threads by the cores the process had when it loaded, and splits a product's sums
    among them: whisper's mel features (a matrix product) came out a rounding apart on two threads
    and on one, enough to change a comma of a transcript ("And so, my fellow Americans" against
    "And so my fellow Americans"), so a --jobs worker (one core) and a serial build (two) wrote
    different pages. The products the stages make are small; torch (the embeddings) keeps its threads."""
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=1, user_api="blas")


class _Collecting(Reporter):
    """A worker's reporter: the warnings go back with the result; the steps stay on the worker."""
    def __init__(self):
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)


_WORKER: dict[CourseSettings, Course] = {}
_WORKER_LOCK = threading.Lock()   # one pair at a time per process: its stage runs are its own


def run_on_worker(task: PairTask) -> Gathered:
    """`gather_task` in a worker process (a local one or a Dask worker), with this process's Course
    for these settings, made on its first task."""
    with _WORKER_LOCK:
        if task.settings not in _WORKER:
            _WORKER[task.settings] = course_for(task.settings, Reporter())
        course = _WORKER[task.settings]
        reporter = _Collecting()
        first = len(course.cache.log)
        course.cache.depends.clear()
        done = gather_task(task, replace(course, reporter=reporter))
        runs = tuple(course.cache.log[first:])
        give_back_memory(runs)
        del course.cache.log[first:]
        return replace(done, warnings=tuple(reporter.warnings), runs=runs,
                       depends=tuple(sorted(course.cache.depends.items())))


def _take_cores(jobs: int, taken) -> None:
    """A --jobs worker keeps its share of the machine's cores (the k-th of `jobs` slices), so whisper
    and the embeddings, which size their threads by the cores a process may use
    (`machine.cpu_threads`), do not oversubscribe them. Done with the process's CPU affinity, not by
    telling the stages: a stage's code is part of its cache key, and a talk must not be transcribed
    again because the build learnt to run in parallel."""
    with taken.get_lock():
        k, taken.value = taken.value % jobs, taken.value + 1
    try:
        cores = sorted(os.sched_getaffinity(0))
        mine = cores[k * len(cores) // jobs:(k + 1) * len(cores) // jobs] or cores
        os.sched_setaffinity(0, mine)
    except (AttributeError, OSError):   # no affinity on this system: the threads share the cores
        pass


def give_back_memory(runs) -> None:
    """Return the memory freed by a pair's stages (`runs`: what they logged) to the system before
    the next pair, when one of them ran: a pair read whole from the cache frees little, and the
    collection and trim (some 40 ms) would be most of a build with nothing to do. glibc keeps
    freed heap pages, and the models' batches of varying sizes leave them scattered: a process
    building pair after pair grew by about 60 MB a pair (2.1 GB after 25 pairs on a Dask worker);
    trimmed after each pair, a Dask worker peaked at 1.44 GB over 25 pairs (benchmarks/archive.py).
    What survives the collection is then frozen (left out of later collections): the loaded
    libraries and models are half a million objects, and walking them again after every pair took
    0.28 s of each (5 s of a 20-pair course), where the objects a pair made take under 1 ms. A
    pair's results hold no reference cycles (measured: none freed once unfrozen), so nothing frozen
    that later dies waits on the collector; a serial build unfreezes when its pairs are done."""
    if not any(run.ran for run in runs):
        return
    gc.collect()
    gc.freeze()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):   # not glibc (macOS, musl): its allocator does its own
        pass


def gather_all(tasks: list[PairTask], course: Course, settings: CourseSettings) -> Iterator[Gathered]:
    """Every pair's Gathered, in the order of `tasks`. Serially the stages run here with the live
    reporter; otherwise the reporter gets one line per pair as it finishes and one bar over the
    course's audio seconds, and the stage runs join this build's cache log."""
    if settings.scheduler:
        remote = _on_dask(tasks, settings.scheduler)
    elif settings.jobs > 1 and len(tasks) > 1:
        remote = _on_processes(tasks, min(settings.jobs, len(tasks)))
    else:
        quiet = replace(course, reporter=WarningsOnly(course.reporter))
        try:
            for task in tasks:
                first = len(course.cache.log)
                yield gather_task(task, quiet if task.from_cache else course)
                give_back_memory(course.cache.log[first:])
        finally:
            gc.unfreeze()   # this process may build again (tests, `mkdocs serve`): its collector sees all
        return
    yield from _reported(tasks, remote, course)


class WarningsOnly(Reporter):
    """A pair taken from the cache runs none of the steps it would announce; its warnings (a talk
    in a language the model cannot write, say) still hold, and are still shown."""
    def __init__(self, reporter: Reporter):
        self.warn = reporter.warn


def _reported(tasks: list[PairTask], remote: Iterable[tuple[int, Gathered]], course: Course) -> Iterator[Gathered]:
    reporter = course.reporter
    seconds = [_audio_seconds(task) for task in tasks]
    total, done = sum(seconds), 0.0
    found: dict[int, Gathered] = {}
    for index, gathered in remote:
        found[index] = gathered
        course.cache.log.extend(gathered.runs)
        course.cache.depends.update(gathered.depends)
        for warning in gathered.warnings:
            reporter.warn(warning)
        transcribed = any(r.ran and r.stage == "talk" for r in gathered.runs)
        state = "failed" if gathered.failure else "kept as it was" if gathered.kept else \
            f"done ({'transcribed' if transcribed else 'from cache'}, {seconds[index]:.0f} s of talk)"
        reporter.step(gathered.slug, state)
        done += seconds[index]
        reporter.audio_progress("course", done, total)
    for index in range(len(tasks)):
        yield found[index]


def _audio_seconds(task: PairTask) -> float:
    try:
        return media_duration(task.pair.video)
    except Exception:  # noqa: BLE001 (only the progress bar needs it; the pair's own stage reports a bad file)
        return 0.0


def _on_processes(tasks: list[PairTask], jobs: int) -> Iterator[tuple[int, Gathered]]:
    """`jobs` fresh processes (spawned: no copy of this process's threads or loaded models), each
    on its share of the cores."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_take_cores,
                                                initargs=(jobs, context.Value("i", 0))) as pool:
        futures = {pool.submit(run_on_worker, task): i for i, task in enumerate(tasks)}
        for future in concurrent.futures.as_completed(futures):
            try:
                gathered = future.result()
            except concurrent.futures.process.BrokenProcessPool:
                raise CoursewikiError(f"{tasks[futures[future]].pair.folder}: a --jobs worker process died while "
                                      f"building it (out of memory?); build again with fewer --jobs") from None
            yield futures[future], gathered


_ADDRESS = re.compile(r"(tcp|tls)://[^\s/:]+:\d{1,5}")


def _on_dask(tasks: list[PairTask], address: str) -> Iterator[tuple[int, Gathered]]:
    if not _ADDRESS.fullmatch(address):
        raise CoursewikiError(f"--scheduler {_one_line(address)}: expected a Dask scheduler address "
                              f"such as tcp://127.0.0.1:8786")
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise CoursewikiError("--scheduler needs Dask: pip install 'coursewiki[dask]' (dask.distributed)") from None
    _listens(address)
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise CoursewikiError(f"{address}: cannot reach the Dask scheduler ({_one_line(str(err) or type(err).__name__)}); start it with "
                              f"`dask scheduler` and give its tcp://HOST:PORT") from None
    with client, client.as_current():
        futures = {client.submit(run_on_worker, task, pure=False, key=f"coursewiki-{task.pair.slug}-{i}"): i
                   for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            try:
                gathered = future.result()
            except Exception as err:  # noqa: BLE001 (a worker that cannot import coursewiki or died)
                raise CoursewikiError(f"{address}: a Dask worker could not run {tasks[futures[future]].pair.slug}'s "
                                      f"stages ({_one_line(str(err) or type(err).__name__)}); its workers need this version of coursewiki "
                                      f"and the sources and cache at the same paths") from None
            yield futures[future], gathered


def _listens(address: str) -> None:
    """Nothing listening at the address is said at once: Dask's client tries again until its timeout
    (10 s) before it gives up on a refused connection, the usual result of a mistyped port."""
    host, port = address.split("://", 1)[1].rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except (ConnectionRefusedError, TimeoutError) as err:
        why = "nothing listens there: connection refused" if isinstance(err, ConnectionRefusedError) else "no answer in 10 s"
        raise CoursewikiError(f"{address}: cannot reach the Dask scheduler ({why}); start it with `dask scheduler` "
                              f"and give its tcp://HOST:PORT") from None
    except OSError:   # a name that does not resolve, a network that is down: the client says it in its own words
        pass


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]

