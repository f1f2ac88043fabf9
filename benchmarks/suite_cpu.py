"""CPU seconds per test module, to see where the suite's time goes and whether `-m "not slow"` is
a quick loop.

Wall time on the shared 2-core machine moves with everyone else's work; CPU time (this process
and the subprocesses it waited for: mkdocs, the CLI, the LLM server) moves much less, so that is
the figure to compare. A module's figure includes the fixtures its first test set up, so a
session fixture (a built course, a transcript) is charged to the first module that needs it.

With pytest-xdist's workers (pyproject's addopts), a module's figure is that of the worker that
ran it; the last line's CPU is the whole run's (workers included).

Run: python benchmarks/suite_cpu.py [-m "not slow"] [PYTEST ARGS ...]
It runs `python -m pytest -q -p suite_cpu ARGS` from the project root (this file is the plugin).
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS_ENV = "SUITE_CPU_RESULTS"


def _cpu_s() -> float:
    """CPU of this process (all threads) and of its children that have been waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_by_module: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])  # cpu s, wall s, tests


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    cpu, wall = _cpu_s(), time.perf_counter()
    yield
    row = _by_module[item.nodeid.split("::", 1)[0]]
    row[0] += _cpu_s() - cpu
    row[1] += time.perf_counter() - wall
    row[2] += 1


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get(RESULTS_ENV)
    if target:   # each xdist worker (pyproject's addopts) writes its own file beside the controller's
        worker = os.environ.get("PYTEST_XDIST_WORKER", "controller")
        Path(f"{target}.{worker}").write_text(json.dumps({"modules": _by_module, "exit": int(exitstatus)}),
                                              encoding="utf-8")


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        results = Path(scratch) / "results.json"
        env = dict(os.environ, **{RESULTS_ENV: str(results)})
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT), env.get("PYTHONPATH", "")])
        started, cpu_before = time.perf_counter(), _cpu_s()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "suite_cpu", *argv], cwd=ROOT, env=env)
        wall, cpu = time.perf_counter() - started, _cpu_s() - cpu_before
        written = sorted(Path(scratch).glob(results.name + ".*"))
        if not written:
            print("pytest wrote no results (it stopped before the session ended)")
            return done.returncode or 1
        modules: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        for part in written:
            for name, row in json.loads(part.read_text(encoding="utf-8"))["modules"].items():
                modules[name] = [a + b for a, b in zip(modules[name], row)]
    print(f"\n{'module':40} {'tests':>5} {'cpu s':>8} {'wall s':>8}")
    for name, (cpu_s, wall_s, tests) in sorted(modules.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:40} {tests:5d} {cpu_s:8.1f} {wall_s:8.1f}")
    tests = sum(row[2] for row in modules.values())
    print(f"{'all (pytest run)':40} {tests:5d} {cpu:8.1f} {wall:8.1f}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
