"""The package as a user gets it: a wheel installed outside this repository makes a course with
`coursewiki new`, builds a real pair and passes `mkdocs build --strict`, all with what the wheel
carries (glossary, formulas, course template, theme)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import PAPERS, REPO, SPEECH, make_pair


def _run(args: list, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-4000:])
    return done


@pytest.mark.slow
def test_a_wheel_installed_outside_the_repository_makes_and_builds_a_course(tmp_path, shared_cache, _built_one_pair):
    # the wheel is built from a copy, so no build/ or egg-info lands in the checkout
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "builder", source / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path / "home"),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error", "NO_MKDOCS_2_WARNING": "1",
           "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist",
          source], env, tmp_path)
    wheel = next((tmp_path / "dist").glob("coursewiki-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for packaged in ("builder/data/glossary.yml", "builder/course/mkdocs.yml", "builder/course/gitignore",
                     "builder/course/github/workflows/pages.yml", "builder/theme/main.html",
                     "builder/theme/assets/coursewiki.js"):
        assert packaged in names, packaged

    # a venv that sees the installed dependencies (torch, whisper, ...) but gets coursewiki from the wheel
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv], env, tmp_path)
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    _run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", wheel], env, tmp_path)
    where = _run([venv / "bin" / "python", "-c", "import builder; print(builder.__file__)"], env, tmp_path).stdout
    assert str(venv) in where, where

    work = tmp_path / "elsewhere"
    work.mkdir()
    _run([venv / "bin" / "coursewiki", "new", "mycourse"], env, work)
    course = work / "mycourse"
    make_pair(course / "sources", "tdnn", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    built = _run([venv / "bin" / "coursewiki", "build", "--cache", shared_cache], env, course)
    assert "1 pair(s) built" in built.stdout and "0 failed" in built.stdout, built.stdout
    report = (course / "content" / "tdnn" / "report.md").read_text(encoding="utf-8")
    assert "A time delay neural network architecture" in report and "(paper.pdf#page=" in report
    _run([venv / "bin" / "python", "-m", "mkdocs", "build", "--strict"], env, course)
    assert (course / "site" / "tdnn" / "report.html").is_file()
    assert any((course / "site").rglob("coursewiki.js")), "the packaged theme's script is served by the site"
