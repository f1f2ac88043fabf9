"""Bad input gets one clear line naming the file, and never stops the rest of the course."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.config import load_pair_config
from builder.errors import ConfigError, PairError
from builder.ingest.paper import ingest_paper
from builder.ingest.talk import WhisperSettings, transcribe

import bad_inputs
from conftest import PAPERS, SPEECH, course_root, make_pair


def half_of(source, path):
    """A download cut off halfway: the header still declares the whole length."""
    data = source.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    return path


def writes(content: bytes):
    def make(path):
        path.write_bytes(content)
        return path
    return make


@pytest.mark.parametrize("make, expected", [
    (writes(b""), "is empty (0 bytes)"),
    (writes(b"<!DOCTYPE html><html><body>Download</body></html>"), "is an HTML page, not a PDF"),
    (writes(b"PK\x03\x04 a zip, or a Word file, saved as paper.pdf"), "is not a PDF (it has no %PDF header)"),
    (writes(b"%PDF-1.7\n" + bytes(range(256)) * 8), "is damaged and cannot be opened"),
    (bad_inputs.encrypted_pdf, "is encrypted with a password"),
    (bad_inputs.scanned_pdf, "has no text layer (a scanned PDF?)"),
    (bad_inputs.zero_page_pdf, "has no pages"),
])
def test_bad_pdf_gets_one_line_naming_the_file(tmp_path, make, expected):
    path = make(tmp_path / "paper.pdf")
    with pytest.raises(PairError) as caught:
        ingest_paper(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and expected in message and "\n" not in message
    assert message.count("not a PDF") <= 1


@pytest.mark.parametrize("make, expected", [
    (lambda p: bad_inputs.video(p.with_suffix(".mp4")), "has no audio track"),
    (lambda p: bad_inputs.silent_wav(p.with_suffix(".wav")), "is silent"),
    (lambda p: writes(b"\x00\x00\x00\x18ftypmp42" + b"\x13" * 4000)(p.with_suffix(".mp4")),
     "cannot be opened as audio or video"),
    (lambda p: half_of(SPEECH / "jfk.flac", p.with_suffix(".flac")), "is truncated: its audio stops at 5.4 s of the 11.0 s"),
    (lambda p: half_of(SPEECH / "multilingual.mp3", p.with_suffix(".mp3")), "is truncated"),
])
def test_bad_talk_gets_one_line_naming_the_file(tmp_path, make, expected):
    path = make(tmp_path / "talk")
    with pytest.raises(PairError) as caught:
        transcribe(path, WhisperSettings())
    assert str(caught.value).startswith(str(path)) and expected in str(caught.value)


@pytest.mark.parametrize("text, expected", [
    ("title: [unclosed", "not valid YAML"),
    ("titel: Typo\n", "unknown key 'titel' (did you mean 'title'? allowed:"),
    ("year: next spring\n", "'year' must be a whole number"),
    ("- a\n- b\n", "expected key: value lines"),
    ("title: A\nyear: 2017\ntitle: B\n", "key 'title' is given twice (lines 1 and 3); keep one"),
    ("year: -5\n", f"'year' must be a year from 1000 to {date.today().year + 1}, not -5"),
    (f"year: {date.today().year + 2}\n", "'year' must be a year from 1000"),
    ("title: " + "x" * 1_000_000 + "\n", "'title' is 1,000,000 characters long; at most 500 are allowed"),
    ("abstract: " + "y" * 10_001 + "\n", "'abstract' is 10,001 characters long; at most 10,000"),
    ("venue: " + "v" * 5_000 + "\n", "'venue' is 5,000 characters long"),
    ("authors: [Ann, " + "B" * 400 + "]\n", "'authors' entry 2 is 400 characters long; at most 300"),
    ("authors: [" + ", ".join(["A"] * 201) + "]\n", "'authors' lists 201 entries; at most 200"),
    ("tags: [" + ", ".join(f"t{i}" for i in range(51)) + "]\n", "'tags' lists 51 entries; at most 50"),
    ("tags: [" + "t" * 101 + "]\n", "'tags' entry 1 is 101 characters long"),
    ("year: " + "9" * 5000 + "\n", "a value cannot be read (Exceeds the limit (4300 digits)"),
    ("year: 2017-13-01\n", "a value cannot be read (month must be in 1..12); put text in quotes"),
    ("x" * 1000 + ": 1\n", "unknown key '" + "x" * 57 + "...'"),
], ids=lambda value: value[:40])
def test_invalid_pair_yml_names_the_file_and_key(tmp_path, text, expected):
    path = tmp_path / "pair.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_pair_config(path)
    message = str(caught.value)
    after_path = message[len(str(path)):]
    assert message.startswith(str(path)) and expected in message and "\n" not in message and len(after_path) < 300


def test_pair_yml_at_the_bounds_is_read_as_written(tmp_path):
    path = tmp_path / "pair.yml"
    path.write_text("title: " + "x" * 500 + "\nyear: 1000\nauthors: [" + ", ".join(["A"] * 200) + "]\n"
                    f"tags: [{', '.join(f't{i}' for i in range(50))}]\nabstract: " + "y" * 10_000 + "\n",
                    encoding="utf-8")
    config = load_pair_config(path)
    assert len(config.title) == 500 and config.year == 1000 and len(config.authors) == 200
    assert len(config.tags) == 50 and len(config.abstract) == 10_000


def test_bad_pairs_are_reported_and_the_good_pair_still_builds(tmp_path, shared_cache):
    root = course_root(tmp_path / "course")
    sources = root / "sources"
    make_pair(sources, "good", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    (sources / "no-video").mkdir()
    shutil.copy(PAPERS / "tdnn.pdf", sources / "no-video" / "paper.pdf")
    make_pair(sources, "two-pdfs", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    shutil.copy(PAPERS / "tdnn.pdf", sources / "two-pdfs" / "other.pdf")
    make_pair(sources, "html", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    (sources / "html" / "paper.pdf").write_text("<html><body>not a paper</body></html>")
    make_pair(sources, "mute", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    (sources / "mute" / "talk.flac").unlink()
    bad_inputs.video(sources / "mute" / "talk.mp4")
    make_pair(sources, "typo", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac", "titel: x\n")
    make_pair(sources, "bad-url", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac", "video_url: https://vimeo.com/12345\n")
    broken_talks = {"silent": (lambda folder: bad_inputs.silent_wav(folder / "talk.wav"), "is silent"),
                    "corrupt-talk": (lambda folder: writes(b"\x00\x00\x00\x18ftypmp42" + b"\x13" * 4000)(
                        folder / "talk.mp4"), "cannot be opened as audio or video"),
                    "truncated": (lambda folder: half_of(SPEECH / "jfk.flac", folder / "talk.flac"), "is truncated")}
    for folder, (make, _) in broken_talks.items():
        make_pair(sources, folder, PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
        (sources / folder / "talk.flac").unlink()
        make(sources / folder)
    broken_pdfs = {"empty": (writes(b""), "is empty"),
                   "corrupt": (writes(b"%PDF-1.7\n" + bytes(range(256)) * 8), "is damaged"),
                   "locked": (bad_inputs.encrypted_pdf, "is encrypted"),
                   "scanned": (bad_inputs.scanned_pdf, "has no text layer"),
                   "no-pages": (bad_inputs.zero_page_pdf, "has no pages")}
    for folder, (make, _) in broken_pdfs.items():
        make_pair(sources, folder, PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
        make(sources / folder / "paper.pdf")

    result = CliRunner().invoke(main, ["build", "-q", "--root", str(root), "--cache", str(shared_cache)])
    assert result.exit_code == 1
    errors = [l for l in result.output.splitlines() if l.startswith("error: ")]
    expected = {"no-video": "no talk video or audio found", "two-pdfs": "2 PDFs found",
                "html": "is an HTML page", "mute": "has no audio track", "typo": "unknown key 'titel'",
                "bad-url": "pair.yml: 'video_url' is not a YouTube or Bilibili video page",
                **{folder: problem for folder, (_, problem) in broken_pdfs.items()},
                **{folder: problem for folder, (_, problem) in broken_talks.items()}}
    assert len(errors) == len(expected)
    for folder, problem in expected.items():
        assert any(f"sources/{folder}" in l and problem in l for l in errors), (folder, errors)
    assert "Traceback" not in result.output
    assert (root / "content" / "good" / "report.md").is_file()
    site_folders = {"assets", "includes"}  # MathJax and the glossary snippet, for the whole site
    assert sorted(p.name for p in (root / "content").iterdir() if p.is_dir() and p.name not in site_folders) \
        == ["good"]  # nothing half-written
    assert "1 pair(s) built" in result.output and f"{len(expected)} failed" in result.output


def test_a_pair_that_brings_out_a_fault_of_coursewiki_fails_alone_in_one_line(tmp_path, shared_cache, monkeypatch):
    """A PDF laid out as no paper before it was once stopped the layout reader with a ValueError,
    and with it the whole course; such a fault fails its pair, as bad input does."""
    import builder.distribute as distribute
    real = distribute.gather_pair

    def faulty(pair, course):
        if pair.slug == "odd":
            raise ValueError("max() arg is an empty sequence")
        return real(pair, course)
    monkeypatch.setattr(distribute, "gather_pair", faulty)
    root = course_root(tmp_path / "course")
    for slug in ("good", "odd"):
        make_pair(root / "sources", slug, PAPERS / "tdnn.pdf", SPEECH / "jfk.flac")
    result = CliRunner().invoke(main, ["build", "-q", "--root", str(root), "--cache", str(shared_cache)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [l for l in result.output.splitlines() if l.startswith("error: ")]
    assert len(errors) == 1 and "sources/odd: not built" in errors[0]
    assert "ValueError: max() arg is an empty sequence" in errors[0] and "-v" in errors[0]
    assert (root / "content" / "good" / "report.md").is_file() and not (root / "content" / "odd").exists()
    shown = CliRunner().invoke(main, ["build", "-q", "-v", "--root", str(root), "--cache", str(shared_cache)])
    assert "Traceback" in shown.output and "faulty" in shown.output   # -v shows where


def test_missing_sources_folder_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {tmp_path.resolve()}/sources: no sources folder; "
                                                  "create it with one sub-folder per pair (see coursewiki build --help)"]


def test_the_published_home_page_never_shows_the_builders_folders(tmp_path, shared_cache):
    from builder.config import CourseSettings
    from builder.pipeline import build_course
    root = course_root(tmp_path / "course")
    broken = root / "sources" / "broken"
    broken.mkdir()
    shutil.copy(PAPERS / "tdnn.pdf", broken / "paper.pdf")
    (broken / "talk.mp4").write_bytes(b"not a video at all")
    summary = build_course(CourseSettings.for_root(root, cache_dir=shared_cache))
    assert [f.slug for f in summary.failed] == ["broken"]
    assert str(tmp_path) in summary.failed[0].message  # the terminal names the full path
    home = (root / "content" / "index.md").read_text(encoding="utf-8").replace("\\", "")  # unescaped
    assert "sources/broken/talk" in home and str(tmp_path) not in home
