"""Section headings in templates that mark them without bold type or a larger size."""
from __future__ import annotations

from builder.ingest.paper import _roman_run, ingest_paper
from conftest import PAPERS


def test_ieee_roman_numbered_small_caps_headings_are_sections():
    sections = ingest_paper(PAPERS / "noisysurvey.pdf").sections
    top = [s.heading for s in sections if s.level == 1]
    assert top[:3] == ["I. Introduction", "II. Definition, Sources, and Taxonomy",
                       "III. Consequences of Label Noise on Learning"]
    assert top[-1] == "IX. Conclusion"
    assert [s.number for s in sections if s.number][:9] == ["I.", "II.", "III.", "IV.", "V.", "VI.", "VII.", "VIII.", "IX."]


def test_roman_numbered_lines_count_only_as_a_run_from_one():
    run = {1: (None, "I.", "Introduction", None), 2: (None, "II.", "Method", None), 3: (None, "1", "Setup", None)}
    assert _roman_run(run) == run
    lone = {1: (None, "V.", "Then We Stop", None), 2: (None, "1", "Setup", None)}
    assert _roman_run(lone) == {2: (None, "1", "Setup", None)}


def test_the_statements_a_template_asks_for_after_the_conclusion_are_sections_of_their_own():
    # safetyllama.pdf (ICLR): "ETHICAL STATEMENT" and "REPRODUCIBILITY STATEMENT" in unnumbered small
    # capitals after "5 Conclusion"; their sentences are not the Conclusion's
    paper = ingest_paper(PAPERS / "safetyllama.pdf")
    top = [s.heading for s in paper.sections if s.level == 1]
    assert top[top.index("5 Conclusion") + 1:top.index("Acknowledgments")] == [
        "Ethical Statement", "Reproducibility Statement"]
    conclusion = " ".join(p.text for p in paper.passages if p.section == "5 Conclusion")
    assert "Our study comes with risks and limitations" not in conclusion
    assert any(p.text.startswith("Our study comes with risks") for p in paper.passages
               if p.section == "Ethical Statement")
