"""Page-1 metadata on layouts no shared paper has: PDFs written here with PyMuPDF, each printing a
title block the way some template does (author grids, superscript marks, small capitals, e-mail
lines, three-line titles, journal headers), so the rules are tested beyond the papers they were read on."""
from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from builder.ingest.paper import ingest_paper

BODY = ("Learning from examples is studied here in a simple setting that any reader can follow. "
        "We describe a method, report what it does on two small tasks and say where it fails. ") * 6


class Page:
    """Text placed like a typesetter does: runs on a baseline, superscripts raised and smaller,
    small capitals as capital runs of two sizes."""

    def __init__(self, page: pymupdf.Page):
        self.page = page

    def run(self, x: float, y: float, text: str, size: float = 10, font: str = "tiro") -> float:
        self.page.insert_text((x, y), text, fontsize=size, fontname=font)
        return x + pymupdf.get_text_length(text, fontname=font, fontsize=size)

    def line(self, x: float, y: float, parts: list, size: float = 10, font: str = "tiro") -> float:
        """`parts`: plain strings, or ("sup", text) for a superscript after the text before it."""
        for part in parts:
            if isinstance(part, tuple):
                x = self.run(x, y - 0.35 * size, part[1], 0.65 * size, "tiro")
            else:
                x = self.run(x, y, part, size, font)
        return x

    def small_caps(self, x: float, y: float, text: str, size: float = 17, font: str = "tiro") -> float:
        """"Sparse Models" printed as S+PARSE M+ODELS: capitals at `size`, the rest at 80%."""
        for word_index, word in enumerate(text.split(" ")):
            if word_index:
                x = self.run(x, y, " ", size, font)
            for i, char in enumerate(word):
                small = char.islower() or (i and not word[i - 1].isalpha() and char.islower())
                x = self.run(x, y, char.upper(), 0.8 * size if small else size, font)
        return x

    def paragraph(self, x: float, y: float, text: str, width: float = 440, size: float = 10) -> float:
        words, line = text.split(), ""
        for word in words:
            if pymupdf.get_text_length(f"{line} {word}", fontname="tiro", fontsize=size) > width:
                self.run(x, y, line.strip(), size)
                y, line = y + 1.3 * size, ""
            line = f"{line} {word}"
        self.run(x, y, line.strip(), size)
        return y + 1.3 * size


def write_paper(path: Path, draw_front, header: str | None = None, pages: int = 2) -> Path:
    """A paper whose page 1 has the front matter `draw_front(page)` draws (returning where it ends),
    then an Abstract, a first section and body text; `header` is printed at the top of every page."""
    doc = pymupdf.open()
    for number in range(pages):
        page = Page(doc.new_page(width=612, height=792))
        if header:
            page.run(72, 40, header, 9)
        if number == 0:
            y = draw_front(page) + 30
            page.run(280, y, "Abstract", 12, "tibo")
            y = page.paragraph(100, y + 18, "We study a small problem and report what we find. " * 4, 400)
            page.run(72, y + 20, "1 Introduction", 12, "tibo")
            page.paragraph(72, y + 40, BODY)
        else:
            page.run(72, 90, f"{number + 1} Method", 12, "tibo")
            page.paragraph(72, 110, BODY)
    doc.save(path)
    return path


def meta_of(tmp_path: Path, draw_front, **kw):
    return ingest_paper(write_paper(tmp_path / "paper.pdf", draw_front, **kw)).meta


def test_a_two_column_author_grid_is_read_row_by_row_left_to_right(tmp_path):
    def front(p: Page) -> float:
        p.run(150, 90, "Learning Sparse Models of Small Data", 17, "tibo")
        for row, (left, right) in enumerate([("Alice Zhang", "Bob Okafor"), ("Carla Mendes", "Dmitri Volkov")]):
            y = 140 + 55 * row
            for x, name in ((120, left), (360, right)):
                p.run(x, y, name, 10, "tibo")
                p.run(x, y + 12, "Example University", 10)
                p.run(x, y + 24, f"{name.split()[0].lower()}@example.edu", 9, "cour")
        return 140 + 55 + 24

    meta = meta_of(tmp_path, front)
    assert meta.value("title") == "Learning Sparse Models of Small Data"
    assert meta.value("authors") == ["Alice Zhang", "Bob Okafor", "Carla Mendes", "Dmitri Volkov"]
    assert meta.value("affiliations") == ["Example University"]


