"""The validator catches what a careless writer gets wrong: anchors that point nowhere, and cited
sentences that their evidence does not support (wrong page, invented number, made-up claim)."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from builder.analyse.embed import Embedder
from builder.analyse.glossary import load_glossary
from builder.cache import Cache
from builder.cli import main
from builder.config import CourseSettings
from builder.pipeline import check_course
from builder.check.support import SupportChecker, build_evidence, read_page_texts, read_vtt
from builder.check.validate import cited_claims, validate_markdown, validation_line


TRUE_WITH_NUMBER = "On the Switchboard task we show a relative improvement of 7.3% over the baseline DNN model."
TRUE_ON_PAGE_3 = ("We re-set the utterance history every two utterances, so that the iVectors still have some "
                  "training-data variety even when there are only a few speakers.")
JFK = "And so my fellow Americans, ask not what your country can do for you"

BAD_REPORT = f"""# Reading report: TDNN

## 2. Core summary

{TRUE_WITH_NUMBER} [p.&nbsp;1](paper.pdf#page=1)
On the Switchboard task we show a relative improvement of 9.4% over the baseline DNN model. [p.&nbsp;1](paper.pdf#page=1)
{TRUE_ON_PAGE_3} [p.&nbsp;5](paper.pdf#page=5)
The authors trained their network on photographs of cats collected from social media. [p.&nbsp;2](paper.pdf#page=2)
Time delay networks are described on a page the paper does not have. [p.&nbsp;9](paper.pdf#page=9)

## 4. Video supplementary points

- [00:00](talk.flac#t=0) {JFK}
- [00:30](talk.flac#t=30) ask what you can do for your country
"""


@pytest.fixture(scope="module")
def tdnn_evidence(real_course):
    """Evidence read from the published files only, as `coursewiki check` reads it."""
    root, settings, _ = real_course
    folder = root / "content" / "tdnn"
    from builder.pipeline import cached_paper
    cache = Cache(settings.cache_dir)
    _, paper = cached_paper(cache, "tdnn", folder / "paper.pdf")
    evidence = build_evidence(paper.passages, read_page_texts(folder / "paper.pdf"), read_vtt(folder / "talk.vtt"))
    return evidence, SupportChecker(Embedder(cache), load_glossary())


@pytest.fixture(scope="module")
def bad_report_check(tdnn_evidence):
    evidence, checker = tdnn_evidence
    ids = {t.id for t in load_glossary()}
    return validate_markdown(BAD_REPORT, 5, 11.0, ids, support=checker, evidence=evidence, subject="tdnn")


def _unsupported(check, fragment):
    return [line for line in check.unsupported if fragment in line]


def test_true_sentences_with_their_real_page_and_time_are_supported(bad_report_check):
    assert not _unsupported(bad_report_check, "7.3%"), bad_report_check.unsupported
    assert not _unsupported(bad_report_check, "ask not what your country"), bad_report_check.unsupported


def test_a_page_the_pdf_does_not_have_is_caught(bad_report_check):
    assert "line 9: page 9 does not exist (the PDF has 5)" in bad_report_check.problems


def test_a_timestamp_past_the_end_of_the_talk_is_caught(bad_report_check):
    assert "line 14: time 30s is past the talk's end (11s)" in bad_report_check.problems


def test_an_invented_number_is_caught(bad_report_check):
    found = _unsupported(bad_report_check, "9.4%")
    assert found and "number 9.4 is not in its evidence" in found[0], bad_report_check.unsupported


def test_a_true_sentence_cited_to_the_wrong_page_is_caught(bad_report_check):
    found = _unsupported(bad_report_check, "We re-set the utterance history")
    assert found and found[0].startswith("line 7: unsupported ("), bad_report_check.unsupported


def test_a_sentence_the_paper_never_says_is_caught(bad_report_check):
    found = _unsupported(bad_report_check, "photographs of cats")
    assert found and found[0].startswith("line 8: unsupported ("), bad_report_check.unsupported


def test_the_validation_line_counts_cited_and_supported_sentences(bad_report_check):
    assert bad_report_check.cited == 7
    assert bad_report_check.supported == 2
    assert not bad_report_check.ok
    line = validation_line(bad_report_check)
    assert "2 do not resolve" in line and "Cited sentences: 7, supported by their evidence: 2." in line


def test_claims_are_read_with_trailing_and_leading_anchors():
    claims = cited_claims("Alpha beta gamma\\. [p.&nbsp;2](paper.pdf#page=2) [p.&nbsp;3](paper.pdf#page=3) "
                          "Delta \\[1\\] *epsilon*\\. [00:05](talk.mp4#t=5)\n"
                          "- [01:00](talk.mp4#t=60) spoken words\n\n"
                          "| Field | Value | Source |\n| --- | --- | --- |\n"
                          "| Title | Alpha | [p.&nbsp;1](paper.pdf#page=1) |\n"
                          "### Chapter ([00:00](talk.mp4#t=0))\n")
    assert [(c.text, c.pages, c.times_s) for c in claims] == [
        ("Alpha beta gamma.", [2, 3], []), ("Delta [1] epsilon.", [], [5.0]), ("spoken words", [], [60.0])]


def test_claims_are_read_as_markdown_renders_them():
    """Markdown-it's tokens, not the page's characters: a link in a code span is no anchor, a bold
    label is not part of its sentence, a picture with its time is no claim, and an admonition's
    body is read with its own line numbers."""
    page = ("Code `[p. 2](paper.pdf#page=2)` is shown, not cited.\n\n"
            "**Label Smoothing:** During training we smoothed labels. [p.&nbsp;7](paper.pdf#page=7)\n\n"
            "- [00:05](talk.mp4#t=5) ![New slide at 00:05](assets/slide.jpg){ width=\"240\" }\n\n"
            '??? note "Full transcript"\n\n'
            "    - [00:09](talk.mp4#t=9) Spoken in the box.\n")
    claims = cited_claims(page)
    assert [(c.text, c.line_no, c.pages, c.times_s) for c in claims] == [
        ("During training we smoothed labels.", 3, [7], []), ("Spoken in the box.", 9, [], [9.0])]


def test_every_cited_sentence_of_the_extractive_reports_is_supported(real_course):
    root, settings, summary = real_course
    results = check_course(CourseSettings.for_root(root, cache_dir=settings.cache_dir))
    for page in ("tdnn/report.md", "dpo/report.md"):
        check = results[page]
        assert check.cited >= 5, page
        assert check.unsupported == [], (page, check.unsupported)
    assert summary.validations["tdnn"].cited == results["tdnn/report.md"].cited
    report = (root / "content" / "tdnn" / "report.md").read_text(encoding="utf-8")
    cited = results["tdnn/report.md"].cited
    assert f"Cited sentences: {cited}, supported by their evidence: {cited}." in report


def test_check_command_fails_a_report_below_the_supported_fraction(real_course, tmp_path):
    root, settings, _ = real_course
    copy = tmp_path / "course"
    shutil.copytree(root / "content", copy / "content")
    report = copy / "content" / "tdnn" / "report.md"
    made_up = "\n".join(f"Our network was trained on {n} photographs of cats. [p.&nbsp;2](paper.pdf#page=2)"
                        for n in range(100, 160))
    # in the generated part: the student's notes section at the end is theirs and not validated
    text = report.read_text(encoding="utf-8").replace("\n<!-- coursewiki:generated", f"\n{made_up}\n\n<!-- coursewiki:generated")
    report.write_text(text, encoding="utf-8")
    args = ["check", "--root", str(copy), "--cache", str(settings.cache_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "tdnn/report.md: only" in result.output and "below 90%" in result.output
    assert "unsupported (number 100 is not in its evidence): \"Our network was trained on 100" in result.output
    lenient = CliRunner().invoke(main, args + ["--min-supported", "0.2"])
    assert lenient.exit_code == 0, lenient.output


def test_a_fault_of_coursewiki_on_one_pair_is_that_pairs_problem_and_the_others_are_checked(real_course, monkeypatch):
    import builder.check.course as checking
    root, settings, _ = real_course
    real = checking.validate_markdown

    def faulty(text, *args, subject="", **kwargs):
        if subject == "dpo":
            raise ValueError("max() arg is an empty sequence")
        return real(text, *args, subject=subject, **kwargs)
    monkeypatch.setattr(checking, "validate_markdown", faulty)
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--cache", str(settings.cache_dir)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "dpo/report.md: not checked, coursewiki failed on it (ValueError: max() arg" in result.output
    assert "tdnn/report.md" not in result.output   # checked, and fine


def test_a_chinese_sentence_is_judged_on_its_numbers_and_key_terms(tdnn_evidence):
    evidence, checker = tdnn_evidence
    report = ("在Switchboard任务上，时延神经网络相对基线DNN模型提升了7.3%。 [p.&nbsp;1](paper.pdf#page=1)\n"
              "在Switchboard任务上，时延神经网络相对基线DNN模型提升了9.4%。 [p.&nbsp;1](paper.pdf#page=1)\n"
              "这篇论文非常有意思。 [p.&nbsp;1](paper.pdf#page=1)\n")
    check = validate_markdown(report, 5, 11.0, set(), support=checker, evidence=evidence, subject="tdnn-zh")
    assert check.cited == 3 and check.supported == 1, check.unsupported
    assert check.unsupported[0].startswith("line 2: unsupported (number 9.4 is not in its evidence)")
    assert check.unsupported[1].startswith(
        "line 3: unsupported (no term or number that can be checked against the English evidence)")


def test_a_sentence_quoted_word_for_word_is_supported_without_embedding_its_page(tdnn_evidence):
    evidence, checker = tdnn_evidence

    class Counting:
        """The checker's embedder, counting the texts it is asked to embed."""
        def __init__(self, inner):
            self.inner, self.texts = inner, []

        def encode(self, texts, subject):
            self.texts += texts
            return self.inner.encode(texts, subject)

    counting = Counting(checker.embedder)
    quoting = SupportChecker(counting, load_glossary())
    report = (f"{TRUE_WITH_NUMBER} [p.&nbsp;1](paper.pdf#page=1)\n"
              "Time delay networks were trained on photographs of cats. [p.&nbsp;2](paper.pdf#page=2)\n")
    check = validate_markdown(report, 5, 11.0, set(), support=quoting, evidence=evidence, subject="tdnn-quoted")
    assert check.cited == 2 and check.supported == 1
    assert TRUE_WITH_NUMBER not in counting.texts      # the quote: nothing to weigh
    assert "Time delay networks were trained on photographs of cats." in counting.texts
    assert all(page_text not in counting.texts for page_text in evidence.page_sentences[1])
