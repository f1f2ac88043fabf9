"""A course built with --jobs 2, or on a Dask cluster (a real scheduler and two workers on
127.0.0.1), is the same site, byte for byte, as the one a serial build writes; each from a cold
cache of its own, so every stage really runs where it is sent. A broken pair fails alone, with the
same one line, wherever it was built."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.config import CourseSettings
from builder.errors import CoursewikiError
from builder.pipeline import build_course
from conftest import EXAMPLE, PAPERS, REPO, SPEECH, course_root, make_pair, with_plugin_options

def _course(base: Path) -> Path:
    root = course_root(base)
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    # the example's 4-page paper: each build is cold, so its sentences are embedded three times over
    make_pair(root / "sources", "example", EXAMPLE / "paper.pdf", SPEECH / "hotwords.mp3", "tags: [alignment]\n")
    broken = make_pair(root / "sources", "broken", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    (broken / "paper.pdf").write_bytes(b"%PDF-1.4 not really")   # fails alone, wherever it is built
    return root


def _built_but_broken(summary) -> None:
    assert summary.built == ["example", "tdnn"], summary.failed
    assert [f.slug for f in summary.failed] == ["broken"]
    assert "broken/paper.pdf" in summary.failed[0].message and "\n" not in summary.failed[0].message


def _site(root: Path) -> dict[str, bytes]:
    content = root / "content"
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def serial_site(tmp_path_factory) -> dict[str, bytes]:
    root = _course(tmp_path_factory.mktemp("serial"))
    _built_but_broken(build_course(CourseSettings.for_root(root)))
    return _site(root)


def _same(site: dict[str, bytes], serial: dict[str, bytes]) -> None:
    assert sorted(site) == sorted(serial)
    assert [name for name in serial if site[name] != serial[name]] == []


@pytest.mark.slow
def test_a_build_with_two_jobs_writes_the_site_a_serial_build_writes(tmp_path, serial_site):
    root = _course(tmp_path)
    summary = build_course(CourseSettings.for_root(root, jobs=2))
    _built_but_broken(summary)
    assert len(summary.ran("talk")) == 2          # both transcribed, in the worker processes
    _same(_site(root), serial_site)
    again = build_course(CourseSettings.for_root(root, jobs=2))
    assert again.ran("talk") == [] and again.written == []


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """`dask scheduler` and two `dask worker`s (one thread each) on 127.0.0.1, importing this checkout."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1")
    started = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                 "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for n in range(2):
            started.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                                             "--nthreads", "1", "--no-dashboard", "--name", f"w{n}"],
                                            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from dask.distributed import Client
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)


@pytest.mark.slow
def test_a_build_on_a_dask_cluster_writes_the_site_a_serial_build_writes(tmp_path, serial_site, dask_cluster):
    root = _course(tmp_path)
    summary = build_course(CourseSettings.for_root(root, scheduler=dask_cluster))
    _built_but_broken(summary)
    assert len(summary.ran("talk")) == 2
    _same(_site(root), serial_site)


def test_a_scheduler_that_is_not_there_is_one_line(tmp_path):
    root = course_root(tmp_path)
    make_pair(root / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    for address, says in (("tcp://127.0.0.1:9", "cannot reach the Dask scheduler"),
                          ("127.0.0.1 8786", "expected a Dask scheduler address")):
        with pytest.raises(CoursewikiError) as caught:
            build_course(CourseSettings.for_root(root, scheduler=address))
        assert says in str(caught.value) and "\n" not in str(caught.value)
    assert not (root / "content" / "tdnn").exists()


def test_jobs_is_a_whole_number_from_the_flag_or_mkdocs_yml(tmp_path):
    from click.testing import CliRunner
    from builder.cli import main
    from builder.errors import ConfigError
    root = course_root(tmp_path)
    done = CliRunner().invoke(main, ["build", "--root", str(root), "--jobs", "0"])
    assert done.exit_code == 2 and "--jobs" in done.output and "Traceback" not in done.output
    with_plugin_options(root / "mkdocs.yml", jobs="two")
    with pytest.raises(ConfigError, match="option 'jobs': expected a whole number"):
        CourseSettings.for_root(root)


def test_a_pairs_stages_run_with_numpys_blas_on_one_thread_whatever_the_cores(tmp_path, monkeypatch):
    """OpenBLAS splits a matrix product's sums among as many threads as the process had cores when
    it loaded: whisper's mel features then differ by a rounding between a serial build on two cores
    and a --jobs worker on one, enough to change a transcript's comma (this module's comparisons
    failed so on a 2-core AMD machine)."""
    from types import SimpleNamespace

    from threadpoolctl import threadpool_info, threadpool_limits

    from builder import distribute
    seen = []

    def stages(pair, course):
        seen.extend(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")
        return "built"

    monkeypatch.setattr(distribute, "gather_pair", stages)
    task = SimpleNamespace(pair=SimpleNamespace(folder=tmp_path / "pair", slug="pair"), from_cache=False,
                           settings=SimpleNamespace(cache_dir=tmp_path))
    with threadpool_limits(limits=2, user_api="blas"):
        gathered = distribute.gather_task(task, course=None)
        after = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
    assert gathered.result == "built" and seen and set(seen) == {1}
    assert set(after) == {2}   # the process's own setting is back once the pair is done
