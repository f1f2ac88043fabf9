"""Section headings in templates that mark them without bold type or a larger size."""
from __future__ import annotations

from pathlib import Path

import pymupdf

from builder.ingest.paper import _roman_run, ingest_paper
from builder.write.report import choose_summary
from conftest import PAPERS, parsed_paper


def test_ieee_roman_numbered_small_caps_headings_are_sections():
    sections = ingest_paper(PAPERS / "noisysurvey.pdf").sections
    top = [s.heading for s in sections if s.level == 1]
    assert top[:3] == ["I. Introduction", "II. Definition, Sources, and Taxonomy of Label Noise",
                       "III. Consequences of Label Noise on Learning"]
    assert top[-2:] == ["IX. Conclusion", "References"]   # "References" in the body's type, with space above
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


PROSE = "The model reads each sentence of the page and keeps what it needs for the next step of its work."


def _page(path: Path, lines: list, toc: list | None = None) -> Path:
    """A one-page PDF of lines set one under another: (text, size, font) at the left margin,
    (text, size, font, "centre") centred on the page; None leaves a blank line."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    y = 60.0
    for line in lines:
        if line is None:
            y += 14
            continue
        text, size, font, *where = line
        x = 306 - pymupdf.get_text_length(text, fontname=font, fontsize=size) / 2 if where else 72
        page.insert_text((x, y), text, fontsize=size, fontname=font)
        y += size * 1.25
    if toc:
        doc.set_toc(toc)
    doc.save(path)
    return path


def _top(path: Path) -> list[str]:
    return [s.heading for s in ingest_paper(path).sections if s.level == 1]


def _body(n: int = 4) -> list:
    return [(PROSE, 10, "tiro")] * n


def test_numbered_rows_one_under_another_are_a_list_not_sections(tmp_path):
    rows = [("3 Player stone and opponent stone", 12, "tibo"), ("1 A constant plane filled with one", 12, "tibo"),
            ("8 How many turns since a move was played", 12, "tibo")]
    path = _page(tmp_path / "rows.pdf", [("A Short Paper", 18, "tibo"), None, ("1 Introduction", 12, "tibo"),
                                         *_body(), None, *rows, None, *_body(), ("2 Method", 12, "tibo"), *_body()])
    assert _top(path) == ["1 Introduction", "2 Method"]


def test_a_title_that_starts_with_a_is_no_appendix(tmp_path):
    path = _page(tmp_path / "a.pdf", [("A Statistical Approach to Translation", 16, "tibo"), None,
                                      ("1 Introduction", 12, "tibo"), *_body(), ("2 Method", 12, "tibo"), *_body(),
                                      ("A Proofs", 12, "tibo"), *_body()])
    assert _top(path) == ["1 Introduction", "2 Method", "A Proofs"]


def test_a_numbered_line_holding_the_end_of_one_sentence_and_the_start_of_the_next_is_text(tmp_path):
    path = _page(tmp_path / "gpus.pdf", [("A Short Paper", 18, "tibo"), None, ("1 Introduction", 12, "tibo"),
                                         *_body(), ("8 GPUs. We also ran a distributed version of it", 11, "tiro"),
                                         *_body(), ("2 QLoRA vs. Standard Finetuning", 12, "tibo"), *_body()])
    assert _top(path) == ["1 Introduction", "2 QLoRA vs. Standard Finetuning"]


def test_a_heading_centred_over_two_lines_is_one_heading_and_no_sentence_starts_with_its_end(tmp_path):
    path = _page(tmp_path / "ieee.pdf", [
        ("A Short Survey", 18, "tibo", "centre"), None, ("I. Introduction", 10, "tiro", "centre"), *_body(), None,
        ("II. Data Cleansing Methods for Label", 10, "tiro", "centre"), ("Noise-Polluted Datasets", 10, "tiro", "centre"),
        *_body(), None, ("References", 10, "tiro", "centre"),
        ("[1] A. Author, \"A paper about noise,\" J. Noise, vol. 1, pp. 1-9, 2001.", 8, "tiro")])
    paper = ingest_paper(path)
    assert [s.heading for s in paper.sections if s.level == 1] == [
        "I. Introduction", "II. Data Cleansing Methods for Label Noise-Polluted Datasets", "References"]
    assert not any(p.text.startswith("Noise-Polluted") for p in paper.passages)
    assert paper.references and paper.references[0].startswith("[1] A. Author")


def test_a_numbered_heading_whose_title_runs_onto_a_second_line_is_one_heading(tmp_path):
    # ACL's subsections: the number at the margin, the title beside it and its rest hanging under
    # the title's first word, in bold ("Context Size") or in the body's type ("word2vec")
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    y = 60.0

    def row(*pieces, size=10.0):
        nonlocal y
        for x, text, font in pieces:
            page.insert_text((x, y), text, fontsize=size, fontname=font)
        y += size * 1.25

    row((72, "A Short Paper", "tibo"), size=18)
    row((72, "1", "tibo"), (90, "Introduction", "tibo"), size=12)
    for _ in range(4):
        row((72, PROSE, "tiro"))
    row((72, "1.1", "tibo"), (97, "Model Analysis: Vector Length and", "tibo"))
    row((97, "Context Size", "tibo"))
    for _ in range(4):
        row((72, PROSE, "tiro"))
    row((72, "1.2", "tibo"), (97, "Model Analysis: Comparison with", "tibo"))
    row((97, "word2vec", "cour"))
    for _ in range(4):
        row((72, PROSE, "tiro"))
    row((72, "2", "tibo"), (90, "Results", "tibo"), size=12)
    row((85, "Our model wins on every task", "tiro"))   # an indented first line of text, not a title
    for _ in range(4):
        row((72, PROSE, "tiro"))
    doc.save(tmp_path / "acl.pdf")
    paper = ingest_paper(tmp_path / "acl.pdf")
    assert [s.heading for s in paper.sections] == [
        "1 Introduction", "1.1 Model Analysis: Vector Length and Context Size",
        "1.2 Model Analysis: Comparison with word2vec", "2 Results"]
    assert not any(p.text.startswith(("Context Size", "word2vec")) for p in paper.passages)
    assert any(p.text.startswith("Our model wins on every task") for p in paper.passages)


def test_a_large_initial_letter_beside_the_first_lines_starts_the_first_word(tmp_path):
    # IEEE's drop cap: "C" over two lines, the rest of its word in capitals on the first of them
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 60), "A Short Survey", fontsize=18, fontname="tibo")
    page.insert_text((72, 100), "I. Introduction", fontsize=10, fontname="tiro")
    page.insert_text((72, 140), "C", fontsize=29, fontname="tibo")
    page.insert_text((94, 122), "LASSIFICATION has been widely studied in machine learning for", fontsize=10,
                     fontname="tiro")
    page.insert_text((94, 135), "many years. Real datasets contain labels that are simply wrong.", fontsize=10,
                     fontname="tiro")
    for n in range(4):
        page.insert_text((72, 150 + 13 * n), PROSE, fontsize=10, fontname="tiro")
    page.insert_text((72, 220), "II. Methods", fontsize=10, fontname="tiro")
    for n in range(4):
        page.insert_text((72, 235 + 13 * n), PROSE, fontsize=10, fontname="tiro")
    doc.save(tmp_path / "dropcap.pdf")
    texts = [p.text for p in ingest_paper(tmp_path / "dropcap.pdf").passages]
    assert texts[0].startswith("CLASSIFICATION has been widely studied in machine learning for many years.")
    assert not any(text.startswith("C ") or text == "C" for text in texts)


def test_a_letter_with_no_headings_is_read_from_its_first_line_of_prose_not_from_its_title(tmp_path):
    # its title starts with "A", which read as appendix A made the title a heading and the author line a sentence
    path = _page(tmp_path / "letter.pdf", [("A Letter Without Sections", 18, "tibo"), None,
                                           ("Ada Lovelace and Charles Babbage", 11, "tiro"), None, *_body(3)])
    paper = ingest_paper(path)
    assert paper.sections == []
    assert [p.text for p in paper.passages] == [PROSE] * 3


def test_headings_in_capitals_count_at_the_body_s_size_and_weight(tmp_path):
    # a scan's OCR layer sets headings in the body's type and reads one word of "TWO PILOT EXPERIMENTS" in title case
    path = _page(tmp_path / "scan.pdf", [("A STATISTICAL APPROACH", 16, "tibo"), None, ("1 INTRODUCTION", 10, "tiro"),
                                         *_body(), ("2 Two PILOT EXPERIMENTS", 10, "tiro"), *_body(),
                                         ("3 The results are in Table 2 and they", 10, "tiro"), *_body()])
    assert _top(path) == ["1 INTRODUCTION", "2 TWO PILOT EXPERIMENTS"]


def test_the_outline_levels_whose_entries_are_printed_give_the_sections(tmp_path):
    # a Nature outline: the title on a level of its own, the sections one down, and the Methods'
    # paragraph heads (run into their paragraphs, so no line holds them alone) one further down
    lines = [("Mastering a Game", 18, "tibo"), None, *_body(), ("Supervised learning of policies", 10, "tibo"),
             *_body(), ("Reinforcement learning of values", 10, "tibo"), *_body(), ("Discussion", 10, "tibo"),
             *_body(), ("METHODS", 10, "tibo"), ("Problem setting. " + PROSE, 8, "tiro"),
             ("Prior work. " + PROSE, 8, "tiro"), ("Search algorithm. " + PROSE, 8, "tiro")]
    toc = [[1, "Mastering a Game", 1], [2, "Supervised learning of policies", 1],
           [2, "Reinforcement learning of values", 1], [2, "Discussion", 1], [2, "Methods", 1],
           [3, "Problem setting", 1], [3, "Prior work", 1], [3, "Search algorithm", 1], [3, "Rollout policy", 1],
           [3, "Symmetries", 1], [3, "Evaluation", 1]]
    path = _page(tmp_path / "nature.pdf", lines, toc)
    assert _top(path) == ["Supervised learning of policies", "Reinforcement learning of values", "Discussion",
                          "METHODS"]


def test_an_abstract_printed_without_a_heading_is_read_as_the_papers_first_sentences():
    # BERT's two-column front page and alphago's Nature standfirst have no "Abstract" heading; the
    # page-1 reader finds the abstract, and the summary, key terms and vocabulary read it as sentences
    for name, start in (("bert.pdf", "We introduce a new language representation model called BERT"),
                        ("alphago.pdf", "The game of Go has long been viewed")):
        passages = parsed_paper(name).passages
        assert passages[0].section == "Abstract" and passages[0].text.startswith(start) and passages[0].page_no == 1
        assert len({p.id for p in passages}) == len(passages)


def test_the_summary_reads_the_abstract_and_an_introduction_numbered_in_any_style():
    # "I. Introduction" (IEEE), "1. Introduction": the goal comes from the front of the paper, never
    # from the sections after it
    for name, introduction in (("noisysurvey.pdf", "I. Introduction"), ("tdnn.pdf", "1. Introduction")):
        summary = choose_summary(parsed_paper(name))
        front = [p.section for part in ("Research goal", "Method", "Main findings") for p in summary[part]]
        assert set(front) <= {"Abstract", introduction} and introduction in front
    assert [p.section for p in choose_summary(parsed_paper("alphago.pdf"))["Research goal"]] == ["Abstract"]