def test_names_run_together_in_the_text_layer_are_parted_at_their_superscripts(tmp_path):
    def front(p: Page) -> float:
        p.run(150, 90, "Paging Memory for Model Serving", 17, "tibo")
        p.line(90, 130, ["Ana Ruiz", ("sup", "1,∗"), "Wei Chen", ("sup", "1,∗"), "Omar Haddad", ("sup", "2"),
                         "  Lena Park", ("sup", "1")], 12)
        p.line(200, 150, [("sup", "1"), "Example University  ", ("sup", "2"), "Acme Research Lab"])
        p.line(200, 164, [("sup", "∗"), "Equal contribution"], 9)
        return 164

    meta = meta_of(tmp_path, front)
    assert meta.value("authors") == ["Ana Ruiz", "Wei Chen", "Omar Haddad", "Lena Park"]
    assert meta.value("affiliations") == ["Example University", "Acme Research Lab"]


def test_names_in_an_author_grid_with_narrow_columns_stay_apart(tmp_path):
    def front(p: Page) -> float:
        p.run(150, 90, "Paging Memory for Model Serving", 17, "tibo")
        x = 110
        for name in ("Lianmin Zheng", "Wei-Lin Chiang", "Kwang-Ting Cheng", "Min-Hung Chen"):
            x = p.run(x, 130, name, 11, "tibo") + 6     # a gap narrower than a column gap usually is
        p.run(240, 144, "Example University", 10)
        return 144

    assert meta_of(tmp_path, front).value("authors") == ["Lianmin Zheng", "Wei-Lin Chiang", "Kwang-Ting Cheng",
                                                         "Min-Hung Chen"]


def test_a_small_capitals_title_over_two_lines_keeps_its_case_and_joins_the_hyphenated_word(tmp_path):
    def front(p: Page) -> float:
        p.small_caps(100, 90, "Robust Lessons From Improv-")
        p.small_caps(100, 112, "ing the Training of Tiny Models")
        p.run(230, 150, "Maria Rossi", 10, "tibo")
        p.run(230, 162, "Example University", 10)
        return 162

    meta = meta_of(tmp_path, front)
    assert meta.value("title") == "Robust Lessons From Improving the Training of Tiny Models"
    assert meta.value("authors") == ["Maria Rossi"]


def test_a_title_of_three_lines_ends_where_the_author_block_begins(tmp_path):
    lines = ["A Study of Sparse Training", "for Models That Learn From", "Very Few Labelled Examples"]

    def front(p: Page) -> float:
        for i, text in enumerate(lines):
            p.run(140, 90 + 20 * i, text, 16, "tibo")
        p.run(200, 160, "Jonas Berg and Sofia Lind", 11, "tibo")
        p.run(210, 174, "Nordic Institute of Technology", 10)
        return 174

    meta = meta_of(tmp_path, front)
    assert meta.value("title") == " ".join(lines)
    assert meta.value("authors") == ["Jonas Berg", "Sofia Lind"]


def test_email_lines_editor_lines_and_ieee_grades_are_never_authors(tmp_path):
    def front(p: Page) -> float:
        p.run(150, 90, "Noise in Labels: a Short Survey", 17)
        p.run(150, 125, "Jean Dupont and Karl Weber, Member, IEEE", 11)
        p.run(200, 140, "{jean,karl}@example.org", 9, "cour")
        p.run(200, 154, "Editor: Paula Grant", 10)
        return 154

    meta = meta_of(tmp_path, front)
    assert meta.value("authors") == ["Jean Dupont", "Karl Weber"]


