"""tools/make_example_pair.py renders an example pair that the build reads back as written: the
paper with its title, sections and figure, the talk with the script's words and one slide a part."""
from __future__ import annotations

import importlib.util
import re

import pytest

from builder.ingest.figures import figures_of
from builder.ingest.slides import read_slides
from builder.ingest.talk import WhisperSettings, transcribe
from builder.ingest.wer import word_errors
from conftest import EXAMPLE, REPO, parsed_pdf

# tiny.en on the rendered talk (espeak-ng's voice): 20 errors in 262 words (7.6%, "direct preference
# of determination", "base I"). The bound leaves a margin for other CTranslate2 builds and CPUs.
TALK_MAX_WER = 0.15


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("make_example_pair", REPO / "tools" / "make_example_pair.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_paper_renders_and_reads_back_with_its_title_sections_and_figure(tool, tmp_path):
    pdf = tmp_path / "paper.pdf"
    tool.make_paper_pdf(pdf)
    paper = parsed_pdf(pdf)
    assert re.sub(r"\s+", " ", paper.meta.value("title")) == re.sub(r"\s+", " ", tool.TITLE)
    assert paper.page_count == 4 and len(paper.page_texts) == 4
    assert len(paper.sections) >= 4 and len(paper.passages) > 20
    assert [f.label for f, _ in figures_of(pdf)][:1] == ["Figure 1"]
    assert paper.meta.abstract is not None and "missing" not in paper.missing_fields
    shipped = parsed_pdf(EXAMPLE / "paper.pdf")
    assert [p.text for p in paper.passages] == [p.text for p in shipped.passages]  # the shipped pair is this tool's


def test_the_example_talk_shows_one_slide_per_part_with_its_title(tool):
    """The first slide change of the shipped talk has no keyframe of its own (keyframes at 10 s and
    20 s, the change at 16.6 s): it is still a cut, not the second slide's title on the first."""
    track = read_slides(EXAMPLE / "talk.mp4")
    assert [s.title for s in track.slides] == [part["title"] for part in tool.TALK_PARTS]
    speech_starts = [0.3, 16.53, 37.75, 57.59, 77.48]  # printed by the tool when it rendered the talk
    assert [s.start_s for s in track.slides[1:]] == pytest.approx(
        [t - tool.GAP / 2 for t in speech_starts[1:]], abs=1.0)


@pytest.mark.slow
def test_the_example_talk_renders_and_its_transcript_says_the_script(tool, tmp_path):
    talk = tmp_path / "talk.mp4"
    starts = tool.make_talk_mp4(talk)
    assert len(starts) == len(tool.TALK_PARTS) and starts == sorted(starts)
    transcript = transcribe(talk, WhisperSettings())
    script = " ".join(part["text"] for part in tool.TALK_PARTS)
    errors = word_errors(script, " ".join(s.text for s in transcript.segments))
    assert errors.reference_words == 262 and errors.rate <= TALK_MAX_WER
    assert transcript.segments[0].start_s == pytest.approx(starts[0], abs=1.0)
