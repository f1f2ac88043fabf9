"""Paper ingestion against hand-checked values for every real paper in ../shared/data/papers/."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from builder.ingest.paper import split_sentences
from builder.ingest.paper_meta import join_lines, printed_compounds
from conftest import PAPERS, parsed_paper

EXPECTED = yaml.safe_load((Path(__file__).parent / "expected" / "papers.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def paper(name: str):
    return parsed_paper(EXPECTED[name]["file"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_title_and_authors_are_exactly_as_printed(name):
    meta = paper(name).meta
    assert meta.value("title") == EXPECTED[name]["title"]
    assert meta.value("authors") == EXPECTED[name]["authors"]
    assert meta.title.page_no == 1


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_venue_year_and_arxiv_id_where_the_pdf_states_them(name):
    meta, expected = paper(name).meta, EXPECTED[name]
    assert meta.value("venue") == expected["venue"]
    assert meta.value("year") == expected.get("year")
    assert meta.value("arxiv_id") == expected.get("arxiv_id")
    if expected.get("doi"):
        assert meta.value("doi") == expected["doi"]
    for field in ("venue", "year"):
        if expected.get(field) is None:
            assert field in paper(name).missing_fields


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_affiliations_carry_no_footnote_numbers_or_marks(name):
    expected = EXPECTED[name].get("affiliations") or []
    for affiliation in paper(name).meta.value("affiliations") or []:
        assert affiliation in expected or not re.match(r"^\s*[\d*∗†‡§¶]", affiliation), affiliation


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_top_level_section_headings_match_the_paper_in_order(name):
    sections = [s.heading for s in paper(name).sections if s.level == 1]
    assert sections == EXPECTED[name]["sections"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_abstract_starts_and_ends_as_printed(name):
    abstract = paper(name).meta.value("abstract")
    expected = EXPECTED[name]
    squash = lambda s: " ".join(s.split())
    assert squash(abstract).startswith(squash(expected["abstract_start"]))
    assert squash(abstract).endswith(squash(expected["abstract_end"]))


def test_accents_split_into_separate_glyphs_are_rejoined():
    assert "Clément Hongler" in paper("ntk").meta.value("authors")


def test_sentences_carry_pages_that_exist_and_sections():
    result = paper("attention")
    assert all(1 <= p.page_no <= result.page_count for p in result.passages)
    scaled = [p for p in result.passages if "Scaled Dot-Product Attention" in p.text]
    assert scaled and all(p.page_no in (2, 3, 4) for p in scaled[:3])


def test_a_compound_broken_at_its_own_hyphen_keeps_it_and_a_broken_word_is_closed_up():
    # glove.pdf breaks "co-occurrence" after "co-" on a line while printing it whole elsewhere
    sentences = " ".join(p.text for p in paper("glove").passages)
    assert "cooccurrence" not in sentences.lower() and sentences.count("co-occurrence") >= 10
    assert "co-occurrence" in paper("glove").meta.value("abstract")
    # a typesetter's hyphen: the paper never prints "in-formation" whole within a line
    lines = ["We learn word co-occurrence statistics from a corpus of", "in-", "formation about the co-",
             "occurrence of words."]
    assert join_lines(lines, printed_compounds(lines)) == (
        "We learn word co-occurrence statistics from a corpus of information about the co-occurrence of words.")
    assert join_lines(["a co-", "occurrence"]) == "a cooccurrence"   # no evidence: the common case wins


def test_a_compound_the_paper_also_prints_closed_up_is_no_evidence_for_its_hyphen():
    lines = ["we pre-train the model and pretrain it again, then pre-", "train it"]
    assert "pre-train" not in printed_compounds(lines)
    assert join_lines(lines, printed_compounds(lines)).endswith("then pretrain it")


def test_sentence_splitter_keeps_abbreviations_and_initials_together():
    text = "We follow Vaswani et al. in this. See Fig. 2 for details, e.g. the loss. A. Smith agreed."
    assert [s for s, _ in split_sentences(text)] == [
        "We follow Vaswani et al. in this.", "See Fig. 2 for details, e.g. the loss.", "A. Smith agreed."]


def test_figures_come_with_their_captions_and_a_picture():
    from builder.ingest.figures import figures_of
    found = figures_of(PAPERS / "attention.pdf")
    by_label = {figure.label: (figure, png) for figure, png in found}
    figure, png = by_label["Figure 1"]
    assert figure.page_no == 3 and figure.caption.startswith("Figure 1: The Transformer - model architecture")
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    assert by_label["Figure 2"][0].page_no == 4


@pytest.mark.parametrize("name, count", [("attention", 40), ("dpo", 49), ("ntk", 23), ("tdnn", 32)])
def test_numbered_references_are_separated_into_entries(name, count):
    references = paper(name).references
    assert len(references) == count
    assert references[0].startswith("[1] ") and references[-1].startswith(f"[{count}] ")
    assert not any("Abstract" == r for r in references)


@pytest.mark.parametrize("name, count, year, first, last", [
    ("bert", 56, r"\b(?:19|20)\d\d[a-z]?\. ", "Alan Akbik, Duncan Blythe", "Yukun Zhu, Ryan Kiros"),
    ("instructgpt", 91, r"\((?:19|20)\d\d[a-z]?\)\.", "Abramson, J., Ahuja, A.", "Ziegler, D. M., Stiennon, N."),
])
def test_author_year_references_in_two_columns_are_one_entry_each(name, count, year, first, last):
    """Each author-year entry names its year once, so an entry glued to the next shows up as two."""
    import re
    references = paper(name).references
    assert references[0].startswith(first) and references[-1].startswith(last)
    assert [r[:40] for r in references if len(re.findall(year, r)) != 1] == []
    assert len(references) == count


TABLE_PAGES = {  # read off the PDFs: every "Table N:" caption and the page it is printed on
    "attention.pdf": {1: 6, 2: 8, 3: 9, 4: 9},
    "bert.pdf": {1: 6, 2: 7, 3: 7, 4: 7, 5: 8, 6: 9, 7: 9, 8: 16},
    "tdnn.pdf": {1: 2, 2: 4, 3: 4, 4: 4},
    "rope.pdf": {1: 9, 2: 10, 3: 11, 4: 11, 5: 12},
}


@pytest.mark.parametrize("file", sorted(TABLE_PAGES))
def test_ruled_tables_come_out_as_pictures_with_their_captions(file):
    import io

    from PIL import Image

    from builder.ingest.figures import figures_of
    tables = {figure.label: (figure, png) for figure, png in figures_of(PAPERS / file) if figure.label.startswith("Table")}
    assert {label: figure.page_no for label, (figure, _) in tables.items()} == \
        {f"Table {n}": page for n, page in TABLE_PAGES[file].items()}
    for label, (figure, png) in tables.items():
        assert figure.caption.startswith(f"{label}:") and figure.image == f"assets/table-{label.split()[1]}.png"
        picture = Image.open(io.BytesIO(png)).convert("L")
        assert picture.width > 150 and picture.height > 30
        assert picture.getextrema()[0] < 100, f"{label} rendered blank"


def test_a_table_inside_its_caption_block_does_not_leak_cells_into_the_caption():
    from builder.ingest.figures import figures_of
    captions = {f.label: f.caption for f, _ in figures_of(PAPERS / "instructgpt.pdf")}
    assert captions["Table 8"] == "Table 8: Average prompts per customer"
    assert captions["Table 11"] == "Table 11: Prompt and demonstration lengths"