def test_a_title_set_in_capitals_is_cased_like_the_running_header_that_repeats_it(tmp_path):
    def front(p: Page) -> float:
        p.run(110, 90, "A STATISTICAL VIEW OF SMALL DATA", 16, "tibo")
        p.run(220, 120, "Hana Sato", 10, "tibo")
        p.run(210, 134, "Example Research Center", 10)
        return 134

    meta = meta_of(tmp_path, front, header="A Statistical View of Small Data", pages=4)
    assert meta.value("title") == "A Statistical View of Small Data"


def test_a_title_in_capitals_with_no_other_copy_gets_title_case_and_keeps_acronyms(tmp_path):
    def front(p: Page) -> float:
        p.run(110, 90, "TRAINING BERT ON A BUDGET", 16, "tibo")
        p.run(220, 120, "Hana Sato", 10, "tibo")
        p.run(210, 134, "Example Research Center", 10)
        p.run(72, 700, "We compare with BERT throughout.", 10)
        return 134

    assert meta_of(tmp_path, front).value("title") == "Training BERT on a Budget"


def test_an_organisation_alone_under_the_title_is_the_author(tmp_path):
    def front(p: Page) -> float:
        p.run(120, 90, "Reasoning Models Trained at Scale", 17, "tibo")
        p.run(270, 120, "Example-AI", 11, "tibo")
        p.run(250, 134, "research@example.ai", 9, "cour")
        return 134

    meta = meta_of(tmp_path, front)
    assert meta.value("authors") == ["Example-AI"]
    assert meta.authors.rule == "organisation named under the title"


def test_a_lone_line_that_is_not_a_name_leaves_the_authors_empty(tmp_path):
    def front(p: Page) -> float:
        p.run(120, 90, "Reasoning Models Trained at Scale", 17, "tibo")
        p.run(200, 120, "Draft of 3 March, not for circulation", 10)
        return 120

    meta = meta_of(tmp_path, front)
    assert meta.value("authors") is None


@pytest.mark.parametrize("header, venue, year", [
    ("JOURNAL OF SMALL DATA STUDIES, VOL. 12, NO. 3, MAY 2019", "Journal of Small Data Studies", 2019),
    ("Journal of Small Data Research 23 (2022) 1-40", "Journal of Small Data Research", 2022),
    ("4 1 2 | D A T A | V O L 5 2 9 | 2 8 J A N U A R Y 2 0 1 6", "Data", 2016),
])
def test_a_journal_header_gives_the_venue_and_its_year(tmp_path, header, venue, year):
    def front(p: Page) -> float:
        p.run(150, 90, "Learning Sparse Models of Small Data", 17, "tibo")
        p.run(240, 120, "Alice Zhang", 10, "tibo")
        return 120

    meta = meta_of(tmp_path, front, header=header)
    assert (meta.value("venue"), meta.value("year")) == (venue, year)


def test_a_volume_named_in_running_text_is_not_a_venue(tmp_path):
    def front(p: Page) -> float:
        p.run(150, 90, "Learning Sparse Models of Small Data", 17, "tibo")
        p.run(240, 120, "Alice Zhang", 10, "tibo")
        p.run(72, 400, "Results of Smith Volume 3 of 2011 are close to ours.", 10)
        return 120

    meta = meta_of(tmp_path, front)
    assert meta.value("venue") is None and meta.value("year") is None


def test_an_acm_reference_block_gives_the_conference_and_year(tmp_path):
    def front(p: Page) -> float:
        p.run(150, 90, "Paging Memory for Model Serving", 17, "tibo")
        p.run(240, 120, "Alice Zhang", 10, "tibo")
        p.run(72, 690, "SYSC '24, October 3-6, 2024, Lisbon, Portugal", 8)  # base-14 fonts have no ’ or –
        return 120

    meta = meta_of(tmp_path, front)
    assert (meta.value("venue"), meta.value("year")) == ("SYSC 2024", 2024)
