"""A department's archive (issue 18): N pairs built serially, with --jobs 2, and on a local Dask
cluster (two worker processes, one thread each), each from a cold cache of its own; then a
no-change rebuild, `mkdocs build` of the site, related links for 1,000 synthetic pairs, and the
peak memory of a process that builds pairs.

The pairs: the shared papers (each copy made a distinct file, its metadata changed, so no pair
reuses another's paper stage) with 30-second pieces of the real English recordings in
../shared/data/speech/real (each piece starting 10 s after the last, so every talk is a file of its own and is transcribed).
Run: python benchmarks/archive.py [--pairs 50] [--only serial,jobs,dask]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import fitz  # noqa: E402
import numpy as np  # noqa: E402

from builder.analyse.glossary import load_glossary  # noqa: E402
from builder.analyse.related import related_pairs  # noqa: E402
from builder.config import CourseSettings  # noqa: E402
from builder.ingest.talk import media_duration  # noqa: E402
from builder.pipeline import build_course  # noqa: E402
from conftest import course_root  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
RECORDINGS = ["state_of_union_2019_opening.mp3", "speech_911_memorial.mp3", "apollo11_radio.mp3",
              "talk_political_economy.flac"]
PIECE_S = 30.0
STRIDE_S = 10.0   # pieces overlap: each a different file and stretch, so each is transcribed


def make_sources(sources: Path, count: int) -> float:
    """`count` pair folders; returns the seconds of talk they hold."""
    papers = sorted((DATA / "papers").glob("*.pdf"))
    pieces = [(name, start) for name in RECORDINGS
              for start in np.arange(0.0, media_duration(DATA / "speech" / "real" / name) - PIECE_S, STRIDE_S)]
    if len(pieces) < count:
        raise SystemExit(f"only {len(pieces)} distinct 30-s pieces of real speech; ask for fewer pairs")
    total = 0.0
    for i in range(count):
        folder = sources / f"pair-{i:03d}"
        folder.mkdir(parents=True)
        with fitz.open(papers[i % len(papers)]) as pdf:
            pdf.set_metadata({**(pdf.metadata or {}), "subject": f"archive copy {i}"})
            pdf.save(folder / "paper.pdf", garbage=0)
        name, start = pieces[i]
        subprocess.run(["ffmpeg", "-loglevel", "error", "-ss", f"{start:.1f}", "-t", f"{PIECE_S:.0f}", "-i",
                        str(DATA / "speech" / "real" / name), "-ac", "1", str(folder / "talk.m4a")], check=True)
        total += media_duration(folder / "talk.m4a")
    return total


def course(base: Path, sources: Path) -> Path:
    root = course_root(base)
    shutil.rmtree(root / "sources")
    shutil.copytree(sources, root / "sources")
    return root


def timed_build(root: Path, **settings) -> tuple[float, object]:
    started = time.perf_counter()
    summary = build_course(CourseSettings.for_root(root, **settings))
    return time.perf_counter() - started, summary


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def synthetic_links(count: int) -> float:
    glossary = {t.id: t for t in load_glossary()}
    ids = list(glossary)
    rng, pick = np.random.default_rng(0), random.Random(0)
    titles = {f"p{i:04d}": f"Paper {i}" for i in range(count)}
    vectors = {slug: list(rng.normal(size=384)) for slug in titles}
    terms = {slug: Counter({t: pick.randint(1, 30) for t in pick.sample(ids, 12)}) for slug in titles}
    started = time.perf_counter()
    related_pairs(titles, vectors, terms, glossary)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--only", default="serial,jobs,dask")
    args = parser.parse_args()
    runs = args.only.split(",")
    work = Path(tempfile.mkdtemp(prefix="bench-archive-"))
    sources = work / "sources"
    audio = make_sources(sources, args.pairs)
    print(f"{args.pairs} pairs, {audio / 60:.1f} min of talk; 2-core machine; {os.cpu_count()} CPUs seen")
    print(f"related links, 1000 synthetic pairs: {synthetic_links(1000):.2f} s")
    sites = {}
    if "serial" in runs:
        root = course(work / "serial", sources)
        seconds, summary = timed_build(root)
        print(f"cold build, serial:        {seconds:7.1f} s  ({audio / seconds:.1f}x real time; "
              f"{len(summary.built)} built, {len(summary.failed)} failed); peak memory {peak_mb(resource.RUSAGE_SELF):.0f} MB")
        again, summary = timed_build(root)
        print(f"no-change rebuild:         {again:7.2f} s  ({len(summary.written)} files written)")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True)
        print(f"mkdocs build of the site:  {time.perf_counter() - started:7.1f} s  (exit {done.returncode})")
        sites["serial"] = root
    if "jobs" in runs:
        root = course(work / "jobs", sources)
        seconds, summary = timed_build(root, jobs=2)
        print(f"cold build, --jobs 2:      {seconds:7.1f} s  ({audio / seconds:.1f}x real time; "
              f"{len(summary.built)} built)")
        sites["jobs"] = root
    if "dask" in runs:
        from dask.distributed import Client, LocalCluster
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            root = course(work / "dask", sources)
            seconds, summary = timed_build(root, scheduler=cluster.scheduler_address)
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            print(f"cold build, Dask (2 workers): {seconds:5.1f} s  ({audio / seconds:.1f}x real time; "
                  f"{len(summary.built)} built); peak memory per worker "
                  + ", ".join(f"{mb:.0f} MB" for mb in peaks.values()))
        sites["dask"] = root
    if len(sites) > 1:
        def tree(root):
            content = root / "content"
            return {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*") if p.is_file()}
        trees = {name: tree(root) for name, root in sites.items()}
        first = next(iter(trees.values()))
        for name, files in trees.items():
            print(f"content/ of {name} identical to {next(iter(trees))}: {files == first}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
