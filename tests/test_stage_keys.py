"""A stage's cache key changes exactly when something it reads changes: its inputs, its settings,
or the source of a module it imports. Each test edits a copy of builder/ and compares versions."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from builder.ingest.overrides import with_overrides
from builder.models import Field, Paper, PaperMeta, Passage, Segment, Transcript, Word
from builder.models.sources import PairConfig
from builder.stages import (ANALYSIS, FIGURES, KEYFRAMES, PAPER, STAGES, TALK, code_version, imported_modules,
                            record_digest)

BUILDER = Path(__file__).resolve().parent.parent / "builder"


@pytest.fixture
def code(tmp_path):
    """A copy of builder/ to edit; `edit(path, old, new)` changes one file of it."""
    root = tmp_path / "builder"
    shutil.copytree(BUILDER, root, ignore=shutil.ignore_patterns("__pycache__", "data"))

    def edit(relative: str, old: str, new: str) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative} no longer holds {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root, edit


def _versions(root: Path) -> dict[str, str]:
    return {stage.name: code_version(stage.module, root) for stage in (PAPER, FIGURES, TALK, ANALYSIS, KEYFRAMES)}


def test_changing_analyse_pair_changes_the_analysis_key_only(code):
    root, edit = code
    before = _versions(root)
    edit("analyse/pair.py", "    front = [i for i", "    # weigh the front matter\n    front = [i for i")
    after = _versions(root)
    assert after["analysis"] != before["analysis"]
    assert {k for k in before if before[k] != after[k]} == {"analysis"}


def test_changing_caption_code_in_paper_meta_changes_the_figures_key(code):
    root, edit = code
    before = _versions(root)
    edit("ingest/paper_meta.py", "def join_lines(parts: list[str], compounds: frozenset[str] = frozenset()) -> str:\n",
         "def join_lines(parts: list[str], compounds: frozenset[str] = frozenset()) -> str:\n    parts = list(parts)\n")
    after = _versions(root)
    assert after["figures"] != before["figures"] and after["paper"] != before["paper"]
    assert after["talk"] == before["talk"] and after["keyframes"] == before["keyframes"]


def test_a_record_only_the_writers_use_leaves_the_talk_key_alone(code):
    root, edit = code
    before = _versions(root)
    edit("models/site.py", "class RelatedLink:\n", 'class RelatedLink:\n    """A report worth reading next."""\n')
    edit("write/report.py", "def write_report(", "def write_report(  # a writer's change\n")
    edit("models/__init__.py", '"""The typed records', '"""(edited) The typed records')
    assert _versions(root) == before


def test_a_talk_record_change_changes_the_talk_key(code):
    root, edit = code
    before = _versions(root)
    edit("models/talk.py", "class Word:\n", 'class Word:\n    """One heard word."""\n')
    after = _versions(root)
    assert after["talk"] != before["talk"] and after["analysis"] != before["analysis"]
    assert after["paper"] == before["paper"]


def test_the_talk_key_changes_only_on_purpose():
    # a new talk key transcribes every talk of every course again on upgrade, an hour of work per
    # hour of video: an edit to the modules the talk stage imports must say so by updating the
    # recorded version (and the closing note must tell users)
    recorded = (Path(__file__).parent / "expected" / "talk_version.txt").read_text(encoding="utf-8").split()[0]
    modules = ", ".join(sorted(imported_modules(TALK.module)))
    assert code_version(TALK.module) == recorded, (
        f"the talk stage's code changed ({modules}): every talk will be transcribed again. If that is "
        f"meant, write {code_version(TALK.module)} to tests/expected/talk_version.txt and say so.")


def test_stages_import_no_page_writer():
    """The analysis reuses the validation's support test for supplements (builder.check.support),
    so a change there re-runs it; no stage reaches a page writer or the build itself."""
    for stage in STAGES:
        used = imported_modules(stage.module)
        assert not {m for m in used if m.startswith(("builder.write", "builder.publish", "builder.pipeline",
                                                     "builder.check.validate", "builder.check.course"))}, stage


def _paper(abstract: str | None = None) -> Paper:
    meta = PaperMeta(title=Field("A paper", 1, "largest type on page 1"),
                     abstract=Field(abstract, 1, "text under the Abstract heading") if abstract else None)
    return Paper("paper.pdf", 1, meta, [], [Passage("s1", "We study things.", 1, "1 Introduction")], [], [],
                 ["abstract"] if abstract is None else [], ["We study things."])


def _analysis_key(paper: Paper) -> str:
    transcript = Transcript("talk.mp4", 2.0, "en", "tiny.en", [Segment(0.0, 1.0, "Hello.", [Word(0.0, 1.0, "Hello.", 0.9)])])
    return ANALYSIS.key(record_digest(paper), record_digest(transcript), "glossary", "MiniLM")


def test_abstract_in_pair_yml_changes_the_analysis_key():
    paper = _paper()
    overridden = with_overrides(paper, PairConfig(abstract="We study things with a talk."))
    assert overridden.meta.abstract == Field("We study things with a talk.", None, "pair.yml")
    assert "abstract" not in overridden.missing_fields and "abstract" in paper.missing_fields  # the cached one is untouched
    assert _analysis_key(overridden) != _analysis_key(paper)
    assert _analysis_key(with_overrides(paper, PairConfig(tags=["x"]))) == _analysis_key(paper)  # tags: only the pages


def test_records_are_frozen():
    paper = _paper()
    with pytest.raises(AttributeError):
        paper.figures = []  # type: ignore[misc]
    assert replace(paper, figures=[]).figures == []
